"""The program's pages: set-up, facilities, nominations, approval, cards and the phone wallet, activations."""

from __future__ import annotations

from functools import cached_property

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from commonground.communities.mixins import CommunityMixin, PermissionRequiredMixin
from commonground.core.tlp import TLP
from commonground.core.views import ServiceFormView
from commonground.incidents.selectors import incident_list
from commonground.registry.models import Person
from commonground.registry.selectors import organization_list

from . import permissions, selectors, services
from .choices import CredentialStatus, NominationStatus
from .forms import ActivationForm, AreaForm, FacilityForm, NominationForm, ProgramForm, ReasonForm
from .models import Credential, Facility, Nomination, RestrictedArea, SigningKey


class ProgramMixin(CommunityMixin):
    @cached_property
    def program(self):
        return services.program_of(self.community)

    def get_context_data(self, **kwargs):
        return super().get_context_data(program=self.program, **kwargs)


def _enrol_organizations(viewer, community):
    organizations = organization_list(viewer=viewer, community=community).order_by("name")
    if permissions.is_cochair(viewer, community):
        return organizations
    return (
        organizations.filter(pk=viewer.organization_id)
        if viewer.is_organization_admin
        else organizations.none()
    )


class ProgramView(ProgramMixin, PermissionRequiredMixin, TemplateView):
    """The program: its rules, keys, restricted areas and activations, and what the viewer may do."""

    template_name = "credentials/program.html"
    permission = staticmethod(permissions.can_see_program)
    denied = gettext_lazy("Only the members of this table see its credential program.")

    def get_context_data(self, **kwargs):
        viewer, community, program = self.viewer, self.community, self.program
        return super().get_context_data(
            keys=SigningKey.objects.filter(community=community),
            areas=selectors.area_list(viewer=viewer, community=community),
            activations=selectors.activation_list(viewer=viewer, community=community).select_related("area")[
                :20
            ],
            can_manage=permissions.can_manage_program(viewer, community),
            can_enrol=program is not None and permissions.can_enrol(viewer, community),
            can_activate=permissions.can_activate(viewer, community, program),
            can_approve=permissions.can_approve(viewer, community, program),
            **kwargs,
        )


class ProgramEditView(ProgramMixin, PermissionRequiredMixin, ServiceFormView):
    template_name = "credentials/form.html"
    form_class = ProgramForm
    permission = staticmethod(permissions.can_manage_program)
    denied = gettext_lazy("Only co-chairs set up the credential program.")

    def get_instance(self):
        return self.program

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organizations"] = organization_list(viewer=self.viewer, community=self.community).order_by(
            "name"
        )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Set up the credential program"), **kwargs)

    def service_call(self, form):
        return services.program_save(
            actor=self.request.user, community=self.community, data=form.cleaned_data
        )

    def get_success_message(self, record):
        return _("The credential program was saved.")


class KeyRotateView(ProgramMixin, PermissionRequiredMixin, View):
    permission = staticmethod(permissions.can_manage_program)
    denied = gettext_lazy("Only co-chairs rotate the keys.")

    def post(self, request, slug):
        services.key_rotate(actor=request.user, community=self.community)
        messages.success(
            request, _("A new key signs new cards; the older keys stay published until withdrawn.")
        )
        return redirect("credentials:program", slug)


class KeyWithdrawView(ProgramMixin, PermissionRequiredMixin, View):
    permission = staticmethod(permissions.can_manage_program)
    denied = gettext_lazy("Only co-chairs withdraw keys.")

    def post(self, request, slug, pk):
        key = get_object_or_404(SigningKey, community=self.community, pk=pk)
        try:
            services.key_withdraw(actor=request.user, key=key)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The key was withdrawn: the cards it signed no longer admit."))
        return redirect("credentials:program", slug)


class AreaCreateView(ProgramMixin, PermissionRequiredMixin, ServiceFormView):
    template_name = "credentials/form.html"
    form_class = AreaForm
    permission = staticmethod(permissions.can_manage_program)
    denied = gettext_lazy("Only co-chairs define restricted areas.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["incidents"] = incident_list(viewer=self.viewer, community=self.community)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Define a restricted area"), **kwargs)

    def service_call(self, form):
        data = form.cleaned_data
        return services.area_create(
            actor=self.request.user, community=self.community, name=data["name"],
            polygon=data.get("polygon") or None, incident=data.get("incident"),
        )  # fmt: skip

    def get_success_url(self):
        return reverse("credentials:program", args=[self.community.slug])


class FacilityListView(ProgramMixin, PermissionRequiredMixin, TemplateView):
    template_name = "credentials/facility_list.html"
    permission = staticmethod(permissions.can_see_program)
    denied = gettext_lazy("Only the members of this table see its credential program.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            facilities=selectors.facility_list(viewer=self.viewer, community=self.community)[:500],
            can_enrol=self.program is not None and permissions.can_enrol(self.viewer, self.community),
            **kwargs,
        )


class EnrolMixin(ProgramMixin, PermissionRequiredMixin):
    permission = staticmethod(permissions.can_enrol)
    denied = gettext_lazy("Only organization admins and co-chairs enrol facilities and nominate employees.")

    def dispatch(self, request, *args, **kwargs):
        if self.program is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class FacilityCreateView(EnrolMixin, ServiceFormView):
    template_name = "credentials/form.html"
    form_class = FacilityForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organizations"] = _enrol_organizations(self.viewer, self.community)
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Enrol a facility"), **kwargs)

    def service_call(self, form):
        data = form.cleaned_data
        return services.facility_create(
            actor=self.request.user, community=self.community, organization=data["organization"], name=data["name"],
            address=data["address"], zip_code=data["zip_code"], latitude=data.get("latitude"),
            longitude=data.get("longitude"),
        )  # fmt: skip

    def get_success_url(self):
        return reverse("credentials:facilities", args=[self.community.slug])


class NominationListView(ProgramMixin, PermissionRequiredMixin, TemplateView):
    template_name = "credentials/nomination_list.html"
    permission = staticmethod(permissions.can_see_program)
    denied = gettext_lazy("Only the members of this table see its credential program.")

    def get_context_data(self, **kwargs):
        nominations = selectors.nomination_list(viewer=self.viewer, community=self.community)
        credentials = selectors.credential_list(viewer=self.viewer, community=self.community)
        return super().get_context_data(
            waiting=nominations.filter(status=NominationStatus.SUBMITTED)[:200],
            decided=nominations.exclude(status=NominationStatus.SUBMITTED)[:200],
            credentials=credentials[:200],
            can_enrol=self.program is not None and permissions.can_enrol(self.viewer, self.community),
            **kwargs,
        )


class NominationCreateView(EnrolMixin, ServiceFormView):
    template_name = "credentials/form.html"
    form_class = NominationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        organizations = _enrol_organizations(self.viewer, self.community)
        kwargs["organizations"] = organizations
        kwargs["people"] = Person.objects.filter(organization__in=organizations).order_by(
            "last_name", "first_name"
        )
        kwargs["facilities"] = Facility.objects.filter(
            community=self.community, organization__in=organizations
        )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(heading=_("Nominate an essential employee"), multipart=True, **kwargs)

    def service_call(self, form):
        data = dict(form.cleaned_data)
        photo = data.pop("photo", None) or None
        return services.nomination_create(
            actor=self.request.user, community=self.community, photo=photo,
            **{k: v for k, v in data.items() if k != "photo"},
        )  # fmt: skip

    def get_success_message(self, record):
        return _("The nomination was sent: the nominee confirms the orientation, then two approvers decide.")


class NominationMixin(ProgramMixin):
    @cached_property
    def nomination(self) -> Nomination:
        return get_object_or_404(
            selectors.nomination_list(viewer=self.viewer, community=self.community), pk=self.kwargs["pk"]
        )


class NominationDetailView(NominationMixin, TemplateView):
    template_name = "credentials/nomination_detail.html"

    def get_context_data(self, **kwargs):
        nomination, viewer = self.nomination, self.viewer
        waiting = nomination.status == NominationStatus.SUBMITTED
        return super().get_context_data(
            nomination=nomination,
            credentials=nomination.credentials.all(),
            can_acknowledge=waiting
            and not nomination.acknowledged_at
            and permissions.can_acknowledge(viewer, nomination),
            can_decide=waiting and permissions.can_approve(viewer, self.community, self.program),
            refuse_form=ReasonForm(),
            **kwargs,
        )


class NominationPhotoView(NominationMixin, View):
    def get(self, request, slug, pk):
        if not self.nomination.photo:
            raise Http404
        return FileResponse(self.nomination.photo.open("rb"))


class NominationActionView(NominationMixin, View):
    """Acknowledge, approve or refuse (the service says who may)."""

    action = ""

    def post(self, request, slug, pk):
        nomination = self.nomination
        try:
            if self.action == "acknowledge":
                services.nomination_acknowledge(actor=request.user, nomination=nomination)
                messages.success(request, _("Thank you: the orientation is confirmed."))
            elif self.action == "approve":
                credential = services.nomination_approve(actor=request.user, nomination=nomination)
                messages.success(
                    request,
                    _("Approved: the credential is issued.")
                    if credential
                    else _("Approved: it waits for the other approver."),
                )
            else:
                form = ReasonForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Say why the nomination is refused."))
                services.nomination_refuse(
                    actor=request.user, nomination=nomination, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The nomination was refused."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("credentials:nomination_detail", slug, pk)


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
