"""Filters of the list pages offer names, not ids: each select lists what the viewer may see, nothing else.

The page's filterset is the API's: a name chosen on the page sends its id, so the page lists what the API's
id filter lists. Another community's organizations and hazards are never among the choices.
"""

import re
from html import unescape

import pytest
from django.urls import reverse

from commonground.core.testing import api_client, page_client
from commonground.registry.models import Organization
from commonground.registry.tests.factories import OrganizationFactory
from commonground.risks.models import Hazard

from .query_world import grow

# (page, its filter, the API list answering the same filter, that list's parameters for the community)
NAMED_FILTERS = [
    ("registry:people", "organization", "/api/v1/people/", {"community": "riverbend"}),
    ("resources:resources", "organization", "/api/v1/resources/", {"community": "riverbend"}),
    ("resources:agreements", "party", "/api/v1/agreements/", {"community": "riverbend"}),
    ("risks:assessments", "organization", "/api/v1/assessments/", {"community": "riverbend"}),
    ("risks:assessments", "hazard", "/api/v1/assessments/", {"community": "riverbend"}),
    ("risks:functions", "organization", "/api/v1/critical-functions/", {"community": "riverbend"}),
    ("agenda:issues", "organization", "/api/v1/issues/", {"community": "riverbend", "status": "adopted"}),
    ("agenda:issues", "hazard", "/api/v1/issues/", {"community": "riverbend", "status": "adopted"}),
    ("communities:audit", "organization", "/api/v1/audit/", {}),
]


def options(html: str, name: str) -> dict[str, str]:
    """Return the options (name: value) of the page's select called `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select named {name}"
    pairs = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select[1])
    return {unescape(label): value for value, label in pairs}


@pytest.fixture
def grown(table):
    grow(table, 3)
    Hazard.objects.create(
        community=table.other_community, code="slide", name="Elsewhere landslide", kind="natural"
    )
    return table


@pytest.mark.parametrize(("page", "name", "api", "params"), NAMED_FILTERS)
def test_the_filter_by_name_lists_what_the_id_filter_lists(grown, page, name, api, params):
    table = grown
    path = reverse(page, args=["riverbend"])
    client = page_client(table.cochair)
    choices = options(client.get(path).content.decode(), name)
    if name != "hazard":
        record = Organization.objects.filter(name__startswith="Grown").order_by("pk").first()
    elif page == "agenda:issues":
        record = Hazard.objects.filter(community=table.community).order_by("pk").first()  # an issue names it
    else:
        record = Hazard.objects.get(community=None, code="tornado")
    assert choices[record.name] == str(record.pk)
    query = {name: choices[record.name], **{k: v for k, v in params.items() if k == "status"}}
    shown = {row.pk for row in client.get(path, query).context["page_obj"]}
    by_id = api_client(table.cochair).get(api, {**params, name: record.pk, "page_size": 200}).json()
    assert shown and shown == {row["id"] for row in by_id["results"]}


@pytest.mark.parametrize(("page", "name"), sorted({(page, name) for page, name, _api, _p in NAMED_FILTERS}))
def test_another_communitys_names_are_never_offered(grown, page, name):
    OrganizationFactory(name="Elsewhere Foundry")
    shown_to = []
    for role in ("cochair", "member", "facilitator"):
        html = page_client(grown.user(role)).get(reverse(page, args=["riverbend"])).content.decode()
        if f'<select name="{name}"' not in html:
            continue  # a page this role may not read (the audit log is the co-chairs' and facilitators')
        shown_to.append(role)
        offered = options(html, name)
        assert "Elsewhere Bakery" not in offered and "Elsewhere Foundry" not in offered
        assert "Elsewhere landslide" not in offered
        assert "Elsewhere" not in html.split(f'<select name="{name}"')[1].split("</select>")[0]
    assert "cochair" in shown_to and "facilitator" in shown_to
