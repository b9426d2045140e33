"""My work: each list holds what is the user's and their organization's, as their tables let them see it."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.agenda.models import Ballot, Vote
from commonground.communities.tests.factories import CommunityFactory, MembershipFactory
from commonground.core.tlp import TLP
from commonground.incidents.tests.records import open_incident
from commonground.registry.models import Invitation
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks.tests.factories import AssessmentFactory
from commonground.sustainability.models import Goal, Meeting, NeedsAnswer, NeedsAssessment, NeedsItem, Task

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today


def plant(table, n: int = 1, tag: str = "") -> None:
    """Give the member (of the private organization) n records in each list of the page."""
    community, org, member = table.community, table.private_org, table.member
    goal = Goal.objects.create(
        community=community, statement=f"Goal{tag}", measure="m", target_date="2099-01-01"
    )
    Task.objects.bulk_create(
        Task(goal=goal, title=f"Mine{tag} {i}", owner_organization=org, owner_person=member.person,
             due_on=timezone.localdate() + datetime.timedelta(days=i + 1))
        for i in range(n)
    )  # fmt: skip
    votes = Vote.objects.bulk_create(
        Vote(community=community, title=f"Vote{tag} {i}", kind="dot") for i in range(n)
    )
    assert votes
    NeedsAssessment.objects.bulk_create(
        NeedsAssessment(community=community, title=f"Needs{tag} {i}", closes_on="2099-01-01")
        for i in range(n)
    )
    ResourceFactory.create_batch(
        n, community=community, organization=org, name=f"Old pump{tag}",
        verified_on=timezone.localdate() - datetime.timedelta(days=400),
    )  # fmt: skip
    Invitation.objects.bulk_create(
        Invitation(community=community, invited_by=member, email=f"x{tag}{i}@example.org", name=f"Invitee{tag} {i}",
                   organization_name="X", expires_at=timezone.now() + datetime.timedelta(days=3))
        for i in range(n)
    )  # fmt: skip
    Meeting.objects.bulk_create(
        Meeting(community=community, kind="meeting", title=f"Meeting{tag} {i}",
                starts_at=timezone.now() + datetime.timedelta(days=2, hours=i))
        for i in range(n)
    )  # fmt: skip


def page(client, user) -> str:
    client.force_login(user)
    response = client.get("/my-work/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_list_names_the_members_work_and_links_it(client, table):
    plant(table)
    incident = open_incident(table, title="Flood on the river")
    body = page(client, table.member)
    task = Task.objects.get(title="Mine 0")
    for expected in (
        f'href="/tasks/{task.pk}/"',
        f'href="/votes/{Vote.objects.get().pk}/"',
        "your organization has not voted",
        "Old pump",
        "Invitee 0",
        "Meeting 0",
        f'href="/incidents/{incident.pk}/"',
        'href="/c/riverbend/"',
    ):
        assert expected in body, expected
    # The assessments wait for the organization; a plain member, whom their forms refuse, is not sent there.
    assessment = NeedsAssessment.objects.get()
    assert assessment.title in body and f'href="/needs/{assessment.pk}/answer/"' not in body
    assert 'href="/c/riverbend/assessments/new/"' not in body
    admin_body = page(client, table.admin)
    assert f'href="/needs/{assessment.pk}/answer/"' in admin_body
    assert 'href="/c/riverbend/assessments/new/"' in admin_body


def test_each_empty_list_says_so(client, table):
    body = page(client, table.member)
    for sentence in (
        "No open task is yours",
        "No vote is open to your organization.",
        "No resource of your organization is stale.",
        "You have sent no invitation.",
        "No meeting is planned at your tables in the next 30 days.",
        "No incident is open at your tables.",
    ):
        assert sentence in body, sentence


def test_a_facilitator_without_an_organization_is_told_plainly(client, table):
    body = page(client, table.facilitator)
    assert "You do not sit at any community's table yet." in body
    assert "Your login speaks for no organization" in body
    assert 'href="/communities/"' in body


def test_the_overdue_tasks_come_first_and_done_or_others_tasks_are_left_out(client, table):
    goal = Goal.objects.create(
        community=table.community, statement="G", measure="m", target_date="2099-01-01"
    )
    person = table.member.person
    Task.objects.create(goal=goal, title="Later", owner_organization=table.private_org, owner_person=person,
                        due_on=TODAY() + datetime.timedelta(days=9))  # fmt: skip
    Task.objects.create(goal=goal, title="Overdue", owner_organization=table.private_org, owner_person=person,
                        due_on=TODAY() - datetime.timedelta(days=9))  # fmt: skip
    Task.objects.create(goal=goal, title="Finished", owner_organization=table.private_org, owner_person=person,
                        due_on=TODAY(), status="done")  # fmt: skip
    Task.objects.create(goal=goal, title="Unowned in my organization", owner_organization=table.private_org,
                        due_on=TODAY())  # fmt: skip
    Task.objects.create(goal=goal, title="Fire's own", owner_organization=table.public_org, due_on=TODAY())
    body = page(client, table.member)
    assert body.index("Overdue") < body.index("overdue since") < body.index("Later")
    assert "Unowned in my organization" in body
    assert "Finished" not in body and "Fire&#x27;s own" not in body


def test_what_the_organization_has_done_leaves_the_page(client, table):
    plant(table)
    vote = Vote.objects.get()
    Ballot.objects.create(vote=vote, organization=table.private_org, choices={})
    needs = NeedsAssessment.objects.get()
    item = NeedsItem.objects.create(assessment=needs, mission_area="response", text="Q")
    NeedsAnswer.objects.create(community=table.community, organization=table.private_org, item=item, level=2,
                               importance=3, tlp=TLP.AMBER_STRICT)  # fmt: skip
    AssessmentFactory(community=table.community, organization=table.private_org)
    body = page(client, table.member)
    assert "your organization's ballot is cast" in body
    assert f'href="/needs/{needs.pk}/answer/"' not in body
    assert 'href="/c/riverbend/assessments/new/"' not in body


def test_another_organizations_or_tables_records_never_show(client, table):
    """The outsider sits at another table: the member's work is not theirs, and the fire service's strict incident is not the member's."""
    plant(table)
    open_incident(table, title="Secret spill", tlp=TLP.AMBER_STRICT)
    body = page(client, table.outsider)
    for hidden in (
        "Mine 0",
        "Vote 0",
        "Needs 0",
        "Old pump",
        "Invitee 0",
        "Meeting 0",
        "Secret spill",
        "Riverbend",
    ):
        assert hidden not in body, hidden
    body = page(client, table.member)
    assert "Secret spill" not in body
    assert "Old pump" in body


def test_a_meeting_beyond_30_days_waits(client, table):
    Meeting.objects.create(community=table.community, kind="meeting", title="Far off",
                           starts_at=timezone.now() + datetime.timedelta(days=40))  # fmt: skip
    Meeting.objects.create(community=table.community, kind="meeting", title="Yesterday's",
                           starts_at=timezone.now() - datetime.timedelta(days=1))  # fmt: skip
    body = page(client, table.member)
    assert "Far off" not in body and "Yesterday" not in body


def test_a_long_list_is_cut_and_says_so(client, table):
    plant(table, 30)
    body = page(client, table.member)
    assert "Mine 24" in body and "Mine 25" not in body
    assert "The first 25 are shown" in body


@pytest.mark.parametrize("role", ["member", "admin", "other_admin", "cochair", "facilitator", "outsider"])
def test_the_page_costs_the_same_queries_however_many_items(client, table, role):
    """Every list is one query: 12 in all (session, user, viewer, communities and eight lists); a facilitator
    who speaks for no organization and sits at no table is asked nothing of the lists."""
    user = table.user(role)
    client.force_login(user)
    # A second table with an open incident, so the union of open incidents spans two communities.
    second = CommunityFactory(slug="second")
    MembershipFactory(community=second, organization=table.private_org)
    MembershipFactory(community=second, organization=table.public_org)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/my-work/").status_code == 200
        return len(queries)

    plant(table, 2, "a")
    open_incident(table, title="One")
    small = count()
    plant(table, 30, "b")
    open_incident(table, title="Two")
    assert count() == small == (4 if role == "facilitator" else 12)


def test_login_lands_on_my_work(client, table):
    table.member.set_password("a-long-test-password")
    table.member.save()
    response = client.post(
        "/accounts/login/", {"username": table.member.username, "password": "a-long-test-password"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/my-work/"


def test_the_page_is_marked_by_what_it_names(client, table):
    assert page(client, table.member).count("TLP:GREEN") >= 1
    open_incident(table, title="Amber one", tlp=TLP.AMBER)
    client.force_login(table.cochair)
    response = client.get("/my-work/")
    assert response.context["tlp_marking"] == TLP.AMBER
