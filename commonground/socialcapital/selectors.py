"""Reads of the network, as the viewer may see them."""

from __future__ import annotations

from django.db.models import FloatField, Func, IntegerField, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from commonground.core.visibility import Viewer

from .models import NetworkSnapshot


def snapshot_list(*, viewer: Viewer, community=None) -> QuerySet[NetworkSnapshot]:
    """Return the snapshots of the communities the viewer sits in, newest month first."""
    queryset = NetworkSnapshot.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    return queryset.order_by("community_id", "-month")


def latest_snapshot(*, viewer: Viewer, community) -> NetworkSnapshot | None:
    """Return the community's latest snapshot the viewer may see, or None."""
    return snapshot_list(viewer=viewer, community=community).first()


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
    for every organization and tie)."""
    figures = (
        snapshot_list(viewer=viewer, community=community)
        .annotate(
            organizations=Cast(KT("measures__organizations"), IntegerField()),
            ties=Cast(KT("measures__ties"), IntegerField()),
            density=Cast(KT("measures__density__value"), FloatField()),
            bridging_share=Cast(KT("measures__bridging__share"), FloatField()),
            assortativity=Cast(KT("measures__bridging__assortativity"), FloatField()),
            isolated=JSONArrayLength("measures", "isolated", "ids"),
        )
        .values("month", "organizations", "ties", "density", "bridging_share", "assortativity", "isolated")
    )
    trend = list(figures[:months])
    for month in trend:
        month["density"] = month["density"] or 0.0  # as NetworkSnapshot.density reads a snapshot without one
    return trend[::-1]


def dashboard_context(viewer: Viewer, community) -> dict:
    """The dashboard's panel: the latest figures and the link, for those who may see the network."""
    from .permissions import can_see_network

    visible = can_see_network(viewer, community)
    return {
        "can_see_network": visible,
        "community": community,
        "snapshot": latest_snapshot(viewer=viewer, community=community) if visible else None,
    }
