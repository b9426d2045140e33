"""The record of changes is a named list (`core.kept_pages`): its pages, filtered or not, and its organizations'
select are read by SQL kept for the reader. Readers served in turn, in both orders, each get the rows they got
with nothing kept, and a value marked for one organization reaches only those who may see it."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from commonground.communities.tests.factories import CoChairFactory
from commonground.core.counting import forget_compiled
from commonground.core.kept_rows import forget_kept_rows
from commonground.core.models import AuditEntry
from commonground.core.tlp import TLP
from commonground.registry.models import Person

MARKER = "AUDITMARK-5521"
READERS = ("cochair", "admin", "facilitator")


@pytest.fixture
def logged(table):
    CoChairFactory(community=table.community, person=table.admin.person)  # a co-chair at the owner
    kind = ContentType.objects.get_for_model(Person)  # its contact details are marked fields
    for number in range(3):
        AuditEntry.objects.create(
            actor_repr="someone", action="update", content_type=kind, object_id=str(table.member.person.pk),
            object_repr=f"Entry {number}", community_id=table.community.pk, organization_id=table.private_org.pk,
            tlp=TLP.AMBER_STRICT, whole_record=False, owner_id=table.private_org.pk,
            record_community_id=table.community.pk, changes={"email": [None, f"{MARKER}-{number}@example.org"], "title": ["", f"Entry title {number}"]},
        )  # fmt: skip
    return table


def rows_of(client, user, query: str) -> str:
    client.force_login(user)
    response = client.get(f"/c/riverbend/audit/{query}")
    assert response.status_code == 200
    body = response.content.decode()
    rows = body[body.index("<tbody>") : body.index("</tbody>")]
    select = re.search(r'<select name="organization".*?</select>', body, re.S)
    return rows + (select.group(0) if select else "")


@pytest.mark.parametrize("order", [READERS, tuple(reversed(READERS))], ids=["forward", "backward"])
def test_readers_served_in_turn_get_what_they_got_with_nothing_kept(client, logged, order):
    queries = ("", f"?organization={logged.private_org.pk}", "?action=update")
    fresh = {}
    for name in READERS:
        for query in queries:
            forget_kept_rows(), forget_compiled()
            fresh[name, query] = rows_of(client, getattr(logged, name), query)
    # The readers differ: a key that left the reader out would show one the other's rows.
    assert MARKER in fresh["admin", ""] and MARKER not in fresh["cochair", ""]
    assert "Entry title 2" in fresh["cochair", ""] and "Entry title 2" in fresh["admin", ""]
    forget_kept_rows(), forget_compiled()
    for _round in range(2):
        for name in order:
            for query in queries:
                assert rows_of(client, getattr(logged, name), query) == fresh[name, query], (name, query)


def test_the_page_and_the_api_in_turn_withhold_the_marked_value_from_whom_they_withheld_it(client, logged):
    """The API's record of changes reuses the filterset, which names its filtered list: read in turn with the page,
    by each reader, filtered or not, the marked value reaches only those who got it with nothing kept."""
    from commonground.core.testing import api_client

    queries = ("", f"?organization={logged.private_org.pk}", "?action=update")

    def read(name, how, query):
        if how == "page":
            return rows_of(client, getattr(logged, name), query)
        response = api_client(getattr(logged, name)).get(f"/api/v1/audit/{query}")
        assert response.status_code == 200
        return str(sorted(str(row["changes"]) for row in response.json()["results"]))

    visits = [(name, how, query) for name in READERS for how in ("page", "api") for query in queries]
    fresh = {}
    for visit in visits:
        forget_kept_rows(), forget_compiled()
        fresh[visit] = read(*visit)
    assert MARKER in fresh["admin", "api", ""] and MARKER not in fresh["cochair", "api", ""]
    assert "Entry title 2" in fresh["cochair", "api", ""]
    forget_kept_rows(), forget_compiled()
    for visit in (*visits, *reversed(visits)):
        assert read(*visit) == fresh[visit], visit
