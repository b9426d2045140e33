"""The partnerships' networks across the program: each community's latest network snapshot and the means across
communities, disclosed as the other program-wide figures are (`selectors.disclose`)."""

from __future__ import annotations

import datetime

from django.db.models import FloatField, OuterRef, Subquery
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from commonground.core.aggregates import MINIMUM_ORGANIZATIONS
from commonground.core.visibility import Viewer, reader_key
from commonground.socialcapital.models import NetworkSnapshot

from . import kept, stamp
from .permissions import sees_full_figures
from .selectors import disclose


def _latest_snapshots(viewer: Viewer):
    """Each community's latest network snapshot: the viewer's own (facilitators: all); for everyone else the
    snapshots of networks of at least three organizations, whose figures are aggregates (`ties.table_viewer`
    measured them as a plain member of the table sees the record)."""
    if sees_full_figures(viewer):
        snapshots = NetworkSnapshot.objects.visible_to(viewer)
    else:
        snapshots = NetworkSnapshot.objects.filter(measures__organizations__gte=MINIMUM_ORGANIZATIONS)
    latest = (
        NetworkSnapshot.objects.filter(community=OuterRef("community")).order_by("-month").values("month")[:1]
    )
    return snapshots.filter(month=Subquery(latest))


def _number(path: str):
    return Cast(KT(f"measures__{path}"), FloatField())


def network_measures(*, viewer: Viewer, shared: stamp.Shared | None = None) -> dict:
    """Return each community's latest network measures and their means across communities (one query, its SQL
    kept: for the viewer's facts where the viewer sees every snapshot, once otherwise; its rows kept under the
    program's token likewise, `shared`)."""
    full = sees_full_figures(viewer)

    def latest():
        return (
            _latest_snapshots(viewer)
            .annotate(
                n_organizations=_number("organizations"),
                n_ties=_number("ties"),
                d=_number("density__value"),
                share=_number("bridging__share"),
            )
            .order_by("community__name", "community_id")
            .values_list(
                "community__name", "community__slug", "month", "n_organizations", "n_ties", "d", "share"
            )
        )

    names = ("community__name", "community__slug", "month", "n_organizations", "n_ties", "d", "share")

    def read() -> tuple:
        return tuple(kept.rows("network", latest, kept.facts(viewer) if full else None))

    name = f"network for {reader_key(viewer)}" if full else "network"
    rows = [
        {**dict(zip(names, row, strict=True)), "month": _date(row[2])}
        for row in (shared or stamp.Shared()).rows(name, read)
    ]
    behind = int(_sum(row["n_organizations"] for row in rows) or 0)
    return {
        "rows": rows,
        "communities": len(rows),
        "organizations": disclose(behind, behind, viewer=viewer),
        "ties": disclose(int(_sum(row["n_ties"] for row in rows) or 0), behind, viewer=viewer),
        "density": disclose(_mean(row["d"] for row in rows), behind, viewer=viewer),
        "bridging": disclose(_mean(row["share"] for row in rows), behind, viewer=viewer),
    }


def _date(value) -> datetime.date:
    """A date as the database answers it raw: SQLite's text, PostgreSQL's date."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _sum(values) -> float | None:
    """SQL's SUM: of the values that are not null, null when none is."""
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def _mean(values) -> float | None:
    """SQL's AVG: of the values that are not null, null when none is."""
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None
