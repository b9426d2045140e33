"""The record of changes' rows and each entry's changes, drawn in Python: a page of the record of changes lists
fifty entries of many fields each, and a template's lookups for each value were most of the page's drawing.
`communities.tests.test_audit_rows` compares the rows with the template's loop."""

import datetime
import html

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import date
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, gettext_noop

register = template.Library()


def _text(value, context, written: dict | None = None) -> str:
    """`{{ value }}`: a plain text escaped directly (most values; the template engine's path costs five times as
    much), anything else localized and escaped by the engine's own function, once for each value in `written`
    (a page's many ids and flags)."""
    if type(value) is str and context.autoescape:
        return html.escape(value)
    if written is None or type(value) not in (int, float, bool):
        return render_value_in_context(value, context)
    key = (type(value), value)
    if key not in written:
        written[key] = render_value_in_context(value, context)
    return written[key]


def _value(values, index: int, context, written: dict | None = None) -> str:
    """`{{ values|first|default_if_none:"—" }}` (or `last`), as the template writes it."""
    try:
        value = values[index]
    except IndexError:
        value = ""
    return _text("—" if value is None else value, context, written)


@register.simple_tag(takes_context=True)
def changes_list(context, entry, written: dict | None = None) -> str:
    """The changes the reader may see (`visible_changes`), each field with its value before and after."""
    items = "".join(
        f"<li><strong>{_text(field, context)}</strong>: "
        f"{_value(values, 0, context, written)} → {_value(values, -1, context, written)}</li>"
        for field, values in entry.visible_changes.items()
    )
    return mark_safe(f'<ul class="usa-list usa-list--unstyled">{items}</ul>')  # noqa: S308 - each value escaped above


def _literal(text: str) -> str:
    """`{% translate "text" %}`: a template's literal is safe, and so is its translation."""
    return gettext(mark_safe(text))  # noqa: S308 - a literal of this module


def _when(at, context) -> str:
    """`{{ at|date:"Y-m-d H:i" }}`: a date and time written directly, in the reader's zone as the filter reads it."""
    if not isinstance(at, datetime.datetime):
        return render_value_in_context(date(at, "Y-m-d H:i"), context)
    at = template_localtime(at, context.use_tz)
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at.hour:02d}:{at.minute:02d}"


@register.simple_tag(takes_context=True)
def audit_rows(context, entries) -> str:
    """The record of changes' body rows: when, who, what, which record and the changes the reader may see,
    with a word where values are withheld from them; or the row that says there is none."""
    when, who, what, record, changes = (_literal(t) for t in ("When", "Who", "What", "Record", "Changes"))
    withheld = gettext("Values under %(marking)s are withheld: you may not see them.")
    actions: dict[str, str] = {}  # each action's label, translated once
    written: dict = {}  # each number and flag among the changes, written once
    rows = []
    for entry in entries:
        hint = ""
        if not entry.marking_visible and not entry.whole_record:
            hint = f'<p class="usa-hint">{withheld % {"marking": render_value_in_context(entry.tlp, context)}}</p>'
        if entry.action not in actions:
            actions[entry.action] = render_value_in_context(entry.get_action_display(), context)
        rows.append(
            f'\n  <tr><td data-label="{when}">{_when(entry.at, context)}</td>'
            f'<td data-label="{who}">{_text(entry.actor_repr, context)}</td>'
            f'<td data-label="{what}">{actions[entry.action]} {_text(entry.content_type.model, context)}</td>'
            f'<td data-label="{record}">{_text(entry.object_repr, context)}</td>\n'
            f'  <td data-label="{changes}">{hint}{changes_list(context, entry, written)}</td></tr>\n  '
        )
    if not rows:
        # Outside the f-string, where makemessages finds it.
        text = _literal(gettext_noop("No changes recorded."))
        return mark_safe(f'<tr><td colspan="5">{text}</td></tr>')  # noqa: S308
    return mark_safe("".join(rows))  # noqa: S308 - each value escaped above
