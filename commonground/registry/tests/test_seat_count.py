"""A whole table's count of organizations (`selectors.seat_count`): exact and counted on every request for a short
table, kept a while and said to be an estimate for a long one (`core.counting.kept_count`), as any long list is."""

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from commonground.communities.tests.factories import MembershipFactory
from commonground.registry import selectors

from .factories import OrganizationFactory


def seat(community, count: int) -> None:
    for _ in range(count):
        MembershipFactory(community=community, organization=OrganizationFactory())


def whole_table(user) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/organizations/", {"community": "riverbend"})
    assert response.status_code == 200
    return response.json()


def test_a_short_table_is_counted_exactly_on_every_request(table, settings):
    settings.KEPT_COUNT_ABOVE = 10
    assert whole_table(table.member)["count"] == 2
    seat(table.community, 3)
    body = whole_table(table.member)
    assert (body["count"], body["count_is_estimate"]) == (5, False)


def test_a_long_table_is_counted_once_a_while_and_says_so(table, settings):
    settings.KEPT_COUNT_ABOVE = 3
    seat(table.community, 3)
    body = whole_table(table.member)
    assert (body["count"], body["count_is_estimate"]) == (5, True)
    seat(table.community, 2)
    with CaptureQueriesContext(connection) as captured:
        kept = selectors.seat_count(table.community)
    assert (kept.value, kept.is_estimate, len(captured)) == (5, True, 0)  # kept: not counted again
    # Another table's count is its own.
    assert selectors.seat_count(table.other_community).value == 1
    later = mock.patch("commonground.core.counting.time.monotonic", return_value=10**9)
    with later:
        assert selectors.seat_count(table.community).value == 7  # counted again once the estimate is old
    body = whole_table(table.member)
    assert (body["count"], body["count_is_estimate"]) == (7, True)


def test_nothing_is_kept_where_estimates_are_turned_off(table, settings):
    settings.KEPT_COUNT_ABOVE = 1
    settings.COUNT_ESTIMATE_SECONDS = 0
    assert selectors.seat_count(table.community).value == 2
    seat(table.community, 1)
    assert selectors.seat_count(table.community).value == 3


def test_the_organization_page_says_a_long_tables_count_is_about(table, client, settings):
    settings.KEPT_COUNT_ABOVE = 3
    seat(table.community, 3)
    client.force_login(table.member)
    response = client.get("/c/riverbend/organizations/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.list_count.is_estimate


def test_only_a_member_of_the_table_is_given_its_seats_as_the_count(table):
    from commonground.core.viewer import viewer_for

    for reader in (
        table.member,
        table.cochair,
        table.facilitator,
    ):  # each sees every organization at the table
        assert selectors.whole_table_count(viewer=viewer_for(reader), community=table.community).value == 2
    # Another table's member: its list is counted as it is.
    assert selectors.whole_table_count(viewer=viewer_for(table.outsider), community=table.community) is None
