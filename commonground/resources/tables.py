"""The resource list's rows and map markers, each label, number and address worked out once, in Python.

A page of fifty resources asked the template engine for three choice labels (each `get_*_display` builds
its choices' dictionary again), two or three number formats and an address per row, and the map asked
again for the same labels and addresses: together about a third of the distance search page's time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from commonground.core.tables import escaped_labels

from .choices import CATEGORY_CHOICES, Availability, ResourceKind
from .models import Resource, stale_before


@dataclass(frozen=True, slots=True)
class ResourceRow:
    """One resource as the list shows it; the template escapes every text, as it would the resource's own."""

    resource: Resource
    url: str
    stale: bool
    distance: str  # "" outside a distance search
    kind: str
    category: str
    quantity: str  # the quantity and its unit, then the capacity and its unit when it has one
    availability: str
    holder: str


def resource_rows(resources: Iterable[Resource]) -> list[ResourceRow]:
    """Return the rows of a page of resources (read with their organization), in its order."""
    kinds = {value: str(label) for value, label in ResourceKind.choices}
    categories = {value: str(label) for value, label in CATEGORY_CHOICES}
    availabilities = {value: str(label) for value, label in Availability.choices}
    stale = stale_before()
    # Each row's address is the same but for its key: reversed once (50 reverse() calls cost a tenth of a page).
    before, after = reverse("resources:resource_detail", args=[URL_KEY]).split(str(URL_KEY))
    rows = []
    for r in resources:
        quantity = f"{amount(r.quantity)} {r.unit}"
        if r.capacity is not None:
            quantity += f" · {amount(r.capacity)} {r.capacity_unit}"
        distance = getattr(r, "distance_km", None)
        rows.append(
            ResourceRow(
                resource=r,
                url=f"{before}{r.pk}{after}",
                stale=r.verified_on < stale,
                distance="" if distance is None else f"{floatformat(distance, 1)} km",
                kind=kinds.get(r.kind, r.kind),
                category=categories.get(r.category, r.category),
                quantity=quantity,
                availability=availabilities.get(r.availability, r.availability),
                holder=r.organization.name,
            )
        )
    return rows


def rows_html(rows: list[ResourceRow], *, near: bool) -> SafeString:
    """Return the rows of the list's table, each text escaped: the template engine took a third of a page of 50."""
    if not rows:
        return format_html('<tr><td colspan="8">{}</td></tr>', _("No resources match."))
    label = escaped_labels(
        ("name", _("Name")),
        ("distance", _("Distance")),
        ("kind", _("Kind")),
        ("category", _("Category")),
        ("quantity", _("Quantity")),
        ("availability", _("Availability")),
        ("held", _("Held by")),
        ("marking", _("Marking")),
    )
    of_type, stale = escape(_("type")), escape(_("not verified lately"))
    html = []
    for row in rows:
        r = row.resource
        badge = f' <span class="stale-badge">{stale}</span>' if row.stale else ""
        distance = f'<td data-label="{label["distance"]}">{escape(row.distance)}</td>' if near else ""
        capability = f" · {of_type} {escape(r.capability_type)}" if r.capability_type else ""
        html.append(
            f'<tr><th scope="row" data-label="{label["name"]}"><a href="{escape(row.url)}">{escape(r.name)}</a>'
            f"{badge}</th>{distance}"
            f'<td data-label="{label["kind"]}">{escape(row.kind)}{capability}</td>'
            f'<td data-label="{label["category"]}">{escape(row.category)}</td>'
            f'<td data-label="{label["quantity"]}">{escape(row.quantity)}</td>'
            f'<td data-label="{label["availability"]}">{escape(row.availability)}</td>'
            f'<td data-label="{label["held"]}">{escape(row.holder)}</td>'
            f'<td data-label="{label["marking"]}">{escape(r.tlp)}</td></tr>'
        )
    return mark_safe("\n".join(html))  # noqa: S308 - every text above is escaped


URL_KEY = 918273645  # a key that stands for each row's in its reversed address


def amount(value) -> str:
    """Return `floatformat(value, "-2")`: a whole number written without its Decimal arithmetic (most amounts)."""
    if (
        isinstance(value, float | int)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and float(value).is_integer()
        and abs(value) < 1e15
        and not settings.USE_THOUSAND_SEPARATOR
    ):
        return str(int(value))
    return floatformat(value, "-2")


def map_markers(rows: Iterable[ResourceRow]) -> list[dict]:
    """Return what the map shows of a page of resources: the ones with coordinates."""
    return [
        {
            "name": row.resource.name,
            "lat": row.resource.latitude,
            "lon": row.resource.longitude,
            "url": row.url,
            "detail": f"{row.kind} · {row.holder}"
            + (
                f" · {distance} km"
                if (distance := getattr(row.resource, "distance_km", None)) is not None
                else ""
            ),
        }
        for row in rows
        if row.resource.latitude is not None and row.resource.longitude is not None
    ]
