"""Pages of a named list read by SQL compiled once in the process: its count, its keys and its page's rows.

A list page built and compiled its visibility conditions (and its filters) three times on every request: to count
the list, for the page's rows, and, for a short text search read whole (`core.counting.read_whole`), for its keys
and then its page's rows by key. Compiling cost a list request about as much as running the queries. A list
whose queryset carries the name of what it is made of (`list_key`, set by its selector and kept through its
filters: `name_list`) is read by SQL kept under that name (`core.counting.compiled`, `core.kept_rows`):

- its count, and a short list's keys, by the list's SQL kept as `KeysFirst` keeps it;
- a page's rows by the list's SQL with the page's bounds, kept for those bounds (`kept_rows`);
- a short list's page rows by key (`rows_by_keys`), as `visible_by_key` reads one record.

The name is the caller's promise (docs/development.md, "Kept SQL"): everything the query is made of. A list with
no name, and any query `kept_rows` would not keep (one that prefetches), is compiled on each request as before.
"""

from __future__ import annotations

from collections.abc import Hashable

from django.db.models import QuerySet

from .counting import CountedPaginator, compiled
from .kept_rows import kept_rows, rows_by_keys


def name_list(queryset: QuerySet, key: Hashable | None) -> QuerySet:
    """Name what the queryset is made of (None: leave it unnamed); a copy made from it carries no name."""
    if key is not None:
        try:
            hash(key)
        except TypeError:  # a value that cannot be a key: compiled each time
            return queryset
        queryset.list_key = key
    return queryset


def list_name(queryset) -> Hashable | None:
    """The name of what this very queryset is made of, or None."""
    return getattr(queryset, "list_key", None) if isinstance(queryset, QuerySet) else None


class KeptPaginator(CountedPaginator):
    """A `CountedPaginator` whose list's SQL is kept under `sql_key` (None: compiled each time, as its base)."""

    def __init__(self, object_list, per_page, *, sql_key: Hashable | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.sql_key = sql_key if isinstance(object_list, QuerySet) else None

    def keys_sql(self, keys: QuerySet) -> tuple[str, tuple]:
        if self.sql_key is None:
            return super().keys_sql(keys)
        return compiled(keys, ("whole keys", self.sql_key, keys.query.high_mark))

    def rows(self, bottom: int, top: int):
        rows = self.object_list
        if self.sql_key is None or rows.query.is_sliced or top <= bottom:
            return super().rows(bottom, top)
        return kept_rows(("page", self.sql_key, bottom, top), lambda: rows[bottom:top], rows.db)

    def rows_by_key(self, keys: list) -> dict:
        rows = self.object_list
        if self.sql_key is None:
            return super().rows_by_key(keys)
        found = rows_by_keys(("page", self.sql_key), lambda: rows, keys, rows.db)
        if found is None:  # the list's SQL does not take its key last: read by the ORM
            return super().rows_by_key(keys)
        return {row.pk: row for row in found}
