"""Open a vote on the adopted issues, cast the organizations' ballots, and close it to order the agenda."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.communities.services import check_seated
from commonground.core import audit
from commonground.core.services import require, validated_save, viewer_of
from commonground.registry.models import Organization

from .. import tally
from ..choices import IssueStatus, VoteKind, VoteStatus
from ..models import Ballot, Issue, Vote
from ..permissions import can_cast_ballot, can_decide
from ..selectors import vote_standing


@transaction.atomic
def vote_open(*, actor, community, title: str, kind: str, issues, dots: int = 5) -> Vote:
    """Put two or more adopted issues to a ranked or dot vote of the member organizations; co-chairs."""
    require(can_decide(viewer_of(actor), community), _("Only co-chairs run votes."))
    issues = list(issues)
    if len(issues) < 2:
        raise ValidationError({"issues": _("Put at least two issues to the vote.")})
    strays = [i for i in issues if i.community_id != community.pk or i.status != IssueStatus.ADOPTED]
    if strays:
        raise ValidationError(
            {"issues": _("%(title)s is not on this community's adopted agenda.") % {"title": strays[0]}}
        )
    vote = Vote(community=community, title=" ".join((title or "").split()), kind=kind, dots=dots,
                opened_by=actor if getattr(actor, "pk", None) else None)  # fmt: skip
    validated_save(vote)
    vote.issues.set(issues)
    audit.record_create(actor, vote, community_id=community.pk)
    return vote


def _check_choices(vote: Vote, choices: dict) -> dict[str, int]:
    on_ballot = {str(pk) for pk in vote.issues.values_list("pk", flat=True)}
    try:
        cleaned = {str(int(key)): int(value) for key, value in (choices or {}).items()}
    except (TypeError, ValueError):
        raise ValidationError({"choices": _("Give each issue a whole number.")}) from None
    if set(cleaned) - on_ballot:
        raise ValidationError({"choices": _("Only the issues on the ballot may be voted on.")})
    if vote.kind == VoteKind.RANKED:
        cleaned = {key: rank for key, rank in cleaned.items() if rank}
        if sorted(cleaned.values()) != list(range(1, len(cleaned) + 1)):
            raise ValidationError(
                {"choices": _("Rank the issues 1, 2, 3 ... each number once, with no gaps.")}
            )
    else:
        if any(dots < 0 for dots in cleaned.values()):
            raise ValidationError({"choices": _("Dots are not negative.")})
        if sum(cleaned.values()) > vote.dots:
            raise ValidationError({"choices": _("Spread at most %(n)d dots.") % {"n": vote.dots}})
        cleaned = {key: dots for key, dots in cleaned.items() if dots}
    if not cleaned:
        raise ValidationError({"choices": _("The ballot is empty.")})
    return cleaned


@transaction.atomic
def ballot_cast(*, actor, vote: Vote, organization: Organization, choices: dict) -> Ballot:
    """Record (or replace) an organization's ballot while the vote is open."""
    viewer = viewer_of(actor)
    require(
        can_cast_ballot(viewer, vote, organization),
        _(
            "An organization's ballot is its own: only its admins cast it (its members too, where the community lets them)."
        ),
    )
    if not vote.is_open:
        raise ValidationError(_("The vote is closed."))
    check_seated(vote.community, organization)
    cleaned = _check_choices(vote, choices)
    ballot = Ballot.objects.filter(vote=vote, organization=organization).first()
    before = audit.snapshot(ballot) if ballot else None
    ballot = ballot or Ballot(vote=vote, organization=organization)
    ballot.choices, ballot.cast_by_id = cleaned, viewer.person_id
    validated_save(ballot)
    audit.record_save(actor, ballot, before, community_id=vote.community_id, organization_id=organization.pk)
    return ballot


@transaction.atomic
def vote_close(*, actor, vote: Vote) -> list[tally.Result]:
    """Count the ballots and set each issue's place on the agenda; co-chairs."""
    require(can_decide(viewer_of(actor), vote.community), _("Only co-chairs close votes."))
    if not vote.is_open:
        raise ValidationError(_("The vote is already closed."))
    issues = list(vote.issues.all())
    results = vote_standing(vote)
    places = {result.issue_id: result.place for result in results}
    for issue in issues:
        issue.agenda_rank = places[issue.pk]
    Issue.objects.bulk_update(issues, ["agenda_rank"])
    before = audit.snapshot(vote)
    vote.status, vote.closed_at = VoteStatus.CLOSED, timezone.now()
    validated_save(vote)
    audit.record_update(
        actor, vote, before, community_id=vote.community_id,
        extra_changes={"places": [None, {str(k): v for k, v in places.items()}]},
    )  # fmt: skip
    return results
