"""ICS-213RR resource requests: posted by members, approved by the incident's leadership, followed to the end.

Every change of state is one function here and one line on the incident's timeline.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.communities.services import check_seated
from commonground.core import audit
from commonground.core.services import assign, require, validated_save, viewer_of
from commonground.registry.geo import fill_coordinates

from ..choices import RequestState
from ..models import Incident, ResourceRequest
from ..permissions import can_edit_request, can_lead_incident, can_request_resources
from .holdings import record_under_incident
from .timeline import activity_log, check_sees_incident

REQUEST_FIELDS = (
    "kind", "category", "capability", "description", "min_capability_type", "quantity", "unit", "latitude",
    "longitude", "zip_code", "location", "needed_by", "priority", "substitutes_ok", "accepted_terms", "notes",
)  # fmt: skip
EDITABLE_STATES = (RequestState.DRAFT, RequestState.SUBMITTED)

# state -> the states it may move to, and who moves it ("requester" or "lead").
TRANSITIONS = {
    "submit": ((RequestState.DRAFT,), RequestState.SUBMITTED, "requester"),
    "approve": ((RequestState.SUBMITTED,), RequestState.APPROVED, "lead"),
    "cancel": (
        (RequestState.DRAFT, RequestState.SUBMITTED, RequestState.APPROVED, RequestState.PARTLY_COMMITTED),
        RequestState.CANCELLED, "requester",
    ),
    "mark_unfilled": (
        (RequestState.SUBMITTED, RequestState.APPROVED, RequestState.PARTLY_COMMITTED), RequestState.UNFILLED, "lead",
    ),
    "deliver": ((RequestState.PARTLY_COMMITTED, RequestState.COMMITTED), RequestState.DELIVERED, "lead"),
}  # fmt: skip
NEEDS_REASON = {"cancel", "mark_unfilled"}


def _check_request(request: ResourceRequest, data: dict[str, Any]) -> None:
    if "needed_by" in data and data["needed_by"] is not None and data["needed_by"] < timezone.now():
        raise ValidationError({"needed_by": _("Needed by is in the past: give a time still to come.")})


def _located(data: dict[str, Any], request: ResourceRequest | None = None) -> dict[str, Any]:
    data = dict(data)
    if (
        request is not None
        and "zip_code" in data
        and data["zip_code"] != request.zip_code
        and "latitude" not in data
    ):
        data.update(latitude=None, longitude=None)
    fill_coordinates(data)
    return data


@transaction.atomic
def request_create(
    *, actor, incident: Incident, organization, submit: bool = False, **data: Any
) -> ResourceRequest:
    """Post a resource request for an organization at the table (a draft, or submitted at once)."""
    require(
        can_request_resources(viewer_of(actor), incident, organization),
        _(
            "Only members of an organization at the table request resources for it, while the incident is open."
        ),
    )
    check_seated(incident.community, organization)
    check_sees_incident(actor, incident)
    _check_request(ResourceRequest(), data)
    number = (ResourceRequest.objects.filter(incident=incident).aggregate(top=Max("number"))["top"] or 0) + 1
    request = ResourceRequest(
        incident=incident, organization=organization, number=number,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    assign(request, _located(data), REQUEST_FIELDS)
    if submit:
        request.state, request.submitted_at = RequestState.SUBMITTED, timezone.now()
    validated_save(request)
    record_under_incident(actor, request, None, incident=incident, organization_id=organization.pk)
    if submit:  # a draft is its organization's and the leadership's alone: the log shows it once submitted
        _log_submitted(actor, request)
    return request


def _log_submitted(actor, request: ResourceRequest) -> None:
    activity_log(
        incident=request.incident, actor=actor, organization=request.organization,
        text=_("Request %(ref)s submitted: %(quantity)s %(unit)s %(what)s (priority %(priority)s).") % {
            "ref": request.reference, "quantity": request.quantity, "unit": request.unit,
            "what": request.description, "priority": request.priority,
        },
    )  # fmt: skip


@transaction.atomic
def request_update(*, actor, request: ResourceRequest, data: dict[str, Any]) -> ResourceRequest:
    """Change a request while it is a draft or submitted; its organization's members or the leadership."""
    require(
        can_edit_request(viewer_of(actor), request),
        _("Only the requesting organization's members and the incident's leadership change a request."),
    )
    if request.state not in EDITABLE_STATES and not can_lead_incident(viewer_of(actor), request.incident):
        raise ValidationError(
            {"state": _("Once approved, only the incident's leadership changes a request.")}
        )
    if request.state in (
        RequestState.DELIVERED,
        *[RequestState.RELEASED, RequestState.CANCELLED, RequestState.UNFILLED],
    ):
        raise ValidationError({"state": _("The request is %(state)s; its record is final.") % {
            "state": request.get_state_display()}})  # fmt: skip
    _check_request(request, data)
    before = audit.snapshot(request)
    assign(request, _located(data, request), REQUEST_FIELDS)
    validated_save(request)
    record_under_incident(
        actor, request, before, incident=request.incident, organization_id=request.organization_id
    )
    changed = sorted(set(audit.diff(before, audit.snapshot(request))) & set(REQUEST_FIELDS))
    if (
        changed and request.state != RequestState.DRAFT
    ):  # a draft is its organization's alone: see `request_create`
        labels = ", ".join(str(ResourceRequest._meta.get_field(name).verbose_name) for name in changed)
        activity_log(
            incident=request.incident, actor=actor, organization=request.organization,
            text=_("Request %(ref)s changed: %(fields)s.") % {"ref": request.reference, "fields": labels},
        )  # fmt: skip
    return request


@transaction.atomic
def request_transition(*, actor, request: ResourceRequest, action: str, reason: str = "") -> ResourceRequest:
    """Move a request along its life: submit, approve, cancel, mark_unfilled or deliver (see TRANSITIONS)."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("Unknown action: %(action)s.") % {"action": action}})
    sources, target, who = TRANSITIONS[action]
    viewer = viewer_of(actor)
    allowed = (
        can_lead_incident(viewer, request.incident) if who == "lead" else can_edit_request(viewer, request)
    )
    require(
        allowed,
        _("Only the incident's leadership does that.") if who == "lead"
        else _("Only the requesting organization's members and the incident's leadership do that."),
    )  # fmt: skip
    request = ResourceRequest.objects.select_for_update().get(pk=request.pk)
    if request.state not in sources:
        raise ValidationError(
            {
                "state": _("A request that is %(state)s cannot be moved that way.")
                % {"state": request.get_state_display()}
            }
        )
    if action in NEEDS_REASON and not reason.strip():
        raise ValidationError({"reason": _("Say why.")})
    if action == "cancel" and request.assignments.holding().exists():
        raise ValidationError({"state": _("Release the resources committed to it first.")})
    before = audit.snapshot(request)
    request.state = target
    request.state_reason = reason.strip()
    now = timezone.now()
    if action == "submit":
        request.submitted_at = now
    elif action == "approve":
        request.approved_at = now
    request.save()
    record_under_incident(
        actor, request, before, incident=request.incident, organization_id=request.organization_id
    )
    if action == "submit":
        _log_submitted(actor, request)
        return request
    if before["state"] == RequestState.DRAFT:
        return request  # a draft withdrawn: nobody else saw it
    text = _("Request %(ref)s: %(state)s.") % {"ref": request.reference, "state": request.get_state_display()}
    if reason:
        text = f"{text} {reason.strip()}"
    activity_log(incident=request.incident, actor=actor, organization=request.organization, text=text)
    return request
