"""The life of an assignment: committed by the incident's leadership, accepted or declined by the resource's
owner, released when the resource comes back.

A commit (`assignment_commit`) checks again, with the resource's row locked, that the resource is still
available, has the units and the request still needs them: `select_for_update` on PostgreSQL, and on SQLite
every transaction of this project is an immediate one (settings: `transaction_mode` IMMEDIATE, so `atomic()`
takes the write lock when it begins). The resource's owner accepts (a commitment: the resource is deployed) or
declines; the leadership or the owner releases it. Each step is written to the incident's activity log under
the marking of what it reveals, and mailed, through the task queue, to whoever must act next.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.core import audit
from commonground.core.services import require, viewer_of
from commonground.resources.choices import Availability
from commonground.resources.models import Resource

from ..choices import HOLDING_STATES, SERVABLE_STATES, AssignmentState, RequestState
from ..models import Assignment, ResourceRequest
from ..permissions import can_answer_for_resource, can_lead_incident
from ..tasks import resolve_plan, send_assignment_emails
from .holdings import (
    ALLOCATABLE,
    record_assignment,
    record_request_change,
    resource_units,
    revealing_record,
    units_accepted,
    units_held,
    user_or_none,
)
from .timeline import activity_log


def _log(actor, assignment: Assignment, resource: Resource, request: ResourceRequest, what: str) -> None:
    """Write the activity log's line about an assignment, under the marking of the record it reveals."""
    incident = request.incident
    text = _("%(units)s unit(s) of %(resource)s for request %(reference)s: %(what)s") % {
        "units": assignment.quantity, "resource": resource.name, "reference": request.reference, "what": what,
    }  # fmt: skip
    activity_log(
        incident=incident, actor=actor, text=text, marked_by=revealing_record(assignment, resource, incident),
        resource=resource,
    )  # fmt: skip


def _tell(assignment: Assignment, event: str) -> None:
    """Mail the step to those who act on it, through the task queue once the transaction commits; once an owner
    answered, solve the plan again for what remains (also queued: a solve may take seconds)."""
    pk, incident_id = assignment.pk, assignment.request.incident_id
    transaction.on_commit(lambda: send_assignment_emails.enqueue(pk, event))
    if event in ("accepted", "declined"):
        transaction.on_commit(lambda: resolve_plan.enqueue(incident_id))


# -- the life of an assignment ------------------------------------------------------------------------------


def _lock(assignment: Assignment) -> tuple[Assignment, Resource, ResourceRequest]:
    """Lock and read again, always in this order (no deadlock between two writers): the resource, the request,
    the assignment. On SQLite the immediate transaction already holds the write lock.

    The resource and the request are locked FOR NO KEY UPDATE: it keeps two writers apart as well, and lets a
    plan being stored meanwhile insert assignments that refer to them (which takes a key-share lock on them,
    while it holds its own proposals locked).
    """
    resource = (
        Resource.objects.select_for_update(no_key=True)
        .prefetch_related("recipient_people", "recipient_organizations")
        .get(pk=assignment.resource_id)
    )
    request = (
        ResourceRequest.objects.select_for_update(of=("self",), no_key=True)
        .select_related("incident__community")
        .get(pk=assignment.request_id)
    )
    current = Assignment.objects.select_for_update().get(pk=assignment.pk)
    current.resource, current.request = resource, request
    return current, resource, request


def _refresh(assignment: Assignment, current: Assignment) -> Assignment:
    """Bring the caller's object up to date with the stored one."""
    for field in Assignment._meta.concrete_fields:
        setattr(assignment, field.attname, getattr(current, field.attname))
    assignment.resource, assignment.request = current.resource, current.request
    return assignment


def _refuse(message: str, *, field: str | None = None) -> None:
    raise ValidationError({field: message} if field else message)


def assignment_commit(*, actor, assignment: Assignment) -> Assignment:
    """Commit a proposed assignment: its units are held for the request until the owner answers; the
    incident's leadership. Checked again under lock: the resource is still available with the units left, the
    request still needs them."""
    viewer = viewer_of(actor)
    require(
        can_lead_incident(viewer, assignment.request.incident),
        _("Only the incident's leadership commits the plan."),
    )
    with transaction.atomic():
        current, resource, request = _lock(assignment)
        incident = request.incident
        if current.state != AssignmentState.PROPOSED:
            _refuse(
                _("This assignment is no longer a proposal (it is %(state)s): propose the plan again.")
                % {"state": current.get_state_display().lower()}
            )
        if not incident.is_open:
            _refuse(_("The incident is closed."))
        if resource.availability not in ALLOCATABLE:
            _refuse(
                _("%(resource)s is %(availability)s now: propose the plan again.")
                % {"resource": resource, "availability": resource.get_availability_display().lower()}
            )
        left = resource_units(resource.quantity) - units_held(resource=resource)
        if current.quantity > left:
            _refuse(
                _("Only %(left)s unit(s) of %(resource)s are left, not %(asked)s: propose the plan again.")
                % {"left": max(0, left), "resource": resource, "asked": current.quantity}
            )
        if request.state not in SERVABLE_STATES:
            _refuse(
                _("Request %(reference)s is %(state)s: it needs nothing more.")
                % {"reference": request.reference, "state": request.get_state_display().lower()}
            )
        needed = request.quantity - units_held(request=request)
        if current.quantity > needed:
            _refuse(
                _(
                    "Request %(reference)s still needs %(needed)s unit(s), not %(asked)s: propose the plan again."
                )
                % {"reference": request.reference, "needed": max(0, needed), "asked": current.quantity}
            )
        before = audit.snapshot(current)
        current.state = AssignmentState.PENDING
        current.committed_by = user_or_none(actor)
        current.committed_at = timezone.now()
        current.save(update_fields=["state", "committed_by", "committed_at", "updated"])
        record_assignment(actor, current, before, resource, incident)
        _log(
            actor, current, resource, request, _("committed by the leadership; the owner is asked to accept.")
        )
        _tell(current, "committed")
    return _refresh(assignment, current)


def _require_owner(actor, assignment: Assignment, message: str) -> None:
    require(can_answer_for_resource(viewer_of(actor), assignment.resource), message)


def assignment_accept(*, actor, assignment: Assignment) -> Assignment:
    """Accept a committed assignment: a commitment. The resource is deployed; the request is partly or wholly
    committed. The resource's owner (its organization's admins)."""
    _require_owner(actor, assignment, _("Only the resource's owner accepts an assignment of it."))
    with transaction.atomic():
        current, resource, request = _lock(assignment)
        incident = request.incident
        if current.state != AssignmentState.PENDING:
            _refuse(
                _("Only an assignment the leadership committed can be accepted (this one is %(state)s).")
                % {"state": current.get_state_display().lower()}
            )
        if not incident.is_open:
            _refuse(_("The incident is closed."))
        before = audit.snapshot(current)
        now = timezone.now()
        current.state = AssignmentState.ACCEPTED
        current.decided_by, current.decided_at = user_or_none(actor), now
        current.save(update_fields=["state", "decided_by", "decided_at", "updated"])
        record_assignment(actor, current, before, resource, incident)
        _log(actor, current, resource, request, _("accepted by the owner; deployed."))
        _tell(current, "accepted")
        _set_availability(actor, resource, Availability.DEPLOYED)
        if request.state in SERVABLE_STATES:
            before = audit.snapshot(request)
            if units_accepted(request) >= request.quantity:
                request.state, request.filled_at = RequestState.COMMITTED, now
            else:
                request.state = RequestState.PARTLY_COMMITTED
            request.save(update_fields=["state", "filled_at", "updated"])
            record_request_change(actor, request, before)
    return _refresh(assignment, current)


def assignment_decline(*, actor, assignment: Assignment, reason: str = "") -> Assignment:
    """Decline a proposed or committed assignment, saying why: its units are free again. The resource's owner."""
    _require_owner(actor, assignment, _("Only the resource's owner declines an assignment of it."))
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Say why, so the leadership can look elsewhere."), field="reason")
    limit = Assignment._meta.get_field("reason").max_length
    if len(reason) > limit:
        _refuse(_("Say it in at most %(limit)s characters.") % {"limit": limit}, field="reason")
    with transaction.atomic():
        current, resource, request = _lock(assignment)
        if not request.incident.is_open:
            _refuse(_("The incident is closed."))
        if current.state not in (AssignmentState.PROPOSED, AssignmentState.PENDING):
            _refuse(
                _("Only a proposed or committed assignment can be declined (this one is %(state)s).")
                % {"state": current.get_state_display().lower()}
            )
        before = audit.snapshot(current)
        current.state = AssignmentState.DECLINED
        current.decided_by, current.decided_at = user_or_none(actor), timezone.now()
        current.reason = reason
        current.save(update_fields=["state", "decided_by", "decided_at", "reason", "updated"])
        record_assignment(actor, current, before, resource, request.incident)
        _log(actor, current, resource, request, _("declined by the owner: %(reason)s") % {"reason": reason})
        _tell(current, "declined")
    return _refresh(assignment, current)


def assignment_release(*, actor, assignment: Assignment) -> Assignment:
    """Release a committed or accepted assignment: the resource comes back (available again when nothing else
    holds it), and a request none of whose assignments holds anything any more is released. The incident's
    leadership or the resource's owner."""
    viewer = viewer_of(actor)
    require(
        can_lead_incident(viewer, assignment.request.incident)
        or can_answer_for_resource(viewer, assignment.resource),
        _("Only the incident's leadership or the resource's owner releases an assignment."),
    )
    with transaction.atomic():
        current, resource, request = _lock(assignment)
        if current.state not in HOLDING_STATES:
            _refuse(
                _("Only a committed or accepted assignment can be released (this one is %(state)s).")
                % {"state": current.get_state_display().lower()}
            )
        before = audit.snapshot(current)
        current.state = AssignmentState.RELEASED
        current.released_at = timezone.now()
        current.save(update_fields=["state", "released_at", "updated"])
        record_assignment(actor, current, before, resource, request.incident)
        _log(actor, current, resource, request, _("released."))
        if resource.availability == Availability.DEPLOYED and not units_held(resource=resource):
            _set_availability(actor, resource, Availability.AVAILABLE)
        before = audit.snapshot(request)
        if not units_held(request=request):
            if request.state in (
                RequestState.PARTLY_COMMITTED,
                RequestState.COMMITTED,
                RequestState.DELIVERED,
            ):
                request.state = RequestState.RELEASED
        elif request.state == RequestState.COMMITTED and units_accepted(request) < request.quantity:
            request.state, request.filled_at = RequestState.PARTLY_COMMITTED, None
        if request.state != before["state"]:
            request.save(update_fields=["state", "filled_at", "updated"])
            record_request_change(actor, request, before)
    return _refresh(assignment, current)


def _set_availability(actor, resource: Resource, availability: str) -> None:
    if resource.availability == availability:
        return
    before = audit.snapshot(resource)
    resource.availability = availability
    resource.save(update_fields=["availability", "updated"])
    audit.record_update(
        actor, resource, before, community_id=resource.community_id, organization_id=resource.organization_id
    )
