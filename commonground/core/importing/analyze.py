"""Fresh planner statistics after an import or a seeding: the tables it wrote are analysed before it returns (and
on PostgreSQL their GIN indexes' pending rows merged).

A bulk import can multiply a table's rows; until the statistics say so, PostgreSQL plans as if the
table were still small (the organization list ran three times slower until ANALYZE). SQLite's
planner reads `sqlite_stat1` the same way; there a bounded `analysis_limit` keeps ANALYZE short.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from commonground.core.word_tables import KEPT_BESIDE

WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
SQLITE_ANALYSIS_LIMIT = 1000  # rows examined per index: enough for the planner, milliseconds at any size


@contextmanager
def tables_written() -> Iterator[set[str]]:
    """Collect the names of the tables that the statements run inside the block write to."""
    tables: set[str] = set()

    def note(execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match:
            tables.add(match.group(1))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(note):
        yield tables


def analyze_tables(tables: set[str]) -> None:
    """Refresh the planner's statistics of the given tables."""
    tables = set(tables).union(*(KEPT_BESIDE.get(table, ()) for table in tables))  # written by triggers
    known = set(connection.introspection.table_names(include_views=False))
    names = sorted(table for table in tables if table in known)
    if not names:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
            for name in names:  # SQLite's ANALYZE takes one table at a time
                cursor.execute(f"ANALYZE {quote(name)}")
        else:
            # A GIN index keeps the rows written since the last vacuum in a pending list, which every search
            # through it reads whole: right after 1,000,000 resources were seeded, a text search took 185 ms
            # against 10 ms once merged. Merged here, as the next vacuum would, then the statistics. Only an index's
            # owner may merge it (ANALYZE skips a table it may not analyse; this would fail the import).
            cursor.execute(
                "SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " JOIN pg_am a ON a.oid = c.relam WHERE a.amname = 'gin' AND i.indrelid = ANY(%s::regclass[])"
                " AND pg_has_role(c.relowner, 'USAGE')",
                [names],
            )
            cursor.execute(f"ANALYZE {', '.join(quote(name) for name in names)}")
