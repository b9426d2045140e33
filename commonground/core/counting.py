"""How many rows a list has: exact where counting is cheap, an estimate where an exact count would scan.

A COUNT(*) over the TLP conditions of a list of a million resources reads every row it counts (0.5-3.4 s
at state scale). Counting stops at `EXACT_COUNT_LIMIT` rows instead: up to there the count is exact, and
it costs no more than reading that many rows. Past it, the list is sampled by key: the position, in
primary-key order, of its `EXACT_COUNT_LIMIT`-th row against the span of keys its first and last rows
cover gives its density, and so its size. Both engines answer that from the primary key index, in about
the time of counting `EXACT_COUNT_LIMIT` rows; the page says "about N" and the API `count_is_estimate`.

An estimate is kept for `COUNT_ESTIMATE_SECONDS`, by its query's SQL and parameters (which hold the
viewer's visibility conditions, so a viewer is given only a figure of their own list): a long list is not
counted and sampled again on every page of it, which cost three queries over `EXACT_COUNT_LIMIT` rows each
time (about 45 ms on SQLite at 20,000 resources). A list of more than `KEPT_COUNT_ABOVE` rows (1,000) is kept
the same way even where it was counted exactly, and said to be an estimate every time, the first included
(the figure may be that old): counting a filtered list of a few thousand rows over the TLP conditions cost
more than the rest of its request. A shorter list is counted again on every request, and exactly.

The list's SQL is compiled once, for the key and for the count both: compiling the visibility conditions
costs about as much as running them on a short list. A list that names what its query is made of (`KeysFirst`'s
`sql_key`) has its SQL compiled once in the process, and only its page's bounds change from one request to
the next.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

from .kept import Kept, check_kept_sql


@dataclass(frozen=True)
class ListCount:
    """The number of rows of a list, and whether it is an estimate."""

    value: int
    is_estimate: bool = False


def list_count(rows, sql_key=None) -> ListCount:
    """Count a list exactly up to `EXACT_COUNT_LIMIT` rows, and estimate it past that; its SQL kept under
    `sql_key` when one names what the list is made of (`KeysFirst`)."""
    if isinstance(rows, KeysFirst):
        rows, sql_key = rows.queryset, rows.sql_key
    if not isinstance(rows, QuerySet) or rows.query.is_sliced or rows.query.combinator:
        return ListCount(Paginator(rows, 1).count)  # a list, or a sequence with its own count()
    limit = settings.EXACT_COUNT_LIMIT
    bounded_keys = rows.order_by().values("pk")[: limit + 1]
    try:
        sql, params = compiled(bounded_keys, ("count", limit, sql_key) if sql_key is not None else None)
    except EmptyResultSet:
        return ListCount(0)
    key = _estimate_key(bounded_keys.db, sql, params, limit)
    if (kept := _kept_estimate(key)) is not None:
        return kept
    with connections[bounded_keys.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) subquery", params)
        bounded = cursor.fetchone()[0]
    if bounded <= min(limit, settings.KEPT_COUNT_ABOVE):
        return ListCount(bounded)
    if bounded <= limit:
        estimate = ListCount(bounded, is_estimate=True)
    else:
        estimate = ListCount(max(bounded, _sampled(rows, limit)), is_estimate=True)
    _keep_estimate(key, estimate)
    return estimate


def short_bound() -> int:
    """The most rows a list may hold and still be counted exactly on every request (`list_count`): a text search
    matching more is read a page at a time, not whole (`read_whole`)."""
    return min(settings.EXACT_COUNT_LIMIT, settings.KEPT_COUNT_ABOVE)


def kept_count(key: tuple, count: Callable[[], int]) -> ListCount:
    """Return `count()` of a list it counts exactly and cheaply (a table's seats), kept as `list_count` keeps a
    long list's: more than `KEPT_COUNT_ABOVE` rows is kept for `COUNT_ESTIMATE_SECONDS` and said to be an
    estimate every time; fewer is counted on every call. `key` must name everything the count reads."""
    key = ("kept count", *key) if settings.COUNT_ESTIMATE_SECONDS else None
    if (kept := _kept_estimate(key)) is not None:
        return kept
    counted = count()
    if counted <= settings.KEPT_COUNT_ABOVE:
        return ListCount(counted)
    estimate = ListCount(counted, is_estimate=True)
    _keep_estimate(key, estimate)
    return estimate


def _kept_estimate(key: tuple | None) -> ListCount | None:
    """The estimate kept under `key`, if one is and is not yet `COUNT_ESTIMATE_SECONDS` old."""
    if key is None or (kept := _estimates.get(key)) is None:
        return None
    if time.monotonic() - kept[0] < settings.COUNT_ESTIMATE_SECONDS:
        return kept[1]
    del _estimates[key]
    return None


def _keep_estimate(key: tuple | None, estimate: ListCount) -> None:
    if key is not None:
        _estimates[key] = (time.monotonic(), estimate)
        while len(_estimates) > ESTIMATES_KEPT:
            _estimates.popitem(last=False)


def compiled(queryset: QuerySet | Callable[[], QuerySet], key, using: str | None = None) -> tuple[str, tuple]:
    """Return a queryset's SQL and parameters, kept by `key` when one is given (None: compiled each time).

    The key must name everything the query is made of (`KeysFirst`); a query that cannot be compiled
    (EmptyResultSet: it matches nothing) is never kept. `queryset` may be a function that builds it, called
    only when its SQL is not kept (building the query costs about what compiling it does), with `using`
    its database.
    """
    if key is None:
        built = queryset() if callable(queryset) else queryset
        return built.query.sql_with_params()
    key = (using if callable(queryset) else queryset.db, key)

    def build() -> tuple[str, tuple]:
        sql, params = (queryset() if callable(queryset) else queryset).query.sql_with_params()
        return sql, tuple(params)

    found = _compiled.get_or_build(key, build)
    if settings.KEPT_SQL_CHECK:
        try:
            rebuilt = build()
        except EmptyResultSet:
            rebuilt = None
        check_kept_sql(key, found, rebuilt)
    return found


# The SQL of lists compiled in this process, by their `sql_key`.
COMPILED_KEPT = 1_000
_compiled: Kept[tuple[str, tuple]] = Kept(COMPILED_KEPT)


def forget_compiled() -> None:
    """Drop every kept SQL (the tests do, between tests)."""
    _compiled.clear()


# Estimates kept in this process: (SQL, parameters, limit) -> (when, ListCount), and the lists `read_whole` found
# longer than counted exactly: (SQL, parameters, ("read whole", bound)) -> (when, None); the oldest go first.
_estimates: OrderedDict[tuple, tuple[float, ListCount | None]] = OrderedDict()
ESTIMATES_KEPT = 1_000


def _estimate_key(db: str, sql: str, params, limit: int) -> tuple | None:
    """The estimate's key: the list's SQL and parameters, or None where they cannot be a key."""
    if not settings.COUNT_ESTIMATE_SECONDS:
        return None
    key = (db, sql, tuple(params), limit)
    try:
        hash(key)
    except TypeError:  # unhashable parameters: not kept
        return None
    return key


def forget_estimates() -> None:
    """Drop every kept estimate (the tests do, between tests)."""
    _estimates.clear()


def _sampled(rows: QuerySet, limit: int) -> int:
    """Estimate a list of more than `limit` rows from the keys of its first, `limit`-th and last rows."""
    keys = rows.order_by("pk").values_list("pk", flat=True)
    first, nth = keys[0], keys[limit]
    last = rows.order_by("-pk").values_list("pk", flat=True)[0]
    if not all(isinstance(key, int) for key in (first, nth, last)) or nth <= first:
        return rows.count()
    return round(limit * (last - first + 1) / (nth - first))


def read_whole(queryset: QuerySet) -> QuerySet:
    """Mark a list that reads every row it holds to give any page of it (a text search: every match, then their
    order), so that `CountedPaginator` reads a short one's keys once, in order, for its count and its page.

    Counted, then paged, such a list read its matches twice: the count and the page each ran the search. The mark
    is on the query, which every copy of the queryset (a filter, an order) carries: a copy is marked, never the
    queryset given."""
    marked = queryset.all()
    marked.query.read_whole = True
    return marked


class CountedPaginator(Paginator):
    """A paginator that counts exactly only where that is cheap (`core.counting`), or takes a known count.

    A list marked `read_whole` that holds no more rows than are counted exactly (`KEPT_COUNT_ABOVE`) has its keys
    read in its order in one query, which counts it and gives any page's keys; the page's rows are then read by
    key (the same rows in the same order as its slice; a row removed between the two reads is left out). A longer
    one, or one whose count is kept as long, is counted and sliced as any other list.
    """

    def __init__(self, object_list, per_page, *, known_count: int | ListCount | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if known_count is not None:
            if not isinstance(known_count, ListCount):
                known_count = ListCount(known_count)
            self.__dict__["list_count"] = known_count
            self.__dict__["whole_keys"] = None

    # The name of what the list's query is made of, where its SQL is kept (`core.kept_pages.KeptPaginator`).
    sql_key = None

    @cached_property
    def list_count(self) -> ListCount:
        keys = self.whole_keys
        if keys is not None:
            return ListCount(len(keys))
        return list_count(self.object_list, self.sql_key)

    @cached_property
    def whole_keys(self) -> list | None:
        """The keys of a short list marked `read_whole`, in its order; None for any other list."""
        rows = self.object_list
        if (
            not isinstance(rows, QuerySet)
            or not getattr(rows.query, "read_whole", False)
            or rows.query.is_sliced
            or rows.query.combinator
        ):
            return None
        bound = min(settings.EXACT_COUNT_LIMIT, settings.KEPT_COUNT_ABOVE)
        keys = rows.values_list("pk", flat=True)[: bound + 1]
        try:
            sql, params = self.keys_sql(keys)
        except EmptyResultSet:
            return []
        # A list found longer is remembered so, by its SQL, for as long as its count estimate is kept.
        key = _estimate_key(keys.db, sql, params, ("read whole", bound))
        if key is not None and (kept := _estimates.get(key)) is not None:
            if time.monotonic() - kept[0] < settings.COUNT_ESTIMATE_SECONDS:
                return None
            del _estimates[key]
        with connections[keys.db].cursor() as cursor:
            cursor.execute(sql, params)
            found = [row[0] for row in cursor.fetchall()]
        if len(found) <= bound:
            return found
        if key is not None:
            _estimates[key] = (time.monotonic(), None)
            while len(_estimates) > ESTIMATES_KEPT:
                _estimates.popitem(last=False)
        return None

    def keys_sql(self, keys: QuerySet) -> tuple[str, tuple]:
        """The SQL and parameters of a short list's keys, to its bound and one more (EmptyResultSet: none)."""
        return keys.query.sql_with_params()

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.whole_keys
        if keys is None:
            return self._get_page(self.rows(bottom, top), number, self)
        chosen = keys[bottom:top]
        by_key = self.rows_by_key(chosen) if chosen else {}
        return self._get_page([by_key[key] for key in chosen if key in by_key], number, self)

    def rows(self, bottom: int, top: int):
        """The list's rows from `bottom` to `top` (the page's slice)."""
        return self.object_list[bottom:top]

    def rows_by_key(self, keys: list) -> dict:
        """The list's rows of these keys (a short list read whole), by key."""
        return self.object_list.in_bulk(keys)

    @cached_property
    def count(self) -> int:
        return self.list_count.value

    @property
    def count_is_estimate(self) -> bool:
        return self.list_count.is_estimate


class KeysFirst(Sequence):
    """A list read a page at a time by key: the page's keys from the list, then its rows by key.

    A page query that joins what each row shows (its holder, its community) can lead a planner to join
    every matching row before it sorts (PostgreSQL after a text match), or to give up the index that
    holds the order (SQLite, when the statistics call a community's index unselective). The keys alone
    sort and cut to a page cheaply; `rows` (the same model, with what a list shows) reads the page by key.


    `sql_key`, when given, names everything `queryset` is made of (the reader, the list, the filters and their
    values, and whatever else its conditions were built from): the list's SQL is then compiled once in the
    process (`compiled`) and each page reads its keys by it. Building the key is the caller's promise; a
    queryset changed after it was named must not be given one.
    """

    def __init__(self, queryset: QuerySet, rows, sql_key=None):
        self.queryset = queryset
        self.rows = rows
        self.sql_key = sql_key

    def __len__(self) -> int:
        return self.count()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        keys = self._keys(index)
        by_key = self.rows.in_bulk(keys)
        return [
            by_key[key] for key in keys if key in by_key
        ]  # a row removed between the two reads is left out

    def _keys(self, index: slice) -> list:
        """Return the keys of a slice of the list, by its kept SQL where it has a key."""
        keys = self.queryset.values_list("pk", flat=True)
        start, stop = index.start or 0, index.stop
        if (
            self.sql_key is None
            or index.step is not None
            or start < 0
            or stop is None
            or stop <= start
            or keys.query.is_sliced
        ):
            return list(keys[index])
        try:
            sql, params = compiled(keys, ("keys", self.sql_key))
        except EmptyResultSet:
            return []
        connection = connections[keys.db]
        sql = f"{sql} {connection.ops.limit_offset_sql(start, stop)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]
