"""The import engine: every row checked first, then written in short transactions, whole or not at all.

Pass 1 parses and checks every row (cells, rules across fields, duplicates, the match to records
already there) with no write transaction open, staging the good rows in batches in a temporary file,
so memory stays flat however long the file. When any row is bad, pass 2 never runs: nothing is
written, no write lock was ever taken, and the report names every bad row and column.

Pass 2 writes the staged batches. SQLite lets one writer in at a time and the others wait at most
their busy timeout (20 s), while 200,000 rows take longer than that to write, so on SQLite pass 2 writes
in slices: one transaction takes batches for at most `WRITE_SLICE_SECONDS` (far below that timeout),
commits, and pauses so that other users' writes go in between. (A transaction a batch paid, for every
batch, a commit and a checkpoint of the index pages it shares with the batches before.) Each batch is
matched and screened again inside the transaction that writes it, so what pass 1 found still holds
when it is written. Should a batch fail (a record changed under the import since pass 1, the
database refusing), its transaction is rolled back and the slices before it are undone from the audit
entries they wrote (`undo`), so no half of a file stands. A caller's own transaction (seeding, tests)
and PostgreSQL, whose writers do not wait for each other, take pass 2 in one transaction. A killed
import holds no lock (the database drops it with the process), and the slices it committed are
journalled, so the next import undoes them (`journal.recover`).

A dry run is the same two passes with every write rolled back, so what it reports is what the
import would do.
"""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils.translation import gettext as _

from ..tabular import Column, ParsedRow, RowError, TabularError, parse_row, read_table
from .analyze import analyze_tables, tables_written
from .journal import journal_begin, journal_end, journal_record, last_audit_id, undo

MAX_REPORTED_ERRORS = 500
# On SQLite an import holds the write lock, in one transaction, for at most this long (plus one batch; far
# below the busy timeout other writers wait) before it commits and lets them in for YIELD_SECONDS.
WRITE_SLICE_SECONDS = 2.0
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
    """The row keys an import has met, so that a later row with the same key is reported, not written.

    They are kept in a private temporary SQLite database of the import's own, not in the application's
    database: it keeps a small page cache and the rest on disk, so memory stays flat however long the
    file, and it takes no lock that other users wait for. One transaction holds it from start to end: a
    transaction a statement (as a temporary table of the application's connection, which pass 1 must
    leave without a transaction, would take) costs several times the lookups themselves.
    """

    # Room for the keys of IMPORT_MAX_ROWS (200,000) rows in memory; those of a longer file go to disk.
    CACHE_KB = 8 * 1024

    def __init__(self):
        self.db = sqlite3.connect("", isolation_level=None)
        self.db.execute(f"PRAGMA cache_size=-{self.CACHE_KB}")
        self.db.execute("CREATE TABLE seen (digest INTEGER PRIMARY KEY, row_number INTEGER NOT NULL)")
        self.db.execute("BEGIN")

    def first_rows(self, digests: list[int]) -> dict[int, int]:
        """Return {digest: the row that first had it} for the digests met before."""
        found: dict[int, int] = {}
        unique = list(set(digests))
        for start in range(0, len(unique), 5000):
            chunk = unique[start : start + 5000]
            found.update(
                self.db.execute(
                    f"SELECT digest, row_number FROM seen WHERE digest IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
        return found

    def add(self, rows: dict[int, int]) -> None:
        # In order of the key: fewer pages of the table touched by each insert.
        self.db.executemany("INSERT INTO seen (digest, row_number) VALUES (?, ?)", sorted(rows.items()))

    def close(self) -> None:
        self.db.close()


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

    def screen(self, rows: list[Row], report: ImportReport) -> None:
        """Add the errors of matched rows the actor may not write, before anything is written."""

    def write(self, rows: list[Row], report: ImportReport) -> None:
        """Write a batch whose rows `find_existing` matched and `screen` passed, in this same transaction."""
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
        errors, on SQLite one short transaction a slice of batches, and undoes the slices before a failed one.
        """
        report = ImportReport(kind=self.kind, dry_run=dry_run)
        with tempfile.TemporaryFile() as staged:
            batches = self._validate(records, report, staged, progress, max_rows)
            if report.ok:
                staged.seek(0)
                with tables_written() as tables:
                    self._write(staged, batches, report, dry_run)
                if report.written:
                    analyze_tables(tables)
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
        written: list[tuple[int, int]] = []  # (last audit entry before, last after) of each slice
        journal = None if dry_run else journal_begin()
        remaining = batches
        try:
            while remaining:
                with transaction.atomic():
                    # The lock is held from the first statement: the entries up to the commit are ours alone.
                    before = last_audit_id()
                    slice_started = time.monotonic()
                    ok = True
                    while remaining and ok:
                        ok = self._flush(self._unstage(staged), report, write=True)
                        remaining -= 1
                        if time.monotonic() - slice_started >= WRITE_SLICE_SECONDS:
                            break
                    if dry_run or not ok:
                        transaction.set_rollback(True)
                    else:
                        written.append((before, last_audit_id()))
                        journal_record(journal, written)
                if not ok:
                    undo(written)
                    return
                if remaining:
                    # SQLite hands a freed lock to whoever asks first, and a waiting writer only asks again
                    # when its busy handler wakes (every 100 ms at most): pause so that it does.
                    time.sleep(YIELD_SECONDS)
        except BaseException:
            undo(written)
            raise
        finally:
            journal_end(journal)

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
        """Match a batch to the records there and, when `write`, write it; return whether it went well.

        Pass 2 matches and screens each batch again, under the write lock, right before writing it: a record
        may have changed, or become hidden, since pass 1 checked the file.
        """
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
