"""A small partnership whose record holds one tie of each kind, and restricted records that must add none."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from commonground.agenda.models import Endorsement, Issue
from commonground.communities.tests.factories import MembershipFactory
from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState
from commonground.incidents.tests.records import assign, open_incident, post_request
from commonground.registry.models import Invitation, InvitationStatus
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory
from commonground.resources.models import Agreement
from commonground.resources.tests.factories import ResourceFactory
from commonground.sustainability.models import Attendance, Goal, Meeting, Task

FAR = datetime.date(2099, 1, 1)


@dataclass
class Network:
    nonprofit: object
    lonely: object
    restricted_issue: object
    restricted_agreement: object


def agreement(table, parties, tlp=TLP.GREEN, **data):
    record = Agreement.objects.create(
        community=table.community, organization=table.public_org, title=f"MOU {tlp}", tlp=tlp,
        starts_on=data.pop("starts_on", timezone.localdate()), **data,
    )  # fmt: skip
    record.parties.set(parties)
    return record


def issue(table, endorsers, tlp=TLP.GREEN, title="Cold chain"):
    record = Issue.objects.create(
        community=table.community, organization=endorsers[0], title=title, description="d", outcome="o",
        mission_area="response", status="adopted", tlp=tlp,
    )  # fmt: skip
    for organization in endorsers:
        Endorsement.objects.create(issue=record, organization=organization, severity=3)
    return record


def build_network(table) -> Network:
    """public (Riverbend Fire), private (Great Lakes Logistics), a non-profit, and an organization tied to none.

    Ties every member may see: invitation public-private; meeting public-private-nonprofit; endorsement
    private-nonprofit; goal public-nonprofit; agreement public-private; mutual aid public-private. Restricted:
    an AMBER issue endorsed by public and lonely, an AMBER agreement of private and lonely.
    """
    nonprofit = OrganizationFactory(name="Riverbend Food Bank", sector="nonprofit", category="nonprofit")
    lonely = OrganizationFactory(name="Lonely Hardware", sector="private")
    for organization in (nonprofit, lonely):
        MembershipFactory(community=table.community, organization=organization)
    now = timezone.now()
    Invitation.objects.create(
        community=table.community, invited_by=table.cochair, email="joined@example.org", name="Joined",
        status=InvitationStatus.ACCEPTED, accepted_person=table.admin.person, accepted_at=now,
        expires_at=now + datetime.timedelta(days=1),
    )  # fmt: skip
    meeting = Meeting.objects.create(
        community=table.community,
        kind="meeting",
        title="Quarterly",
        starts_at=now - datetime.timedelta(hours=1),
    )
    for organization in (table.public_org, table.private_org, nonprofit):
        Attendance.objects.create(meeting=meeting, organization=organization)
    issue(table, [table.private_org, nonprofit])
    goal = Goal.objects.create(community=table.community, statement="Feed", measure="m", target_date=FAR)
    for organization in (table.public_org, nonprofit):
        Task.objects.create(
            goal=goal, title="Stock", owner_organization=organization,
            owner_person=PersonFactory(organization=organization), due_on=FAR,
        )  # fmt: skip
    agreement(table, [table.public_org, table.private_org])
    request = post_request(open_incident(table), table.public_org)
    resource = ResourceFactory(community=table.community, organization=table.private_org, tlp=TLP.GREEN)
    assign(request, resource, state=AssignmentState.ACCEPTED)
    # Never counted: what not every member may see.
    restricted_issue = issue(table, [table.public_org, lonely], tlp=TLP.AMBER, title="Secret issue")
    restricted_agreement = agreement(table, [table.private_org, lonely], tlp=TLP.AMBER)
    return Network(nonprofit, lonely, restricted_issue, restricted_agreement)
