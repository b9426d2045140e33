"""The issues page reads its list by SQL kept under the list's name (`core.kept_pages`: the reader, the community,
the filters' cleaned values): readers served in turn, in both orders, get what they got with nothing kept."""

import re

from commonground.agenda.models import Issue
from commonground.core.counting import forget_compiled
from commonground.core.kept_rows import forget_kept_rows
from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.risks.models import Hazard

MARKER = "ISSUELIST-3308"


def issue(table, title, tlp, organization, status="proposed"):
    return Issue.objects.create(
        community=table.community, organization=organization, title=title, description="d",
        mission_area="response", outcome="o", tlp=tlp, status=status,
    )  # fmt: skip


def test_readers_served_in_turn_get_the_issues_they_got_with_nothing_kept(table):
    tornado = Hazard.objects.get(community=None, code="tornado")
    issue(table, f"Strict {MARKER}", TLP.AMBER_STRICT, table.private_org).hazards.add(tornado)
    issue(table, "Shelter beds", TLP.GREEN, table.public_org).hazards.add(tornado)
    issue(table, "Fuel for generators", TLP.CLEAR, table.public_org, status="adopted")
    issue(table, "Set aside long ago", TLP.CLEAR, table.private_org, status="set_aside")
    queries = ("", "?status=set_aside", "?q=shelter", f"?hazard={tornado.pk}", "?tlp=TLP:AMBER%2BSTRICT")
    readers = ("cochair", "admin", "member", "other_admin", "facilitator")

    def rows(role, query):
        response = page_client(table.user(role)).get(f"/c/riverbend/issues/{query}")
        assert response.status_code == 200
        return re.findall(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S)

    fresh = {}
    for role in readers:
        for query in queries:
            forget_kept_rows(), forget_compiled()
            fresh[role, query] = rows(role, query)
    assert MARKER in str(fresh["admin", ""]) and MARKER not in str(fresh["other_admin", ""])
    assert "Set aside long ago" in str(fresh["member", "?status=set_aside"])
    assert "Set aside long ago" not in str(fresh["member", ""]) and "Shelter beds" in str(fresh["member", ""])
    forget_kept_rows(), forget_compiled()
    for visit in (*fresh, *reversed(list(fresh))):
        assert rows(*visit) == fresh[visit], visit


def test_the_page_and_the_api_served_in_turn_give_each_reader_only_what_they_got_with_nothing_kept(table):
    """The API's issues reuse the selector (a named list) and the filterset (which names its filtered list): read
    in turn with the page, for each reader, a restricted issue's marker reaches only those who may see it."""
    from commonground.core.testing import api_client

    tornado = Hazard.objects.get(community=None, code="tornado")
    issue(table, f"Strict {MARKER}", TLP.AMBER_STRICT, table.private_org).hazards.add(tornado)
    issue(table, "Shelter beds", TLP.GREEN, table.public_org).hazards.add(tornado)
    readers = ("admin", "other_admin", "member", "cochair")
    reads = [
        ("page", "/c/riverbend/issues/"),
        ("page", f"/c/riverbend/issues/?hazard={tornado.pk}"),
        ("api", "/api/v1/issues/?community=riverbend"),
        ("api", f"/api/v1/issues/?community=riverbend&hazard={tornado.pk}"),
        ("api", "/api/v1/issues/"),
    ]

    def read(role, how, path):
        user = table.user(role)
        if how == "page":
            response = page_client(user).get(path)
            assert response.status_code == 200
            return str(re.findall(r"<tbody>(.*?)</tbody>", response.content.decode(), re.S))
        response = api_client(user).get(path)
        assert response.status_code == 200
        return str(sorted(row["title"] for row in response.json()["results"]))

    fresh = {}
    for role in readers:
        for how, path in reads:
            forget_kept_rows(), forget_compiled()
            fresh[role, how, path] = read(role, how, path)
    for how, path in reads:
        assert MARKER in fresh["admin", how, path] and MARKER not in fresh["other_admin", how, path], path
    forget_kept_rows(), forget_compiled()
    for visit in (*fresh, *reversed(list(fresh))):
        assert read(*visit) == fresh[visit], visit
