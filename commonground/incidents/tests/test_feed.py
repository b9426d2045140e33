"""The Atom feed of a community's alerts and the download of one alert, with TLP applied to the reader."""

import pytest
from lxml import etree

from commonground.core.tlp import TLP
from commonground.incidents.services.alerts import alert_issue

from .alerting import URLS, assert_valid_cap, make_incident

pytestmark = pytest.mark.urls(URLS)

ATOM = {"atom": "http://www.w3.org/2005/Atom"}
MARKER = "ZQX-AMBER-MARKER-42"


@pytest.fixture
def alerts(table):
    """A public alert, a TLP:GREEN one, and a TLP:AMBER incident's alert and update with a marker in its title."""
    public = alert_issue(incident=make_incident(table, number=1, tlp=TLP.CLEAR), msg_type="Alert")
    green = alert_issue(
        incident=make_incident(table, number=2, tlp=TLP.GREEN, hazard="ice_storm"), msg_type="Alert"
    )
    amber = make_incident(table, number=3, tlp=TLP.AMBER, hazard="hazmat_release", title=f"Leak {MARKER}")
    restricted = [alert_issue(incident=amber, msg_type=kind) for kind in ("Alert", "Update")]
    return {"clear": public, "green": green, "amber": restricted}


def read_feed(client, slug="riverbend"):
    response = client.get(f"/c/{slug}/alerts.atom")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/atom+xml")
    return response, etree.fromstring(response.content)


def entry_links(root) -> set[str]:
    return {e.find("atom:link", ATOM).get("href") for e in root.findall("atom:entry", ATOM)}


def url_of(alert) -> str:
    return f"http://testserver/alerts/{alert.pk}.xml"


def test_a_visitor_feed_holds_only_the_clear_alerts(client, alerts):
    response, root = read_feed(client)
    assert entry_links(root) == {url_of(alerts["clear"])}
    assert MARKER not in response.content.decode()
    assert root.find("atom:title", ATOM).text == "Public incident alerts (riverbend)"  # not the table's name
    assert response["X-TLP"] == "TLP:CLEAR" and isinstance(response["X-TLP"], str)
    entry = root.find("atom:entry", ATOM)
    assert entry.find("atom:title", ATOM).text == f"[TLP:CLEAR] {alerts['clear'].headline}"
    enclosure = entry.find("atom:link[@rel='enclosure']", ATOM)
    assert enclosure.get("type") == "application/cap+xml" and enclosure.get("href") == url_of(alerts["clear"])


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        ("cochair", {"clear", "green", "amber"}),
        ("other_admin", {"clear", "green", "amber"}),  # of the opening organization
        ("member", {"clear", "green"}),
        ("outsider", {"clear"}),
        ("facilitator", {"clear", "green", "amber"}),
    ],
)
def test_a_member_feed_holds_what_their_session_may_see(client, table, alerts, role, shown):
    client.force_login(table.user(role))
    response, root = read_feed(client)
    expected = {url_of(a) for key in shown for a in (alerts[key] if key == "amber" else [alerts[key]])}
    assert entry_links(root) == expected
    assert (MARKER in response.content.decode()) == ("amber" in shown)
    named = "Riverbend: incident alerts" if role != "outsider" else "Public incident alerts (riverbend)"
    assert root.find("atom:title", ATOM).text == named
    widest = {"clear": TLP.CLEAR, "green": TLP.GREEN, "amber": TLP.AMBER}
    floor = TLP.CLEAR if role == "outsider" else TLP.GREEN  # a member's feed names the community
    assert response["X-TLP"] == max([floor, *(widest[k] for k in shown)], key=list(TLP).index)


def test_a_feed_with_nothing_the_reader_may_see_of_a_community_they_are_not_in_is_missing(
    client, table, alerts
):
    assert client.get("/c/elsewhere/alerts.atom").status_code == 404
    assert client.get("/c/nowhere/alerts.atom").status_code == 404
    client.force_login(table.outsider)
    response, root = read_feed(client, "elsewhere")  # their own community: an empty feed
    assert root.findall("atom:entry", ATOM) == []


def test_the_xml_download_is_the_alert_as_sent_for_its_audience_only(client, table, alerts):
    response = client.get(f"/alerts/{alerts['clear'].pk}.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/cap+xml")
    assert response["X-TLP"] == "TLP:CLEAR" and response.content.decode() == alerts["clear"].xml
    assert_valid_cap(response.content)
    amber = alerts["amber"][1]
    assert client.get(f"/alerts/{amber.pk}.xml").status_code == 404
    assert client.post(f"/alerts/{alerts['clear'].pk}.xml").status_code == 405
    for role, status in (("member", 404), ("outsider", 404), ("cochair", 200), ("other_admin", 200)):
        client.force_login(table.user(role))
        response = client.get(f"/alerts/{amber.pk}.xml")
        assert response.status_code == status, role
        if status == 200:
            assert response["X-TLP"] == "TLP:AMBER" and MARKER in response.content.decode()
            assert response["Cache-Control"] == "private"
            assert_valid_cap(response.content)
    assert client.get("/alerts/99999999999999999999.xml").status_code == 404


def test_every_entry_of_the_feed_links_to_an_alert_the_reader_may_download(client, table, alerts):
    client.force_login(table.cochair)
    _response, root = read_feed(client)
    for link in entry_links(root):
        response = client.get(link.removeprefix("http://testserver"))
        assert response.status_code == 200
        assert_valid_cap(response.content)
