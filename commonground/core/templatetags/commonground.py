from django import template

from commonground.core.tlp import AUDIENCE, TLP, css_class

register = template.Library()


@register.inclusion_tag("core/tlp_badge.html")
def tlp_badge(marking):
    """Show a TLP marking as FIRST writes it, with its audience as a tooltip."""
    marking = marking or TLP.CLEAR
    return {"marking": marking, "css": css_class(marking), "audience": AUDIENCE.get(TLP(marking), "")}


@register.simple_tag(takes_context=True)
def page_url(context, number):
    query = context.get("querystring") or ""
    return f"?{query + '&' if query else ''}page={number}"
