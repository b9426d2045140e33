"""Read and write CSV and XLSX tables: streaming rows in, escaped cells out.

The domain apps describe their columns with `Column` and parsers; this module turns a file into
numbered rows, checks the header, parses each cell into a value or a row-and-column error, and
writes exports with formula injection neutralised.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
FORMATS = ("csv", "xlsx")
INTEGER = re.compile(r"[+-]?[0-9]{1,18}")


class TabularError(Exception):
    """A file that cannot be read as a table at all: its format, encoding or header."""

    def __init__(self, message: str, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.row, self.column, self.message = row, column, message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False
    help: str = ""


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


# --- parsers -----------------------------------------------------------------------------------


def unescape(value: str) -> str:
    """Undo the quote an export puts before formula-looking text, so exports import back."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def text(max_length: int = 200) -> Parser:
    def parse(value: str) -> str:
        value = unescape(value.strip())
        if len(value) > max_length:
            raise ValueError(_("is longer than %(n)d characters") % {"n": max_length})
        if "\0" in value:
            raise ValueError(_("contains a NUL character"))
        return value

    return parse


def choice(choices: Iterable[tuple[str, str]]) -> Parser:
    """Accept a choice by its code or its label, in any case."""
    accepted: dict[str, str] = {}
    for code, label in choices:
        accepted[str(code).lower()] = code
        accepted[str(label).lower()] = code
    codes = ", ".join(str(code) for code, _label in choices)

    def parse(value: str) -> str:
        key = value.strip().lower()
        if not key:
            return ""
        if key not in accepted:
            raise ValueError(
                _("'%(value)s' is not one of: %(codes)s") % {"value": value[:60], "codes": codes}
            )
        return accepted[key]

    return parse


def integer(min_value: int | None = None, max_value: int | None = None) -> Parser:
    def parse(value: str) -> int | None:
        value = value.strip().replace(",", "")
        if not value:
            return None
        if not INTEGER.fullmatch(value):
            raise ValueError(_("'%(value)s' is not a whole number") % {"value": value[:60]})
        result = int(value)
        if min_value is not None and result < min_value:
            raise ValueError(_("must be at least %(n)s") % {"n": min_value})
        if max_value is not None and result > max_value:
            raise ValueError(_("must be at most %(n)s") % {"n": max_value})
        return result

    return parse


def number(min_value: float, max_value: float) -> Parser:
    def parse(value: str) -> float | None:
        value = value.strip()
        if not value:
            return None
        try:
            result = float(value)
        except ValueError:
            raise ValueError(_("'%(value)s' is not a number") % {"value": value[:60]}) from None
        if not math.isfinite(result) or not (min_value <= result <= max_value):
            raise ValueError(_("must be between %(lo)s and %(hi)s") % {"lo": min_value, "hi": max_value})
        return result

    return parse


def date(value: str) -> datetime.date | None:
    """Accept a date as YYYY-MM-DD (what spreadsheets export as ISO), blank for none."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10] if "T" in value or " " in value else value)
    except ValueError:
        raise ValueError(_("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": value[:60]}) from None


def email(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        raise ValueError(_("'%(value)s' is not an e-mail address") % {"value": value[:60]}) from None
    return value.lower()


# --- reading -----------------------------------------------------------------------------------


def detect_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise TabularError(_("The file must be .csv or .xlsx, not '%(name)s'.") % {"name": filename})
    return suffix


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, list[str]]]:
    text_stream = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.reader(text_stream)
    line = 0
    try:
        for record in reader:
            line += 1
            yield line, record
    except UnicodeDecodeError:
        raise TabularError(
            _("Row %(row)d: the file is not UTF-8 text; save it as 'CSV UTF-8' and try again.")
            % {"row": line + 1},
            row=line + 1,
        ) from None
    except csv.Error as error:
        raise TabularError(
            _("Row %(row)d: %(error)s") % {"row": line + 1, "error": error}, row=line + 1
        ) from None
    finally:
        text_stream.detach()


def _too_many_rows(max_rows: int, row: int | None = None) -> TabularError:
    return TabularError(
        _("The file has more than %(n)s rows, the most one import takes; split it into smaller files.")
        % {"n": f"{max_rows:,}"},
        row=row,
    )


def _check_archive(stream: IO[bytes], max_unzipped_bytes: int) -> None:
    """Refuse a workbook whose parts unpack to more than the limit (a zip bomb), before any is read."""
    try:
        with zipfile.ZipFile(stream) as archive:
            sizes = [info.file_size for info in archive.infolist()]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TabularError(_("The file is not a readable .xlsx workbook.")) from None
    finally:
        stream.seek(0)
    if sum(sizes) > max_unzipped_bytes:
        raise TabularError(
            _("The workbook unpacks to more than %(mb)s MB; save it as CSV or split it.")
            % {"mb": f"{max_unzipped_bytes // 1_000_000:,}"}
        )


def _xlsx_rows(stream: IO[bytes], max_rows: int, max_unzipped_bytes: int) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) for each row the sheet holds, refusing a sheet past the row limit.

    openpyxl's own row iterator fills every missing row and column with blanks, so one cell at
    XFD1048576 costs a billion; its parser yields only the rows the sheet holds, with their numbers.
    """
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import WorkSheetParser

    _check_archive(stream, max_unzipped_bytes)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise TabularError(_("The file is not a readable .xlsx workbook.")) from None
    try:
        if (sheet.max_row or 0) > max_rows + 1:
            raise _too_many_rows(max_rows)
        with sheet._get_source() as source:
            parser = WorkSheetParser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=workbook.epoch,
                date_formats=workbook._date_formats,
                timedelta_formats=workbook._timedelta_formats,
            )
            try:
                for number, cells in parser.parse():
                    if number > max_rows + 1:
                        raise _too_many_rows(max_rows, number)
                    filled = {cell["column"]: cell["value"] for cell in cells if cell["value"] is not None}
                    record = [""] * max(filled, default=0)
                    for column, value in filled.items():
                        record[column - 1] = _cell_text(value)
                    yield number, record
            except TabularError:
                raise
            except Exception:  # a damaged sheet: lxml and openpyxl raise many kinds
                raise TabularError(_("The file is not a readable .xlsx workbook.")) from None
    finally:
        workbook.close()


def read_table(
    stream: IO[bytes],
    filename: str,
    columns: list[Column],
    *,
    max_rows: int | None = None,
    max_unzipped_bytes: int | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, {column: text}) for each data row, after checking the header.

    Row 1 is the header. Blank rows are skipped. Raises TabularError for an unreadable file, a
    header that misses a required column or names an unknown one, or a row numbered past the limit
    (`IMPORT_MAX_ROWS` data rows unless given).
    """
    from django.conf import settings

    max_rows = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
    if max_unzipped_bytes is None:
        max_unzipped_bytes = settings.IMPORT_MAX_UNZIPPED_BYTES
    kind = detect_format(filename)
    records = _csv_rows(stream) if kind == "csv" else _xlsx_rows(stream, max_rows, max_unzipped_bytes)
    try:
        first, header = next(records)
    except StopIteration:
        raise TabularError(_("The file is empty: row 1 must name the columns."), row=1) from None
    if first != 1:
        header = []
    names = [name.strip().lower() for name in header]
    while names and not names[-1]:
        names.pop()
    known = {column.name for column in columns}
    unknown = [name or _("(blank)") for name in names if name not in known]
    if unknown:
        raise TabularError(
            _("Row 1: unknown column(s) %(unknown)s; the columns are: %(known)s")
            % {"unknown": ", ".join(unknown), "known": ", ".join(c.name for c in columns)},
            row=1,
        )
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise TabularError(
            _("Row 1: column(s) named twice: %(names)s") % {"names": ", ".join(duplicated)}, row=1
        )
    missing = [column.name for column in columns if column.required and column.name not in names]
    if missing:
        raise TabularError(
            _("Row 1: missing required column(s): %(missing)s") % {"missing": ", ".join(missing)}, row=1
        )
    width = len(names)
    for number, record in records:
        if number > max_rows + 1:
            raise _too_many_rows(max_rows, number)
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > width and any(cell.strip() for cell in record[width:]):
            raise TabularError(
                _("Row %(row)d: more cells than the header has columns.") % {"row": number}, row=number
            )
        yield number, {name: (record[i] if i < len(record) else "") for i, name in enumerate(names)}


def parse_row(number: int, raw: Mapping[str, str], columns: list[Column]) -> ParsedRow:
    """Parse each cell of a row, collecting an error per bad cell instead of stopping at the first."""
    parsed = ParsedRow(number=number)
    values = parsed.values
    for column in columns:
        name = column.name
        value = raw.get(name)
        if value is None:
            continue
        if column.required and not value.strip():
            parsed.errors.append(RowError(number, name, _("is required")))
            continue
        try:
            values[name] = column.parse(value)
        except ValueError as error:
            parsed.errors.append(RowError(number, name, str(error)))
    return parsed


# --- writing -----------------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """Quote text that a spreadsheet would run as a formula; leave other values as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    if value is None:
        return ""
    return value


def write_csv(stream: IO[str], header: list[str], rows: Iterable[Iterable[Any]]) -> int:
    """Write a header and rows as CSV; return the number of rows written."""
    writer = csv.writer(stream)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        count += 1
    return count


def write_xlsx(
    stream: IO[bytes], header: list[str], rows: Iterable[Iterable[Any]], *, title: str, marking: str
) -> int:
    """Write a header and rows as a one-sheet workbook whose printed pages carry the TLP marking."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.oddHeader.center.text = marking
    sheet.oddFooter.center.text = marking
    sheet.append(header)
    count = 0
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
        count += 1
    workbook.properties.keywords = marking
    workbook.save(stream)
    return count
