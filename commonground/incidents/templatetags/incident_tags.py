"""The active-incident banner every page of a community shows."""

from functools import lru_cache

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import get_language

from commonground.core.viewer import viewer_for

from .. import rows, selectors

register = template.Library()


@register.inclusion_tag("incidents/_banner.html", takes_context=True)
def incident_banner(context):
    """Show the community's open incidents the reader may see (one query, its SQL kept: `selectors.banner_incidents`),
    each with its own marking; the banner is kept rendered by what it shows (`rows.BannerRow`)."""
    community = context.get("community")
    if community is None or not getattr(community, "pk", None):
        return {"incidents": []}
    viewer = context.get("viewer")
    if viewer is None:
        request = context.get("request")
        viewer = viewer_for(getattr(request, "user", None))
    incidents = selectors.banner_incidents(viewer=viewer, community=community)
    return {"incidents": tuple(rows.banner_row(incident) for incident in incidents)}


@register.filter
def km(metres) -> str:
    """Write a distance in metres as kilometres, to a tenth."""
    try:
        return f"{float(metres) / 1000:.1f} km"
    except (TypeError, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def time_element(context, value, label_format: str = "M j, H:i"):
    """Write `<time datetime="{{ value|date:'c' }}">{{ value|date:label_format }}</time>`, the same, formatted
    once per moment, time zone, format and language (a board shows the same times at every poll)."""
    if value in (None, ""):
        return mark_safe('<time datetime=""></time>')  # noqa: S308 (a constant)
    value = template_localtime(value, use_tz=context.use_tz)
    return _time_element(value, getattr(value, "tzinfo", None), label_format, get_language())


@lru_cache(maxsize=4096)
def _time_element(value, zone, label_format: str, language: str | None) -> str:
    return format_html(
        '<time datetime="{}">{}</time>', date_format(value, "c"), date_format(value, label_format)
    )
