"""SQLite's head table (`spatial.HEAD_TABLE`, `core.word_heads`): it holds each start of every word of every
resource through every kind of write, as FTS5 reads the words, and a common word's search reads its pages from it.
That such a search finds the same rows in the same order as the FTS5 match, for every reader, is
`test_search_words`'s (its `way` fixture runs each search both ways on SQLite too)."""

from __future__ import annotations

import pytest
from django.db import connection

from commonground.core.tests.word_rows import head_rows
from commonground.core.viewer import viewer_for
from commonground.resources.models import Resource
from commonground.resources.selectors import resource_list
from commonground.resources.spatial import HEAD_TABLE, TEXT_TABLE, restore_sqlite_triggers, text_search

from .factories import ResourceFactory
from .test_search_words import _resources, _write_every_way


@pytest.fixture(autouse=True)
def _sqlite_only(fresh_kept):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's head table")


def _head_rows() -> tuple[list, list]:
    """The head table's rows, and the rows it should hold: from the FTS5 table's words."""
    return head_rows(HEAD_TABLE, TEXT_TABLE, "resources_resource")


def test_the_head_table_holds_every_word_start_through_every_write(table):
    """Inserted one by one and in bulk, renamed, described anew, changed elsewhere, deleted one by one and in
    bulk: the head table holds what the FTS5 table's words say, accents folded as FTS5 folds them."""
    _resources(table)
    kept, expected = _head_rows()
    assert kept == expected and len(expected) > 20
    assert ("gene", "Mobile generator", Resource.objects.get(name="Mobile generator").pk,
            frozenset({"generator", "generacion"})) in kept  # fmt: skip
    resource = _write_every_way(table)
    kept, expected = _head_rows()
    assert kept == expected
    assert ("truc", "Forklift truck", resource.pk, frozenset({"truck"})) in kept
    assert not [row for row in kept if row[1] == "Forklift"]
    Resource.objects.get(name="Mobile generator").delete()
    Resource.objects.filter(name__startswith="Pump").delete()
    kept, expected = _head_rows()
    assert kept == expected and not [row for row in kept if row[1].startswith(("Pump", "Mobile generator"))]
    Resource.objects.all().delete()
    assert _head_rows() == ([], [])


def test_a_common_word_reads_its_pages_from_the_head_table_and_counts_by_fts5(table, settings):
    """A search whose every term matches more rows than a short list holds, one of them at least a start long,
    reads its ordered keys from the head table in its index's order (no sort) and its count from the FTS5 table;
    any other search (a rare word, short words only, an accent, an underscore) is read from the FTS5 table."""
    _resources(table)
    ResourceFactory.create_batch(
        3, name="Generator", community=table.community, organization=table.private_org
    )
    listed = resource_list(viewer=viewer_for(table.member), community=table.community, related=False)
    settings.KEPT_COUNT_ABOVE = 1
    for words in ("generator", "gen trail", "mobile gene", "GENERATORS"):
        searched = text_search(listed, words)
        page = searched.values_list("pk", flat=True)
        sql = str(page.query)
        count = str(searched.order_by().values("pk").query)
        assert HEAD_TABLE in sql and "MATCH" not in sql.split("ORDER BY")[0].split(" WHERE ")[-1], words
        assert HEAD_TABLE not in count and f"{TEXT_TABLE} MATCH" in count, words
        compiled, params = page.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {compiled}", params)
            plan = " | ".join(row[-1] for row in cursor.fetchall())
        assert plan.startswith("SEARCH resources_resource_found USING PRIMARY KEY (head=?)"), plan
        assert "TEMP B-TREE" not in plan, plan
    for words in ("gen", "30 kw", "generación", "foo_bar", "chiller", "generator chiller"):
        sql = str(text_search(listed, words).values_list("pk", flat=True).query)
        assert HEAD_TABLE not in sql and "MATCH" in sql, words
    settings.KEPT_COUNT_ABOVE = 1000
    assert HEAD_TABLE not in str(text_search(listed, "generator").values_list("pk", flat=True).query)


def test_the_head_table_comes_back_after_a_rebuild_of_the_table(table):
    """A migration that rebuilds the resource table on SQLite drops its triggers: restore_sqlite_triggers makes the
    head table's again, and fills it anew from the rows (those written while it had none included)."""
    from types import SimpleNamespace

    _resources(table)
    with connection.cursor() as cursor:
        for event in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER {HEAD_TABLE}_{event}")
    missed = ResourceFactory(name="Chiller", community=table.community, organization=table.private_org)
    Resource.objects.filter(name="Forklift").update(name="Forklift truck")
    kept, expected = _head_rows()
    assert kept != expected
    with connection.cursor() as cursor:
        restore_sqlite_triggers(None, SimpleNamespace(connection=connection, execute=cursor.execute))
    kept, expected = _head_rows()
    assert kept == expected and ("chil", "Chiller", missed.pk, frozenset({"chiller"})) in kept
    ResourceFactory(name="Standby chiller", community=table.community, organization=table.private_org)
    assert _head_rows()[0] == _head_rows()[1]
