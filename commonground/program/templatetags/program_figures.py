"""The figures of the program's tables, drawn in Python: the growth table alone has four hundred of them, and an
`{% include %}` of a template for each was most of the statistics page's drawing; then a `{% figure %}` tag for each
cell and the template's loop over them were still a third of the page's CPU, so the growth table's rows are drawn
whole (`growth_rows`, pinned byte for byte to the template they replace by `tests/test_program_figures.py`)."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.base import render_value_in_context
from django.utils.formats import date_format, get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from commonground.program.disclosure import Cell

register = template.Library()

# The suppressed figure's markup in each language: the same for every cell.
_suppressed: dict[str | None, str] = {}


def _suppressed_markup() -> str:
    language = get_language()
    if language not in _suppressed:
        _suppressed[language] = format_html(
            '<span class="suppressed">{}<sup><a href="#suppression-note" aria-label="{}">*</a></sup></span>',
            _("suppressed"),
            _("Why suppressed"),
        )
    return _suppressed[language]


@register.simple_tag
def figure(cell: Cell) -> str:
    """A figure as the tables show it: suppressed (with the link to why), a dash for none, or the number."""
    if cell.suppressed:
        return _suppressed_markup()
    if cell.value is None:
        return "—"
    return grouped(cell.value)


def grouped(value, separator: str | None = None) -> str:
    """`intcomma(value)` (the number in the language's grouping), written directly for a whole number in groups of
    three: the growth table's two hundred figures each cost `intcomma` its localization's lookups. Pinned to
    `intcomma` by `tests/test_program_figures.py`. `separator`: `_separator()`, read once for many numbers."""
    separator = _separator() if separator is None else separator
    if type(value) is not int or not separator:
        return intcomma(value)
    return f"{value:,}".replace(",", separator)


def _separator() -> str:
    """The language's thousands separator where it groups by three ("": `intcomma` writes its figures)."""
    language = get_language()
    separator = _thousands.get(language)
    if separator is None:
        grouping = get_format("NUMBER_GROUPING", language, use_l10n=True)
        separator = _thousands[language] = get_format("THOUSAND_SEPARATOR", language) if grouping == 3 else ""
    return separator


# Each language's thousands separator where it groups by three ("": `intcomma` writes its figures).
_thousands: dict[str | None, str] = {}


def _cell(cell: Cell) -> str:
    """A figure as `{% figure %}` writes it in a template: escaped unless it is safe markup."""
    if not cell.suppressed and type(cell.value) is int:
        return conditional_escape(grouped(cell.value))
    return str(conditional_escape(figure(cell)))


def _cell_writer():
    """`_cell` for a table's many figures: the language's suppressed markup and separator read once."""
    suppressed, separator = str(_suppressed_markup()), _separator()
    escaped_separator = str(conditional_escape(separator))

    def write(cell: Cell) -> str:
        if cell.suppressed:
            return suppressed
        if type(cell.value) is int and separator:
            return f"{cell.value:,}".replace(",", escaped_separator)
        return _cell(cell)

    return write


@register.simple_tag
def growth_rows(growth) -> str:
    """The growth table's rows: each month, its organizations and participants by sector and in all."""
    parts, cell = [], _cell_writer()
    for row in growth["rows"]:
        quarter_end = row["quarter_end"]
        parts.append('<tr class="quarter-end" data-quarter-end>' if quarter_end else "<tr>")
        parts.append(f'<th scope="row">{conditional_escape(date_format(row["month"], "YEAR_MONTH_FORMAT"))}')
        if quarter_end:
            parts.append(f' <span class="usa-hint">{conditional_escape(row["quarter"])}</span>')
        parts.append("</th>")
        for series in ("organizations", "participants"):
            parts.extend(f"<td>{cell(value)}</td>" for value in row[series])
            parts.append(f"<td>{cell(row[series + '_total'])}</td>")
        parts.append("</tr>")
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped above, as the template escapes it


@register.simple_tag(takes_context=True)
def progress_body(context, progress, full) -> str:
    """The progress table's body: each community, its state, its organizations, its steps done and each step's
    state (its summary as a title, for facilitators). Pinned byte for byte to the template loop it replaces by
    `tests/test_program_figures.py`."""
    if not progress:
        empty = conditional_escape(_("No community yet."))
        return mark_safe(f'\n    <tr><td colspan="10">{empty}</td></tr>\n  ')  # noqa: S308 - escaped above
    parts = []
    for row in progress:
        community = row["community"]
        name = conditional_escape(community.name)
        if full:
            name = f'<a href="{conditional_escape(community.get_absolute_url())}">{name}</a>'
        steps = "".join(
            f'<td class="step-status step-status--{conditional_escape(step["status"] or "none")}"'
            + (f' title="{conditional_escape(step["summary"])}"' if full and step["summary"] else "")
            + f">{conditional_escape(step['label'])}</td>"
            for step in row["steps"]
        )
        parts.append(
            f'\n    <tr>\n      <th scope="row">{name}</th>\n'
            f"      <td>{conditional_escape(community.state)}</td>\n"
            f"      <td>{_cell(row['organizations'])}</td>\n"
            f"      <td>{render_value_in_context(row['steps_done'], context)} / 6</td>\n"
            f"      {steps}\n    </tr>\n  "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value in it is escaped above
