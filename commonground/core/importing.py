"""The import engine: one streaming pass that validates every row and writes in batches.

All of a file is written in one transaction; when any row is bad the transaction is rolled back,
so nothing of a bad file is written, and the report names every bad row and column. A dry run is
the same pass, always rolled back, so what it reports is exactly what the import would do.
"""

from __future__ import annotations

import operator
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from . import audit
from .bulk import insert_returning_ids
from .models import AuditAction
from .tabular import Column, ParsedRow, RowError, TabularError, parse_row, read_table

MAX_REPORTED_ERRORS = 500


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

    def write(self, rows: list[Row], report: ImportReport) -> None:
        raise NotImplementedError

    def run(
        self,
        stream: IO[bytes],
        filename: str,
        *,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Import a CSV or XLSX file."""
        return self.run_rows(read_table(stream, filename, self.columns), dry_run=dry_run, progress=progress)

    def run_rows(
        self,
        records: Iterable[tuple[int, dict[str, str]]],
        *,
        dry_run: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Import (row number, {column: text}) records: the path every import, seed and benchmark takes."""
        report = ImportReport(kind=self.kind, dry_run=dry_run)
        batch: list[Row] = []
        with transaction.atomic():
            seen = SeenKeys()
            try:
                for number, raw in records:
                    report.rows += 1
                    parsed = parse_row(number, raw, self.columns)
                    if not parsed.errors:
                        self.check(parsed)
                    if parsed.errors:
                        for error in parsed.errors:
                            report.add_error(error)
                        continue
                    batch.append(Row(number, parsed.values, self.key(parsed.values)))
                    if len(batch) >= self.batch_size:
                        self._flush(self._without_duplicates(batch, seen, report), report, progress)
                        batch = []
                self._flush(self._without_duplicates(batch, seen, report), report, progress)
            except TabularError as error:
                report.add_error(RowError(error.row or 0, error.column, error.message))
            finally:
                seen.close()
            if dry_run or not report.ok:
                transaction.set_rollback(True)
        report.errors.sort(key=lambda error: error.row)
        return report

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

    def _flush(self, batch: list[Row], report: ImportReport, progress: Callable[[int], None] | None) -> None:
        if not batch:
            return
        if progress:
            progress(len(batch))
        self.find_existing(batch)
        if not report.ok:
            return  # keep validating to report every bad row, but write nothing more
        try:
            with transaction.atomic():
                self.write(batch, report)
        except ValidationError as error:
            for item in errors_from_validation(batch[0].number, error):
                report.add_error(item)
        except DatabaseError as error:
            report.add_error(
                RowError(batch[0].number, "", _("the database refused the rows: %(e)s") % {"e": error})
            )


class ModelImporter(Importer):
    """An importer whose rows create or update records of one model, with an audit entry for each."""

    model: type = None  # type: ignore[assignment]

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

    def _create(self, rows: list[Row], report: ImportReport) -> None:
        new = [self.model_values(row.values) for row in rows if row.existing is None]
        if not new:
            return
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

    def write(self, rows: list[Row], report: ImportReport) -> None:
        self._create(rows, report)
        changed, fields, entries = [], set(), []
        for row in rows:
            obj = row.existing
            if obj is None:
                continue
            before = audit.snapshot(obj)
            for name, value in self.model_values(row.values).items():
                setattr(obj, name, value)
            changes = audit.diff(before, audit.snapshot(obj))
            if not changes:
                report.unchanged += 1
                continue
            changed.append(obj)
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
