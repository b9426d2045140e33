"""Export organizations and people to CSV or XLSX, with TLP applied for the reader."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

from commonground.communities.models import Community
from commonground.core.tabular import write_csv, write_xlsx
from commonground.core.tlp import TLP, narrowest
from commonground.core.visibility import Viewer

from . import selectors
from .services.organizations import ORGANIZATION_FIELDS

PERSON_COLUMNS = [
    "organization",
    "first_name",
    "last_name",
    "title",
    "email",
    "phone",
    "mobile",
    "role",
    "contact_tlp",
]


@dataclass
class Export:
    header: list[str]
    rows: Iterator[list]
    marking: str
    title: str


def organizations_export(*, viewer: Viewer, community) -> Export:
    """Organizations at the table: their profiles are shared with every member (TLP:GREEN)."""
    queryset = selectors.organization_list(viewer=viewer, community=community).order_by("name", "pk")
    rows = (list(values) for values in queryset.values_list(*ORGANIZATION_FIELDS).iterator(chunk_size=2000))
    return Export(list(ORGANIZATION_FIELDS), rows, TLP.GREEN, "organizations")


def people_export(*, viewer: Viewer, community) -> Export:
    """People of the table; contact details only where their marking admits the reader."""
    queryset = selectors.person_list(viewer=viewer, community=community).order_by(
        "organization__name", "last_name", "pk"
    )
    shown_markings = queryset.filter(contact_visible=True).values_list("contact_tlp", flat=True).distinct()
    marking = narrowest([TLP.GREEN, *shown_markings])

    def rows():
        fields = [
            "organization__name",
            "first_name",
            "last_name",
            "title",
            "email",
            "phone",
            "mobile",
            "role",
            "contact_tlp",
            "contact_visible",
        ]
        for values in queryset.values_list(*fields).iterator(chunk_size=2000):
            *cells, visible = values
            if not visible:
                cells[4:7] = ["", "", ""]
            yield cells

    return Export(PERSON_COLUMNS, rows(), marking, "people")


EXPORTS = {"organizations": organizations_export, "people": people_export}


class NoSuchExport(LookupError):
    """No export of that kind, or a community the reader may not open: the same answer, as a 404 is."""


def export_build(*, viewer: Viewer, kind: str, community) -> Export:
    """Build one export for a reader: the page and the command both come here, so both refuse a reader
    who may not open the community (not a member, not a facilitator) before anything is read."""
    if kind not in EXPORTS or not Community.objects.visible_to(viewer).filter(pk=community.pk).exists():
        raise NoSuchExport(f"There is no {kind} export of a community '{community.slug}' that you may open.")
    return EXPORTS[kind](viewer=viewer, community=community)


def render(export: Export, fmt: str) -> tuple[bytes, int]:
    """Return the file's bytes and its row count."""
    if fmt == "csv":
        buffer = io.StringIO()
        count = write_csv(buffer, export.header, export.rows)
        return buffer.getvalue().encode("utf-8-sig"), count
    buffer = io.BytesIO()
    count = write_xlsx(buffer, export.header, export.rows, title=export.title, marking=export.marking)
    return buffer.getvalue(), count
