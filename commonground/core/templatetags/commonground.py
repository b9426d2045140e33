from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext

from commonground.core.tlp import AUDIENCE, TLP, css_class

register = template.Library()


@register.simple_tag
def tlp_badge(marking):
    """Show a TLP marking as FIRST writes it, with its audience as a tooltip.

    Formatted here rather than by an inclusion tag's template, with the same markup: a list shows one per
    row, and rendering a template for each was a sixth of the people page's CPU.
    """
    marking = marking or TLP.CLEAR
    return format_html(
        '<span class="tlp-badge {}" title="{}">{}</span>\n',
        css_class(marking),
        gettext(AUDIENCE[TLP(marking)]),
        marking,
    )


@register.simple_tag(takes_context=True)
def page_url(context, number, cursor=None):
    """Return the link to page `number`, with the cursor that reads it by keyset (`core.keyset`) when given."""
    query = context.get("querystring") or ""
    link = f"?{query + '&' if query else ''}page={number}"
    return f"{link}&cursor={cursor}" if cursor else link


@register.simple_tag
def base_map_attributes(community):
    """Return the data attributes every map reads: the community's place and the base layer to draw under it.

    The base is the vendored US outlines (no server but ours); a tile server is drawn only where MAP_TILE_URL
    is set. The community's place is its state and the county that holds its centre (base-map.js finds it).
    """
    return format_html(
        'data-base-map data-outlines="{}" data-state="{}" data-center-lat="{}" data-center-lon="{}"'
        ' data-tiles="{}" data-attribution="{}"',
        static("vendor/us-atlas/counties-10m.json"),
        community.get_state_display() if community else "",
        "" if community is None else community.center_latitude,
        "" if community is None else community.center_longitude,
        settings.MAP_TILE_URL,
        settings.MAP_TILE_ATTRIBUTION,
    )


@register.inclusion_tag("core/forms/error_summary.html")
def error_summary(form):
    """List a form's errors at its top, each field's linked to the field, so nobody hunts down a long page.

    A form whose labels repeat (one per item of a questionnaire) names its fields in the summary with a
    `summary_label(bound_field)` method.
    """
    if form is None or not form.is_bound or not form.errors:
        return {"entries": ()}
    name_of = getattr(form, "summary_label", None) or (lambda bound: bound.label)
    entries = [(None, error) for error in form.non_field_errors()]
    for bound in form:
        for error in bound.errors:
            if bound.is_hidden:
                entries.append((None, f"{name_of(bound)}: {error}"))
            else:
                entries.append((f"#{bound.id_for_label}", f"{name_of(bound)}: {error}"))
    return {"entries": entries}
