"""What the installation imports and exports, each app registering its own kinds from its AppConfig.

An importer is a `core.importing.ModelImporter` subclass; an export is a function
`(*, viewer, community) -> Export`. The import page, the export download and the `import` and
`export` commands offer every kind registered here.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from .tabular import write_csv, write_xlsx

IMPORTERS: dict[str, type] = {}
EXPORTS: dict[str, Callable[..., Export]] = {}
# Where the records of each import kind are listed: the page a confirmed import leads to.
LISTED_AT: dict[str, str] = {}


@dataclass
class Export:
    header: list[str]
    rows: Iterator[list]
    marking: str
    title: str


def register_importer(importer: type, *, listed_at: str) -> None:
    """Offer `importer` under its kind; `listed_at` names the URL of the page that lists its records."""
    IMPORTERS[importer.kind] = importer
    LISTED_AT[importer.kind] = listed_at


def register_export(kind: str, export: Callable[..., Export]) -> None:
    """Offer `export(*, viewer, community)` under `kind`."""
    EXPORTS[kind] = export


def render(export: Export, fmt: str) -> tuple[bytes, int]:
    """Return the file's bytes and its row count."""
    if fmt == "csv":
        buffer = io.StringIO()
        count = write_csv(buffer, export.header, export.rows)
        return buffer.getvalue().encode("utf-8-sig"), count
    buffer = io.BytesIO()
    count = write_xlsx(buffer, export.header, export.rows, title=export.title, marking=export.marking)
    return buffer.getvalue(), count
