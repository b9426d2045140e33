"""The incident pages: the list, opening an incident, the board and its live part, requests, the plan, the
timeline, periods, closing and the after-action summary, and the banner every page of a community shows."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.incidents.choices import AssignmentState, IncidentStatus, RequestState
from commonground.incidents.models import Alert, Assignment, Incident, ResourceRequest, TimelineEntry
from commonground.resources.models import Resource
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks.models import Hazard
from commonground.sustainability.models import NeedProposal

from .factories import make_assignment, make_incident, make_request, make_sitrep

pytestmark = pytest.mark.django_db
SQUARE = {"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.7], [-84.5, 42.8], [-84.6, 42.8], [-84.6, 42.7]]]}  # fmt: skip


def later(hours: int = 12) -> str:
    return (timezone.localtime() + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def open_form(table, **overrides) -> dict:
    data = {
        "organization": table.public_org.pk, "hazard": Hazard.objects.get(community=None, code="tornado").pk,
        "title": "EF3 tornado, east side", "description": "A path of 12 km through the east side.",
        "status": "active", "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "latitude": "42.73", "longitude": "-84.55", "radius_km": "15", "polygon": "",
        "urgency": "Immediate", "severity": "Severe", "certainty": "Observed", "tlp": TLP.GREEN,
    }  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def request_form(table, **overrides) -> dict:
    data = {
        "organization": table.private_org.pk, "kind": "equipment", "category": "esf12",
        "description": "Generators for the shelter", "quantity": "2", "unit": "each", "latitude": "42.74",
        "longitude": "-84.56", "needed_by": later(), "priority": "1", "accepted_terms": ["loan", "donation"],
        "action": "submit",
    }  # fmt: skip
    data.update(overrides)
    return data


def nothing_written() -> bool:
    return not (Incident.objects.exists() or TimelineEntry.objects.exists() or Alert.objects.exists())


# The list and who may open


def test_the_list_shows_open_and_past_incidents_and_the_open_button_to_those_who_may(table):
    current = make_incident(table.community, table.public_org, title="Flooded underpass")
    past = make_incident(
        table.community, table.public_org, title="Ice storm of March", status=IncidentStatus.CLOSED,
        started_at=timezone.now() - datetime.timedelta(days=200), closed_at=timezone.now() - datetime.timedelta(days=190),
    )  # fmt: skip
    page = page_client(table.member).get("/c/riverbend/incidents/")
    assert page.status_code == 200
    assert [i.pk for i in page.context["current"]] == [current.pk]
    assert [i.pk for i in page.context["page_obj"]] == [past.pk]
    assert not page.context["may_open"] and "Open an incident" not in page.content.decode()
    for user in (table.cochair, table.other_admin, table.facilitator):  # the fire department's admin may
        assert "Open an incident" in page_client(user).get("/c/riverbend/incidents/").content.decode()
    assert not page_client(table.admin).get("/c/riverbend/incidents/").context["may_open"]  # a logistics firm


def test_the_list_is_marked_by_the_narrowest_incident_it_shows(table):
    make_incident(table.community, table.public_org, tlp=TLP.GREEN)
    assert page_client(table.cochair).get("/c/riverbend/incidents/").context["tlp_marking"] == TLP.GREEN
    make_incident(table.community, table.public_org, tlp=TLP.AMBER)
    assert page_client(table.cochair).get("/c/riverbend/incidents/").context["tlp_marking"] == TLP.AMBER
    # A member of another organization does not see the TLP:AMBER one, so it does not mark their page.
    member = page_client(table.member).get("/c/riverbend/incidents/")
    assert member.context["tlp_marking"] == TLP.GREEN and len(member.context["current"]) == 1


def test_another_communitys_incident_is_missing(table):
    mine = make_incident(table.community, table.public_org)
    theirs = make_incident(table.other_community, table.outside_org)
    request = make_request(theirs, table.outside_org)
    member = page_client(table.member)
    for path in (f"/incidents/{theirs.pk}/", f"/incidents/{theirs.pk}/live/", f"/incidents/{theirs.pk}/requests/new/",
                 f"/requests/{request.pk}/", "/c/elsewhere/incidents/"):  # fmt: skip
        assert member.get(path).status_code == 404, path
    assert member.post(f"/requests/{request.pk}/cancel/", {"reason": "x"}).status_code == 404
    assert page_client(table.outsider).get(f"/incidents/{mine.pk}/").status_code == 404


# Opening an incident


def test_a_cochair_opens_an_incident_with_a_point_and_radius(table):
    response = page_client(table.cochair).post("/c/riverbend/incidents/new/", open_form(table))
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert (incident.organization, incident.radius_km, incident.tlp) == (table.public_org, 15, TLP.GREEN)
    assert incident.cap_category  # taken from the hazard
    assert incident.timeline.filter(text__contains="opened").exists()
    board = page_client(table.member).get(incident.get_absolute_url())
    assert board.status_code == 200 and "EF3 tornado, east side" in board.content.decode()


def test_an_area_drawn_as_a_polygon_is_stored_as_geojson(table):
    data = open_form(table, latitude="", longitude="", radius_km="", polygon=json.dumps(SQUARE))
    assert page_client(table.cochair).post("/c/riverbend/incidents/new/", data).status_code == 302
    incident = Incident.objects.get()
    assert incident.polygon == SQUARE and incident.latitude is None
    area = page_client(table.cochair).get(incident.get_absolute_url()).context["board"].map["area"]
    assert area["type"] == "polygon" and area["points"][0] == [
        42.7,
        -84.6,
    ]  # [latitude, longitude] for Leaflet


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"latitude": "", "longitude": "", "radius_km": "",
          "polygon": '{"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.7], [-84.5, 42.8], [-84.6, 42.8]]]}'}, "polygon"),
        ({"latitude": "", "longitude": "", "radius_km": "",
          "polygon": '{"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.8], [-84.5, 42.7], [-84.6, 42.8], [-84.6, 42.7]]]}'}, "polygon"),
        ({"latitude": "", "longitude": "", "radius_km": "", "polygon": "{not json"}, "polygon"),
        ({"radius_km": "10000"}, "radius_km"),
        ({"latitude": "", "longitude": "", "radius_km": ""}, "polygon"),
        ({"latitude": "142"}, "latitude"),
        ({"title": ""}, "title"),
    ],
    ids=["not-closed", "crossing", "not-json", "radius-10000-km", "no-area", "latitude-off-the-map", "no-title"],
)  # fmt: skip
def test_a_bad_area_is_a_field_error_and_nothing_is_written(table, overrides, field):
    response = page_client(table.cochair).post("/c/riverbend/incidents/new/", open_form(table, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert f'id="id_{field}_error"' in response.content.decode()  # shown beside the field
    assert nothing_written()


def test_the_crossing_polygon_says_so(table):
    crossing = '{"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.8], [-84.5, 42.7], [-84.6, 42.8], [-84.6, 42.7]]]}'
    data = open_form(table, latitude="", longitude="", radius_km="", polygon=crossing)
    errors = page_client(table.cochair).post("/c/riverbend/incidents/new/", data).context["form"].errors
    assert "cross" in " ".join(errors["polygon"])


def test_an_admin_of_a_public_safety_organization_opens_only_in_its_name(table):
    client = page_client(table.other_admin)  # the fire department's admin
    form = client.get("/c/riverbend/incidents/new/").context["form"]
    assert list(form.fields["organization"].queryset) == [table.public_org]
    refused = client.post("/c/riverbend/incidents/new/", open_form(table, organization=table.private_org.pk))
    assert "organization" in refused.context["form"].errors and nothing_written()
    assert client.post("/c/riverbend/incidents/new/", open_form(table)).status_code == 302
    for user in (table.admin, table.member):  # a logistics firm's admin, a member
        assert page_client(user).get("/c/riverbend/incidents/new/").status_code == 403


# The banner


def test_every_page_of_the_community_shows_the_open_incidents_the_reader_may_see(table):
    make_incident(table.community, table.public_org, title="Chlorine leak at the port", tlp=TLP.GREEN)
    make_incident(table.community, table.public_org, title="Cyber attack on the utility", tlp=TLP.AMBER)
    make_incident(table.community, table.public_org, title="Exercise Blue Ice", is_exercise=True)
    make_incident(
        table.community, table.public_org, title="Last spring's flood", status=IncidentStatus.CLOSED
    )
    member, cochair = page_client(table.member), page_client(table.cochair)
    for path in ("/c/riverbend/", "/c/riverbend/resources/", "/c/riverbend/organizations/"):
        seen = member.get(path).content.decode()
        assert "Chlorine leak at the port" in seen and "Exercise Blue Ice" in seen, path
        assert "Cyber attack on the utility" not in seen and "Last spring's flood" not in seen, path
        assert "Cyber attack on the utility" in cochair.get(path).content.decode()
    assert "Chlorine leak" not in page_client(table.outsider).get("/c/elsewhere/").content.decode()


def test_the_banner_costs_one_query(table):
    client = page_client(table.member)
    client.get("/c/riverbend/resources/")
    with CaptureQueriesContext(connection) as none:
        client.get("/c/riverbend/resources/")
    for n in range(3):
        make_incident(table.community, table.public_org, title=f"Incident {n}")
    with CaptureQueriesContext(connection) as three:
        page = client.get("/c/riverbend/resources/")
    assert "Incident 2" in page.content.decode()
    assert len(three) == len(none)
    banner = [q["sql"] for q in three.captured_queries if "incidents_incident" in q["sql"]]
    assert len(banner) == 1, banner


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


def test_the_resource_form_offers_the_owner_disclosure_in_incidents(table):
    form = page_client(table.admin).get("/c/riverbend/resources/new/")
    assert 'name="disclosed_in_incidents"' in form.content.decode()
    resource = ResourceFactory(
        community=table.community, organization=table.private_org, disclosed_in_incidents=True
    )
    assert (
        "Disclosed to an active incident"
        in page_client(table.admin).get(resource.get_absolute_url()).content.decode()
    )
    assert Resource.objects.filter(disclosed_in_incidents=True).count() == 1


def test_the_leadership_changes_an_incident_and_the_partnership_is_told(table):
    client = page_client(table.cochair)
    client.post("/c/riverbend/incidents/new/", open_form(table))
    incident = Incident.objects.get()
    form = client.get(f"/incidents/{incident.pk}/edit/").context["form"]
    assert "organization" not in form.fields
    data = open_form(table, status="stabilizing", severity="Moderate")
    data.pop("organization")
    bad = client.post(f"/incidents/{incident.pk}/edit/", {**data, "radius_km": "10000"})
    assert bad.status_code == 200 and "radius_km" in bad.context["form"].errors
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.ACTIVE and incident.alerts.count() == 1
    assert client.post(f"/incidents/{incident.pk}/edit/", data).status_code == 302
    incident.refresh_from_db()
    assert (incident.status, incident.severity) == ("stabilizing", "Moderate")
    assert incident.alerts.filter(msg_type="Update").count() == 1
    assert incident.timeline.filter(text__startswith="Incident updated").exists()
    assert page_client(table.member).get(f"/incidents/{incident.pk}/edit/").status_code == 403


def test_a_visitor_would_see_only_the_tlp_clear_incidents_in_the_banner(table, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template

    make_incident(table.community, table.public_org, title="Boil-water notice downtown", tlp=TLP.CLEAR)
    make_incident(table.community, table.public_org, title="Water plant intrusion", tlp=TLP.GREEN)
    request = rf.get("/")
    request.user = AnonymousUser()
    html = Template("{% load incident_tags %}{% incident_banner %}").render(
        Context({"community": table.community, "request": request})
    )
    assert "Boil-water notice downtown" in html and "Water plant intrusion" not in html
