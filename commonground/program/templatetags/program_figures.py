"""A figure of the program's tables, drawn in Python: the growth table alone has four hundred of them, and an
`{% include %}` of a template for each was most of the statistics page's drawing."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html
from django.utils.translation import gettext as _

from commonground.program.disclosure import Cell

register = template.Library()


@register.simple_tag
def figure(cell: Cell) -> str:
    """A figure as the tables show it: suppressed (with the link to why), a dash for none, or the number."""
    if cell.suppressed:
        return format_html(
            '<span class="suppressed">{}<sup><a href="#suppression-note" aria-label="{}">*</a></sup></span>',
            _("suppressed"),
            _("Why suppressed"),
        )
    if cell.value is None:
        return "—"
    return intcomma(cell.value)
