"""The allocation plan on the board: propose it, commit its assignments, the owners' answers, releases; and the
after-action gaps sent to step 6."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from .. import selectors
from ..models import Assignment
from ..services import assignments as assignment_services
from ..services import gaps as gap_services
from ..services import plans as plan_services
from .common import IncidentMixin, error_messages, safe_next
from .requests import RequestDetailView


class PlanProposeView(IncidentMixin, TemplateView):
    """Solve the allocation for the approved requests and show the plan beside the greedy baseline."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            plan = plan_services.plan_propose(actor=request.user, incident=self.incident)
        except ValidationError as error:
            messages.error(request, " ".join(error_messages(error)))
        else:
            if plan.reason:
                messages.warning(request, _("No plan: %(reason)s") % {"reason": plan.reason})
            else:
                messages.success(request, _("A plan is proposed: commit its assignments to ask the owners."))
        return redirect(self.incident.get_absolute_url() + "#plan")


ASSIGNMENT_MESSAGES = {
    "commit": gettext_lazy("Committed: the resource's owner is asked to accept."),
    "accept": gettext_lazy("Accepted: the resource is deployed to the incident."),
    "decline": gettext_lazy("Declined: the leadership is told, and the plan can be solved again."),
    "release": gettext_lazy("Released: the resource is available again."),
}


class AssignmentActionView(RequestDetailView):
    """Commit a proposed assignment (the leadership), accept or decline it (the resource's owner), release it.

    A refusal the person can correct (no reason for declining, a resource booked meanwhile) shows on the page
    of the request the assignment serves.
    """

    http_method_names = ["post"]
    action = ""

    @cached_property
    def assignment(self) -> Assignment:
        return get_object_or_404(selectors.assignment_list(viewer=self.viewer), pk=self.kwargs["pk"])

    @cached_property
    def resource_request(self):
        return self.assignment.request

    def post(self, request, *args, **kwargs):
        assignment = self.assignment
        try:
            if self.action == "commit":
                assignment_services.assignment_commit(actor=request.user, assignment=assignment)
            elif self.action == "accept":
                assignment_services.assignment_accept(actor=request.user, assignment=assignment)
            elif self.action == "decline":
                reason = request.POST.get("reason", "")[:500]
                if not reason.strip():
                    raise ValidationError(
                        {"reason": _("Say why you decline: the leadership plans around it.")}
                    )
                assignment_services.assignment_decline(
                    actor=request.user, assignment=assignment, reason=reason
                )
            else:
                assignment_services.assignment_release(actor=request.user, assignment=assignment)
        except ValidationError as error:
            context = self.get_context_data(assignment_error={
                "pk": assignment.pk, "action": self.action, "messages": error_messages(error),
                "reason": request.POST.get("reason", "")[:500],
            })  # fmt: skip
            return self.render_to_response(context, status=200)
        messages.success(request, str(ASSIGNMENT_MESSAGES[self.action]))
        return redirect(safe_next(request, assignment.request.incident.get_absolute_url() + "#plan"))


class GapToNeedsView(IncidentMixin, TemplateView):
    """Send an unfilled need of a closed incident to step 6 as a proposed need item; co-chairs."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        incident = self.incident  # one the reader may not see is missing, whatever the service would say
        try:
            gap_services.gap_to_needs(
                actor=request.user, incident=incident, request_id=self.kwargs["request_id"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error_messages(error)))
        else:
            messages.success(request, _("Sent to the next needs assessment as a proposed need."))
        return redirect(incident.get_absolute_url() + "#summary")
