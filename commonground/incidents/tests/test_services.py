"""Opening, running and closing an incident, and the life of a request, through the services."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commonground.core.models import AuditEntry
from commonground.core.viewer import viewer_for
from commonground.incidents.choices import AlertType, IncidentStatus, RequestState
from commonground.incidents.models import Alert, Incident, ResourceRequest, TimelineEntry
from commonground.incidents.services import incidents as incident_services
from commonground.incidents.services import requests as request_services
from commonground.incidents.services.gaps import gap_to_needs
from commonground.risks.models import Hazard
from commonground.sustainability.models import NeedProposal


def _open(table, actor=None, organization=None, **data):
    # TLP:AMBER, shared with the logistics firm (DESIGN: the audience is the opener, co-chairs and those named).
    values = {"latitude": 42.73, "longitude": -84.55, "radius_km": 15, "tlp": "TLP:AMBER",
              "recipient_organizations": [table.private_org]}  # fmt: skip
    values.update(data)
    return incident_services.incident_open(
        actor=actor or table.cochair, community=table.community, organization=organization or table.public_org,
        hazard=Hazard.objects.get(community=None, code="tornado"), title="Tornado on Main Street", **values,
    )  # fmt: skip


def _request(table, incident, actor=None, **data):
    values = {
        "kind": "equipment", "category": "esf12", "description": "Generators", "quantity": 2, "unit": "each",
        "latitude": 42.74, "longitude": -84.56, "needed_by": timezone.now() + datetime.timedelta(hours=6),
        "priority": 1,
    }  # fmt: skip
    values.update(data)
    return request_services.request_create(
        actor=actor or table.member, incident=incident, organization=table.private_org, **values
    )


def test_opening_an_incident_numbers_it_alerts_and_logs(table):
    incident = _open(table)
    assert incident.number == 1 and incident.status == IncidentStatus.ACTIVE
    assert incident.cap_category  # from the hazard
    alert = Alert.objects.get(incident=incident)
    assert alert.msg_type == AlertType.ALERT and alert.tlp == incident.tlp
    assert TimelineEntry.objects.filter(incident=incident).exists()
    assert AuditEntry.objects.filter(object_id=str(incident.pk), action="create").exists()
    assert _open(table).number == 2


def test_a_public_safety_admin_opens_in_its_name_but_not_a_business_admin(table):
    assert _open(table, actor=table.other_admin).organization == table.public_org
    before = Incident.objects.count()
    for actor, organization in ((table.admin, table.private_org), (table.member, table.public_org),
                                (table.outsider, table.public_org)):  # fmt: skip
        with pytest.raises(PermissionDenied):
            _open(table, actor=actor, organization=organization)
    assert Incident.objects.count() == before
    assert not Alert.objects.exclude(incident__in=Incident.objects.all()).exists()


@pytest.mark.parametrize(
    "area, field",
    [
        (
            {"polygon": {"type": "Polygon", "coordinates": [[[-84.6, 42.7], [-84.5, 42.7], [-84.5, 42.8]]]}},
            "polygon",
        ),
        (
            {"polygon": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}},
            "polygon",
        ),
        ({"radius_km": 10_000}, "radius_km"),
        ({"latitude": None, "longitude": None, "radius_km": None}, "polygon"),
    ],
)
def test_a_bad_area_is_a_field_error_and_writes_nothing(table, area, field):
    with pytest.raises(ValidationError) as refused:
        _open(table, **area)
    assert field in refused.value.message_dict
    assert not Incident.objects.exists() and not Alert.objects.exists() and not TimelineEntry.objects.exists()


def test_an_update_alerts_and_closing_cancels_with_the_summary(table):
    incident = _open(table)
    incident_services.incident_update(actor=table.cochair, incident=incident, data={"status": "stabilizing"})
    incident_services.incident_update(
        actor=table.cochair, incident=incident, data={"title": "Tornado on Main Street"}
    )
    request = _request(table, incident, submit=True)
    closed = incident_services.incident_close(actor=table.cochair, incident=incident, note="All clear.")
    assert closed.status == IncidentStatus.CLOSED and closed.closed_at
    assert [a.msg_type for a in Alert.objects.filter(incident=incident).order_by("sent", "pk")] == [
        "Alert", "Update", "Cancel",
    ]  # fmt: skip
    assert closed.summary["requests"] == 1
    assert [gap["request_id"] for gap in closed.summary["gaps"]] == [request.pk]
    with pytest.raises(ValidationError):
        incident_services.incident_update(actor=table.cochair, incident=closed, data={"title": "Again"})


def test_only_the_leadership_changes_or_closes_an_incident(table):
    incident = _open(table)
    for actor in (table.admin, table.member, table.outsider):
        with pytest.raises(PermissionDenied):
            incident_services.incident_update(actor=actor, incident=incident, data={"title": "Mine"})
        with pytest.raises(PermissionDenied):
            incident_services.incident_close(actor=actor, incident=incident)
    incident.refresh_from_db()
    assert incident.title == "Tornado on Main Street" and incident.status == IncidentStatus.ACTIVE
    assert Alert.objects.filter(incident=incident).count() == 1


def test_a_request_goes_from_draft_to_approved_and_each_step_is_logged(table):
    incident = _open(table)
    request = _request(table, incident)
    assert request.state == RequestState.DRAFT and request.reference == "riverbend-1-1"
    # A draft is its organization's and the leadership's alone: the log, which every participant reads, is silent.
    assert not TimelineEntry.objects.filter(incident=incident, text__contains="riverbend-1-1").exists()
    request = request_services.request_transition(actor=table.member, request=request, action="submit")
    with pytest.raises(PermissionDenied):
        request_services.request_transition(actor=table.member, request=request, action="approve")
    request = request_services.request_transition(actor=table.cochair, request=request, action="approve")
    assert request.state == RequestState.APPROVED and request.approved_at
    with pytest.raises(ValidationError) as refused:
        request_services.request_transition(actor=table.cochair, request=request, action="mark_unfilled")
    assert "reason" in refused.value.message_dict
    assert ResourceRequest.objects.get(pk=request.pk).state == RequestState.APPROVED
    logged = TimelineEntry.objects.filter(incident=incident, text__contains="riverbend-1-1").order_by(
        "at", "id"
    )
    assert [entry.text.split(":")[0] for entry in logged] == [
        "Request riverbend-1-1 submitted",
        "Request riverbend-1-1",
    ]
    assert logged[1].text.endswith("Approved.")


@pytest.mark.parametrize(
    "data, field",
    [
        ({"quantity": 0}, "quantity"),
        ({"quantity": 10**12}, "quantity"),
        ({"needed_by": timezone.now() - datetime.timedelta(hours=1)}, "needed_by"),
        ({"latitude": None, "longitude": None, "zip_code": ""}, "zip_code"),
        ({"accepted_terms": []}, "accepted_terms"),
    ],
)
def test_a_bad_request_is_a_field_error_and_writes_nothing(table, data, field):
    incident = _open(table)
    entries = TimelineEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        _request(table, incident, **data)
    assert field in refused.value.message_dict
    assert not ResourceRequest.objects.exists() and TimelineEntry.objects.count() == entries


def test_an_organization_the_marking_leaves_out_cannot_request(table):
    incident = _open(table, recipient_organizations=[])
    with pytest.raises(PermissionDenied):
        _request(table, incident)
    assert not ResourceRequest.objects.exists()


def test_a_draft_is_seen_by_its_organization_and_the_leadership_only(table):
    incident = _open(table)
    draft = _request(table, incident)
    seen = {
        role: ResourceRequest.objects.visible_to(viewer_for(getattr(table, role)))
        .filter(pk=draft.pk)
        .exists()
        for role in ("member", "admin", "cochair", "other_admin", "outsider", "facilitator")
    }
    assert seen == {"member": True, "admin": True, "cochair": True, "other_admin": True, "outsider": False,
                    "facilitator": True}  # fmt: skip


def test_a_cochair_sends_a_gap_to_the_next_needs_assessment_once(table):
    incident = _open(table)
    request = _request(table, incident, submit=True, description="SECRET-GAP-WORDS")
    incident = incident_services.incident_close(actor=table.cochair, incident=incident)
    with pytest.raises(PermissionDenied):
        gap_to_needs(actor=table.admin, incident=incident, request_id=request.pk)
    proposal = gap_to_needs(actor=table.cochair, incident=incident, request_id=request.pk)
    assert gap_to_needs(actor=table.cochair, incident=incident, request_id=request.pk).pk == proposal.pk
    assert "SECRET-GAP-WORDS" not in proposal.text
    assert NeedProposal.objects.count() == 1


def test_a_change_to_a_submitted_request_is_logged_and_a_drafts_is_not(table):
    incident = _open(table)
    request = _request(table, incident)
    request_services.request_update(actor=table.member, request=request, data={"quantity": 3})
    assert not TimelineEntry.objects.filter(incident=incident, text__contains="changed").exists()
    request = request_services.request_transition(actor=table.member, request=request, action="submit")
    request_services.request_update(
        actor=table.member, request=request, data={"quantity": 4, "notes": "Diesel"}
    )
    [line] = TimelineEntry.objects.filter(incident=incident, text__contains="changed")
    assert line.text == f"Request {request.reference} changed: notes, quantity."
