"""An issue's pages read it by SQL kept for the reader (`core.kept_rows.visible_by_key`): the row the list reads,
and nothing the reader may not see, whoever read it before."""

import pytest

from commonground.agenda import selectors
from commonground.agenda.models import Issue
from commonground.core.kept_rows import forget_kept_rows, visible_by_key
from commonground.core.testing import api_client, page_client
from commonground.core.viewer import viewer_for

from .factories import propose


@pytest.fixture(autouse=True)
def _fresh():
    forget_kept_rows()
    yield
    forget_kept_rows()


def _read(viewer, pk):
    return visible_by_key("visible issue", viewer, lambda: selectors.issue_list(viewer=viewer), pk)


def test_an_issue_the_reader_may_not_see_is_not_found_after_one_who_may_opened_it(table):
    issue = propose(table, title="Fuel marker ISSUE-READ-7731", tlp="TLP:GREEN")
    assert page_client(table.cochair).get(f"/issues/{issue.pk}/").status_code == 200
    for role in (
        "outsider",
        "cochair",
        "outsider",
    ):  # a member of another table only: a TLP:GREEN issue is not theirs
        response = page_client(table.user(role)).get(f"/issues/{issue.pk}/")
        assert response.status_code == (404 if role == "outsider" else 200)
        assert (b"ISSUE-READ-7731" in response.content) == (role != "outsider")
    assert page_client(table.cochair).get(f"/issues/{issue.pk + 1000}/").status_code == 404


def test_the_kept_read_is_the_row_the_list_reads(table):
    issue = propose(table, tlp="TLP:GREEN")
    other = propose(table, title="Another fuel issue")
    viewer = viewer_for(table.member)
    fields = [f.attname for f in Issue._meta.concrete_fields]
    for pk in (issue.pk, other.pk, issue.pk):  # compiled, then kept for any key
        found = _read(viewer, pk)
        expected = selectors.issue_list(viewer=viewer).get(pk=pk)
        assert [getattr(found, name) for name in fields] == [getattr(expected, name) for name in fields]
        assert found.community.slug == expected.community.slug
        assert found.organization.name == expected.organization.name
        assert found.merged_into == expected.merged_into
    assert _read(viewer_for(table.outsider), issue.pk) is None
    assert _read(viewer, issue.pk + 1000) is None


def test_the_second_read_builds_no_query(table, monkeypatch, settings):
    """Kept for the reader whatever the key: the list is not built (nor compiled) again for another issue."""
    settings.KEPT_SQL_CHECK = False  # it counts builds; the check builds each read again
    first, second = propose(table), propose(table, title="Another fuel issue")
    viewer = viewer_for(table.member)
    assert _read(viewer, first.pk).pk == first.pk

    def built_again(**kwargs):
        raise AssertionError("the reader's list was built again")

    monkeypatch.setattr(selectors, "issue_list", built_again)
    assert _read(viewer, second.pk).pk == second.pk


def test_a_key_beyond_the_database_s_integers_is_not_found(table):
    """A typed address with a key no column holds is a 404, never an error: beyond 32 bits (PostgreSQL's integer)
    and beyond 64 (SQLite's driver refused it as a parameter), on an issue's page and a resource's edit page."""
    issue = propose(table)
    client = page_client(table.cochair)
    assert client.get(f"/issues/{issue.pk}/").status_code == 200
    for key in (3_000_000_000, 99_999_999_999_999_999_999_999):
        assert client.get(f"/issues/{key}/").status_code == 404
        assert client.get(f"/resources/{key}/edit/").status_code == 404


def test_a_merged_issue_names_the_issue_it_went_into_only_to_those_who_may_see_that_issue(table):
    """An issue merged into one marked for fewer readers (TLP:CLEAR into TLP:GREEN): its page says so, naming the
    other issue only to a reader who may see it (the row the issue points to was not read through their list)."""
    from commonground.agenda import services

    shown = propose(table, title="Shelter beds", tlp="TLP:CLEAR", hazards=[], situation="Roads closed")
    hidden = propose(table, title="MERGED-INTO-8842", tlp="TLP:GREEN")  # the table's members alone
    services.issue_merge(actor=table.cochair, issue=shown, into=hidden)
    for role, sees in (("member", True), ("outsider", False), ("cochair", True), ("outsider", False)):
        response = page_client(table.user(role)).get(f"/issues/{shown.pk}/")
        assert response.status_code == 200, role
        assert (b"MERGED-INTO-8842" in response.content) == sees, role
        assert (f"/issues/{hidden.pk}/".encode() in response.content) == sees, role
        # the page carries the marking of what it shows: the other issue's title, where it is shown
        assert response.context["tlp_marking"] == ("TLP:GREEN" if sees else "TLP:CLEAR"), role
    # The API names it only to the same readers: an outsider reads the CLEAR issue, not where it went.
    for role, sees in (("member", True), ("outsider", False)):
        found = api_client(table.user(role)).get(f"/api/v1/issues/{shown.pk}/")
        assert found.status_code == 200, role
        assert found.json()["merged_into"] == (hidden.pk if sees else None), role


def test_the_issue_list_api_asks_once_which_merged_into_issues_the_reader_sees(table):
    """Each merged issue's `merged_into` is checked against the reader's list for the whole page at once: the
    list costs as many queries with four merged issues as with one, and names only what the reader may see."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from commonground.agenda import services

    hidden = propose(table, title="MERGED-LIST-6610", tlp="TLP:GREEN")
    shown_target = propose(
        table, title="Generators for the shelters", tlp="TLP:CLEAR", hazards=[], situation="x"
    )
    merged = []

    def merge(into):
        issue = propose(
            table, title=f"Shelter beds {len(merged)}", tlp="TLP:CLEAR", hazards=[], situation="y"
        )
        services.issue_merge(actor=table.cochair, issue=issue, into=into)
        merged.append((issue, into))

    def listed(role):
        client = api_client(table.user(role))
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/issues/?page_size=100")
        assert response.status_code == 200
        return {row["id"]: row["merged_into"] for row in response.json()["results"]}, len(queries)

    merge(hidden)
    one = {role: listed(role)[1] for role in ("outsider", "member")}  # the first reading of each
    for into in (hidden, shown_target, hidden):
        merge(into)
    for role in ("outsider", "member"):
        rows, many = listed(role)
        assert many <= one[role], role  # not one query more a merged issue
        for issue, into in merged:
            sees = role == "member" or into.tlp == "TLP:CLEAR"
            assert rows[issue.pk] == (into.pk if sees else None), (role, issue.title)
