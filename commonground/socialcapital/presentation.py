"""What the network page shows of a snapshot: names from the registry as the viewer may see them, the tie types
and PARTNER levels in words, and the trend as points of a small inline SVG chart."""

from __future__ import annotations

from dataclasses import dataclass

from .choices import PartnerLevel, TieType

CHART_WIDTH, CHART_HEIGHT = 480, 160


@dataclass
class Row:
    id: int
    name: str
    sector: str
    ties: int
    strongest: str
    betweenness: float
    broker: bool
    isolated: bool
    peripheral: bool


def level_label(level: int) -> str:
    return str(PartnerLevel(level).label) if level else "—"


def type_labels(types) -> list[str]:
    return [str(TieType(kind).label) for kind in types if kind in TieType.values]


def organization_rows(measures: dict, names: dict[int, tuple[str, str]]) -> list[Row]:
    """Return a row for each organization of the snapshot that the viewer still sees at the table (`names`:
    id -> (name, sector label) read through the registry's selector), brokers first."""
    brokers = set(measures.get("betweenness", {}).get("brokers", []))
    isolated = set(measures.get("isolated", {}).get("ids", []))
    peripheral = set(measures.get("peripheral", {}).get("ids", []))
    rows = [
        Row(
            id=row["id"],
            name=names[row["id"]][0],
            sector=names[row["id"]][1],
            ties=row["ties"],
            strongest=level_label(row["strongest"]),
            betweenness=row["betweenness"],
            broker=row["id"] in brokers,
            isolated=row["id"] in isolated,
            peripheral=row["id"] in peripheral,
        )
        for row in measures.get("rows", [])
        if row["id"] in names
    ]
    return sorted(rows, key=lambda r: (-r.betweenness, -r.ties, r.name))


def tie_rows(measures: dict, names: dict[int, tuple[str, str]]) -> list[dict]:
    """Return each tie between two organizations the viewer sees, with what it rests on in words (each kind and
    level put in words once for the page)."""
    kinds: dict[str, list[str]] = {}
    levels: dict[int, str] = {}
    rows = []
    for tie in measures.get("tie_rows", []):
        if tie["a"] not in names or tie["b"] not in names:
            continue
        for kind in tie["types"]:
            if kind not in kinds:
                kinds[kind] = type_labels([kind])
        if tie["level"] not in levels:
            levels[tie["level"]] = level_label(tie["level"])
        labels = [label for kind in tie["types"] for label in kinds[kind]]
        rows.append(
            {
                "a": names[tie["a"]][0],
                "b": names[tie["b"]][0],
                "types": [
                    f"{label} ({count})" for label, count in zip(labels, tie["types"].values(), strict=False)
                ],
                "level": levels[tie["level"]],
            }
        )
    return rows


def trend_points(values: list[float | None]) -> str:
    """Return an SVG polyline's points for values between 0 and 1, spread over the chart's width."""
    step = CHART_WIDTH / max(len(values) - 1, 1)
    return " ".join(
        f"{round(i * step, 1)},{round(CHART_HEIGHT - value * CHART_HEIGHT, 1)}"
        for i, value in enumerate(values)
        if value is not None
    )


def suggestion_rows(measures: dict, names: dict[int, tuple[str, str]]) -> list[dict]:
    """Return the suggested introductions between organizations the viewer sees, each with its reason in
    words (a partner named as a go-between only if the viewer sees it too)."""
    from django.utils.translation import gettext as _

    from .suggestions import BRIDGE, ISOLATED

    rows = []
    for suggestion in measures.get("suggestions", []):
        a, b = suggestion["a"], suggestion["b"]
        if a not in names or b not in names:
            continue
        words = []
        isolated = [names[pk][0] for pk in (a, b) if pk in measures.get("isolated", {}).get("ids", [])]
        if ISOLATED in suggestion["reasons"] and isolated:
            other = names[b][0] if isolated[0] == names[a][0] else names[a][0]
            words.append(
                _("%(isolated)s has no tie at the table yet; %(other)s could bring it in.")
                % {"isolated": isolated[0], "other": other}
            )
        if BRIDGE in suggestion["reasons"]:
            words.append(_("A tie between them would bridge the public and the private sides."))
        via = [names[pk][0] for pk in suggestion.get("via", []) if pk in names]
        if via:
            words.append(
                _("Both already work with %(partners)s, who could introduce them.")
                % {"partners": _(" and ").join(via)}
            )
        rows.append({"a_id": a, "b_id": b, "a": names[a][0], "b": names[b][0], "reason": " ".join(words)})
    return rows


# Above this many organizations the page draws no network (the tables stay).
GRAPH_MAX_NODES = 400


def graph_data(measures: dict, names: dict[int, tuple[str, str]], rows: list[Row]) -> dict | None:
    """Return the drawing's nodes and edges (organizations and ties the viewer sees), or None when too large."""
    if not rows or len(rows) > GRAPH_MAX_NODES:
        return None
    sectors = {row["id"]: row["sector"] for row in measures.get("rows", [])}
    return {
        "nodes": [
            {"id": r.id, "label": r.name, "sector": sectors.get(r.id, ""), "b": r.betweenness} for r in rows
        ],
        "edges": [
            {"a": tie["a"], "b": tie["b"], "level": tie["level"]}
            for tie in measures.get("tie_rows", [])
            if tie["a"] in names and tie["b"] in names
        ],
    }
