"""The network page's long tables' rows, written in Python: the same HTML the template wrote, each text escaped.

The organizations, the ties, the months and the suggested introductions (a form each, for a co-chair) were two
hundred rows through the template engine, each value looked up, localized and escaped by it: half of the
page's server time. `socialcapital.tests.test_tables` compares these rows with the template's own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal
from html import escape  # Django's own wraps it in a check for lazy text

from django.template.defaultfilters import date, floatformat
from django.urls import reverse
from django.utils.formats import get_format, localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .presentation import Row

URL_KEY = 918273645  # a key that stands for each row's organization in its reversed address


def _value(value) -> str:
    """Return `{{ value }}` as the template engine writes a number or a text: localized, then escaped (a plain
    text escaped directly: Django's escape checks first for lazy text)."""
    if type(value) is str:
        return escape(value)
    return conditional_escape(localize(value))


def _values() -> Callable[[object], str]:
    """Return `_value`, each number or label written once for one table (its counts repeat: 0, 1, 2 ties, a
    sector's name): Django's `localize` asks the language's formats afresh for each. Only whole numbers and
    translated labels are kept, which no two values that are equal write differently."""
    seen: dict[object, str] = {}

    def value_of(value) -> str:
        if type(value) is str:
            return escape(value)
        if type(value) is not int and not isinstance(
            value, Promise
        ):  # equal values may be written apart: 1.0, 1.00
            return _value(value)
        if value not in seen:
            seen[value] = _value(value)
        return seen[value]

    return value_of


def places(value, digits: int, separator: str) -> str:
    """Return `value|floatformat:digits` (digits > 0) as the filter writes it, without its general machinery for
    a figure under 999 (a measure, a share, a score); `separator` is the language's decimal separator."""
    if (
        type(value) not in (float, int) or not math.isfinite(value) or abs(value) >= 999
    ):  # none rounds to 1,000
        return floatformat(value, digits)
    exact = Decimal(str(value))
    _sign, figures, exponent = exact.as_tuple()
    if len(figures) + abs(exponent) > 200:  # the filter's own ways with a figure of so many places
        return floatformat(value, digits)
    rounded = exact.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    text = f"{abs(rounded):f}" if not rounded else f"{rounded:f}"  # the filter writes no sign on a zero
    return text.replace(".", separator)


def _formatted() -> Callable[[float | None, int], str]:
    """Return `floatformat`, each figure formatted once (most organizations' broker score is 0)."""
    seen: dict[tuple, str] = {}
    separator = get_format("DECIMAL_SEPARATOR")

    def formatted(value, digits: int) -> str:
        key = (type(value), value, digits)
        if key not in seen:
            seen[key] = conditional_escape(places(value, digits, separator))
        return seen[key]

    return formatted


def organization_rows_html(rows: Iterable[Row]) -> SafeString:
    """Return the organizations table's rows."""
    before, after = (
        escape(part) for part in reverse("registry:organization_detail", args=[URL_KEY]).split(str(URL_KEY))
    )
    formatted, value = _formatted(), _values()
    return mark_safe(  # noqa: S308 - every text is escaped
        "".join(
            f'<tr><th scope="row"><a href="{before}{_value(row.id)}{after}">{value(row.name)}</a></th>'
            f"<td>{value(row.sector)}</td><td>{value(row.ties)}</td><td>{value(row.strongest)}</td>"
            f"<td>{formatted(row.betweenness, 3)}</td></tr>"
            for row in rows
        )
    )


def tie_rows_html(ties: Iterable[dict]) -> SafeString:
    """Return the ties table's rows (`presentation.tie_rows`)."""
    value = _values()
    return mark_safe(  # noqa: S308 - every text is escaped
        "".join(
            f"<tr><td>{value(tie['a'])}</td><td>{value(tie['b'])}</td>"
            f"<td>{'; '.join(value(kind) for kind in tie['types'])}</td><td>{value(tie['level'])}</td></tr>"
            for tie in ties
        )
    )


def trend_rows_html(trend: Iterable[dict]) -> SafeString:
    """Return the measures-by-month table's rows (`selectors.snapshot_trend`)."""
    formatted = _formatted()
    html = []
    for s in trend:
        bridging = "—" if s["bridging_share"] is None else formatted(s["bridging_share"], 2)
        assortativity = "—" if s["assortativity"] is None else formatted(s["assortativity"], 2)
        html.append(
            f'<tr><th scope="row">{_value(date(s["month"], "Y-m"))}</th><td>{_value(s["organizations"])}</td>'
            f"<td>{_value(s['ties'])}</td><td>{formatted(s['density'], 3)}</td><td>{bridging}</td>"
            f"<td>{assortativity}</td><td>{_value(s['isolated'])}</td></tr>"
        )
    return mark_safe("".join(html))  # noqa: S308 - every text is escaped


def suggestion_rows_html(suggestions: Iterable[dict], *, introduce_url: str | None, csrf_token) -> SafeString:
    """Return the suggested introductions' rows; with `introduce_url` (a reader who may introduce), each with
    its form, holding the reader's `csrf_token` (a callable, asked only if a form is drawn)."""
    html = []
    token = None
    text = _values()
    introduce = _("Introduce %(a)s and %(b)s by e-mail")  # in the language of the request, once for every row
    for s in suggestions:
        a, b = text(s["a"]), text(s["b"])
        form = ""
        if introduce_url is not None:
            if token is None:
                value = str(csrf_token())
                # as `{% csrf_token %}` writes it: nothing for a request without one
                token = (
                    f'<input type="hidden" name="csrfmiddlewaretoken" value="{conditional_escape(value)}">'
                    if value and value != "NOTPROVIDED"
                    else ""
                )
            button = introduce % {"a": a, "b": b}
            form = (
                f'<td><form method="post" action="{escape(introduce_url)}">{token}'
                f'<input type="hidden" name="first" value="{_value(s["a_id"])}">'
                f'<input type="hidden" name="second" value="{_value(s["b_id"])}">'
                f'<button type="submit" class="usa-button usa-button--unstyled">{button}</button></form></td>'
            )
        html.append(f"<tr><td>{a}</td><td>{b}</td><td>{text(s['reason'])}</td>{form}</tr>")
    return mark_safe("".join(html))  # noqa: S308 - every text is escaped
