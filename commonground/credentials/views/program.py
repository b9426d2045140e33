"""The program's set-up pages: its rules, its signing keys, its restricted areas."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from commonground.communities.mixins import CommunityMixin, PermissionRequiredMixin
from commonground.core.views import ServiceFormView
from commonground.incidents.selectors import incident_list
from commonground.registry.selectors import organization_list

from .. import permissions, selectors, services
from ..forms import AreaForm, ProgramForm
from ..models import SigningKey


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
            now=timezone.now(),
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
    template_name = "credentials/area_form.html"
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
