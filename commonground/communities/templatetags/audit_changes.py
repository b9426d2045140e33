"""An audit entry's changes, drawn in Python: a page of the record of changes lists fifty entries of many fields
each, and a template's lookups for each value were most of the page's drawing."""

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe

register = template.Library()


def _value(values, index: int, context) -> str:
    """`{{ values|first|default_if_none:"—" }}` (or `last`), as the template writes it."""
    try:
        value = values[index]
    except IndexError:
        value = ""
    return render_value_in_context("—" if value is None else value, context)


@register.simple_tag(takes_context=True)
def changes_list(context, entry) -> str:
    """The changes the reader may see (`visible_changes`), each field with its value before and after."""
    items = "".join(
        f"<li><strong>{render_value_in_context(field, context)}</strong>: "
        f"{_value(values, 0, context)} → {_value(values, -1, context)}</li>"
        for field, values in entry.visible_changes.items()
    )
    return mark_safe(f'<ul class="usa-list usa-list--unstyled">{items}</ul>')  # noqa: S308 - each value escaped above
