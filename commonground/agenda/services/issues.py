"""Propose, endorse, discuss, decide and merge common issues; every write checked, validated and audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.communities.services import check_seated
from commonground.core import audit
from commonground.core.services import (
    assign,
    owned_record_update,
    require,
    validated_save,
    viewer_of,
)
from commonground.core.timezones import community_today
from commonground.registry.models import Organization, Person

from .. import notifications
from ..choices import Decision, IssueStatus
from ..models import Comment, Endorsement, Issue, issue_errors
from ..permissions import can_decide, can_edit_issue, can_speak_for, can_take_part

ISSUE_FIELDS = ("title", "description", "situation", "mission_area", "outcome", "tlp")


def _check_specific(issue: Issue, hazards: list) -> None:
    errors = issue_errors(issue.__dict__, hazard_count=len(hazards))
    foreign = [h for h in hazards if h.community_id not in (None, issue.community_id)]
    if foreign:
        errors["hazards"] = _("%(name)s is not on this community's list of hazards.") % {"name": foreign[0]}
    if errors:
        raise ValidationError(errors)


def _person_id(actor) -> int | None:
    return viewer_of(actor).person_id


@transaction.atomic
def issue_propose(
    *, actor, community, organization: Organization, hazards=(), severity: int | None = None, **data: Any
) -> Issue:
    """Put a specific issue to the table; the proposing organization endorses it at the severity it gives."""
    require(
        can_speak_for(viewer_of(actor), community, organization),
        _("Only a member of the organization, a co-chair or a facilitator proposes for it."),
    )
    check_seated(community, organization)
    issue = Issue(community=community, organization=organization, proposed_by_id=_person_id(actor))
    assign(issue, data, ISSUE_FIELDS)
    issue.title = " ".join((issue.title or "").split())
    hazards = list(hazards)
    _check_specific(issue, hazards)
    validated_save(issue)
    issue.hazards.set(hazards)
    audit.record_create(actor, issue, community_id=community.pk, organization_id=organization.pk)
    if severity is not None:
        endorsement_save(actor=actor, issue=issue, organization=organization, severity=severity)
    return issue


@transaction.atomic
def issue_update(*, actor, issue: Issue, data: dict[str, Any]) -> Issue:
    """Sharpen a proposal: its proposer until it is decided, co-chairs at any time."""

    def check(related: dict[str, Any]) -> None:
        issue.title = " ".join((issue.title or "").split())
        _check_specific(issue, list(related.get("hazards", issue.hazards.all())))

    return owned_record_update(
        actor=actor, instance=issue, data=data, fields=ISSUE_FIELDS, related=("hazards",),
        allowed=can_edit_issue(viewer_of(actor), issue),
        denied=_("Only its proposer (until decided) or a co-chair changes it."), check=check,
    )  # fmt: skip


def _check_open(issue: Issue) -> None:
    if not issue.is_open:
        raise ValidationError(
            _("This issue was %(status)s.") % {"status": issue.get_status_display().lower()}
        )


@transaction.atomic
def endorsement_save(
    *, actor, issue: Issue, organization: Organization, severity: int, comment: str = ""
) -> Endorsement:
    """Say that an issue affects an organization too (again: change its severity and comment)."""
    require(
        can_speak_for(viewer_of(actor), issue.community, organization),
        _("Only a member of the organization, a co-chair or a facilitator endorses for it."),
    )
    _check_open(issue)
    check_seated(issue.community, organization)
    endorsement = Endorsement.objects.filter(issue=issue, organization=organization).first()
    before = audit.snapshot(endorsement) if endorsement else None
    endorsement = endorsement or Endorsement(issue=issue, organization=organization)
    endorsement.severity, endorsement.comment = severity, comment or ""
    endorsement.person_id = _person_id(actor)
    validated_save(endorsement)
    audit.record_save(
        actor, endorsement, before, community_id=issue.community_id, organization_id=organization.pk
    )
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, actor, endorsement: Endorsement) -> None:
    require(
        can_speak_for(viewer_of(actor), endorsement.issue.community, endorsement.organization),
        _("Only a member of the organization, a co-chair or a facilitator withdraws its endorsement."),
    )
    _check_open(endorsement.issue)
    audit.record_delete(
        actor,
        endorsement,
        community_id=endorsement.issue.community_id,
        organization_id=endorsement.organization_id,
    )
    endorsement.delete()


@transaction.atomic
def comment_add(*, actor, issue: Issue, body: str) -> Comment:
    """Add to an issue's discussion; the people who endorsed or proposed it are told by mail."""
    viewer = viewer_of(actor)
    require(can_take_part(viewer, issue.community), _("Only the people at the table join the discussion."))
    person = Person.objects.filter(pk=viewer.person_id).first()
    name = (
        str(person) if person else (actor.get_full_name() or actor.get_username() if actor else _("system"))
    )
    comment = Comment(
        issue=issue, author_id=viewer.person_id, author_name=name[:200], body=(body or "").strip()
    )
    validated_save(comment)
    audit.record_create(
        actor, comment, community_id=issue.community_id, organization_id=viewer.organization_id
    )
    transaction.on_commit(lambda: notifications.comment_added(comment))
    return comment


@transaction.atomic
def issue_decide(*, actor, issue: Issue, decision: str, reason: str = "") -> Issue:
    """Adopt an issue onto the partnership's agenda, set it aside with a reason, or reopen it; co-chairs."""
    require(can_decide(viewer_of(actor), issue.community), _("Only co-chairs decide the agenda."))
    reason = (reason or "").strip()
    if decision == Decision.SET_ASIDE and not reason:
        raise ValidationError({"reason": _("Say why it is set aside: its endorsers will read it.")})
    if issue.status == IssueStatus.MERGED:
        raise ValidationError(_("A merged issue lives on in the one it was merged into."))
    status = {Decision.ADOPT: IssueStatus.ADOPTED, Decision.SET_ASIDE: IssueStatus.SET_ASIDE,
              Decision.REOPEN: IssueStatus.PROPOSED}.get(decision)  # fmt: skip
    if status is None:
        raise ValidationError({"decision": _("Choose adopt, set aside or reopen.")})
    before = audit.snapshot(issue)
    issue.status, issue.decision_reason = status, reason
    issue.decided_on = None if status == IssueStatus.PROPOSED else community_today(issue.community)
    if status != IssueStatus.ADOPTED:
        issue.agenda_rank = None
    validated_save(issue)
    audit.record_update(
        actor, issue, before, community_id=issue.community_id, organization_id=issue.organization_id
    )
    transaction.on_commit(lambda: notifications.issue_decided(issue))
    return issue


@transaction.atomic
def issue_merge(*, actor, issue: Issue, into: Issue) -> Issue:
    """Fold a duplicate into another issue: its endorsements carry over (the higher severity where both have one)."""
    require(can_decide(viewer_of(actor), issue.community), _("Only co-chairs merge issues."))
    if into.pk == issue.pk or into.community_id != issue.community_id or not into.is_open:
        raise ValidationError({"into": _("Choose another open issue of the same community.")})
    _check_open(issue)
    carried = 0
    for endorsement in issue.endorsements.select_related("organization"):
        existing = Endorsement.objects.filter(issue=into, organization=endorsement.organization).first()
        if existing is None:
            Endorsement.objects.create(
                issue=into, organization=endorsement.organization, person_id=endorsement.person_id,
                severity=endorsement.severity, comment=endorsement.comment,
            )  # fmt: skip
            carried += 1
        elif endorsement.severity > existing.severity:
            existing.severity = endorsement.severity
            existing.save(update_fields=["severity", "updated"])
    into.hazards.add(*issue.hazards.all())
    before = audit.snapshot(issue)
    issue.status, issue.merged_into = IssueStatus.MERGED, into
    issue.decided_on = community_today(issue.community)
    issue.agenda_rank = None
    validated_save(issue)
    audit.record_update(
        actor, issue, before, community_id=issue.community_id, organization_id=issue.organization_id,
        extra_changes={"endorsements_carried_over": [0, carried]},
    )  # fmt: skip
    transaction.on_commit(lambda: notifications.issue_decided(issue))
    return issue
