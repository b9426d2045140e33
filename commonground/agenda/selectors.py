"""Reads of step 3, as the viewer may see them: issues, their endorsements and discussion, and the votes."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects

from commonground.core.kept_pages import list_name, name_list
from commonground.core.kept_rows import kept_rows
from commonground.core.visibility import Viewer
from commonground.registry.choices import PRIVATE_SIDE, Sector

from .models import Ballot, Comment, Endorsement, Issue, Vote
from .permissions import can_cast_ballot


def issue_list(*, viewer: Viewer, community=None) -> QuerySet[Issue]:
    """Return the issues whose marking lets the viewer see them, named by what it is made of (the whole viewer,
    the community's key: `core.kept_pages`)."""
    queryset = Issue.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.in_community(community)
    name = ("issue list", viewer, None if community is None else community.pk)
    return name_list(queryset.select_related("community", "organization"), name)


def issue_rows(issues: QuerySet[Issue], *, open_only: bool) -> list[Issue]:
    """Return a list's issues (only those still standing, `open_only`) with their hazards: a named list's
    (`core.kept_pages`) by SQL kept under its name, which every request of the issues page would compile."""
    name = list_name(issues)
    if open_only:
        issues = issues.open()
    rows = list(issues) if name is None else kept_rows(("issue rows", name, open_only), lambda: issues)
    prefetch_related_objects(rows, "hazards")
    return rows


def endorsement_list(*, viewer: Viewer, issue: Issue) -> QuerySet[Endorsement]:
    """Return an issue's endorsements: whoever may see the issue sees who stands behind it."""
    return issue.endorsements.select_related("organization", "person")


def comment_list(*, viewer: Viewer, issue: Issue) -> QuerySet[Comment]:
    return issue.comments.select_related("author__organization")


def vote_list(*, viewer: Viewer, community=None) -> QuerySet[Vote]:
    """Return the votes of the communities the viewer sits in (facilitators: all)."""
    queryset = Vote.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    return queryset.select_related("community")


def ballot_of(vote: Vote, organization_id: int | None) -> Ballot | None:
    if organization_id is None:
        return None
    return vote.ballots.filter(organization_id=organization_id).first()


def adopted_with_both_sectors(community) -> QuerySet[Issue]:
    """Return the adopted issues endorsed by at least one public and one private-side organization at the table."""
    seated = Endorsement.objects.filter(issue=OuterRef("pk"), organization__memberships__community=community)
    return (
        Issue.objects.in_community(community)
        .filter(status="adopted")
        .filter(Exists(seated.filter(organization__sector=Sector.PUBLIC)))
        .filter(Exists(seated.filter(organization__sector__in=PRIVATE_SIDE)))
    )


def organizations_spoken_for(*, viewer: Viewer, community) -> QuerySet:
    """Return the organizations at the table the viewer may propose and endorse for (see `can_speak_for`)."""
    from commonground.registry.models import Organization

    organizations = Organization.objects.in_community(community)
    if viewer.is_facilitator or viewer.is_cochair_of(community.pk):
        return organizations
    return organizations.filter(pk=viewer.organization_id) if viewer.organization_id else organizations.none()


def ballot_organizations(*, viewer: Viewer, vote: Vote) -> QuerySet:
    """Return the organizations whose ballot the viewer may cast (see `can_cast_ballot`): their own, if any."""
    from commonground.registry.models import Organization

    own = Organization.objects.in_community(vote.community).filter(pk=viewer.organization_id)
    organization = own.first() if viewer.organization_id else None
    return own if organization and can_cast_ballot(viewer, vote, organization) else own.none()


def vote_standing(vote: Vote) -> list:
    """Return the vote's places as the ballots stand (ties to the higher collective impact, then the title)."""
    from . import tally
    from .impact import collective_impacts

    issues = list(vote.issues.all())
    impacts = collective_impacts(issues)
    return tally.order(
        tally.points(vote.kind, [i.pk for i in issues], vote.ballots.values_list("choices", flat=True)),
        {i.pk: (-impacts[i.pk].score, i.title.lower()) for i in issues},
    )
