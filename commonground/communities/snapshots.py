"""The dashboard's snapshot of a community's progress, kept in the cache between the writes that change it.

A snapshot holds what the dashboard shows every reader alike: the six steps' states, the organizations at
the table by sector, and the panels' shared figures. All of it is judged as the least-privileged member of
the table sees the records (`progress`, `core.aggregates.table_member`), so one snapshot serves every
reader, and holds nothing a plain member may not see.

It is kept under the community's progress token (`ProgressStamp`), its day on its own clock ("overdue",
quarter ends), and the language (the evaluators translate their lines as they write them); it expires by
itself at the next moment the clock alone changes it (`progress.register_clock`: a meeting starting). Every
write that the log records draws a new token for the communities its entries name (`core.audit.register_listener`)
as soon as the writer commits, in a statement of its own: no writer holds a community's stamp row while the
others at its table wait. A reader takes the token before it reads the records, so a snapshot built from
records older than a write is only ever kept under a token that write's commit replaces. Writes the log does not
record call `core.audit.touched_everything`. An entry about an organization or a person draws new tokens
everywhere: its records stay at tables it has left (resources, attendance), which count it by its sector now.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from commonground.core.audit import Written
from commonground.core.timezones import community_today
from commonground.core.visibility import Viewer, reader_key

from .models import Community, ProgressStamp
from .progress import StepState, community_progress, next_change, one_reading, shared_panels
from .selectors import seat_counts

T = TypeVar("T")

# Raised whenever what a snapshot holds changes shape, so that no server reads an older shape.
VERSION = 1
# However long no write comes, a snapshot is built again after this long.
LONGEST = 60 * 60

# Which audit entries keep fresh each table an uncached snapshot reads (the guard test holds them to it):
# COMMUNITY - the services that write it scope their entries to its community (as every audited write at a
# table is scoped); EVERYWHERE - the entries name an organization or a person, whose records are read at every
# table they sit at or once sat at (its sector, its people co-chairing, the resources and attendance it left).
COMMUNITY, EVERYWHERE = "community", "everywhere"
SOURCES = {
    "communities.community": COMMUNITY,
    "communities.membership": COMMUNITY,
    "communities.cochair": COMMUNITY,
    "registry.organization": EVERYWHERE,
    "registry.person": EVERYWHERE,
    "agenda.issue": COMMUNITY,
    "agenda.endorsement": COMMUNITY,
    "resources.resource": COMMUNITY,
    "risks.hazardassessment": COMMUNITY,
    "sustainability.needsassessment": COMMUNITY,
    "sustainability.needsanswer": COMMUNITY,
    "sustainability.goal": COMMUNITY,
    "sustainability.task": COMMUNITY,
    "sustainability.meeting": COMMUNITY,
    "sustainability.attendance": COMMUNITY,
    "incidents.incident": COMMUNITY,
    "risks.hazard": COMMUNITY,  # a community's own (the shared catalogue is written by migrations alone)
    "sustainability.needsitem": COMMUNITY,
}


@dataclass
class Snapshot:
    """What the dashboard shows every reader of one community alike."""

    steps: list[StepState]
    seats: dict[str, int]
    panels: list[dict | None]


def build(community: Community) -> Snapshot:
    """Build a community's snapshot from its records, each figure read once."""
    with one_reading():
        return Snapshot(
            steps=community_progress(community),
            seats=dict(seat_counts(community)),
            panels=shared_panels(community),
        )


def _token(community: Community) -> str | None:
    return ProgressStamp.objects.filter(community=community).values_list("token", flat=True).first()


def cache_key(community: Community, token: str) -> str:
    language = translation.get_language() or ""
    return f"progress:{VERSION}:{community.pk}:{token}:{community_today(community).isoformat()}:{language}"


def snapshot(community: Community) -> Snapshot:
    """Return a community's snapshot, from the cache when its token, day and language are the same."""
    return _kept(community, "", partial(build, community))


def kept_for_reader(community: Community, viewer: Viewer, name: str, build_for_reader: Callable[[], T]) -> T:
    """Return what `build_for_reader` gives this reader at this community (`name` says what it is and of
    which record), kept as the snapshot is, between the writes that change the community's records: under
    its progress token, day and language, and every fact of the reader (`core.visibility.reader_key`), so
    that no two readers who may see different records share it. What it reads must be kept fresh by SOURCES'
    rules, as the snapshot's is (the guard tests of each use hold them to it)."""
    return _kept(community, f":{name}:{reader_key(viewer)}", build_for_reader)


def _kept(community: Community, suffix: str, build_it: Callable[[], T]) -> T:
    token = _token(community)
    if token is None:  # a community no write has stamped yet: built every time until one does
        return build_it()
    key = cache_key(community, token) + suffix
    kept = cache.get(key)
    if kept is not None:
        return kept
    # Asked before building: a meeting that starts meanwhile is in the build, or expires it at once.
    lifetime = _lifetime(community)
    found = build_it()
    cache.set(key, found, lifetime)
    return found


def _lifetime(community: Community) -> int:
    moment = next_change(community)
    if moment is None:
        return LONGEST
    seconds = (moment - timezone.now()).total_seconds()
    return max(1, min(LONGEST, int(seconds)))


def touch(community_ids: set[int] | frozenset[int]) -> None:
    """Draw a new progress token for these communities (their snapshots are built again on the next read)."""
    if not community_ids:
        return
    # Rows locked in one order: two writers touching the same communities in one call cannot deadlock.
    ids = sorted(community_ids)
    token = uuid.uuid4().hex
    stamped = ProgressStamp.objects.filter(community_id__in=ids).update(token=token)
    if stamped < len(ids):
        _stamp_missing(ids, token)


def touch_everything() -> None:
    """Draw a new progress token for every community."""
    token = uuid.uuid4().hex
    ProgressStamp.objects.update(token=token)
    _stamp_missing(None, token)


def _stamp_missing(ids: list[int] | None, token: str) -> None:
    communities = Community.objects.exclude(pk__in=ProgressStamp.objects.values("community_id"))
    if ids is not None:
        communities = communities.filter(pk__in=ids)
    ProgressStamp.objects.bulk_create(
        [ProgressStamp(community_id=pk, token=token) for pk in communities.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )


def written(entry: Written) -> None:
    """Keep the snapshots fresh after a write the log records (`core.audit.register_listener`): new tokens for
    the communities it changed, drawn once the writer commits (nothing, if it rolls back)."""
    if entry.everything or (
        entry.model is not None and SOURCES.get(entry.model._meta.label_lower) == EVERYWHERE
    ):
        after_commit(touch_everything)
    elif entry.community_ids:
        after_commit(partial(touch, frozenset(entry.community_ids)))


def after_commit(action: Callable[[], None]) -> None:
    """Run `action` when the current transaction commits (at once outside one). A failure is logged, not raised:
    the write it follows is committed, and its reader must not get an error for it; the snapshots it leaves
    stale expire by themselves (`LONGEST`)."""
    transaction.on_commit(action, robust=True)


def source_tables() -> dict[str, str]:
    """Return {table: rule} for the tables the invalidation rules cover: each model's, and its many-to-many
    tables (a record's named recipients, a goal's needs), which its services write with it."""
    tables = {}
    for label, rule in SOURCES.items():
        model = apps.get_model(label)
        tables[model._meta.db_table] = rule
        for field in model._meta.local_many_to_many:
            tables[field.remote_field.through._meta.db_table] = rule
    return tables


def as_data(found: Snapshot) -> Any:
    """Return a snapshot as plain values, for comparing two of them."""
    return (
        [(s.number, s.status, s.summary, list(s.missing), s.url) for s in found.steps],
        dict(sorted(found.seats.items())),
        found.panels,
    )
