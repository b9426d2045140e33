"""A short list read whole by its keys in one query: its count is the number of its keys.

A list of up to `KEPT_COUNT_ABOVE` rows is counted exactly on every request (`core.counting.list_count`), and a
page of it is then read by its keys (`KeysFirst`): two queries that each read every row of the list, the text
search's matches above all (each a row looked up by the text index's key, and its conditions tested). Reading
the list's keys in order once, up to one more than that bound, answers both: a list that holds no more has its
exact count and every page's keys, and one that holds more is left to `KeysFirst`, which estimates its count
and keeps the estimate (the same answers either way: the same keys in the same order, the same count).

A list found longer is remembered as long, by its SQL's name (the reader's, the filters'), for as long as its
count estimate is kept (`COUNT_ESTIMATE_SECONDS`), so that it is not read to the bound again on every page. The
memory only chooses the way a list is read, never what it answers.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Hashable, Sequence

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

from commonground.core.counting import compiled, short_bound


class ShortList(Sequence):
    """The keys of a whole short list, in its order; a page's rows read by key (`rows.in_bulk`)."""

    def __init__(self, keys: list, rows):
        self.keys = keys
        self.rows = rows

    def __len__(self) -> int:
        return len(self.keys)

    def count(self) -> int:
        return len(self.keys)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        keys = self.keys[index]
        by_key = self.rows.in_bulk(keys)
        return [
            by_key[key] for key in keys if key in by_key
        ]  # a row removed since its key was read is left out


def short_list(queryset: QuerySet, sql_key: Hashable, rows) -> ShortList | None:
    """Return the list as a `ShortList` when it holds no more than `short_bound()` rows, else None.

    Its keys are read by the same kept SQL as a page's keys (`KeysFirst._keys`), to the bound and one more."""
    bound = short_bound()
    if queryset.query.is_sliced or _known_long((sql_key, bound)):
        return None
    keys = queryset.values_list("pk", flat=True)
    try:
        sql, params = compiled(keys, ("keys", sql_key))
    except EmptyResultSet:
        return ShortList([], rows)
    connection = connections[keys.db]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} {connection.ops.limit_offset_sql(0, bound + 1)}", params)
        found = [row[0] for row in cursor.fetchall()]
    if len(found) > bound:
        _remember_long((sql_key, bound))
        return None
    return ShortList(found, rows)


# The lists found longer than the bound, by their SQL's name and the bound: when each was found so.
_long: OrderedDict[Hashable, float] = OrderedDict()
_long_lock = threading.Lock()
LONG_KEPT = 1_000


def _known_long(key: Hashable) -> bool:
    with _long_lock:
        found = _long.get(key)
        if found is None:
            return False
        if time.monotonic() - found < settings.COUNT_ESTIMATE_SECONDS:
            return True
        del _long[key]
        return False


def _remember_long(key: Hashable) -> None:
    with _long_lock:
        _long[key] = time.monotonic()
        _long.move_to_end(key)
        while len(_long) > LONG_KEPT:
            _long.popitem(last=False)


def forget_long_lists() -> None:
    """Forget which lists were found long (the tests do, between tests)."""
    with _long_lock:
        _long.clear()
