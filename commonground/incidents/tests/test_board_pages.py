"""The incident's board and what is done from it: its moves and live part, requests, situation reports,
periods, the plan, commitments and closing."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState, IncidentStatus, RequestState
from commonground.incidents.models import Assignment, ResourceRequest, TimelineEntry
from commonground.resources.tests.factories import ResourceFactory
from commonground.sustainability.models import NeedProposal

from .factories import make_assignment, make_incident, make_request, make_sitrep
from .page_forms import request_form

pytestmark = pytest.mark.django_db


# The board


def test_the_board_offers_each_reader_the_moves_open_to_them(table):
    incident = make_incident(table.community, table.public_org)
    request = make_request(incident, table.private_org)
    cochair = page_client(table.cochair).get(incident.get_absolute_url()).context["board"]
    assert [a.name for a in cochair.requests[0].actions] == ["approve", "mark_unfilled", "cancel"]
    member = page_client(table.member).get(incident.get_absolute_url())
    assert [a.name for a in member.context["board"].requests[0].actions] == ["cancel"]  # its own request
    html = member.content.decode()
    assert f"/requests/{request.pk}/approve/" not in html and f"/requests/{request.pk}/cancel/" in html
    assert "/plan/" not in html and "period_create" not in html


def test_a_request_is_approved_and_a_cancel_without_reason_is_a_field_error(table):
    incident = make_incident(table.community, table.public_org)
    request = make_request(incident, table.private_org)
    refused = page_client(table.member).post(f"/requests/{request.pk}/approve/")
    assert refused.status_code == 403
    approved = page_client(table.cochair).post(
        f"/requests/{request.pk}/approve/", {"next": incident.get_absolute_url()}
    )
    assert approved.status_code == 302 and approved["Location"] == incident.get_absolute_url()
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    member = page_client(table.member)
    blank = member.post(f"/requests/{request.pk}/cancel/", {"reason": "  "})
    assert blank.status_code == 200 and 'id="reason-cancel-' in blank.content.decode()
    assert 'aria-invalid="true"' in blank.content.decode() and "Say why" in blank.content.decode()
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    assert member.post(f"/requests/{request.pk}/cancel/", {"reason": "Found our own"}).status_code == 302
    request.refresh_from_db()
    assert (request.state, request.state_reason) == (RequestState.CANCELLED, "Found our own")
    detail = member.get(f"/requests/{request.pk}/").content.decode()
    assert "Found our own" in detail and "Approved" in detail  # its history


def test_a_redirect_elsewhere_is_not_followed(table):
    incident = make_incident(table.community, table.public_org)
    request = make_request(incident, table.private_org)
    response = page_client(table.cochair).post(
        f"/requests/{request.pk}/approve/", {"next": "https://evil.example/"}
    )
    assert response["Location"].startswith(incident.get_absolute_url())


def test_an_unknown_move_is_missing(table):
    incident = make_incident(table.community, table.public_org)
    request = make_request(incident, table.private_org)
    assert page_client(table.cochair).post(f"/requests/{request.pk}/explode/").status_code == 404


def test_the_live_part_answers_nothing_until_the_board_changes(table):
    incident = make_incident(table.community, table.public_org)
    client = page_client(table.member)
    first = client.get(f"/incidents/{incident.pk}/live/")
    assert first.status_code == 200 and 'id="board-live"' in first.content.decode()
    version = first.context["board_version"] if first.context else None
    version = version or first.content.decode().split('data-version="')[1].split('"')[0]
    assert client.get(f"/incidents/{incident.pk}/live/?v={version}").status_code == 204
    make_request(incident, table.private_org, description="Cots for the shelter")
    changed = client.get(f"/incidents/{incident.pk}/live/?v={version}")
    assert changed.status_code == 200 and "Cots for the shelter" in changed.content.decode()
    # Another reader's version is their own: a co-chair sees actions the member does not.
    assert page_client(table.cochair).get(f"/incidents/{incident.pk}/live/?v={version}").status_code == 200


def test_a_closed_incidents_board_does_not_poll(table):
    incident = make_incident(table.community, table.public_org, status=IncidentStatus.CLOSED)
    html = page_client(table.member).get(incident.get_absolute_url()).content.decode()
    assert "hx-get" not in html and "Close the incident" not in html


def test_the_board_costs_the_same_queries_with_few_or_many_requests(table):
    incident = make_incident(table.community, table.public_org)
    resource = ResourceFactory(community=table.community, organization=table.private_org, quantity=100)
    client = page_client(table.cochair)

    def grow(n):
        for _ in range(n):
            request = make_request(incident, table.private_org, state=RequestState.APPROVED)
            make_assignment(request, resource, state=AssignmentState.PENDING)
            make_sitrep(incident, table.public_org, "Still raining")

    grow(3)
    client.get(incident.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(incident.get_absolute_url())
    grow(30)
    with CaptureQueriesContext(connection) as many:
        page = client.get(incident.get_absolute_url())
    assert len(page.context["board"].requests) == 33
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


# The board's and its poll's queries, exactly: the session, the login and the viewer (3), the incident, then its
# requests, plan, assignments with their resources and timeline (5); the page adds the periods and alerts it
# alone lists, the banner's incidents and the report form's organizations. They were 13 and 11 before the
# reads were merged, and the poll read the page's periods and alerts (10) before it read only what it shows.
BOARD_QUERIES = {"page": 12, "poll": 8}


@pytest.mark.parametrize("role", ["member", "cochair"])
def test_the_board_and_its_poll_cost_their_baseline_of_queries(table, role):
    incident = make_incident(table.community, table.public_org)
    resource = ResourceFactory(community=table.community, organization=table.private_org, quantity=100)
    request = make_request(incident, table.private_org, state=RequestState.APPROVED)
    make_assignment(request, resource, state=AssignmentState.PENDING)
    make_sitrep(incident, table.public_org, "Still raining")
    client = page_client(getattr(table, role))
    for name, path in (("page", incident.get_absolute_url()), ("poll", f"/incidents/{incident.pk}/live/")):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        assert len(queries) == BOARD_QUERIES[name], (name, [q["sql"][:100] for q in queries.captured_queries])


def test_the_board_is_marked_by_the_narrowest_record_it_shows(table):
    incident = make_incident(table.community, table.public_org, tlp=TLP.GREEN)
    make_sitrep(incident, table.public_org, "Only the fire department knows", tlp=TLP.AMBER_STRICT)
    cochair = page_client(table.cochair).get(incident.get_absolute_url())  # of the fire department
    assert cochair.context["tlp_marking"] == TLP.AMBER_STRICT
    member = page_client(table.member).get(incident.get_absolute_url())
    assert member.context["tlp_marking"] == TLP.GREEN
    assert "Only the fire department knows" not in member.content.decode()


# Requests


def test_a_member_submits_a_request_and_saves_another_as_a_draft(table):
    incident = make_incident(table.community, table.public_org)
    client = page_client(table.member)
    form = client.get(f"/incidents/{incident.pk}/requests/new/").context["form"]
    assert list(form.fields["organization"].queryset) == [table.private_org]
    response = client.post(f"/incidents/{incident.pk}/requests/new/", request_form(table))
    request = ResourceRequest.objects.get()
    assert response.status_code == 302 and request.state == RequestState.SUBMITTED
    assert request.reference == f"riverbend-{incident.number}-1"
    assert sorted(request.accepted_terms) == ["donation", "loan"]
    client.post(f"/incidents/{incident.pk}/requests/new/", request_form(table, action="draft", latitude="",
                                                                         longitude="", zip_code="48933"))  # fmt: skip
    draft = ResourceRequest.objects.get(number=2)
    assert draft.state == RequestState.DRAFT and draft.zip_code == "48933"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "1e12"}, "quantity"),
        ({"quantity": "1000000000000"}, "quantity"),
        ({"needed_by": "2020-01-01T10:00"}, "needed_by"),
        ({"latitude": "", "longitude": "", "zip_code": ""}, "zip_code"),
        ({"accepted_terms": []}, "accepted_terms"),
        ({"latitude": "42.7", "longitude": ""}, "latitude"),
    ],
    ids=["quantity-0", "quantity-1e12", "quantity-a-trillion", "needed-by-in-the-past", "nowhere", "no-terms", "half-a-point"],
)  # fmt: skip
def test_a_bad_request_is_a_field_error_and_nothing_is_written(table, overrides, field):
    incident = make_incident(table.community, table.public_org)
    before = TimelineEntry.objects.count()
    response = page_client(table.member).post(
        f"/incidents/{incident.pk}/requests/new/", request_form(table, **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not ResourceRequest.objects.exists() and TimelineEntry.objects.count() == before


def test_a_request_is_edited_while_it_may_change(table):
    incident = make_incident(table.community, table.public_org)
    request = make_request(incident, table.private_org)
    client = page_client(table.member)
    data = request_form(table, quantity="5")
    data.pop("action")
    assert client.post(f"/requests/{request.pk}/edit/", data).status_code == 302
    request.refresh_from_db()
    assert request.quantity == 5
    request.state = RequestState.APPROVED
    request.save()
    assert client.get(f"/requests/{request.pk}/edit/").status_code == 403  # approved: the leadership's now
    assert page_client(table.cochair).get(f"/requests/{request.pk}/edit/").status_code == 200


def test_a_closed_incident_takes_no_request(table):
    incident = make_incident(table.community, table.public_org, status=IncidentStatus.CLOSED)
    assert page_client(table.member).get(f"/incidents/{incident.pk}/requests/new/").status_code == 403


# Timeline and periods


def test_a_member_posts_a_situation_report_under_its_own_marking(table):
    incident = make_incident(table.community, table.public_org)
    client = page_client(table.member)
    response = client.post(
        f"/incidents/{incident.pk}/sitreps/new/", {"sitrep-text": "Our warehouse roof is gone", "sitrep-tlp": TLP.AMBER_STRICT}
    )  # fmt: skip
    assert response.status_code == 302
    entry = TimelineEntry.objects.get(kind="sitrep")
    assert (entry.organization, entry.tlp) == (table.private_org, TLP.AMBER_STRICT)
    assert "Our warehouse roof is gone" in client.get(incident.get_absolute_url()).content.decode()
    assert (
        "Our warehouse roof is gone"
        not in page_client(table.cochair).get(incident.get_absolute_url()).content.decode()
    )


def test_an_empty_situation_report_shows_the_board_with_the_error(table):
    incident = make_incident(table.community, table.public_org)
    response = page_client(table.member).post(
        f"/incidents/{incident.pk}/sitreps/new/", {"sitrep-text": "", "sitrep-tlp": TLP.GREEN}
    )
    assert response.status_code == 200 and "text" in response.context["sitrep_form"].errors
    assert 'id="id_sitrep-text_error"' in response.content.decode()
    assert not TimelineEntry.objects.filter(kind="sitrep").exists()


def test_the_leadership_plans_a_period_and_a_bad_one_is_a_field_error(table):
    incident = make_incident(table.community, table.public_org)
    client = page_client(table.cochair)
    start = timezone.localtime() + datetime.timedelta(hours=1)
    bad = client.post(f"/incidents/{incident.pk}/periods/new/", {
        "period-starts_at": start.strftime("%Y-%m-%dT%H:%M"), "period-ends_at": (start - datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "period-objectives": "Restore power to the shelters"})  # fmt: skip
    assert bad.status_code == 200 and "ends_at" in bad.context["period_form"].errors
    assert not incident.periods.exists()
    good = client.post(f"/incidents/{incident.pk}/periods/new/", {
        "period-starts_at": start.strftime("%Y-%m-%dT%H:%M"), "period-ends_at": (start + datetime.timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M"),
        "period-objectives": "Restore power to the shelters"})  # fmt: skip
    assert good.status_code == 302 and incident.periods.get().number == 1
    assert "Restore power to the shelters" in client.get(incident.get_absolute_url()).content.decode()
    assert page_client(table.member).post(f"/incidents/{incident.pk}/periods/new/", {}).status_code == 403


# The plan, the owners' answers, closing


def test_the_plan_is_proposed_committed_and_accepted_by_the_owner(table):
    incident = make_incident(table.community, table.public_org)
    resource = ResourceFactory(community=table.community, organization=table.private_org, quantity=2,
                               latitude=42.75, longitude=-84.57, availability="available")  # fmt: skip
    request = make_request(incident, table.public_org, state=RequestState.APPROVED, quantity=2, priority=1)
    cochair, owner = page_client(table.cochair), page_client(table.admin)
    assert page_client(table.member).post(f"/incidents/{incident.pk}/plan/").status_code == 403
    assert cochair.post(f"/incidents/{incident.pk}/plan/").status_code == 302
    board = cochair.get(incident.get_absolute_url()).context["board"]
    assert board.plan is not None and board.plan.optimal is not None
    others = page_client(table.member).get(incident.get_absolute_url()).context["board"]
    assert others.plan is not None and others.plan.optimal is None  # the figures are the leadership's
    proposed = [a for a in board.proposed if a.resource_id == resource.pk]
    assert proposed and proposed[0].actions == ["commit"]
    assert (
        owner.post(f"/assignments/{proposed[0].pk}/commit/").status_code == 403
    )  # only the leadership commits
    assert cochair.post(f"/assignments/{proposed[0].pk}/commit/").status_code == 302
    assignment = Assignment.objects.get(pk=proposed[0].pk)
    assert assignment.state == AssignmentState.PENDING
    assert [a.actions for a in owner.get(incident.get_absolute_url()).context["board"].held] == [
        ["accept", "decline"]
    ]
    assert owner.post(f"/assignments/{assignment.pk}/accept/").status_code == 302
    assignment.refresh_from_db()
    resource.refresh_from_db()
    assert assignment.state == AssignmentState.ACCEPTED and resource.availability == "deployed"
    request.refresh_from_db()
    assert request.state in (RequestState.COMMITTED, RequestState.PARTLY_COMMITTED)


def test_declining_needs_a_reason(table):
    incident = make_incident(table.community, table.public_org)
    resource = ResourceFactory(community=table.community, organization=table.private_org)
    request = make_request(incident, table.public_org, state=RequestState.APPROVED)
    assignment = make_assignment(request, resource, state=AssignmentState.PENDING)
    owner = page_client(table.admin)
    blank = owner.post(f"/assignments/{assignment.pk}/decline/", {"reason": ""})
    assert blank.status_code == 200 and 'id="reason-decline-a' in blank.content.decode()
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING
    assert (
        owner.post(f"/assignments/{assignment.pk}/decline/", {"reason": "In use at our depot"}).status_code
        == 302
    )
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.DECLINED


def test_closing_shows_the_after_action_summary_and_its_gaps(table):
    incident = make_incident(table.community, table.public_org)
    make_request(incident, table.public_org, description="Water tankers", state=RequestState.APPROVED)
    client = page_client(table.cochair)
    assert (
        page_client(table.member).post(f"/incidents/{incident.pk}/close/", {"note": "x"}).status_code == 403
    )
    response = client.post(f"/incidents/{incident.pk}/close/", {"note": "Power is back everywhere."})
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CLOSED and incident.summary
    board = client.get(incident.get_absolute_url()).content.decode()
    assert "After-action summary" in board and "Water tankers" in board
    assert "Send to needs assessment" in board
    # Its figures count records other readers may not see: the leadership's, as in the API.
    member = page_client(table.member).get(incident.get_absolute_url()).content.decode()
    assert "is for its leadership" in member and "Time to fill" not in member
    assert "Send to needs assessment" not in member
    assert client.get(f"/incidents/{incident.pk}/edit/").status_code == 403  # its record is final
    gap = incident.summary["gaps"][0]["request_id"]
    assert page_client(table.member).post(f"/incidents/{incident.pk}/gaps/{gap}/needs/").status_code == 403
    assert client.post(f"/incidents/{incident.pk}/gaps/{gap}/needs/").status_code == 302
    assert (
        NeedProposal.objects.filter(community=table.community, source__endswith=f":request:{gap}").count()
        == 1
    )
    board = client.get(incident.get_absolute_url()).content.decode()
    assert "Put forward for the next needs assessment" in board and "Send to needs assessment" not in board


# The resource form
