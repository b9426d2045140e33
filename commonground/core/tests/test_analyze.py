"""After a bulk write (an import, a seeding) the tables written are analysed, and on PostgreSQL their GIN indexes'
pending rows merged (`core.importing.analyze`)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core.importing.analyze import analyze_tables
from commonground.resources.tests.factories import ResourceFactory

GIN_INDEXES = """SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a
    ON a.oid = c.relam WHERE a.amname = 'gin' AND i.indrelid = 'resources_resource'::regclass"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN pending list")
def test_the_gin_indexes_pending_rows_are_merged(table):
    ResourceFactory.create_batch(30, community=table.community, organization=table.private_org)
    with connection.cursor() as cursor:
        cursor.execute(GIN_INDEXES)
        indexes = [row[0] for row in cursor.fetchall()]
        assert indexes, "the resource table has a GIN index"
        analyze_tables({"resources_resource"})
        for index in indexes:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            assert cursor.fetchone()[0] == 0, f"{index} still had pending rows"


def test_a_seeding_ends_with_analyze_of_the_tables_it_wrote(db):
    with CaptureQueriesContext(connection) as captured:
        call_command("seed", organizations=3, people=0, resources=2, assessing=0, verbosity=0)
    analyzed = " ".join(q["sql"] for q in captured.captured_queries if q["sql"].upper().startswith("ANALYZE"))
    assert "resources_resource" in analyzed and "registry_organization" in analyzed
    assert captured.captured_queries[-1]["sql"].upper().startswith("ANALYZE")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's owners of indexes")
def test_a_user_that_does_not_own_the_indexes_still_ends_its_import(table):
    """ANALYZE skips a table its user may not analyse; merging a GIN index is left to its owner, not failed."""
    import uuid

    role = f"cg_not_owner_{uuid.uuid4().hex[:12]}"  # made and dropped inside the test's transaction
    ResourceFactory.create_batch(3, community=table.community, organization=table.private_org)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"SET ROLE {role}")
        try:
            analyze_tables({"resources_resource"})
        finally:
            cursor.execute("RESET ROLE")


def test_the_tables_of_words_are_analysed_with_the_table_they_are_kept_beside(db):
    with CaptureQueriesContext(connection) as captured:
        call_command("seed", organizations=3, people=0, resources=2, assessing=0, verbosity=0)
    analyzed = " ".join(q["sql"] for q in captured.captured_queries if q["sql"].upper().startswith("ANALYZE"))
    kind = "head" if connection.vendor == "sqlite" else "word"
    assert f"resources_resource_{kind}" in analyzed and f"registry_organization_{kind}" in analyzed, analyzed
