"""The network page: who sees it, what it shows, what it never reveals; measuring again goes to the worker."""

import pytest
from django.urls import reverse

from commonground.conftest import IMMEDIATE_TASKS
from commonground.socialcapital.models import NetworkSnapshot
from commonground.socialcapital.services import snapshot_compute

from .records import build_network


@pytest.fixture
def measured(table):
    network = build_network(table)
    snapshot_compute(community=table.community)
    return network


def url(table):
    return reverse("socialcapital:network", kwargs={"slug": table.community.slug})


@pytest.mark.parametrize("role", ["member", "cochair", "admin", "facilitator"])
def test_the_table_sees_its_network(client, table, measured, role):
    client.force_login(table.user(role))
    body = client.get(url(table)).content.decode()
    assert "Riverbend Food Bank" in body and "Lonely Hardware" in body
    # The tie table names the kinds of record behind each tie; the restricted issue and agreement add none.
    assert "share an agreement (1)" in body and "Secret issue" not in body
    assert "Measures by month" in body
    # The isolated member's introduction, with its reason in words.
    assert "Lonely Hardware has no tie at the table yet" in body
    # The drawing's data and its script (the tables hold the same for screen readers).
    assert 'id="network-data"' in body and "vendor/cytoscape/cytoscape.min.js" in body


def test_outsiders_and_visitors_do_not(client, table, measured):
    client.force_login(table.outsider)
    assert client.get(url(table)).status_code in (403, 404)
    client.logout()
    assert client.get(url(table)).status_code == 302


def test_the_page_before_any_measurement(client, table):
    client.force_login(table.member)
    assert "has not been measured yet" in client.get(url(table)).content.decode()


def test_an_organization_gone_from_the_table_drops_out_of_the_tables(client, table, measured):
    measured.lonely.memberships.all().delete()
    client.force_login(table.member)
    assert "Lonely Hardware" not in client.get(url(table)).content.decode()


def test_a_cochair_asks_the_worker_to_measure_again(
    client, table, measured, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE_TASKS
    measure = reverse("socialcapital:network_measure", kwargs={"slug": table.community.slug})
    client.force_login(table.member)
    assert client.post(measure).status_code == 403
    NetworkSnapshot.objects.all().delete()
    client.force_login(table.cochair)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(measure)
    assert response.status_code == 302
    assert NetworkSnapshot.objects.filter(community=table.community).count() == 1


def test_the_dashboard_links_the_network_for_members_only(client, table, measured):
    dashboard = reverse("communities:dashboard", kwargs={"slug": table.community.slug})
    client.force_login(table.member)
    assert url(table) in client.get(dashboard).content.decode()


def test_a_large_table_is_paged_and_its_drawing_left_out(client, table, measured, monkeypatch):
    # The limits lowered to this table's size: the drawing is left out with a word why, the tables are paged.
    from commonground.socialcapital import presentation, views

    monkeypatch.setattr(presentation, "GRAPH_MAX_NODES", 2)
    monkeypatch.setattr(views, "ROWS_PER_PAGE", 2)
    monkeypatch.setattr(views, "NAMES_LISTED", 0)
    client.force_login(table.member)
    body = client.get(url(table)).content.decode()
    assert 'id="network-data"' not in body and "vendor/cytoscape" not in body
    assert "The network is drawn up to 2 organizations" in body
    assert "Page 1 of" in body and "?page=2" in body and "ties=2#ties" in body
    assert "and 1 more" in body  # the isolated member, counted rather than named
    second = client.get(url(table), {"page": 2, "ties": 2}).content.decode()
    assert "Page 2 of" in second and "ties=1#ties" in second and "page=2" in second
    # A page past the end shows the last; a page that is not a number, the first: never an error.
    assert client.get(url(table), {"page": 999, "ties": "x"}).status_code == 200


def test_the_trend_reads_each_month_s_figures_out_of_its_snapshot(client, table, measured):
    """The trend's figures come out of the JSON in the database, as the snapshot itself reads them, month by
    month, with a month short of some figures (no bridging share) shown as such; the page does not load the
    months' whole snapshots."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commonground.core.services import viewer_of
    from commonground.socialcapital.selectors import snapshot_trend

    latest = NetworkSnapshot.objects.get(community=table.community)
    for months_back, measures in enumerate(
        [{"organizations": 4, "ties": 1, "density": {"value": 0.25}, "isolated": {"ids": [1, 2]}}, {}],
        start=1,
    ):
        NetworkSnapshot.objects.create(
            community=table.community, month=datetime.date(2020, 12 - months_back, 1), as_of=latest.as_of,
            computed_at=latest.computed_at, measures=measures,
        )  # fmt: skip
    snapshots = list(NetworkSnapshot.objects.filter(community=table.community).order_by("month"))
    expected = [
        {"month": s.month, "organizations": s.measures.get("organizations"), "ties": s.measures.get("ties"),
         "density": s.density, "bridging_share": s.bridging_share, "assortativity": s.assortativity,
         "isolated": len(s.measures.get("isolated", {}).get("ids", []))}
        for s in snapshots
    ]  # fmt: skip
    trend = snapshot_trend(viewer=viewer_of(table.member), community=table.community, months=24)
    assert trend == [pytest.approx(row) for row in expected]
    assert snapshot_trend(viewer=viewer_of(table.member), community=table.community, months=2) == trend[1:]
    client.force_login(table.member)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(table)).status_code == 200
    whole = [
        q["sql"] for q in queries if '"computed_at", "socialcapital_networksnapshot"."measures"' in q["sql"]
    ]
    assert whole and all("LIMIT 1" in sql for sql in whole)  # the latest alone is read whole


@pytest.mark.parametrize(
    "order", [("member", "cochair", "facilitator"), ("facilitator", "cochair", "member")]
)
def test_readers_served_in_turn_each_read_what_they_read_with_nothing_kept(client, table, measured, order):
    """The latest snapshot, the trend and the names are read by SQL kept for the reader and the table."""
    from commonground.core.counting import forget_compiled
    from commonground.core.kept_rows import forget_kept_rows

    def tables(role):
        client.force_login(table.user(role))
        response = client.get(url(table))
        return response.context["trend"], [(row.name, row.sector) for row in response.context["rows"]]

    fresh = {}
    for role in order:
        forget_kept_rows(), forget_compiled()
        fresh[role] = tables(role)
    for _round in range(2):
        for role in order:
            assert tables(role) == fresh[role], role
    client.force_login(table.outsider)
    assert client.get(url(table)).status_code in (403, 404)
