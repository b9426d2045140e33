"""Reads of the network, as the viewer may see them."""

from __future__ import annotations

from django.db.models import FloatField, Func, IntegerField, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from commonground.core.kept_rows import kept_rows
from commonground.core.visibility import Viewer
from commonground.registry.selectors import organization_list

from .models import NetworkSnapshot


def snapshot_list(*, viewer: Viewer, community=None) -> QuerySet[NetworkSnapshot]:
    """Return the snapshots of the communities the viewer sits in, newest month first."""
    queryset = NetworkSnapshot.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    return queryset.order_by("community_id", "-month")


def latest_snapshot(*, viewer: Viewer, community) -> NetworkSnapshot | None:
    """Return the community's latest snapshot the viewer may see, or None: by SQL kept for the viewer and the
    community (`core.kept_rows`), which the network page reads on every request."""
    found = kept_rows(
        ("latest network snapshot", viewer, community.pk),
        lambda: snapshot_list(viewer=viewer, community=community)[:1],
    )
    return found[0] if found else None


class JSONArrayLength(Func):
    """The length of a JSON array found at a path of keys in a JSON column (0 where there is none)."""

    output_field = IntegerField()

    def __init__(self, column: str, *keys: str):
        self.keys = keys
        super().__init__(column)

    def as_sqlite(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"COALESCE(json_array_length({column}, %s), 0)", (*params, "$." + ".".join(self.keys))

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        path = "".join(" -> %s" for _ in self.keys)
        return f"COALESCE(jsonb_array_length({column}{path}), 0)", (*params, *self.keys)


def snapshot_trend(*, viewer: Viewer, community, months: int) -> list[dict]:
    """Return the figures of the community's last `months` snapshots, oldest first, read out of their JSON by
    the database: the trend of a large network does not load two years of whole snapshots (each holds a row
    for every organization and tie). By SQL kept for the viewer and the community (`core.kept_rows`)."""
    snapshots = kept_rows(
        ("network trend", viewer, community.pk, months), lambda: _trend_figures(viewer, community)[:months]
    )
    trend = [
        {
            "month": snapshot.month,
            "organizations": snapshot.trend_organizations,
            "ties": snapshot.trend_ties,
            "density": snapshot.trend_density
            or 0.0,  # as NetworkSnapshot.density reads a snapshot without one
            "bridging_share": snapshot.trend_bridging_share,
            "assortativity": snapshot.trend_assortativity,
            "isolated": snapshot.trend_isolated,
        }
        for snapshot in snapshots
    ]
    return trend[::-1]


def _trend_figures(viewer: Viewer, community) -> QuerySet[NetworkSnapshot]:
    """The snapshots with their figures annotated (`trend_…`: a snapshot's own `density` is a property)."""
    return (
        snapshot_list(viewer=viewer, community=community)
        .only("pk", "month")
        .annotate(
            trend_organizations=Cast(KT("measures__organizations"), IntegerField()),
            trend_ties=Cast(KT("measures__ties"), IntegerField()),
            trend_density=Cast(KT("measures__density__value"), FloatField()),
            trend_bridging_share=Cast(KT("measures__bridging__share"), FloatField()),
            trend_assortativity=Cast(KT("measures__bridging__assortativity"), FloatField()),
            trend_isolated=JSONArrayLength("measures", "isolated", "ids"),
        )
    )


def organization_names(*, viewer: Viewer, community) -> list:
    """The organizations at the table as the registry shows them to this viewer now (their keys, names and
    sectors), by SQL kept for the viewer and the community: an organization gone from the table drops out."""
    return kept_rows(
        ("network names", viewer, community.pk),
        lambda: organization_list(viewer=viewer, community=community).only("pk", "name", "sector"),
    )


def dashboard_context(viewer: Viewer, community) -> dict:
    """The dashboard's panel: the latest figures and the link, for those who may see the network."""
    from .permissions import can_see_network

    visible = can_see_network(viewer, community)
    return {
        "can_see_network": visible,
        "community": community,
        "snapshot": latest_snapshot(viewer=viewer, community=community) if visible else None,
    }
