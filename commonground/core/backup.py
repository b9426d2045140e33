"""Back up a whole installation, or one community, to one portable file, and restore it.

The file is gzip-compressed JSON lines: a header, then one line per record in Django's own
serialization, with content types by natural key so that a backup from SQLite restores into
PostgreSQL and back. Restoring refuses a database that already holds communities.

Each app registers the models it keeps and how one community's share of them is chosen (in its
AppConfig.ready, as it registers its step); a backup holds them parents first.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from itertools import islice
from pathlib import Path

from django.core import serializers
from django.core.exceptions import ImproperlyConfigured
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch, Q, QuerySet
from django.db.models.fields.files import FieldFile

from . import audit
from .bulk import insert_returning_ids

FORMAT = "commonground-backup"
VERSION = 1
CHUNK = 2000


class BackupError(Exception):
    """A backup file that cannot be restored here, with the reason in words."""


@dataclass(frozen=True)
class _Share:
    models: tuple
    community_scope: Callable[[CommunityScope], dict[str, QuerySet]]


_shares: list[_Share] = []


def register_backup(*models, community_scope: Callable[[CommunityScope], dict[str, QuerySet]]) -> None:
    """Keep `models` (parents first) in every backup; `community_scope(scope)` chooses one community's share.

    The scope function returns a queryset per label of `models`; it may read the share of other apps'
    models as `scope[label]` and the community's slug as `scope.slug`.
    """
    _shares.append(_Share(tuple(models), community_scope))


def backup_models() -> list:
    """Return the models a backup holds, parents before children: app order, then each after its parents."""
    registered = [model for share in _shares for model in share.models]
    placed: list = []

    def place(model, path=()):
        if model in placed:
            return
        if model in path:
            raise ImproperlyConfigured(
                f"Backed-up models refer to each other in a circle: {model._meta.label}"
            )
        for parent in _parents(model):
            if parent in registered and parent is not model:
                place(parent, (*path, model))
        placed.append(model)

    for model in registered:
        place(model)
    return placed


def _parents(model) -> list:
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [field.related_model for field in fields if field.is_relation and field.related_model]


class CommunityScope:
    """One community's share of every backed-up model, each app's part chosen when first asked for."""

    def __init__(self, slug: str):
        self.slug = slug
        self._querysets: dict[str, QuerySet] = {}
        self._asking: set[int] = set()

    def __getitem__(self, label: str) -> QuerySet:
        if label not in self._querysets:
            share = next((s for s in _shares if label in _labels(s)), None)
            if share is None:
                raise KeyError(label)
            self._gather(share)
        return self._querysets[label]

    def _gather(self, share: _Share) -> None:
        if id(share) in self._asking:
            raise ImproperlyConfigured(f"The community scopes of {_labels(share)} ask for each other.")
        self._asking.add(id(share))
        self._querysets.update(share.community_scope(self))
        self._asking.discard(id(share))

    def referenced(self, model) -> QuerySet:
        """Return the records of `model` that the community's records of other apps' models point at."""
        own = {label for share in _shares if model in share.models for label in _labels(share)}
        wanted = Q(pk__in=[])
        for label in (label for share in _shares for label in _labels(share) if label not in own):
            queryset = self[label]
            for field in queryset.model._meta.concrete_fields:
                if field.is_relation and field.related_model is model:
                    wanted |= Q(pk__in=queryset.exclude(**{field.attname: None}).values(field.attname))
        return model._default_manager.filter(wanted)

    def querysets(self) -> dict[str, QuerySet]:
        """Return every backed-up model's share, parents first."""
        return {model._meta.label: self[model._meta.label].order_by("pk") for model in backup_models()}


def _labels(share: _Share) -> list[str]:
    return [model._meta.label for model in share.models]


def audit_community_scope(scope: CommunityScope) -> dict[str, QuerySet]:
    """Return the audit of one community: its own entries and those of its organizations."""
    from .models import AuditEntry, AuditRecipient

    # The audit keeps plain ids, not keys: the community's and its organizations' are the domain apps' share.
    community = scope["communities.Community"].values("pk")
    organizations = scope["registry.Organization"].values("pk")
    audit = AuditEntry.objects.filter(Q(community_id__in=community) | Q(organization_id__in=organizations))
    return {"core.AuditEntry": audit, "core.AuditRecipient": AuditRecipient.objects.filter(entry__in=audit)}


def _installation_scope() -> dict[str, QuerySet]:
    """Every record of every backed-up model, but reference data that migrations load.

    A model whose table also holds such data (the hazard catalogue) gives its queryset a `for_backup()`
    that leaves it out: the target's own migrations load it again.
    """
    scope = {}
    for model in backup_models():
        queryset = model._default_manager.all()
        if hasattr(queryset, "for_backup"):
            queryset = queryset.for_backup()
        scope[model._meta.label] = queryset.order_by("pk")
    return scope


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name").order_by("app", "name"):
        latest[app] = name
    return latest


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's cuts them to milliseconds, so a
    record made at 12:00:00.000123 came back as 12:00:00 and a restored installation was not the same)."""

    def default(self, o):
        if isinstance(o, datetime | time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _natural_keys(model, depth: int = 2) -> list[str]:
    """The foreign keys of `model` that the serializer writes by the related record's natural key (a user's
    username, a content type's app and model), and theirs in turn (a permission's content type)."""
    names = []
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model and hasattr(field.related_model, "natural_key"):
            names.append(field.name)
            if depth > 1:
                names += [f"{field.name}__{name}" for name in _natural_keys(field.related_model, depth - 1)]
    return names


def _with_related(queryset: QuerySet) -> QuerySet:
    """`queryset` reading, a chunk at a time, what the serializer reads of each record's relations: the
    records its foreign keys name by natural key (joined) and its many-to-many relations (prefetched), as
    the serializer would read them one record at a time (through the same managers, in the same order)."""
    model = queryset.model
    prefetches = []
    for field in model._meta.many_to_many:
        if not field.remote_field.through._meta.auto_created:
            continue  # the serializer leaves out a relation with a model of its own between
        target = field.related_model
        natural = _natural_keys(target) if hasattr(target, "natural_key") else []
        # the related manager's own rows (its manager's filter and order); natural keys' records joined
        rows = target._default_manager.select_related(*natural) if natural else None
        prefetches.append(Prefetch(field.name, queryset=rows))
    return queryset.select_related(*_natural_keys(model)).prefetch_related(*prefetches)


def _records(queryset: QuerySet) -> Iterator[str]:
    iterator = _with_related(queryset).iterator(chunk_size=CHUNK)
    while chunk := list(islice(iterator, CHUNK)):
        text = serializers.serialize("jsonl", chunk, use_natural_foreign_keys=True, cls=ExactJSONEncoder)
        yield from (line for line in text.splitlines() if line)


def write_backup(path: Path, *, community: str | None = None) -> dict[str, int]:
    """Write the installation (or one community, by slug) to `path`; return the count per model."""
    scope = CommunityScope(community).querysets() if community else _installation_scope()
    counts: dict[str, int] = {}
    with transaction.atomic(), gzip.open(path, "wt", encoding="utf-8") as out:
        header = {
            "format": FORMAT,
            "version": VERSION,
            "created": datetime.now(UTC).isoformat(),
            "scope": f"community:{community}" if community else "installation",
            "engine": connection.vendor,
            "migrations": _migrations(),
            "models": list(scope),
        }
        out.write(json.dumps(header) + "\n")
        for label, queryset in scope.items():
            counts[label] = 0
            for line in _records(queryset):
                out.write(line + "\n")
                counts[label] += 1
    return counts


def read_header(path: Path) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            header = json.loads(stream.readline())
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError):
        raise BackupError(f"{path} is not a Common Ground backup file.") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Common Ground backup file.")
    if header.get("version") != VERSION:
        raise BackupError(
            f"{path} is a backup of version {header.get('version')}; this installation reads version {VERSION}."
        )
    return header


def _check_target(header: dict) -> None:
    holds = [
        queryset.model._meta.verbose_name_plural
        for queryset in _installation_scope().values()
        if queryset.exists()
    ]
    if holds:
        raise BackupError(
            "This database already holds data (" + ", ".join(str(h) for h in holds[:4]) + "). "
            "Restore into a new database: create it, run `commonground migrate`, then restore."
        )
    here = _migrations()
    missing = {app: name for app, name in header.get("migrations", {}).items() if here.get(app, "") < name}
    if missing:
        raise BackupError(
            "The backup comes from a newer version of Common Ground (migrations "
            + ", ".join(f"{app}.{name}" for app, name in sorted(missing.items()))
            + " are not applied here). Upgrade, run `commonground migrate`, then restore."
        )


def _lines_by_model(path: Path) -> Iterator[tuple[str, list[str]]]:
    """Yield (model label, lines) runs of at most CHUNK lines, in file order."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        stream.readline()
        label, run = "", []
        for line in stream:
            try:
                line_label = json.loads(line)["model"]
            except (json.JSONDecodeError, KeyError, TypeError):
                raise BackupError(f"{path} is damaged: a record is not readable.") from None
            if run and (line_label != label or len(run) >= CHUNK):
                yield label, run
                run = []
            label = line_label
            run.append(line)
        if run:
            yield label, run


def restore_backup(path: Path) -> dict[str, int]:
    """Load a backup into this (empty, migrated) database in one transaction; return the count per model."""
    header = read_header(path)
    counts: dict[str, int] = {}
    with transaction.atomic():
        _check_target(header)
        # Each run is saved before the next is read, so natural keys always find their parents.
        for _label, lines in _lines_by_model(path):
            try:
                records = list(
                    serializers.deserialize("jsonl", "".join(lines), handle_forward_references=False)
                )
            except serializers.base.DeserializationError as error:
                raise BackupError(f"{path} does not fit this database: {error}") from None
            objects = [record.object for record in records]
            model = type(objects[0])
            # Raw values as stored, pks included: bulk_create would stamp auto_now fields anew.
            columns = [field.attname for field in model._meta.concrete_fields]
            insert_returning_ids(
                model, columns, [tuple(_stored(getattr(obj, name)) for name in columns) for obj in objects]
            )
            _restore_many_to_many(model, records)
            counts[model._meta.label] = counts.get(model._meta.label, 0) + len(objects)
        _reset_sequences()
        audit.touched_everything()  # records restored as they were, with no entries of this writing
    return counts


def _stored(value):
    """A file field's value as its column keeps it: the file's name (a photo, a document)."""
    return (value.name or "") if isinstance(value, FieldFile) else value


def _restore_many_to_many(model, records) -> None:
    """Write the rows of a model's many-to-many relations (recipients, parties, hazards ...)."""
    for field in model._meta.many_to_many:
        through = field.remote_field.through
        source = field.m2m_field_name() + "_id"
        target = field.m2m_reverse_field_name() + "_id"
        rows = [
            through(**{source: record.object.pk, target: pk})
            for record in records
            for pk in (record.m2m_data or {}).get(field.name, ())
        ]
        through.objects.bulk_create(rows, batch_size=CHUNK)


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), backup_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def content_lines(path: Path) -> list[str]:
    """Return a backup's records, sorted, without its header: what two backups must share to be equal."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        stream.readline()
        # Canonical JSON: PostgreSQL's jsonb keeps an object's keys in its own order.
        return sorted(json.dumps(json.loads(line), sort_keys=True) for line in stream)


def summarize(counts: dict[str, int]) -> Iterable[str]:
    return (f"{label}: {count}" for label, count in counts.items())
