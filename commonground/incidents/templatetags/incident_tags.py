"""The active-incident banner every page of a community shows."""

from django import template

from commonground.core.viewer import viewer_for

from .. import selectors

register = template.Library()


@register.inclusion_tag("incidents/_banner.html", takes_context=True)
def incident_banner(context):
    """Show the community's open incidents the reader may see (one query), each with its own marking."""
    community = context.get("community")
    if community is None or not getattr(community, "pk", None):
        return {"incidents": []}
    viewer = context.get("viewer")
    if viewer is None:
        request = context.get("request")
        viewer = viewer_for(getattr(request, "user", None))
    return {
        "incidents": list(selectors.open_incidents(viewer=viewer, community=community)),
        "community": community,
    }


@register.filter
def km(metres) -> str:
    """Write a distance in metres as kilometres, to a tenth."""
    try:
        return f"{float(metres) / 1000:.1f} km"
    except (TypeError, ValueError):
        return ""
