"""Record every create, update and delete with the fields before and after.

Services call these after a write, inside the write's transaction, so that a change and its
record of change stand or fall together.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from .audit_listeners import (  # noqa: F401 - the listeners' interface is the audit log's
    Written,
    ids,
    register_listener,
    tell,
    tell_entries,
    touched,
    touched_everything,
)
from .models import AuditAction, AuditEntry, AuditRecipient
from .tlp import TLP, narrowest

# Secrets stay out of the log: a session's key and an API token's digest are as good as the session or key.
SKIPPED_FIELDS = {"created", "updated", "password", "last_login", "session_key", "key_hash"}


PLAIN_TYPES = (str, int, float, bool, type(None))


def _jsonable(value: Any) -> Any:
    if type(value) in PLAIN_TYPES:
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """Return the concrete field values of a record, JSON-ready, keyed by field name.

    A model names its own secrets in `audit_skipped_fields` (a signing key, a credential's QR content).
    """
    skipped = SKIPPED_FIELDS.union(getattr(instance, "audit_skipped_fields", ()))
    return {
        field.name: _jsonable(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
        if field.name not in skipped and not field.primary_key
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Return {field: [before, after]} for the fields whose value changed."""
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def _tlp_options(model) -> Any:
    return getattr(model, "TLPOptions", None)


def _marking_then(opts, values: dict[str, Any], changes: dict[str, Any]) -> str:
    """Return the narrowest marking the record had before or after the change."""
    marking = getattr(opts, "marking", "tlp")
    seen = [m for m in changes.get(marking, ()) if m] or [values.get(marking) or TLP.CLEAR]
    return narrowest(seen)


@dataclass(frozen=True)
class _Access:
    """Where a marked model keeps its marking and audience: read from its TLPOptions once per model."""

    opts: Any
    marking: str
    whole_record: bool
    owner: str
    community: str | None
    person: str | None

    def fields(self, values: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        return {
            "tlp": _marking_then(self.opts, values, changes),
            "whole_record": self.whole_record,
            "owner_id": values.get(self.owner),
            "record_community_id": values.get(self.community) if self.community else None,
            "person_id": values.get(self.person) if self.person else None,
        }

    def created(self, pk: int, values: dict[str, Any], scope: dict | None = None) -> tuple:
        """Return `fields(values | {"pk": pk}, {})` as a tuple, for the entries of many new records."""
        marking = values.get(self.marking) or TLP.CLEAR
        return (
            _MARKINGS.get(marking) or narrowest([marking]),
            self.whole_record,
            values.get(self.owner),
            values.get(self.community) if self.community else None,
            pk if self.person == "pk" else (values.get(self.person) if self.person else None),
        )


_MARKINGS = {marking.value: marking.value for marking in TLP}


@dataclass(frozen=True)
class _CommunityHeld:
    """An unmarked model whose records are read by role (`audit_community` names its community field).

    Its entries are held at TLP:AMBER of that community with no owner: only the community's co-chairs and
    the facilitators read them, never another table's co-chairs through an organization the two share.
    """

    community: str

    def fields(self, values: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        return {
            "tlp": TLP.AMBER,
            "whole_record": True,
            "owner_id": None,
            "record_community_id": values.get(self.community),
            "person_id": None,
        }

    def created(self, pk: int, values: dict[str, Any], scope: dict | None = None) -> tuple:
        community_id = values.get(self.community) or (scope or {}).get("community_id")
        return (TLP.AMBER.value, True, None, community_id, None)


@functools.cache
def _access(model) -> _Access | _CommunityHeld | None:
    opts = _tlp_options(model)
    if opts is None:
        held = getattr(model, "audit_community", None)
        return _CommunityHeld(community=f"{held}_id") if held else None
    person = getattr(opts, "person", None)
    community = getattr(opts, "community", None)
    return _Access(
        opts=opts,
        marking=getattr(opts, "marking", "tlp"),
        whole_record=not getattr(opts, "marked_fields", None),
        owner=f"{getattr(opts, 'owner', 'organization')}_id",
        community=f"{community}_id" if community else None,
        person="pk" if person == "self" else (f"{person}_id" if person else None),
    )


def access_fields(model, values: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Return the marking and audience of a record as its audit entry keeps them.

    `values` are the record's field values by attname (organization_id, community_id, pk); an unmarked
    model's entry is TLP:CLEAR, read by whoever may read the log, unless the model names the community whose
    leaders alone read it (`audit_community`).
    """
    access = _access(model)
    return {"tlp": TLP.CLEAR} if access is None else access.fields(values, changes)


def recipient_relations(model) -> tuple[list[str], list[str]]:
    """Return the many-to-many relations naming a marked model's recipient organizations and people."""
    opts = _tlp_options(model)

    def names(option: str) -> list[str]:
        value = getattr(opts, option, None) or ()
        return [value] if isinstance(value, str) else list(value)

    return names("recipient_organizations"), names("recipient_people")


def recipients_of(instance: models.Model) -> list[AuditRecipient]:
    """Return the organizations and people a marked record is shared with, unsaved, for its audit entry.

    It reads the relations with `.all()`, so a caller that writes many entries prefetches them first.
    """
    if _tlp_options(type(instance)) is None or instance.pk is None:
        return []
    organizations, people = recipient_relations(type(instance))
    organization_ids = {related.pk for name in organizations for related in getattr(instance, name).all()}
    person_ids = {related.pk for name in people for related in getattr(instance, name).all()}
    return [AuditRecipient(organization_id=pk) for pk in sorted(organization_ids)] + [
        AuditRecipient(person_id=pk) for pk in sorted(person_ids)
    ]


def _instance_values(instance: models.Model) -> dict[str, Any]:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields} | {
        "pk": instance.pk
    }


def _actor_repr(actor) -> str:
    if actor is None:
        return "system"
    return actor.get_username() if hasattr(actor, "get_username") else str(actor)


def build_entry(
    *,
    actor,
    action: str,
    instance: models.Model,
    changes: dict[str, Any],
    community_id: int | None = None,
    organization_id: int | None = None,
) -> AuditEntry:
    """Return an unsaved audit entry, for callers that write many at once with bulk_create."""
    entry = AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_repr=_actor_repr(actor),
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        changes=changes,
        community_id=community_id,
        organization_id=organization_id,
        **access_fields(type(instance), _instance_values(instance), changes),
    )
    entry.pending_recipients = recipients_of(instance)
    return entry


def _save(entry: AuditEntry) -> AuditEntry:
    entry.save()
    _save_recipients([entry])
    tell_entries([entry])
    return entry


def _save_recipients(entries: Iterable[AuditEntry]) -> None:
    rows = []
    for entry in entries:
        for recipient in getattr(entry, "pending_recipients", ()):
            recipient.entry_id = entry.pk
            rows.append(recipient)
    if rows:
        AuditRecipient.objects.bulk_create(rows)


def record_create(actor, instance: models.Model, **scope) -> AuditEntry:
    """Record that a record was created, with all its values as the 'after' side."""
    changes = {key: [None, value] for key, value in snapshot(instance).items() if value not in (None, "")}
    return _save(
        build_entry(actor=actor, action=AuditAction.CREATE, instance=instance, changes=changes, **scope)
    )


def record_update(
    actor, instance: models.Model, before: dict[str, Any], extra_changes: dict | None = None, **scope
) -> AuditEntry | None:
    """Record the fields of a record that changed since `before`; nothing when none did.

    `extra_changes` adds what the snapshot cannot see, such as the members of a many-to-many relation.
    """
    changes = {**diff(before, snapshot(instance)), **(extra_changes or {})}
    if not changes:
        return None
    return _save(
        build_entry(actor=actor, action=AuditAction.UPDATE, instance=instance, changes=changes, **scope)
    )


def record_delete(actor, instance: models.Model, **scope) -> AuditEntry:
    """Record that a record was deleted, with its last values as the 'before' side."""
    changes = {key: [value, None] for key, value in snapshot(instance).items() if value not in (None, "")}
    return _save(
        build_entry(actor=actor, action=AuditAction.DELETE, instance=instance, changes=changes, **scope)
    )


def bulk_record(entries: Iterable[AuditEntry], batch_size: int = 2000) -> None:
    """Write many audit entries at once (imports)."""
    entries = list(entries)
    AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    _save_recipients(entries)
    tell_entries(entries)


AUDIT_INSERT_FIELDS = (
    "at", "actor_id", "actor_repr", "action", "content_type_id", "object_id", "object_repr", "changes",
    "community_id", "organization_id", "tlp", "whole_record", "owner_id", "record_community_id", "person_id",
)  # fmt: skip


def bulk_record_created(
    actor,
    model: type[models.Model],
    created: Iterable[tuple[int, str, dict[str, Any], dict]],
    *,
    with_values: bool = True,
) -> None:
    """Record many creations at once: (pk, description, values, scope) for each new record (imports).

    Without `with_values` the entries keep no values ('after' sides), as `commonground seed` writes them.
    The listeners hear of the communities the scopes name; new records sit at no other table yet.
    """
    from django.utils import timezone

    from .bulk import adapter, insert_rows

    # Every entry has the same moment, actor and kind of record: adapt them for the database once.
    at = adapter(AuditEntry, "at")(timezone.now())
    changes_json = adapter(AuditEntry, "changes")
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    actor_repr = _actor_repr(actor)
    content_type_id = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
    access = _access(model)
    unmarked = (TLP.CLEAR.value, True, None, None, None)
    create = AuditAction.CREATE.value
    no_values = changes_json({})
    communities: set[int] = set()
    rows = (
        (
            at, actor_id, actor_repr, create, content_type_id, str(pk), description[:300],
            changes_json({
                key: [None, value if type(value) in PLAIN_TYPES else _jsonable(value)]
                for key, value in values.items()
                if value is not None and value != ""
            }) if with_values else no_values,
            scope.get("community_id"), scope.get("organization_id"),
            *(access.created(pk, values, scope) if access else unmarked),
        )
        for pk, description, values, scope in _scopes_kept(created, communities, access)
    )  # fmt: skip
    insert_rows(AuditEntry, AUDIT_INSERT_FIELDS, rows, adapted=True)
    if communities:
        tell(Written(model, frozenset(communities)))


def _scopes_kept(created: Iterable[tuple], communities: set[int], access) -> Iterator[tuple]:
    """Yield the created rows as they stream, keeping the communities their entries name (a handful)."""
    for row in created:
        pk, _description, values, scope = row
        communities |= ids(scope.get("community_id"))
        if access is not None and access.community:
            communities |= ids(values.get(access.community))
        yield row


def record_save(actor, instance: models.Model, before: dict[str, Any] | None, **scope) -> AuditEntry | None:
    """Record a record made or changed by the same write (`before` is None when it is new)."""
    if before is None:
        return record_create(actor, instance, **scope)
    return record_update(actor, instance, before, **scope)
