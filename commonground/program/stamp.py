"""The program page's shared rows, kept in the cache between the writes that change them.

The program's statistics read a dozen program-wide GROUP BYs on every request; most of them are the same for
every reader (the organizations by sector and state, the seats, the growth, the steps, the places) or for every
reader of a kind (the newsletters sent, to a visitor or not; the networks, to a visitor or a member). Those are
kept under the program's token (`ProgramStamp`): every write the log records of a table they read draws a new
token as soon as its writer commits (`core.audit.register_listener`), in a statement of its own; so do the
worker's writes of step states and network snapshots (`core.audit.touched`) and the writes no entry records
(`touched_everything`: seeding, a restore, an import undone). A reader takes the token before it reads, so rows
read under a token are never older than it. What depends on the reader's own facts (the incidents they may see,
a facilitator's networks) is read from the database every time, or kept under those facts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from commonground.core.audit import Written
from commonground.core.kept import Kept

from .models import ProgramStamp

# Raised whenever what the kept rows hold changes shape, so that no server reads an older shape.
VERSION = 1
# However long no write comes, the rows are read again after this long.
LONGEST = 60 * 60

# The models whose tables the kept rows read (the guard test holds them to it): each written by services that
# audit their writes, or by the worker, which says so (`core.audit.touched`).
SOURCES = {
    "communities.community",
    "communities.membership",
    "registry.organization",
    "registry.person",
    "newsletters.newsletter",
    "program.steprecord",
    "socialcapital.networksnapshot",
}

# Rows already read from the cache in this process, by their cache key (the token is in it): the same key
# always holds rows at least as new as its token, so any of them serves.
_local: Kept = Kept(64)


def token() -> str | None:
    """The program's token now (one statement), or None before the first write drew one."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {ProgramStamp._meta.db_table} WHERE id = 1")  # noqa: S608 - no input
        row = cursor.fetchone()
    return row[0] if row else None


class Shared:
    """The kept rows one request reads: under the token it took first, from this process, the cache, or the
    database (and then kept). Without a token, every read goes to the database."""

    def __init__(self) -> None:
        self.token = token()

    def rows(self, name: str, read: Callable[[], tuple]) -> tuple:
        """The rows `read` returns, kept under `name`, which must name everything they are made of."""
        if self.token is None:
            return read()
        key = f"program:rows:{VERSION}:{self.token}:{name.replace(' ', '_')}"
        return _local.get_or_build(key, lambda: _cached(key, read))


def _cached(key: str, read: Callable[[], tuple]) -> tuple:
    found = cache.get(key)
    if found is None:
        found = read()
        cache.set(key, found, LONGEST)
    return found


def touch() -> None:
    """Draw a new token (every kept row is read again on the next request)."""
    drawn = uuid.uuid4().hex
    if not ProgramStamp.objects.filter(pk=1).update(token=drawn):
        ProgramStamp.objects.bulk_create([ProgramStamp(pk=1, token=drawn)], ignore_conflicts=True)


def written(entry: Written) -> None:
    """Keep the rows fresh after a write (`core.audit.register_listener`): a new token once the writer commits
    (nothing, if it rolls back). A failure is logged, not raised: the write is committed, and its writer must
    not get an error for it; the rows it leaves stale expire by themselves (`LONGEST`)."""
    if entry.everything or (entry.model is not None and entry.model._meta.label_lower in SOURCES):
        transaction.on_commit(touch, robust=True)


def source_tables() -> set[str]:
    """The tables of the models in SOURCES, and their many-to-many tables."""
    tables = set()
    for label in SOURCES:
        model = apps.get_model(label)
        tables.add(model._meta.db_table)
        tables |= {field.remote_field.through._meta.db_table for field in model._meta.local_many_to_many}
    return tables
