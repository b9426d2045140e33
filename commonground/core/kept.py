"""Kept SQL: what was compiled once in this process, by a key naming everything it was compiled from.

Building and compiling a list's TLP conditions costs about as much as running them on a short list, and a
reader asks for the same lists again and again. `Kept` holds the compiled text and parameters, the least
lately used dropped first. The key is the caller's promise: it must name every input the SQL depends on (the
reader's facts, the community, the filters and their values, the day a condition compares with); a reader
given SQL built for another would read with the other's rights. Used by `core.counting.compiled` (the
lists) and `incidents.compiled` (the board's rules).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class Kept(Generic[Value]):
    """A thread-safe, bounded map from a key to what `build` returned for it."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: Hashable, build: Callable[[], Value]) -> Value:
        """Return what is kept under `key`, or build it (outside the lock) and keep it. A build that raises
        keeps nothing."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        found = build()
        with self._lock:
            self._items[key] = found
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return found

    def discard(self, key: Hashable) -> None:
        """Drop what is kept under `key`, if anything."""
        with self._lock:
            self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class KeptSQLMismatch(AssertionError):
    """Kept SQL differs from what its builder compiles now: its key does not name everything the SQL is made of."""


def check_kept_sql(key: Hashable, kept, rebuilt) -> None:
    """Raise `KeptSQLMismatch` where SQL kept under `key` is not what its builder compiles for this call: the
    check the test suite runs on every kept read (the setting `KEPT_SQL_CHECK`), so that a key that leaves out an
    input of its SQL (the reader, a filter's value, the day) fails whatever test reads through it."""
    # a parameter the database's adapter wraps (psycopg's Jsonb) compares by identity: the same by its repr
    if kept != rebuilt and repr(kept) != repr(rebuilt):
        raise KeptSQLMismatch(
            f"SQL kept under {key!r} is not what its builder compiles now:\n{kept!r}\n{rebuilt!r}"
        )
