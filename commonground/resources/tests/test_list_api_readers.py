"""Review (attacker): the resource list API's kept reads never give one reader another's records.

The list reads its rows with their recipients in one statement kept for every reader (`selectors.PageRows`), and
finds the community of `?community=` among the reader's own, read with the reader (`Viewer.community_key`), not
by a query of its own. A TLP:AMBER and a TLP:RED resource carry unique markers; a reader who may see them reads
every list first, then the readers who may not read the same lists in turn, in both orders, each after the one who
may, each calling with an API token (read with the reader's viewer in one statement): none of them is ever
answered with a marker. Which reader may see which resource is asked of the ORM's
`visible_to` (the TLP table), not written down here.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from commonground.accounts.services import token_create
from commonground.core.counting import forget_compiled
from commonground.core.kept_rows import forget_kept_rows
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory
from commonground.resources.models import Resource

from .factories import ResourceFactory

AMBER = "zqListAmber7731"
RED = "zqListRed7732"
MARKERS = (AMBER, RED)

QUERIES = [
    "?community=riverbend",
    "?community=riverbend&q=generator",
    "?community=riverbend&kind=equipment&category=esf12",
    "?community=riverbend&page_size=1",
    "?community=riverbend&page_size=1&page=2",
    "?",
    "?q=generator",
    "?community=elsewhere",
    "?community=nowhere",
]


@pytest.fixture(autouse=True)
def _fresh():
    forget_compiled()
    forget_kept_rows()
    yield
    forget_compiled()
    forget_kept_rows()


def _plant(table) -> dict[str, Resource]:
    """An AMBER resource shared with the outside organization too, a RED one named to three people, both with
    recipients listed out of their keys' order, and a GREEN one beside them."""
    zeta = OrganizationFactory(name="Zeta Works")  # made first: its key is lower than Alpha's
    alpha = OrganizationFactory(name="Alpha Works")
    common = {"community": table.community, "organization": table.private_org, "kind": "equipment",
              "category": "esf12"}  # fmt: skip
    amber = ResourceFactory(name=f"Generator {AMBER}", description=AMBER, tlp=TLP.AMBER, **common)
    amber.recipient_organizations.set([zeta, table.outside_org, alpha])
    red = ResourceFactory(name=f"Generator {RED}", description=RED, tlp=TLP.RED, **common)
    zed = PersonFactory(organization=table.private_org, last_name="Zed", first_name="Ann")
    red.recipient_people.set([zed, table.member.person, table.admin.person])
    ResourceFactory(name="Generator green", tlp=TLP.GREEN, **common)
    return {AMBER: amber, RED: red}


def _may_see(user, resource: Resource) -> bool:
    return Resource.objects.visible_to(viewer_for(user)).filter(pk=resource.pk).exists()


def _client(user):
    """A client calling as the user with an API token, as a program does: the token and the reader are read by one
    statement (`registry.viewer.token_and_viewer`)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(actor=None, user=user, name='list')[1]}")
    return client


def _read(user, query: str) -> tuple[str, dict]:
    response = _client(user).get(f"/api/v1/resources/{query}")
    if response.status_code == 404 and "page=2" in query:  # a reader whose list holds one row: no second page
        return response.content.decode(), {"results": []}
    assert response.status_code == 200, (user, query, response.content[:300])
    return response.content.decode(), response.json()


def _check(user, planted: dict[str, Resource], *, privileged: bool = False) -> None:
    for query in QUERIES:
        body, data = _read(user, query)
        for marker, resource in planted.items():
            if not _may_see(user, resource):
                assert marker not in body, (user, query, marker)
        for row in data["results"]:  # who each is marked for, in the lists' order, as the ORM reads them
            resource = Resource.objects.get(pk=row["id"])
            assert row["recipient_organizations"] == [o.pk for o in resource.recipient_organizations.all()]
            assert row["recipient_people"] == [p.pk for p in resource.recipient_people.all()]
        if privileged and query == "?community=riverbend":
            assert all(marker in body for marker in planted), "the privileged reader sees both"


# A list read whole (short_lists), or a page at a time (KeysFirst).
@pytest.mark.parametrize("bound", [1000, 1])
@pytest.mark.parametrize("first", ["admin", "member"])
def test_readers_who_may_not_see_a_marked_resource_never_get_it_after_one_who_may(
    table, settings, bound, first
):
    settings.KEPT_COUNT_ABOVE = bound
    planted = _plant(table)
    privileged = table.user(first)
    assert all(_may_see(privileged, resource) for resource in planted.values())
    lesser = [table.cochair, table.other_admin, table.outsider, table.facilitator]
    assert all(not all(_may_see(user, r) for r in planted.values()) for user in lesser)
    for order in (lesser, lesser[::-1]):
        _check(privileged, planted, privileged=True)
        for reader in order:
            _check(reader, planted)


def test_the_community_of_the_parameter_is_the_reader_s_own_or_none(table):
    """Found among the reader's communities: another table's slug, or one no community has, lists nothing for a
    member; a facilitator, who may open every community, has it read by its slug."""
    ResourceFactory(
        name="Riverbend pump", tlp=TLP.CLEAR, community=table.community, organization=table.public_org
    )
    ResourceFactory(name="Elsewhere oven", tlp=TLP.CLEAR, community=table.other_community,
                    organization=table.outside_org)  # fmt: skip
    assert viewer_for(table.member).community_key("riverbend") == table.community.pk
    assert viewer_for(table.member).community_key("elsewhere") is None

    def names(user, slug):
        return [row["name"] for row in _read(user, f"?community={slug}")[1]["results"]]

    for _round in range(2):
        assert names(table.member, "riverbend") == ["Riverbend pump"]
        assert names(table.member, "elsewhere") == []
        assert names(table.outsider, "riverbend") == []
        assert names(table.outsider, "elsewhere") == ["Elsewhere oven"]
        assert names(table.facilitator, "elsewhere") == ["Elsewhere oven"]
        assert names(table.facilitator, "riverbend") == ["Riverbend pump"]
        assert names(table.member, "nowhere") == []
