"""Who is told of what the audit log records: listeners that keep figures derived from the records fresh (a cache,
a token), told inside the writer's transaction (`core.audit` tells them of every entry it writes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


@dataclass(frozen=True)
class Written:
    """What audit entries of one kind of record say was written: for listeners that keep figures derived from
    the records fresh (a cache), told inside the writer's transaction.

    `community_ids` are the communities the entries name (their scope, the record's own, and the old and new
    values of a changed `community`); `organization_ids` likewise the organizations. `everything` says that
    records were written that no entry names (an import undone, a restore, seeding): any figure may change.
    """

    model: type[models.Model] | None
    community_ids: frozenset[int] = frozenset()
    organization_ids: frozenset[int] = frozenset()
    everything: bool = False


_listeners: list[Callable[[Written], None]] = []


def register_listener(listener: Callable[[Written], None]) -> None:
    """Tell `listener` of every write the log records (an app above core registers in its AppConfig.ready)."""
    if listener not in _listeners:
        _listeners.append(listener)


def touched_everything() -> None:
    """Tell the listeners that records were written without audit entries: any derived figure may change."""
    tell(Written(model=None, everything=True))


def touched(model: type[models.Model]) -> None:
    """Tell the listeners that records of `model` were written without audit entries, at no community in
    particular (the system's own readings: a network snapshot, a step's state): a figure read from them may
    change."""
    tell(Written(model=model))


def tell(written: Written) -> None:
    for listener in _listeners:
        listener(written)


def ids(*values: Any) -> set[int]:
    return {
        int(value) for value in values if type(value) is int or (isinstance(value, str) and value.isdigit())
    }


def tell_entries(entries: Iterable[AuditEntry]) -> None:
    if not _listeners:
        return
    by_type: dict[int, tuple[set[int], set[int]]] = {}
    for entry in entries:
        communities, organizations = by_type.setdefault(entry.content_type_id, (set(), set()))
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        communities |= ids(entry.community_id, entry.record_community_id, *changes.get("community", ()))
        organizations |= ids(entry.organization_id, *changes.get("organization", ()))
    for content_type_id, (communities, organizations) in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        tell(Written(model, frozenset(communities), frozenset(organizations)))
