"""ICS-213RR resource requests: post one, change it while it may change, follow it, move it along its life."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from commonground.core.tlp import narrowest
from commonground.core.viewer import ViewerMixin
from commonground.core.views import ServiceFormView

from .. import board, rows, selectors
from ..choices import FINAL_STATES, RequestState
from ..forms import RequestForm
from ..models import ResourceRequest
from ..permissions import can_edit_request, can_lead_incident
from ..services import requests as request_services
from ..services.requests import EDITABLE_STATES, NEEDS_REASON, TRANSITIONS
from .common import IncidentMixin, error_messages, request_organizations, safe_next


class RequestCreateView(IncidentMixin, ServiceFormView):
    """Post a resource request for an organization at the table: a draft, or submitted at once."""

    template_name = "incidents/request_form.html"
    form_class = RequestForm

    @cached_property
    def organizations(self):
        return request_organizations(self.viewer, self.incident)

    def dispatch(self, request, *args, **kwargs):
        if not self.incident.is_open:
            raise PermissionDenied(_("The incident is closed: it takes no more requests."))
        if not board.may_request(self.viewer, self.incident):
            raise PermissionDenied(_("Only members of an organization at the table request resources."))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organizations"] = self.organizations
        kwargs.setdefault("initial", {})
        if self.viewer.organization_id:
            kwargs["initial"]["organization"] = self.viewer.organization_id
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(area=board.area_of(self.incident), **kwargs)

    def service_call(self, form):
        return request_services.request_create(
            actor=self.request.user, incident=self.incident, organization=form.cleaned_data["organization"],
            submit=self.request.POST.get("action") != "draft", **form.service_data(),
        )  # fmt: skip

    def get_success_message(self, record) -> str:
        if record.state == RequestState.DRAFT:
            return _("Request %(ref)s is saved as a draft: submit it when it is ready.") % {
                "ref": record.reference
            }
        return _("Request %(ref)s is submitted to the incident's leadership.") % {"ref": record.reference}


class RequestMixin(ViewerMixin):
    """A page about one request the viewer may see; any other is a 404."""

    @cached_property
    def resource_request(self) -> ResourceRequest:
        return get_object_or_404(
            selectors.request_list(viewer=self.viewer).select_related(
                "incident__hazard", "incident__organization"
            ),
            pk=self.kwargs["pk"],
        )

    @property
    def incident(self):
        return self.resource_request.incident

    @property
    def community(self):
        return self.incident.community

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            resource_request=self.resource_request, incident=self.incident, community=self.community,
            step=None, viewer=self.viewer, leads=can_lead_incident(self.viewer, self.incident),
        )  # fmt: skip
        context.setdefault("tlp_marking", self.incident.tlp)
        return context


def history_of(viewer, request: ResourceRequest):
    """Return the timeline lines that name the request (its reference followed by a space or a stop)."""
    ref = request.reference
    names = Q(text__endswith=ref)
    for after in (" ", ":", ".", ",", ";", ")"):
        names |= Q(text__contains=ref + after)
    return (
        selectors.timeline_list(viewer=viewer, incident=request.incident).filter(names).order_by("at", "id")
    )


class RequestDetailView(RequestMixin, TemplateView):
    """A request: what, where, by when, its assignments and its history."""

    template_name = "incidents/request_detail.html"

    def get_context_data(self, request_error=None, assignment_error=None, **kwargs):
        request = self.resource_request
        request.actions = board.request_actions(self.viewer, request)
        request.error = request_error
        leads = can_lead_incident(self.viewer, self.incident)
        assignments = list(
            selectors.assignment_list(viewer=self.viewer).filter(request=request).order_by("-created", "-id")
        )
        for a in assignments:
            a.request = request
            a.actions = board.assignment_actions(self.viewer, a, leads=leads)
            a.error = assignment_error if assignment_error and assignment_error["pk"] == a.pk else None
            a.row = rows.assignment_row(a, error=a.error and rows.Refusal(
                a.error["action"], tuple(a.error["messages"]), a.error["reason"]))  # fmt: skip
        history = list(history_of(self.viewer, request))
        marking = narrowest(
            [self.incident.tlp, *(a.resource.tlp for a in assignments), *(e.tlp for e in history)]
        )
        return super().get_context_data(
            assignments=assignments, history=history, tlp_marking=marking,
            editable=request.state in EDITABLE_STATES and can_edit_request(self.viewer, request),
            area=board.area_of(self.incident),
            markers=board.map_data(self.incident, [request], assignments), **kwargs,
        )  # fmt: skip


class RequestEditView(RequestMixin, ServiceFormView):
    """Change a request while it is a draft or submitted (the leadership until it is final)."""

    template_name = "incidents/request_form.html"
    form_class = RequestForm
    success_message = gettext_lazy("Saved.")

    def dispatch(self, request, *args, **kwargs):
        resource_request = self.resource_request
        if not can_edit_request(self.viewer, resource_request):
            raise PermissionDenied(
                _("Only the requesting organization and the incident's leadership change it.")
            )
        leads = can_lead_incident(self.viewer, self.incident)
        if resource_request.state in (*FINAL_STATES, RequestState.DELIVERED) or (
            resource_request.state not in EDITABLE_STATES and not leads
        ):
            raise PermissionDenied(_("The request is %(state)s: it no longer changes.") % {
                "state": resource_request.get_state_display()})  # fmt: skip
        return super().dispatch(request, *args, **kwargs)

    def get_instance(self):
        return self.resource_request

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organizations"] = request_organizations(self.viewer, self.incident).filter(
            pk=self.resource_request.organization_id
        )
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(area=board.area_of(self.incident), **kwargs)

    def service_call(self, form):
        return request_services.request_update(
            actor=self.request.user, request=self.resource_request, data=form.service_data(changed_only=True)
        )


class RequestTransitionView(RequestDetailView):
    """Move a request: submit, approve, cancel (with a reason), mark unfilled (with a reason), deliver.

    A refusal the person can correct (no reason given, a state that moved meanwhile) shows on the request's page.
    """

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        action = self.kwargs["action"]
        if action not in TRANSITIONS:
            raise Http404
        reason = request.POST.get("reason", "")[:500]
        try:
            moved = request_services.request_transition(
                actor=request.user, request=self.resource_request, action=action, reason=reason
            )
        except ValidationError as error:
            # The request's page, the refused action open with its error beside the reason.
            context = self.get_context_data(request_error={
                "action": action, "messages": error_messages(error), "reason": reason,
                "reason_form": action in NEEDS_REASON,
            })  # fmt: skip
            return self.render_to_response(context, status=200)
        messages.success(
            request, _("Request %(ref)s: %(state)s.") % {"ref": self.resource_request.reference,
                                                          "state": moved.get_state_display()}
        )  # fmt: skip
        return redirect(safe_next(request, self.incident.get_absolute_url() + "#requests"))
