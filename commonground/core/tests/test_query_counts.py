"""Every list page and API list costs the same number of queries with 10 rows or 200."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from commonground.agenda.models import Ballot, Endorsement, Issue, Vote
from commonground.communities.models import Membership
from commonground.core import audit
from commonground.registry.models import Invitation, InvitationStatus, Organization, Person
from commonground.resources.models import Agreement, Resource
from commonground.risks.models import CriticalFunction, Hazard, HazardAssessment
from commonground.sustainability.models import (
    Attendance,
    ExerciseObjective,
    Goal,
    Meeting,
    NeedsAnswer,
    NeedsAssessment,
    NeedsItem,
    Observation,
    Task,
)

API_LISTS = [
    "/api/v1/communities/",
    "/api/v1/organizations/?page_size=200",
    "/api/v1/people/?page_size=200",
    "/api/v1/memberships/?page_size=200",
    "/api/v1/cochairs/",
    "/api/v1/invitations/?page_size=200",
    "/api/v1/audit/?page_size=200",
    "/api/v1/communities/riverbend/coverage/",
    "/api/v1/communities/riverbend/progress/",
    "/api/v1/resources/?page_size=200",
    "/api/v1/resources/?page_size=200&near=42.7,-84.5&radius_km=100&q=grown",
    "/api/v1/agreements/?page_size=200",
    "/api/v1/hazards/?page_size=200&community=riverbend",
    "/api/v1/critical-functions/?page_size=200",
    "/api/v1/assessments/?page_size=200",
    "/api/v1/communities/riverbend/risk-profile/",
    "/api/v1/issues/?page_size=200",
    "/api/v1/issue-votes/",
    "/api/v1/needs-assessments/",
    "/api/v1/goals/",
    "/api/v1/tasks/?page_size=200",
    "/api/v1/meetings/?page_size=200",
]
PAGES = [
    "/communities/",
    "/c/riverbend/",
    "/c/riverbend/organizations/",
    "/c/riverbend/people/",
    "/c/riverbend/invitations/",
    "/c/riverbend/invitations/tree/",
    "/c/riverbend/coverage/",
    "/c/riverbend/audit/",
    "/c/riverbend/leadership/",
    "/c/riverbend/resources/",
    "/c/riverbend/resources/?near=42.7,-84.5&radius_km=100",
    "/c/riverbend/resources/contribution/",
    "/c/riverbend/agreements/",
    "/c/riverbend/hazards/",
    "/c/riverbend/risk-profile/",
    "/c/riverbend/risk-profile/print/",
    "/c/riverbend/assessments/",
    "/c/riverbend/critical-functions/",
    "/c/riverbend/issues/",
    "/c/riverbend/agenda/",
    "/c/riverbend/needs/",
    "/c/riverbend/goals/",
    "/c/riverbend/meetings/",
    "/c/riverbend/plan/",
]


def grow(table, rows: int) -> None:
    """Put `rows` more organizations, people, invitations and audit entries at the table."""
    start = Organization.objects.count()
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Grown {start + i}", sector="private", category="small_employer", employees=i + 1)
        for i in range(rows)
    )
    Membership.objects.bulk_create(
        Membership(community=table.community, organization=o) for o in organizations
    )
    people = Person.objects.bulk_create(
        Person(organization=o, first_name="P", last_name=str(o.pk), email=f"p{o.pk}@example.org")
        for o in organizations
    )
    Invitation.objects.bulk_create(
        Invitation(
            community=table.community,
            invited_by=table.cochair,
            email=f"i{p.pk}@example.org",
            name="Invitee",
            organization_name="X",
            status=InvitationStatus.ACCEPTED,
            accepted_person=p,
            expires_at=timezone.now() + timedelta(days=1),
        )
        for p in people
    )
    resources = Resource.objects.bulk_create(
        Resource(
            community=table.community,
            organization=o,
            name=f"Grown generator {o.pk}",
            kind="equipment",
            category="esf12",
            latitude=42.7,
            longitude=-84.5,
        )
        for o in organizations
    )
    agreements = Agreement.objects.bulk_create(
        Agreement(
            community=table.community,
            organization=o,
            title=f"MOU {o.pk}",
            tlp="TLP:GREEN",
            starts_on=timezone.localdate(),
        )
        for o in organizations
    )
    Agreement.parties.through.objects.bulk_create(
        Agreement.parties.through(agreement=a, organization=party)
        for a, o in zip(agreements, organizations, strict=True)
        for party in (o, table.public_org)
    )
    Agreement.resources.through.objects.bulk_create(
        Agreement.resources.through(agreement=a, resource=r)
        for a, r in zip(agreements, resources, strict=True)
    )
    hazards = Hazard.objects.bulk_create(
        Hazard(community=table.community, code=f"grown_{o.pk}", name=f"Grown hazard {o.pk}", kind="natural")
        for o in organizations
    )
    functions = CriticalFunction.objects.bulk_create(
        CriticalFunction(community=table.community, organization=o, name=f"Function {o.pk}")
        for o in organizations
    )
    tornado = Hazard.objects.get(community=None, code="tornado")
    scores = dict(likelihood=3, impact_life_safety=3, impact_operations=4, impact_property=2, vulnerability=3, preparedness=3)  # fmt: skip
    assessments = HazardAssessment.objects.bulk_create(
        HazardAssessment(community=table.community, organization=o, hazard=hazard, **scores)
        for o, own in zip(organizations, hazards, strict=True)
        for hazard in (tornado, own)
    )
    HazardAssessment.critical_functions.through.objects.bulk_create(
        HazardAssessment.critical_functions.through(hazardassessment=a, criticalfunction=f)
        for a, f in zip(assessments[::2], functions, strict=True)
    )
    issues = Issue.objects.bulk_create(
        Issue(community=table.community, organization=o, title=f"Issue {o.pk}", description="d", outcome="o",
              mission_area="response", status="adopted")
        for o in organizations
    )  # fmt: skip
    Issue.hazards.through.objects.bulk_create(
        Issue.hazards.through(issue=i, hazard=h) for i, h in zip(issues, hazards, strict=True)
    )
    Endorsement.objects.bulk_create(
        Endorsement(issue=i, organization=party, severity=3)
        for i, o in zip(issues, organizations, strict=True)
        for party in (o, table.public_org)
    )
    vote = Vote.objects.create(community=table.community, title=f"Vote {start}", kind="dot")
    vote.issues.set(issues)
    Ballot.objects.bulk_create(
        Ballot(vote=vote, organization=o, choices={str(issues[0].pk): 1}) for o in organizations
    )
    needs = NeedsAssessment.objects.create(
        community=table.community, title=f"Needs {start}", closes_on="2099-01-01"
    )
    item = NeedsItem.objects.create(assessment=needs, mission_area="response", text="Q")
    NeedsAnswer.objects.bulk_create(
        NeedsAnswer(community=table.community, organization=o, item=item, level=2, importance=4)
        for o in organizations
    )
    goal = Goal.objects.create(
        community=table.community, statement=f"Goal {start}", measure="m", target_date="2099-01-01"
    )
    goal.needs.add(item)
    Task.objects.bulk_create(
        Task(goal=goal, title=f"Task {o.pk}", owner_organization=o, due_on="2020-01-01")
        for o in organizations
    )
    meetings = Meeting.objects.bulk_create(
        Meeting(community=table.community, kind="tabletop", title=f"Exercise {o.pk}",
                starts_at=timezone.now() - timedelta(days=o.pk % 30 + 1))
        for o in organizations
    )  # fmt: skip
    exercise = meetings[0]
    Attendance.objects.bulk_create(
        Attendance(meeting=m, organization=o) for m, o in zip(meetings, organizations, strict=True)
    )
    Attendance.objects.bulk_create(Attendance(meeting=exercise, organization=o) for o in organizations[1:])
    objectives = ExerciseObjective.objects.bulk_create(
        ExerciseObjective(meeting=exercise, text=f"Objective {o.pk}") for o in organizations
    )
    observations = Observation.objects.bulk_create(
        Observation(meeting=exercise, objective=objective, kind="improvement", text="Gap")
        for objective in objectives
    )
    Task.objects.bulk_create(
        Task(
            goal=goal, title=f"Corrective {o.pk}", owner_organization=o, due_on="2099-01-01", observation=obs
        )
        for o, obs in zip(organizations, observations, strict=True)
    )
    Meeting.scenario_hazards.through.objects.bulk_create(
        Meeting.scenario_hazards.through(meeting=exercise, hazard=h) for h in hazards
    )
    audit.bulk_record(
        audit.build_entry(
            actor=table.cochair,
            action="create",
            instance=o,
            changes={},
            community_id=table.community.pk,
            organization_id=o.pk,
        )
        for o in organizations
    )


def count_queries(fetch) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", API_LISTS)
def test_api_lists_cost_constant_queries(table, url):
    def fetch():
        client = APIClient()
        client.force_authenticate(
            type(table.cochair).objects.get(pk=table.cochair.pk)
        )  # a fresh user, as each request has
        return client.get(url)

    grow(table, 10)
    small = count_queries(fetch)
    grow(table, 190)
    assert count_queries(fetch) == small


@pytest.mark.parametrize("url", PAGES)
def test_list_pages_cost_constant_queries(client, table, url):
    client.force_login(table.cochair)
    grow(table, 10)
    small = count_queries(lambda: client.get(url + "?page_size=200"))
    grow(table, 190)
    assert count_queries(lambda: client.get(url + "?page_size=200")) == small


def test_a_hazard_page_costs_constant_queries(client, table):
    client.force_login(table.cochair)
    url = f"/c/riverbend/hazards/{Hazard.objects.get(community=None, code='tornado').pk}/?page_size=200"
    grow(table, 10)
    small = count_queries(lambda: client.get(url))
    grow(table, 190)
    assert count_queries(lambda: client.get(url)) == small


def test_a_needs_profile_costs_constant_queries(client, table):
    client.force_login(table.cochair)
    grow(table, 10)
    url = f"/needs/{NeedsAssessment.objects.order_by('-pk').first().pk}/"
    small = count_queries(lambda: client.get(url))
    grow(table, 190)
    url = f"/needs/{NeedsAssessment.objects.order_by('-pk').first().pk}/"
    assert count_queries(lambda: client.get(url)) == small


def test_an_exercise_page_costs_constant_queries(client, table):
    client.force_login(table.cochair)
    grow(table, 10)
    exercise = Meeting.objects.order_by("pk").first()
    small = count_queries(lambda: client.get(f"/meetings/{exercise.pk}/"))
    grow(table, 190)
    # the second exercise's attendance, objectives and observations all go to the first
    second = Meeting.objects.exclude(pk=exercise.pk).annotate(n=Count("attendance")).order_by("-n").first()
    Attendance.objects.filter(meeting=second).exclude(organization__attendance__meeting=exercise).update(
        meeting=exercise
    )
    ExerciseObjective.objects.update(meeting=exercise)
    Observation.objects.update(meeting=exercise)
    assert exercise.attendance.count() > 150 and exercise.objectives.count() == 200
    assert count_queries(lambda: client.get(f"/meetings/{exercise.pk}/")) == small


def test_the_calendar_costs_constant_queries(client, table):
    client.force_login(table.member)
    grow(table, 10)
    small = count_queries(lambda: client.get("/c/riverbend/calendar/?format=ics"))
    grow(table, 190)
    assert count_queries(lambda: client.get("/c/riverbend/calendar/?format=ics")) == small
