"""The cards: a credential's page and QR code, revocation, the holder's wallet, and activations."""

from __future__ import annotations

from functools import cached_property

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from commonground.communities.mixins import PermissionRequiredMixin
from commonground.core.tlp import TLP
from commonground.core.views import ServiceFormView

from .. import permissions, selectors, services
from ..choices import CredentialStatus
from ..forms import ActivationForm, ReasonForm
from ..models import Credential, RestrictedArea
from .program import ProgramMixin


class CredentialMixin(ProgramMixin):
    @cached_property
    def credential(self) -> Credential:
        return get_object_or_404(
            selectors.credential_list(viewer=self.viewer, community=self.community).select_related(
                "nomination"
            ),
            public_id=self.kwargs["public_id"],
        )


def qr_svg(code: str) -> str:
    return segno.make(code, error="m", micro=False).svg_inline(scale=4, title=_("QR code of the credential"))


class CredentialDetailView(CredentialMixin, TemplateView):
    """The card: printable (TLP:CLEAR face), and the holder's phone wallet page."""

    template_name = "credentials/card.html"
    tlp_marking = TLP.CLEAR

    def get_template_names(self):
        if self.request.GET.get("print"):
            return ["credentials/card_print.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        credential = self.credential
        return super().get_context_data(
            credential=credential,
            qr=qr_svg(credential.code) if credential.status == CredentialStatus.ACTIVE else "",
            can_revoke=credential.status == CredentialStatus.ACTIVE
            and permissions.can_revoke(self.viewer, credential, self.program),
            revoke_form=ReasonForm(),
            **kwargs,
        )


class CredentialQrView(CredentialMixin, View):
    def get(self, request, slug, public_id):
        if self.credential.status != CredentialStatus.ACTIVE:
            raise Http404
        svg = segno.make(self.credential.code, error="m")
        response = HttpResponse(content_type="image/svg+xml")
        svg.save(response, kind="svg", scale=6)
        return response


class CredentialRevokeView(CredentialMixin, View):
    def post(self, request, slug, public_id):
        form = ReasonForm(request.POST)
        try:
            if not permissions.can_revoke(self.viewer, self.credential, self.program):
                raise PermissionDenied(
                    _("Only the approvers and the holder's organization admins revoke a credential.")
                )
            if not form.is_valid():
                raise ValidationError(_("Say why the credential is revoked."))
            services.credential_revoke(
                actor=request.user, credential=self.credential, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The credential was revoked: checkpoints learn it at their next refresh.")
            )
        return redirect("credentials:credential_detail", slug, public_id)


class WalletView(ProgramMixin, PermissionRequiredMixin, TemplateView):
    """The holder's own credentials, with their QR codes, for the phone."""

    template_name = "credentials/wallet.html"
    tlp_marking = TLP.CLEAR
    permission = staticmethod(permissions.can_see_program)
    denied = gettext_lazy("Only the members of this table hold its credentials.")

    def get_context_data(self, **kwargs):
        mine = []
        if self.viewer.person_id:
            mine = [
                (credential, qr_svg(credential.code))
                for credential in Credential.objects.filter(
                    community=self.community, person_id=self.viewer.person_id, status=CredentialStatus.ACTIVE
                )
            ]
        return super().get_context_data(mine=mine, **kwargs)


class ActivationCreateView(ProgramMixin, ServiceFormView):
    template_name = "credentials/form.html"
    form_class = ActivationForm

    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_activate(self.viewer, self.community, self.program):
            raise PermissionDenied(
                _("Only the co-chairs and the public-safety organization's admins activate the program.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["areas"] = RestrictedArea.objects.filter(community=self.community)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Activate the program"), **kwargs)

    def service_call(self, form):
        return services.activation_create(
            actor=self.request.user, community=self.community, **form.cleaned_data
        )

    def get_success_message(self, record):
        return _("The program is activated; holders and their organization admins are told by e-mail.")

    def get_success_url(self):
        return reverse("credentials:program", args=[self.community.slug])


class ActivationEndView(ProgramMixin, View):
    """End an activation now (the officials who may activate)."""

    def post(self, request, slug, pk):
        if not permissions.can_activate(self.viewer, self.community, self.program):
            raise PermissionDenied(
                _("Only the co-chairs and the public-safety organization's admins end an activation.")
            )
        activation = get_object_or_404(
            selectors.activation_list(viewer=self.viewer, community=self.community), pk=pk
        )
        try:
            services.activation_end(actor=request.user, activation=activation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("The activation is ended: checkpoints learn it at their next refresh.")
            )
        return redirect("credentials:program", slug)
