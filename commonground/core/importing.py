"""The import engine: every row checked first, then written in short transactions, whole or not at all.

Pass 1 parses and checks every row (cells, rules across fields, duplicates, the match to records
already there) with no write transaction open, staging the good rows in batches in a temporary file,
so memory stays flat however long the file. When any row is bad, pass 2 never runs: nothing is
written, no write lock was ever taken, and the report names every bad row and column.

Pass 2 writes the staged batches. SQLite lets one writer in at a time and the others wait at most
their busy timeout (20 s), while 200,000 rows take longer than that to write, so on SQLite each batch
is its own short transaction and other users' writes go in between. Should a batch fail (a record
changed under the import since pass 1, the database refusing), the batches before it are undone from
the audit entries they wrote (`undo`), so no half of a file stands. A caller's own transaction
(seeding, tests) and PostgreSQL, whose writers do not wait for each other, take pass 2 in one
transaction. A killed import holds no lock: the database drops it with the process.

A dry run is the same two passes with every write rolled back, so what it reports is what the
import would do.
"""

from __future__ import annotations

import operator
import pickle
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Max, prefetch_related_objects
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from . import audit
from .bulk import insert_returning_ids
from .models import AuditAction, AuditEntry
from .services import check_still_visible, owns_marking, viewer_of
from .tabular import Column, ParsedRow, RowError, TabularError, parse_row, read_table
from .tlp import is_lower
from .visibility import Viewer

MAX_REPORTED_ERRORS = 500
# On SQLite an import writes for at most this long before it lets other writers in for YIELD_SECONDS.
WRITE_SLICE_SECONDS = 0.5
YIELD_SECONDS = 0.12


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    errors: list[RowError] = dataclass_field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(error)

    def summary(self) -> str:
        if not self.ok:
            return _("%(n)d error(s) in %(rows)d row(s); nothing was written.") % {
                "n": self.error_count,
                "rows": self.rows,
            }
        verb = _("would be") if self.dry_run else _("were")
        return _(
            "%(rows)d row(s): %(created)d %(verb)s created, %(updated)d %(verb)s updated, %(unchanged)d unchanged."
        ) % {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "verb": verb,
        }


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    key: str
    existing: Any = None
    # Set when the row's key collides with a record its actor may not see and that blocks a new one.
    error: RowError | None = None


def key_digest(key: str) -> int:
    """Return a 64-bit fingerprint of a row key (signed, to fit a BIGINT column).

    Python's own string hash: keyed per process, which is all an import's temporary table needs.
    """
    return hash(key)


class SeenKeys:
    """The row keys an import has met, in a temporary table: memory stays flat however long the file."""

    def __init__(self):
        self.table = connection.ops.quote_name(f"import_keys_{uuid.uuid4().hex[:16]}")
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.table} (digest BIGINT PRIMARY KEY, row_number INTEGER NOT NULL)"
            )

    def first_rows(self, digests: list[int]) -> dict[int, int]:
        """Return {digest: the row that first had it} for the digests met before."""
        found: dict[int, int] = {}
        unique = list(set(digests))
        with connection.cursor() as cursor:
            for start in range(0, len(unique), 5000):
                chunk = unique[start : start + 5000]
                cursor.execute(
                    f"SELECT digest, row_number FROM {self.table} WHERE digest IN ({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )
                found.update(cursor.fetchall())
        return found

    def add(self, rows: dict[int, int]) -> None:
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {self.table} (digest, row_number) VALUES (%s, %s)", list(rows.items())
                )

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")


def errors_from_validation(number: int, error: ValidationError, default_column: str = "") -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(number, "" if name == "__all__" else name, message)
            for name, errors in error.error_dict.items()
            for item in errors
            for message in item.messages
        ]
    return [RowError(number, default_column, message) for message in error.messages]


def _last_audit_id() -> int:
    return AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0


def undo(written: list[tuple[int, int]]) -> None:
    """Undo committed batches of an import, newest first, from the audit entries they wrote.

    Each batch is undone in its own short transaction: its new records are deleted (what hangs on
    them goes by cascade), its updated fields are set back to their values before, and its audit
    entries are removed, since they describe writes that no longer stand.
    """
    for first, last in reversed(written):
        with transaction.atomic():
            entries = AuditEntry.objects.filter(id__gt=first, id__lte=last).select_related("content_type")
            created: dict[type, list[str]] = {}
            for entry in entries.order_by("-id").iterator(chunk_size=2000):
                model = entry.content_type.model_class()
                if entry.action == AuditAction.CREATE:
                    created.setdefault(model, []).append(entry.object_id)
                elif entry.action == AuditAction.UPDATE:
                    restored = {}
                    for name, (old, _new) in entry.changes.items():
                        field = model._meta.get_field(name)
                        restored[field.attname] = field.to_python(old)
                    model._base_manager.filter(pk=entry.object_id).update(**restored)
            for model, pks in created.items():
                model._base_manager.filter(pk__in=pks).delete()
            entries.delete()


class Importer:
    """Describe one kind of import; subclasses give the columns, the row key and the writes."""

    kind = ""
    columns: list[Column] = []
    batch_size = 2000

    def __init__(self, *, actor, community):
        self.actor = actor
        self.community = community

    def key(self, values: dict[str, Any]) -> str:
        raise NotImplementedError

    def check(self, row: ParsedRow) -> None:
        """Add the row's errors beyond single cells (rules across fields, references)."""

    def find_existing(self, rows: list[Row]) -> None:
        """Set `row.existing` for rows that match a record already there."""

    def screen(self, rows: list[Row], report: ImportReport) -> None:
        """Add the errors of matched rows the actor may not write, before anything is written."""

    def write(self, rows: list[Row], report: ImportReport) -> None:
        raise NotImplementedError

    def run(
        self,
        stream: IO[bytes],
        filename: str,
        *,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
        max_rows: int | None = None,
    ) -> ImportReport:
        """Import a CSV or XLSX file of at most `max_rows` data rows (`IMPORT_MAX_ROWS` by default)."""
        max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
        return self.run_rows(
            read_table(stream, filename, self.columns, max_rows=max_rows),
            dry_run=dry_run,
            progress=progress,
            max_rows=max_rows,
        )

    def run_rows(
        self,
        records: Iterable[tuple[int, dict[str, str]]],
        *,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
        max_rows: int | None = None,
    ) -> ImportReport:
        """Import (row number, {column: text}) records: the path every import, seed and benchmark takes.

        Pass 1 checks every row with no write transaction open; pass 2 writes only a file without
        errors, one short transaction a batch, and undoes the batches before a failed one.
        """
        report = ImportReport(kind=self.kind, dry_run=dry_run)
        with tempfile.TemporaryFile() as staged:
            batches = self._validate(records, report, staged, progress, max_rows)
            if report.ok:
                staged.seek(0)
                self._write(staged, batches, report, dry_run)
        report.errors.sort(key=lambda error: error.row)
        return report

    def _validate(
        self,
        records: Iterable[tuple[int, dict[str, str]]],
        report: ImportReport,
        staged: IO[bytes],
        progress: Callable[[int], None] | None,
        max_rows: int | None,
    ) -> int:
        """Parse and check every row, staging the good ones in batches; return how many batches."""
        batches = 0
        batch: list[Row] = []
        seen = SeenKeys()
        try:
            for number, raw in records:
                report.rows += 1
                if max_rows is not None and report.rows > max_rows:
                    raise TabularError(
                        _("The file has more than %(n)s rows, the most one import takes.")
                        % {"n": f"{max_rows:,}"},
                        row=number,
                    )
                parsed = parse_row(number, raw, self.columns)
                if not parsed.errors:
                    self.check(parsed)
                if parsed.errors:
                    for error in parsed.errors:
                        report.add_error(error)
                    continue
                batch.append(Row(number, parsed.values, self.key(parsed.values)))
                if len(batch) >= self.batch_size:
                    batches += self._stage(self._without_duplicates(batch, seen, report), report, staged)
                    if progress:
                        progress(len(batch))
                    batch = []
            batches += self._stage(self._without_duplicates(batch, seen, report), report, staged)
            if progress and batch:
                progress(len(batch))
        except TabularError as error:
            report.add_error(RowError(error.row or 0, error.column, error.message))
        finally:
            seen.close()
        return batches

    def _stage(self, batch: list[Row], report: ImportReport, staged: IO[bytes]) -> int:
        """Match a batch to the records there, and stage it while the file has no error yet."""
        if not batch or not self._flush(batch, report, write=False) or not report.ok:
            return 0
        pickle.dump([(row.number, row.values, row.key) for row in batch], staged, pickle.HIGHEST_PROTOCOL)
        return 1

    def _write(self, staged: IO[bytes], batches: int, report: ImportReport, dry_run: bool) -> None:
        """Write the staged batches: whole or not at all, never holding the write lock for long."""
        if connection.in_atomic_block or connection.vendor != "sqlite":
            # A caller's transaction (seeding, tests) is the caller's to hold; PostgreSQL's writers do
            # not wait for one another's inserts, so one transaction blocks nobody there.
            with transaction.atomic():
                for _batch in range(batches):
                    if not self._flush(self._unstage(staged), report, write=True):
                        break
                if dry_run or not report.ok:
                    transaction.set_rollback(True)
            return
        written: list[tuple[int, int]] = []
        slice_started = time.monotonic()
        try:
            for _batch in range(batches):
                if time.monotonic() - slice_started > WRITE_SLICE_SECONDS:
                    # SQLite hands a freed lock to whoever asks first, and a waiting writer only asks again
                    # when its busy handler wakes (every 100 ms at most): pause so that it does.
                    time.sleep(YIELD_SECONDS)
                    slice_started = time.monotonic()
                with transaction.atomic():
                    before = _last_audit_id()
                    ok = self._flush(self._unstage(staged), report, write=True)
                    if dry_run or not ok:
                        transaction.set_rollback(True)
                    else:
                        # The lock is held from the first statement: these entries are this batch's alone.
                        written.append((before, _last_audit_id()))
                if not ok:
                    undo(written)
                    return
        except BaseException:
            undo(written)
            raise

    @staticmethod
    def _unstage(staged: IO[bytes]) -> list[Row]:
        return [Row(number, values, key) for number, values, key in pickle.load(staged)]

    def _without_duplicates(self, batch: list[Row], seen: SeenKeys, report: ImportReport) -> list[Row]:
        """Drop (and report) the rows whose key an earlier row of the file already had."""
        digests = [key_digest(row.key) for row in batch]
        earlier = seen.first_rows(digests)
        kept, new = [], {}
        for row, digest in zip(batch, digests, strict=True):
            first = earlier.get(digest) or new.get(digest)
            if first:
                report.add_error(
                    RowError(row.number, self.key_column, _("duplicates row %(row)d") % {"row": first})
                )
                continue
            new[digest] = row.number
            kept.append(row)
        seen.add(new)
        return kept

    key_column = ""

    def _flush(self, batch: list[Row], report: ImportReport, *, write: bool) -> bool:
        """Match a batch to the records there and, when `write`, write it; return whether it went well."""
        if not batch:
            return True
        errors = report.error_count
        try:
            self.find_existing(batch)
            self.screen(batch, report)
            if write and report.ok:
                with transaction.atomic():
                    self.write(batch, report)
        except ValidationError as error:
            for item in errors_from_validation(batch[0].number, error):
                report.add_error(item)
        except DatabaseError as error:
            report.add_error(
                RowError(batch[0].number, "", _("the database refused the rows: %(e)s") % {"e": error})
            )
        return report.error_count == errors


def no_such_record(row: Row, column: str) -> RowError:
    """Return the one answer for a key the actor may not write, whether or not a hidden record has it."""
    return RowError(row.number, column, _("no such record you may update"))


class ModelImporter(Importer):
    """An importer whose rows create or update records of one model, with an audit entry for each.

    It writes as the services do: a row matches only a record its actor may see and edit, an update keeps
    a marking its row leaves blank, only a marking's owner lowers it, and what is written is re-checked.
    """

    model: type = None  # type: ignore[assignment]

    @cached_property
    def viewer(self) -> Viewer:
        return viewer_of(self.actor)

    @cached_property
    def marking(self) -> str | None:
        """Return the name of the model's TLP marking field, or None for a model without one."""
        name = getattr(getattr(self.model, "TLPOptions", None), "marking", "tlp")
        return name if any(field.name == name for field in self.model._meta.concrete_fields) else None

    @cached_property
    def owner_attname(self) -> str:
        return getattr(getattr(self.model, "TLPOptions", None), "owner", "organization") + "_id"

    def matchable(self, queryset):
        """Narrow the records rows may match to those the actor may see (the system, actor None, sees all)."""
        return queryset if self.actor is None else queryset.visible_to(self.viewer)

    def may_create(self, values: dict[str, Any]) -> bool:
        """Return whether the actor may create this record: the create service's permission."""
        return True

    def may_update(self, instance) -> bool:
        """Return whether the actor may change this record: the update service's permission."""
        return True

    def may_lower(self, instance) -> bool:
        """Only a marking's owner lowers it (`core.services.owns_marking`); the system lowers any."""
        return self.actor is None or owns_marking(self.viewer, instance, getattr(instance, self.marking))

    def refusal(self, row: Row) -> RowError | None:
        """Return why the actor may not write this row, or None."""
        if row.error is not None:
            return row.error
        existing = row.existing
        if not (self.may_create(row.values) if existing is None else self.may_update(existing)):
            return no_such_record(row, self.key_column)
        after = row.values.get(self.marking) if self.marking and existing is not None else None
        if after and is_lower(getattr(existing, self.marking), after) and not self.may_lower(existing):
            return RowError(
                row.number,
                self.marking,
                _("only the owning organization's admins lower a marking; you may raise it"),
            )
        return None

    # Fields whose blank cell keeps the record's value on an update (the marking always is one).
    kept_when_blank: tuple[str, ...] = ()

    def row_values(self, row: Row) -> dict[str, Any]:
        """Return the values to write: a blank marking (or kept field) keeps the record's on an update, and a
        new record gets the field's default."""
        values = self.model_values(row.values)
        for name in filter(None, (self.marking, *self.kept_when_blank)):
            if values.get(name) in (None, ""):
                if row.existing is None:
                    values[name] = self.model._meta.get_field(name).get_default()
                else:
                    values.pop(name, None)
        return values

    def model_values(self, values: dict[str, Any]) -> dict[str, Any]:
        """Return the model field values of a parsed row, keyed by field name or attname."""
        return values

    def describe(self, values: dict[str, Any]) -> str:
        """Return how the audit log names a new record."""
        return str(self.model(**values))

    def audit_scope(self, instance_or_values) -> dict[str, int | None]:
        """Return the community and organization an audit entry is read under."""
        return {}

    def after_create(self, ids: list[int], values: list[dict[str, Any]]) -> None:
        """Write what goes with new records (memberships, links)."""

    def _insert_columns(self) -> list[tuple[str, str, Any]]:
        """(attname, name, default) for each column an insert fills."""
        from django.utils import timezone

        now = timezone.now()
        columns = []
        for field in self.model._meta.concrete_fields:
            if field.primary_key:
                continue
            auto_time = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            columns.append((field.attname, field.name, now if auto_time else field.get_default()))
        return columns

    def _create(self, rows: list[Row], report: ImportReport) -> list[tuple[int, Row]]:
        created = [row for row in rows if row.existing is None]
        if not created:
            return []
        new = [self.row_values(row) for row in created]
        columns = self._insert_columns()
        attnames = [attname for attname, _name, _default in columns]
        defaults = {attname: default for attname, _name, default in columns}
        # Rows give a value by field name or by attname (organization or organization_id).
        renamed = [(name, attname) for attname, name, _default in columns if name != attname]
        pick = operator.itemgetter(*attnames)
        tuples = []
        for values in new:
            row = defaults | values
            for name, attname in renamed:
                if name in values and attname not in values:
                    row[attname] = values[name]
            tuples.append(pick(row))
        ids = insert_returning_ids(self.model, attnames, tuples)
        self.after_create(ids, new)
        audit.bulk_record_created(
            self.actor,
            self.model,
            (
                (pk, self.describe(values), values, self.audit_scope({**values, "pk": pk}))
                for pk, values in zip(ids, new, strict=True)
            ),
        )
        report.created += len(ids)
        return list(zip(ids, created, strict=True))

    def screen(self, rows: list[Row], report: ImportReport) -> None:
        for row in rows:
            if (error := self.refusal(row)) is not None:
                report.add_error(error)

    def write(self, rows: list[Row], report: ImportReport) -> None:
        errors = report.error_count
        self.screen(rows, report)  # again: the records may have changed since the file was checked
        if report.error_count > errors:
            return  # the import is undone as a whole, so nothing of this batch needs writing
        written = self._create(rows, report) + self._update(rows, report)
        self._check_still_visible(written, report)

    def _check_still_visible(self, written: list[tuple[int, Row]], report: ImportReport) -> None:
        """Report each written row whose record the actor could no longer see, as a service write would."""
        if self.actor is None or not written:
            return
        visible = set(
            self.model._default_manager.visible_to(self.viewer)
            .filter(pk__in=[pk for pk, _row in written])
            .values_list("pk", flat=True)
        )
        for pk, row in written:
            if pk in visible:
                continue
            try:
                check_still_visible(self.actor, self.model, pk, self.marking or self.key_column)
            except ValidationError as error:
                for item in errors_from_validation(row.number, error):
                    report.add_error(item)

    def _update(self, rows: list[Row], report: ImportReport) -> list[tuple[int, Row]]:
        changed, fields, entries, written = [], set(), [], []
        organizations, people = audit.recipient_relations(self.model)
        prefetch_related_objects([row.existing for row in rows if row.existing], *organizations, *people)
        for row in rows:
            obj = row.existing
            if obj is None:
                continue
            before = audit.snapshot(obj)
            for name, value in self.row_values(row).items():
                setattr(obj, name, value)
            changes = audit.diff(before, audit.snapshot(obj))
            if not changes:
                report.unchanged += 1
                continue
            changed.append(obj)
            written.append((obj.pk, row))
            fields.update(changes)
            entries.append(
                audit.build_entry(
                    actor=self.actor,
                    action=AuditAction.UPDATE,
                    instance=obj,
                    changes=changes,
                    **self.audit_scope(obj),
                )
            )
        if changed:
            self.model._default_manager.bulk_update(changed, sorted(fields), batch_size=self.batch_size)
            report.updated += len(changed)
            audit.bulk_record(entries)
        return written
