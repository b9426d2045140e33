"""Enrolment pages: facilities, nominations, the nominee's orientation, approval and refusal."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from commonground.communities.mixins import PermissionRequiredMixin
from commonground.core.kept_rows import kept_rows
from commonground.core.views import ServiceFormView
from commonground.registry.models import Person

from .. import permissions, selectors, services
from ..choices import NominationStatus
from ..forms import FacilityForm, NominationForm, ReasonForm
from ..models import Facility, Nomination
from .program import ProgramMixin, _enrol_organizations


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
        viewer, community = self.viewer, self.community

        def nominations():  # the page shows no nominee's facilities
            return selectors.nomination_list(viewer=viewer, community=community).prefetch_related(None)

        # Each list by SQL kept for what it is made of (the reader, the table: `core.kept_rows`).
        key = ("nominations page", viewer, community.pk)
        submitted = NominationStatus.SUBMITTED
        return super().get_context_data(
            waiting=kept_rows((*key, "waiting"), lambda: nominations().filter(status=submitted)[:200]),
            decided=kept_rows((*key, "decided"), lambda: nominations().exclude(status=submitted)[:200]),
            credentials=kept_rows(
                (*key, "credentials"),
                lambda: selectors.credential_list(viewer=viewer, community=community)[:200],
            ),
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
            can_withdraw=waiting and permissions.can_withdraw(viewer, nomination),
            refuse_form=ReasonForm(),
            **kwargs,
        )


class NominationPhotoView(NominationMixin, View):
    def get(self, request, slug, pk):
        if not self.nomination.photo:
            raise Http404
        return FileResponse(self.nomination.photo.open("rb"))


class NominationActionView(NominationMixin, View):
    """Acknowledge, approve, refuse or withdraw (the service says who may)."""

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
            elif self.action == "withdraw":
                services.nomination_withdraw(actor=request.user, nomination=nomination)
                messages.success(request, _("The nomination was withdrawn."))
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
