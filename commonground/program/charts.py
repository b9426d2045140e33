"""The data each chart and map of the program's pages draws; the tables beside them show the same figures."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def _value(cell):
    return None if cell.suppressed else cell.value


def map_points(places: list[dict], *, full: bool) -> list[dict]:
    """Return a marker for each community; facilitators' open the community."""
    return [
        {
            "name": place["name"],
            "lat": place["center_latitude"],
            "lon": place["center_longitude"],
            "detail": place["state"],
            "url": reverse("communities:dashboard", args=[place["slug"]]) if full else "",
        }
        for place in places
    ]


def growth_chart(growth: dict, *, full: bool = True) -> dict:
    """Lines of organizations and participants by sector, month by month for a facilitator; for anyone else
    quarter by quarter (the rows of the table that end a quarter: the series a visitor gets most of, as the
    months between are shown only where they give nothing away). A suppressed cell is a gap."""
    rows = growth["rows"] if full else [row for row in growth["rows"] if row["quarter_end"]]
    return {
        "labels": [
            date_format(row["month"], "YEAR_MONTH_FORMAT") if full else str(row["quarter"]) for row in rows
        ],
        "organizations": [
            {"label": str(label), "data": [_value(row["organizations"][i]) for row in rows]}
            for i, (_key, label) in enumerate(growth["sectors"])
        ],
        "participants": [
            {"label": str(label), "data": [_value(row["participants"][i]) for row in rows]}
            for i, (_key, label) in enumerate(growth["sectors"])
        ],
    }


def steps_chart(by_step: list[dict]) -> dict:
    return {
        "labels": [_("Step %(number)s") % {"number": row["number"]} for row in by_step],
        "series": [
            {"label": _("Done"), "data": [row["done"] for row in by_step]},
            {"label": _("In progress"), "data": [row["in_progress"] for row in by_step]},
            {"label": _("Not started"), "data": [row["not_started"] for row in by_step]},
        ],
    }


def incidents_chart(incidents: list[dict]) -> dict:
    return {
        "labels": [str(row["label"]) for row in incidents],
        "data": [_value(row["cell"]) for row in incidents],
    }
