"""The incidents page reads the current incidents and the past ones' pages by SQL kept for (reader, community):
readers served in turn, in both orders, get what they got with nothing kept."""

import re

from commonground.core.counting import forget_compiled
from commonground.core.kept_rows import forget_kept_rows
from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.incidents.choices import IncidentStatus

from .factories import make_incident

MARKER = "INCLIST-4471"


def test_readers_served_in_turn_get_the_incidents_they_got_with_nothing_kept(table):
    make_incident(table.community, table.private_org, title=f"Strict now {MARKER}", tlp=TLP.AMBER_STRICT)
    make_incident(table.community, table.public_org, title="Flood now", status=IncidentStatus.STABILIZING)
    make_incident(table.community, table.private_org, title=f"Strict past {MARKER}", tlp=TLP.AMBER_STRICT,
                  status=IncidentStatus.CLOSED)  # fmt: skip
    for number in range(30):  # two pages of past incidents
        make_incident(table.community, table.public_org, title=f"Past {number}", status=IncidentStatus.CLOSED)
    readers = ("cochair", "admin", "member", "other_admin", "facilitator")
    queries = ("", "?page=2")

    def shown(role, query):
        response = page_client(table.user(role)).get(f"/c/riverbend/incidents/{query}")
        assert response.status_code == 200
        body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
        return re.findall(r"<(?:tbody|ul)[^>]*>(.*?)</(?:tbody|ul)>", body, re.S)

    fresh = {}
    for role in readers:
        for query in queries:
            forget_kept_rows(), forget_compiled()
            fresh[role, query] = shown(role, query)
    assert str(fresh["admin", ""]).count(MARKER) >= 1 and MARKER not in str(fresh["other_admin", ""])
    assert "Flood now" in str(fresh["other_admin", ""]) and fresh["member", ""] != fresh["member", "?page=2"]
    forget_kept_rows(), forget_compiled()
    for visit in (*fresh, *reversed(list(fresh))):
        assert shown(*visit) == fresh[visit], visit
