"""The needs profile's tables, drawn in Python, each label and number worked out once.

The template engine drew every row of the prioritized needs and of each mission area with a translated label
per cell, a reversed address and up to four number formats: most of the needs page's time. Here each label
is translated once, the reorder page's address is reversed once, and the numbers are written as
`floatformat:1` writes them (`risks.tables.one_place`). The markup is the one `assessment_detail.html` drew
(tests/test_tables.py renders the template's rows and compares).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from commonground.agenda.choices import MissionArea
from commonground.core.tables import escaped_labels
from commonground.risks.tables import URL_KEY, one_place

from .priorities import AreaSummary, ItemNeed


def ranked_needs_rows(ranked: list[ItemNeed], *, can_run: bool) -> SafeString:
    """Return the prioritized needs' body rows, every text escaped; the reorder links for who may run it."""
    if not ranked:
        # Outside the f-string, where makemessages finds it.
        text = escape(_("No answers yet."))
        return mark_safe(f'<tr><td colspan="8">{text}</td></tr>')  # noqa: S308
    label = escaped_labels(
        ("item", _("Item")),
        ("area", _("Mission area")),
        ("priority", _("Priority")),
        ("importance", _("Importance")),
        ("level", _("Level")),
        ("with_need", _("Organizations with the need")),
        ("poete", _("Gap lies in")),
    )
    areas = {value: escape(label) for value, label in MissionArea.choices}
    reorder = escape(_("Reorder"))
    before, after = reverse("sustainability:need_rank", args=[URL_KEY]).split(str(URL_KEY))
    separator = formats.get_format("DECIMAL_SEPARATOR")
    html = []
    for position, need in enumerate(ranked, start=1):
        item = need.item
        text = escape(item.text)
        notes = f'<br><span class="row-note">{escape(item.capability)}</span>' if item.capability else ""
        if item.agreed_rank:
            placed = escape(_("Placed here by the co-chairs: %(r)s")) % {"r": escape(item.rank_reason)}
            notes += f'<br><span class="row-note">{placed}</span>'
        if can_run:
            notes += (
                f'<br><a class="row-note" href="{escape(before)}{item.pk}{escape(after)}">{reorder}'
                f'<span class="usa-sr-only"> {text}</span></a>'
            )
        poete = ", ".join(f"{escape(capfirst(code))} ({n})" for code, n in need.poete)
        html.append(
            f'\n  <tr><td data-label="#">{position}</td><th scope="row" data-label="{label["item"]}">{text}{notes}</th>\n'
            f'  <td data-label="{label["area"]}">{areas.get(item.mission_area, escape(item.mission_area))}</td>\n'
            f'  <td data-label="{label["priority"]}"><strong>{escape(one_place(need.score, separator))}</strong></td>\n'
            f'  <td data-label="{label["importance"]}">{escape(one_place(need.importance, separator))}</td>\n'
            f'  <td data-label="{label["level"]}">{escape(one_place(need.level, separator))}</td>\n'
            f'  <td data-label="{label["with_need"]}">{need.with_need} / {need.organizations}</td>\n'
            f'  <td data-label="{label["poete"]}">{poete}</td></tr>\n  '
        )
    return mark_safe("".join(html))  # noqa: S308 - every text above is escaped


def area_rows(area: AreaSummary) -> SafeString:
    """Return one mission area's body rows, every text escaped."""
    label = escaped_labels(
        ("item", _("Item")),
        ("level", _("Level")),
        ("public", _("Public side")),
        ("private", _("Private side")),
        ("importance", _("Importance")),
    )
    separator = formats.get_format("DECIMAL_SEPARATOR")

    def number(value) -> str:
        return "" if value is None else escape(one_place(value, separator))

    html = [
        f'\n  <tr><th scope="row" data-label="{label["item"]}">{escape(need.item.text)}</th>\n'
        f'  <td data-label="{label["level"]}">{number(need.level)}</td>\n'
        f'  <td data-label="{label["public"]}">{number(need.public_level)}</td>\n'
        f'  <td data-label="{label["private"]}">{number(need.private_level)}</td>\n'
        f'  <td data-label="{label["importance"]}">{number(need.importance)}</td></tr>\n  '
        for need in area.items
    ]
    return mark_safe("".join(html))  # noqa: S308 - every text above is escaped
