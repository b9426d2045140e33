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
