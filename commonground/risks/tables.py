"""The risk profile's heat map and ranked hazards, drawn in Python, each label and number worked out once.

The template engine drew them with a translated label, a reversed address and five number formats on every
row: most of the risk profile page's time. Here each label is translated once, the hazard page's address is
reversed once, and the numbers are written as `floatformat:1` writes them (`one_place`). The markup is the
one `risks/_heat_map.html` and `risks/_ranked.html` drew (tests/test_tables.py renders both and compares).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat, yesno
from django.urls import reverse
from django.utils import formats
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from commonground.core.tables import escaped_labels

URL_KEY = 918273645  # a key that stands for each hazard's in its reversed address
TENTH = Decimal("0.1")


def one_place(value, separator: str | None = None) -> str:
    """Return `value|floatformat:1` as the filter writes it ("" for no value), without its general machinery.

    `separator` is the language's decimal separator, where the caller has read it once for many numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return floatformat(value, 1)
    exact = Decimal(str(value))
    _sign, digits, exponent = exact.as_tuple()
    if abs(value) >= 1e15 or len(digits) + abs(exponent) > 200:  # the filter's own ways with such numbers
        return floatformat(value, 1)
    rounded = exact.quantize(TENTH, ROUND_HALF_UP)
    text = f"{abs(rounded):f}" if not rounded else f"{rounded:f}"
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR") if separator is None else separator)


def hazard_links(community) -> tuple[str, str]:
    """The hazard page's address before and after its key, reversed once for a page of hazards."""
    before, after = reverse("risks:hazard_detail", args=[community.slug, URL_KEY]).split(str(URL_KEY))
    return escape(before), escape(after)


def heat_map_rows(heat_map, community) -> SafeString:
    """Return the heat map's body rows (`RiskProfile.heat_map()`), every text escaped."""
    before, after = hazard_links(community)
    impact, short = escape(_("Impact")), escape(pgettext("impact, abbreviated", "I"))
    html = []
    for row in heat_map:
        cells = []
        for cell in row:
            name, label = cell.band
            links = "".join(
                f'<a href="{before}{risk.hazard.pk}{after}">{escape(risk.hazard.name)}</a>'
                for risk in cell.hazards
            )
            cells.append(
                f'<td class="heat-cell heat-{escape(name)}" data-likelihood="{cell.likelihood}" '
                f'data-impact="{cell.impact}">\n    <span class="usa-sr-only">{escape(label)}: </span>{links}\n  </td>'
            )
        html.append(
            f'\n  <tr><th scope="row"><span class="heat-long">{impact}</span><abbr class="heat-short" '
            f'title="{impact}">{short}</abbr> {row[0].impact}</th>\n  {"".join(cells)}</tr>'
        )
    return mark_safe("".join(html))  # noqa: S308 - every text above is escaped


def ranked_rows(ranked, community) -> SafeString:
    """Return the ranked hazards' body rows (`RiskProfile.ranked`), every text escaped."""
    if not ranked:
        return mark_safe(f'<tr><td colspan="10">{escape(_("No hazard has been assessed yet."))}</td></tr>')  # noqa: S308
    before, after = hazard_links(community)
    label = escaped_labels(
        ("hazard", _("Hazard")),
        ("organizations", _("Organizations")),
        ("public", _("Public")),
        ("private", _("Private and non-profit")),
        ("likelihood", _("Likelihood")),
        ("impact", _("Impact")),
        ("risk", _("Risk")),
        ("vulnerability", _("Vulnerability")),
        ("preparedness", _("Preparedness")),
    )
    shared = f' <span class="shared-badge">{escape(_("both sectors"))}</span>'
    separator = formats.get_format("DECIMAL_SEPARATOR")

    def number(value) -> str:
        return escape(one_place(value, separator))

    html = []
    for position, risk in enumerate(ranked, start=1):
        band, band_label = risk.band
        html.append(
            f'\n  <tr><td data-label="#">{position}</td>\n'
            f'  <th scope="row" data-label="{label["hazard"]}"><a href="{before}{risk.hazard.pk}{after}">'
            f"{escape(risk.hazard.name)}</a>{shared if risk.shared else ''}</th>\n"
            f'  <td data-label="{label["organizations"]}">{risk.organizations}</td>\n'
            f'  <td data-label="{label["public"]}">{risk.public}</td>\n'
            f'  <td data-label="{label["private"]}">{risk.private_side}</td>\n'
            f'  <td data-label="{label["likelihood"]}">{number(risk.likelihood)}</td>\n'
            f'  <td data-label="{label["impact"]}">{number(risk.impact)}</td>\n'
            f'  <td data-label="{label["risk"]}"><span class="band-badge heat-{escape(band)}">'
            f"{number(risk.score)} · {escape(band_label)}</span></td>\n"
            f'  <td data-label="{label["vulnerability"]}">{number(risk.vulnerability)}</td>\n'
            f'  <td data-label="{label["preparedness"]}">{number(risk.preparedness)}</td></tr>\n  '
        )
    return mark_safe("".join(html))  # noqa: S308 - every text above is escaped


def function_rows(functions, editable: set[int]) -> SafeString:
    """Return the critical functions list's body rows (`risks/function_list.html`), a function the reader may
    change (`editable`) linked to its form, every text escaped as the template escaped it."""
    # A template's literal is safe, and so is its translation: written as it is, as `{% translate %}` writes it.
    label = {name: _(mark_safe(name)) for name in _FUNCTION_COLUMNS}  # noqa: S308 - the literals above
    before, after = (
        escape(part) for part in reverse("risks:function_edit", args=[URL_KEY]).split(str(URL_KEY))
    )
    answers: dict = {}
    html = []
    for f in functions:
        name = escape(f.name)
        if f.pk in editable:
            name = f'<a href="{before}{f.pk}{after}">{name}</a>'
        if f.description:
            name += f'<br><span class="usa-hint">{escape(f.description)}</span>'
        if f.serves_community not in answers:
            answers[f.serves_community] = conditional_escape(yesno(f.serves_community))
        downtime = ""
        if f.max_downtime_hours is not None:
            downtime = f"{conditional_escape(floatformat(f.max_downtime_hours, '-1'))} h"
        html.append(
            f'\n  <tr><th scope="row" data-label="{label["Function"]}">{name}</th>\n'
            f'  <td data-label="{label["Organization"]}">{escape(f.organization.name)}</td>\n'
            f'  <td data-label="{label["The community relies on it"]}">{answers[f.serves_community]}</td>\n'
            f'  <td data-label="{label["Maximum downtime"]}">{downtime}</td>\n'
            f'  <td data-label="{label["Marking"]}">{conditional_escape(f.tlp)}</td></tr>\n  '
        )
    if not html:
        # Outside the f-string, where makemessages finds it.
        text = _(mark_safe(gettext_noop("No critical function you may see.")))
        return mark_safe(f'<tr><td colspan="5">{text}</td></tr>')  # noqa: S308
    return mark_safe("".join(html))  # noqa: S308 - every text above is escaped


_FUNCTION_COLUMNS = ("Function", "Organization", "The community relies on it", "Maximum downtime", "Marking")


# What a page of assessments reads of each (`assessment_rows`, the page's marking, `can_edit_assessment`, and the
# lists' order by organization and hazard name): reading every column of each assessment, its organization,
# hazard and community, and building them, was most of the assessments list's time beside its queries.
ASSESSMENT_ROW_FIELDS = (
    "tlp", "likelihood", "impact_life_safety", "impact_operations", "impact_property", "vulnerability",
    "preparedness", "assessed_on", "community__id", "organization__name", "organization__sector", "hazard__name",
)  # fmt: skip


def assessment_rows(assessments, *, show_hazard: bool) -> SafeString:
    """Return the body rows of `risks/_assessment_table.html` for a page of assessments, every text escaped.

    The template drew each row with eight translated labels, a reversed address and a sector's display; here
    each label is translated once, the address reversed once, and a sector's name and a date written once.
    """
    if not assessments:
        # Outside the f-string, where makemessages finds it.
        text = escape(_("No assessment you may see."))
        return mark_safe(f'<tr><td colspan="8">{text}</td></tr>')  # noqa: S308
    before, after = (
        escape(part) for part in reverse("risks:assessment_detail", args=[URL_KEY]).split(str(URL_KEY))
    )
    label = escaped_labels(
        ("hazard", _("Hazard")),
        ("organization", _("Organization")),
        ("likelihood", _("Likelihood")),
        ("impact", _("Impact (life, operations, property)")),
        ("vulnerability", _("Vulnerability")),
        ("preparedness", _("Preparedness")),
        ("assessed", _("Assessed")),
        ("marking", _("Marking")),
    )
    sectors, dates = {}, {}
    html = []
    for record in assessments:
        organization = record.organization
        link = f'<a href="{before}{record.pk}{after}">'
        if organization.sector not in sectors:
            sectors[organization.sector] = escape(organization.get_sector_display())
        if record.assessed_on not in dates:
            dates[record.assessed_on] = conditional_escape(formats.localize(record.assessed_on))
        name = escape(organization.name)
        hazard = (
            f'<th scope="row" data-label="{label["hazard"]}">{link}{escape(record.hazard.name)}</a></th>'
            if show_hazard
            else ""
        )
        html.append(
            f"\n  <tr>{hazard}\n"
            f'  <td data-label="{label["organization"]}">{name if show_hazard else f"{link}{name}</a>"} '
            f'<span class="usa-hint">{sectors[organization.sector]}</span></td>\n'
            f'  <td data-label="{label["likelihood"]}">{record.likelihood}</td>\n'
            f'  <td data-label="{label["impact"]}">{record.impact_life_safety} · {record.impact_operations} · '
            f"{record.impact_property}</td>\n"
            f'  <td data-label="{label["vulnerability"]}">{record.vulnerability}</td>\n'
            f'  <td data-label="{label["preparedness"]}">{record.preparedness}</td>\n'
            f'  <td data-label="{label["assessed"]}">{dates[record.assessed_on]}</td>\n'
            f'  <td data-label="{label["marking"]}">{conditional_escape(record.tlp)}</td></tr>\n  '
        )
    return mark_safe("".join(html))  # noqa: S308 - every text above is escaped
