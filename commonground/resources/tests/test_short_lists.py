"""A short list read whole by its keys (resources.short_lists) answers as one read a page at a time (KeysFirst)
does: the same rows in the same order, the same count, said to be exact or an estimate alike, in one query
fewer; a list found long is read a page at a time until its count estimate would be taken again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core.testing import api_client
from commonground.core.tlp import TLP
from commonground.resources import short_lists

from .factories import ResourceFactory

PAGES = [{}, {"page_size": 2}, {"page_size": 2, "page": 2}, {"page_size": 2, "page": 3}, {"q": "pump"}]


def _answers(user) -> list:
    client = api_client(user)
    answers = []
    for params in PAGES:
        response = client.get("/api/v1/resources/", {"community": "riverbend", **params})
        answers.append((response.status_code, response.json()))
    return answers


@pytest.mark.parametrize("bound", [2, 3, 5, 1000])
def test_a_short_list_answers_as_a_list_read_a_page_at_a_time(table, settings, monkeypatch, bound):
    settings.KEPT_COUNT_ABOVE = bound
    for n in range(4):
        ResourceFactory(name=f"Pump {n}", community=table.community, organization=table.private_org)
    ResourceFactory(
        name="Pump amber", community=table.community, organization=table.private_org, tlp=TLP.AMBER
    )
    for user in (table.member, table.other_admin, table.outsider):
        whole = _answers(user)
        short_lists.forget_long_lists()
        monkeypatch.setattr(short_lists, "_known_long", lambda key: True)  # every list read a page at a time
        by_pages = _answers(user)
        monkeypatch.undo()
        assert whole == by_pages, user


def test_a_short_list_is_counted_and_paged_by_one_query_of_its_keys(table, django_assert_num_queries):
    for n in range(3):
        ResourceFactory(name=f"Pump {n}", community=table.community, organization=table.private_org)
    client = api_client(table.member)
    client.get("/api/v1/resources/", {"community": "riverbend", "q": "pump"})
    with CaptureQueriesContext(connection) as captured:
        body = client.get("/api/v1/resources/", {"community": "riverbend", "q": "pump"}).json()
    assert (body["count"], body["count_is_estimate"]) == (3, False)
    keys = [
        q
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "resources_resource"."id" AS "pk"')
    ]
    assert len(keys) == 1 and not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]


def test_a_list_found_long_is_read_a_page_at_a_time_while_its_estimate_is_kept(table, settings):
    settings.KEPT_COUNT_ABOVE = 2
    for n in range(4):
        ResourceFactory(name=f"Pump {n}", community=table.community, organization=table.private_org)
    client = api_client(table.member)

    def bounded_reads() -> int:
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/api/v1/resources/", {"community": "riverbend"}).json()
        assert (body["count"], body["count_is_estimate"]) == (4, True)
        return len([q for q in captured.captured_queries if q["sql"].endswith("LIMIT 3")])

    assert bounded_reads() == 1  # read to the bound and one more: long
    assert bounded_reads() == 0  # known long: a page at a time, the kept estimate
    settings.COUNT_ESTIMATE_SECONDS = 0  # the estimate not kept: the list is tried again
    assert bounded_reads() == 1


def test_what_one_reader_s_list_was_found_to_be_never_changes_another_s_answer(table, settings):
    """The reader whose list is long, then one whose list of the same filters is short, then again."""
    settings.KEPT_COUNT_ABOVE = 2
    for n in range(3):
        ResourceFactory(
            name=f"Pump amber {n}", community=table.community, organization=table.private_org, tlp=TLP.AMBER
        )
    ResourceFactory(name="Pump green", community=table.community, organization=table.private_org)
    for _round in range(2):
        owner = api_client(table.member).get("/api/v1/resources/", {"community": "riverbend"}).json()
        other = api_client(table.other_admin).get("/api/v1/resources/", {"community": "riverbend"}).json()
        assert (owner["count"], owner["count_is_estimate"], len(owner["results"])) == (4, True, 4)
        assert (other["count"], other["count_is_estimate"]) == (1, False)
        assert [r["name"] for r in other["results"]] == ["Pump green"]
