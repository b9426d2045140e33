"""Export organizations and people to CSV or XLSX, with TLP applied for the reader."""

from __future__ import annotations

from commonground.core.exchange import Export
from commonground.core.tlp import TLP, narrowest
from commonground.core.visibility import Viewer

from . import selectors
from .models import Person
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

    fields = ["organization__name", *PERSON_COLUMNS[1:], "contact_visible"]
    # The contact details a person's marking withholds from this reader are blank in their row.
    contact = [PERSON_COLUMNS.index(name) for name in Person.TLPOptions.marked_fields]

    def rows():
        for values in queryset.values_list(*fields).iterator(chunk_size=2000):
            *cells, visible = values
            if not visible:
                for index in contact:
                    cells[index] = ""
            yield cells

    return Export(PERSON_COLUMNS, rows(), marking, "people")
