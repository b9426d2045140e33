"""A table with news to tell: an AMBER issue and incident carrying markers, a CLEAR issue, a GREEN meeting."""

from __future__ import annotations

import datetime

from django.utils import timezone

from commonground.agenda.choices import IssueStatus
from commonground.agenda.models import Issue
from commonground.core.tlp import TLP
from commonground.incidents.tests.factories import make_incident
from commonground.sustainability.models import Goal, Meeting, Task

AMBER_ISSUE = "AMBERISSUEMARKER"
AMBER_INCIDENT = "AMBERINCIDENTMARKER"
CLEAR_ISSUE = "Cold chain for vaccines"
GREEN_MEETING = "Quarterly table meeting"


def issue(table, title: str, tlp: str, organization=None) -> Issue:
    return Issue.objects.create(
        community=table.community, organization=organization or table.private_org, title=title,
        description="d", mission_area="response", outcome="o", status=IssueStatus.ADOPTED,
        decided_on=timezone.localdate(), tlp=tlp,
    )  # fmt: skip


def build_news(table) -> dict:
    """Return the records; AMBER ones are owned by the private organization (table.admin and table.member see
    them, as does the co-chair; table.other_admin, at the public organization, does not)."""
    now = timezone.now()
    records = {
        "amber_issue": issue(table, AMBER_ISSUE, TLP.AMBER),
        "clear_issue": issue(table, CLEAR_ISSUE, TLP.CLEAR, organization=table.public_org),
        "amber_incident": make_incident(
            table.community, table.private_org, title=AMBER_INCIDENT, tlp=TLP.AMBER
        ),
        "meeting": Meeting.objects.create(
            community=table.community,
            kind="meeting",
            title=GREEN_MEETING,
            starts_at=now + datetime.timedelta(days=3),
        ),
    }
    goal = Goal.objects.create(community=table.community, statement="Stock the shelters", measure="m",
                               target_date=timezone.localdate())  # fmt: skip
    records["task"] = Task.objects.create(
        goal=goal, title="Buy cots", owner_organization=table.public_org, due_on=timezone.localdate(),
        status="done", completed_on=timezone.localdate(),
    )  # fmt: skip
    records["goal"] = goal
    return records
