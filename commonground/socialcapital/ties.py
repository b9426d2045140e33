"""The network of a partnership read from its record, never from a survey.

Every tie is read through the owning app's selector as the table sees it (`table_viewer`): a viewer who sits at
the community and nowhere else, with no organization of their own. So a record that not every member may see
(TLP:AMBER and narrower) adds no tie, and the network kept in a snapshot shows nothing that any member of the
table may not see. `as_of` reads the record as it stood then (the time each kind of tie began).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from itertools import combinations

from commonground.agenda.models import Endorsement
from commonground.agenda.selectors import issue_list
from commonground.communities.models import Membership
from commonground.communities.selectors import organizations_at
from commonground.core.visibility import Viewer
from commonground.incidents.choices import AssignmentState
from commonground.incidents.selectors import assignment_list
from commonground.registry.selectors import accepted_invitations, organization_list
from commonground.resources.selectors import agreement_list
from commonground.sustainability.models import Attendance
from commonground.sustainability.selectors import meeting_list, task_list

from .choices import GROUP_TIE_MAX_ORGANIZATIONS, TieType

# An incident's commitment ties its two organizations once the resource's owner accepted it (released: it was
# accepted and has done its work).
AID_STATES = (AssignmentState.ACCEPTED, AssignmentState.RELEASED)

Ties = dict[tuple[int, int], dict[str, int]]


def table_viewer(community) -> Viewer:
    """Return the viewer every member of the table at least is: sits at this community, owns nothing."""
    return Viewer(user_id=0, community_ids=frozenset({community.pk}), organizations_at=organizations_at)


def _add(ties: Ties, a: int | None, b: int | None, kind: TieType) -> None:
    if a is None or b is None or a == b:
        return
    pair = (a, b) if a < b else (b, a)
    types = ties.setdefault(pair, {})
    types[kind.value] = types.get(kind.value, 0) + 1


def _add_groups(ties: Ties, groups, kind: TieType) -> None:
    for members in groups:
        members = sorted(set(members))
        if len(members) > GROUP_TIE_MAX_ORGANIZATIONS:
            continue
        for a, b in combinations(members, 2):
            _add(ties, a, b, kind)


def network_organizations(community, as_of: datetime.datetime) -> list[dict]:
    """Return the organizations at the table at `as_of`: the nodes."""
    viewer = table_viewer(community)
    joined = Membership.objects.filter(community=community, created__lte=as_of).values("organization_id")
    return [
        {"id": pk, "name": name, "sector": sector}
        for pk, name, sector in organization_list(viewer=viewer, community=community)
        .filter(pk__in=joined)
        .order_by("name", "pk")
        .values_list("pk", "name", "sector")
    ]


def network_ties(community, as_of: datetime.datetime) -> Ties:
    """Return the ties of a community's table at `as_of`: {(id, id): {tie type: how many records}}."""
    viewer = table_viewer(community)
    ties: Ties = {}
    for invitation in accepted_invitations(community).filter(accepted_at__lte=as_of):
        inviter = getattr(invitation.invited_by, "person", None)
        invitee = invitation.accepted_person
        _add(
            ties,
            inviter.organization_id if inviter else None,
            invitee.organization_id if invitee else invitation.organization_id,
            TieType.INVITATION,
        )

    meetings = meeting_list(viewer=viewer, community=community).filter(starts_at__lte=as_of)
    attendance = defaultdict(list)
    for meeting_id, organization_id in Attendance.objects.filter(
        meeting__in=meetings.order_by().values("pk")
    ).values_list("meeting_id", "organization_id"):
        attendance[meeting_id].append(organization_id)
    _add_groups(ties, attendance.values(), TieType.MEETING)

    issues = issue_list(viewer=viewer, community=community).filter(created__lte=as_of)
    endorsers = defaultdict(list)
    for issue_id, organization_id in Endorsement.objects.filter(
        issue__in=issues.order_by().values("pk"), created__lte=as_of
    ).values_list("issue_id", "organization_id"):
        endorsers[issue_id].append(organization_id)
    _add_groups(ties, endorsers.values(), TieType.ENDORSEMENT)

    owners = defaultdict(list)
    for goal_id, organization_id in (
        task_list(viewer=viewer, community=community)
        .filter(created__lte=as_of, owner_organization__isnull=False)
        .values_list("goal_id", "owner_organization_id")
    ):
        owners[goal_id].append(organization_id)
    _add_groups(ties, owners.values(), TieType.GOAL)

    day = as_of.date()
    agreements = agreement_list(viewer=viewer, community=community).filter(starts_on__lte=day)
    for agreement in agreements:
        if agreement.ends_on is not None and agreement.ends_on < day:
            continue
        # The parties are tied; the organization that recorded it is not, unless it is a party.
        _add_groups(ties, [[party.pk for party in agreement.parties.all()]], TieType.AGREEMENT)

    for requester, provider in (
        assignment_list(viewer=viewer)
        .filter(request__incident__community=community, state__in=AID_STATES, decided_at__lte=as_of)
        .values_list("request__organization_id", "resource__organization_id")
    ):
        _add(ties, requester, provider, TieType.MUTUAL_AID)
    return ties
