"""The incidents of a community, opening one, and its board: map, requests, plan, timeline, periods, summary."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.communities.mixins import CommunityMixin
from commonground.core.tlp import mark_response, narrowest
from commonground.core.views import MarkedPageMixin, ServiceFormView, add_service_errors, paginate
from commonground.registry.models import Organization
from commonground.risks.selectors import hazard_list
from commonground.sustainability.permissions import can_run_assessment

from .. import board, rows, selectors
from ..choices import PUBLIC_SAFETY_CATEGORIES
from ..forms import CloseForm, IncidentEditForm, IncidentForm, PeriodForm, SitrepForm
from ..permissions import can_lead_incident, can_open_incident, can_post_sitrep
from ..services import incidents as incident_services
from ..services import timeline as timeline_services
from .common import IncidentMixin


def openable_organizations(viewer, community):
    """Return the organizations at the table the viewer may open an incident in the name of."""
    organizations = Organization.objects.in_community(community).order_by("name")
    if viewer.is_facilitator or viewer.is_cochair_of(community.pk):
        return organizations
    if viewer.is_organization_admin and viewer.organization_id and community.pk in viewer.community_ids:
        return organizations.filter(pk=viewer.organization_id, category__in=sorted(PUBLIC_SAFETY_CATEGORIES))
    return organizations.none()


def may_open(viewer, community) -> bool:
    """Whether the viewer may open an incident in some organization's name (decided without a query for
    co-chairs and facilitators, with one for an admin)."""
    if can_open_incident(viewer, community):
        return True
    return viewer.is_organization_admin and openable_organizations(viewer, community).exists()


class IncidentListView(MarkedPageMixin, CommunityMixin, TemplateView):
    """The community's incidents: those still managed first, then the past ones, newest first."""

    template_name = "incidents/incident_list.html"
    marked_records = "shown"

    def get_context_data(self, **kwargs):
        current, past = selectors.current_and_past(viewer=self.viewer, community=self.community)
        past = paginate(self.request, past, per_page=25)
        return super().get_context_data(
            current=current, page_obj=past, shown=[*current, *past], may_open=may_open(self.viewer, self.community),
            alert_feed_url=reverse("incidents:alert_feed", args=[self.community.slug]),
            **kwargs,
        )  # fmt: skip


class IncidentCreateView(CommunityMixin, ServiceFormView):
    """Open an incident: the partnership is activated and alerted."""

    template_name = "incidents/incident_form.html"
    form_class = IncidentForm

    @cached_property
    def organizations(self):
        return openable_organizations(self.viewer, self.community)

    def dispatch(self, request, *args, **kwargs):
        if not self.organizations.exists():
            raise PermissionDenied(
                _(
                    "Only co-chairs and the admins of a public-safety organization at the table open an incident."
                )
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            organizations=self.organizations,
            hazards=hazard_list(viewer=self.viewer, community=self.community),
            peers=Organization.objects.in_community(self.community).order_by("name"),
        )
        kwargs.setdefault("initial", {})
        if self.viewer.organization_id and self.organizations.filter(pk=self.viewer.organization_id).exists():
            kwargs["initial"]["organization"] = self.viewer.organization_id
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs)

    def service_call(self, form):
        return incident_services.incident_open(
            actor=self.request.user, community=self.community, organization=form.cleaned_data["organization"],
            hazard=form.cleaned_data["hazard"], title=form.cleaned_data["title"], **form.service_data(),
        )  # fmt: skip

    def get_success_message(self, record) -> str:
        return _("The incident is open and the partnership is alerted.")


class IncidentEditView(IncidentMixin, ServiceFormView):
    """Change an open incident: status, area, CAP values, marking; the leadership."""

    template_name = "incidents/incident_form.html"
    form_class = IncidentEditForm
    success_message = gettext_lazy("Saved. The partnership is told of what changed.")

    def dispatch(self, request, *args, **kwargs):
        if not can_lead_incident(self.viewer, self.incident):
            raise PermissionDenied(_("Only the incident's leadership changes it."))
        if not self.incident.is_open:
            raise PermissionDenied(_("The incident is closed; its record is final."))
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        return self.incident

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            hazards=hazard_list(viewer=self.viewer, community=self.community),
            peers=Organization.objects.in_community(self.community).order_by("name"),
        )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs)

    def service_call(self, form):
        return incident_services.incident_update(
            actor=self.request.user, incident=self.incident, data=self.changed(form)
        )


class BoardMixin(IncidentMixin):
    """Render the board: the live part (polled) and the forms around it."""

    template_name = "incidents/board.html"
    live_template = "incidents/_board_state.html"
    live_only = False  # the live part alone (the poll): the board reads only what it shows

    @cached_property
    def incident(self):
        incident = selectors.board_incident(viewer=self.viewer, pk=self.kwargs["pk"])
        if incident is None:
            raise Http404
        return incident

    @cached_property
    def board(self) -> board.Board:
        return board.board_for(self.viewer, self.incident, live=self.live_only)

    def peers(self):
        return Organization.objects.in_community(self.community).order_by("name")

    def live_context(self) -> dict:
        incident = self.incident
        return {
            "incident": incident, "board": self.board, "viewer": self.viewer, "leads": self.board.leads,
            "may_gap_to_needs": can_run_assessment(self.viewer, incident.community),
            "board_path": incident.get_absolute_url(),
        }  # fmt: skip

    def render_live(self) -> tuple[str, str]:
        """Return the live part's HTML and its version."""
        html = render_to_string(self.live_template, self.live_context(), request=self.request)
        return html, board.version_of(html.encode())

    def get_context_data(self, **kwargs):
        html, version = self.render_live()
        incident = self.incident
        leads = self.board.leads
        if incident.is_open and self.board.may_report and "sitrep_form" not in kwargs:
            offered = selectors.table_organizations(community=incident.community)
            kwargs["sitrep_form"] = SitrepForm(peers=self.peers(), marking=incident.tlp, offered=offered)
        if incident.is_open and leads:
            kwargs.setdefault("period_form", PeriodForm())
            kwargs.setdefault("close_form", CloseForm())
        feed = reverse("incidents:alert_feed", args=[incident.community.slug])
        return super().get_context_data(
            board=self.board, board_state=mark_safe(html), board_version=version,  # noqa: S308 (our template)
            facts=rows.incident_facts(incident, leads=leads),
            tlp_marking=narrowest(self.board.markings), alert_feed_url=feed, **kwargs,
        )  # fmt: skip


class IncidentBoardView(BoardMixin, TemplateView):
    """The incident board: one page per incident, refreshed by polling its live part."""


class IncidentLiveView(BoardMixin, TemplateView):
    """The board's live part for htmx polling: nothing (204) when it is as the reader last saw it."""

    live_only = True

    def get(self, request, *args, **kwargs):
        html, version = self.render_live()
        if request.GET.get("v") == version:
            return HttpResponse(status=204)
        wrapper = render_to_string(
            "incidents/_board_live.html",
            {"incident": self.incident, "board_state": mark_safe(html), "board_version": version},  # noqa: S308
            request=request,
        )
        response = HttpResponse(wrapper)
        return mark_response(response, narrowest(self.board.markings))


class BoardFormView(BoardMixin, TemplateView):
    """A form posted from the board: on success back to the board, on an error the board with the form's errors."""

    http_method_names = ["post"]
    form_name = ""
    refused = ""

    def allowed(self) -> bool:
        return can_lead_incident(self.viewer, self.incident)

    def make_form(self, data):
        raise NotImplementedError

    def call(self, form):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        if not self.allowed():
            raise PermissionDenied(self.refused)
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                message = self.call(form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, message)
                return redirect(self.incident.get_absolute_url() + self.anchor)
        return self.render_to_response(self.get_context_data(**{self.form_name: form}), status=200)


class SitrepCreateView(BoardFormView):
    form_name = "sitrep_form"
    anchor = "#timeline"
    refused = gettext_lazy("Only members at the table report on an incident.")

    def allowed(self) -> bool:
        return can_post_sitrep(self.viewer, self.incident)

    def make_form(self, data):
        return SitrepForm(data, peers=self.peers(), marking=self.incident.tlp)

    def call(self, form):
        timeline_services.sitrep_post(
            actor=self.request.user, incident=self.incident, text=form.cleaned_data["text"],
            tlp=form.cleaned_data["tlp"], recipient_organizations=list(form.cleaned_data["recipient_organizations"]),
        )  # fmt: skip
        return _("Your situation report is on the timeline.")


class PeriodCreateView(BoardFormView):
    form_name = "period_form"
    anchor = "#periods"
    refused = gettext_lazy("Only the incident's leadership plans its operational periods.")

    def make_form(self, data):
        return PeriodForm(data)

    def call(self, form):
        period = incident_services.period_add(
            actor=self.request.user, incident=self.incident, **form.cleaned_data
        )
        return _("Operational period %(n)s is planned.") % {"n": period.number}


class IncidentCloseView(BoardFormView):
    form_name = "close_form"
    anchor = "#summary"
    refused = gettext_lazy("Only the incident's leadership closes it.")

    def make_form(self, data):
        return CloseForm(data)

    def call(self, form):
        incident_services.incident_close(
            actor=self.request.user, incident=self.incident, note=form.cleaned_data["note"]
        )
        return _("The incident is closed. Its after-action summary is below.")


class IncidentLogView(IncidentMixin, TemplateView):
    """The whole ICS-214 activity log and the situation reports, newest first."""

    template_name = "incidents/incident_log.html"

    def get_context_data(self, **kwargs):
        page_obj = paginate(self.request, selectors.timeline_list(viewer=self.viewer, incident=self.incident))
        marking = narrowest([self.incident.tlp, *(e.tlp for e in page_obj)])
        return super().get_context_data(page_obj=page_obj, tlp_marking=marking, **kwargs)
