"""The network page's rows written in Python (`socialcapital.tables`) are what its template's loops wrote."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.test import override_settings
from django.utils import translation
from django.utils.formats import get_format
from hypothesis import given
from hypothesis import strategies as st

from commonground.socialcapital import tables
from commonground.socialcapital.presentation import Row

NASTY = "<b>\"Tom's\" & Jerry's</b>"

# The loops the template held before the rows were written in Python.
ORGANIZATIONS = (
    '{% for row in rows %}<tr><th scope="row"><a href="{% url \'registry:organization_detail\' row.id %}">'
    "{{ row.name }}</a></th><td>{{ row.sector }}</td><td>{{ row.ties }}</td><td>{{ row.strongest }}</td>"
    "<td>{{ row.betweenness|floatformat:3 }}</td></tr>{% endfor %}"
)
TIES = (
    '{% for tie in ties %}<tr><td>{{ tie.a }}</td><td>{{ tie.b }}</td><td>{{ tie.types|join:"; " }}</td>'
    "<td>{{ tie.level }}</td></tr>{% endfor %}"
)
TREND = (
    '{% for s in trend %}<tr><th scope="row">{{ s.month|date:"Y-m" }}</th><td>{{ s.organizations }}</td>'
    "<td>{{ s.ties }}</td><td>{{ s.density|floatformat:3 }}</td><td>{% if s.bridging_share is not None %}"
    "{{ s.bridging_share|floatformat:2 }}{% else %}—{% endif %}</td><td>{% if s.assortativity is not None %}"
    "{{ s.assortativity|floatformat:2 }}{% else %}—{% endif %}</td><td>{{ s.isolated }}</td></tr>{% endfor %}"
)
SUGGESTIONS = (
    "{% load i18n %}{% for s in suggestions %}<tr><td>{{ s.a }}</td><td>{{ s.b }}</td><td>{{ s.reason }}</td>"
    '{% if can_introduce %}<td><form method="post" action="{% url \'socialcapital:network_introduce\' slug %}">'
    '{% csrf_token %}<input type="hidden" name="first" value="{{ s.a_id }}"><input type="hidden" name="second" '
    'value="{{ s.b_id }}"><button type="submit" class="usa-button usa-button--unstyled">{% blocktranslate with '
    "a=s.a b=s.b %}Introduce {{ a }} and {{ b }} by e-mail{% endblocktranslate %}</button></form></td>{% endif %}"
    "</tr>{% endfor %}"
)

ROWS = [
    Row(1, NASTY, "Public", 12345, "Cooperation", 0.0965154, True, False, False),
    Row(22, "Zoë's Café", "Private <sector>", 0, "—", 0.0, False, True, False),
    Row(3, "Plain", "Nonprofit", 1, "Coordination", 0.00049999, False, False, True),
    Row(4, "Half", "Public", 2, "Collaboration", 0.0005, False, False, False),
]
TIE_ROWS = [
    {"a": NASTY, "b": "B & C", "types": ["Met together (3)", "<endorsed> (1)"], "level": "Cooperation"},
    {"a": "A", "b": "B", "types": [], "level": "—"},
]
TREND_ROWS = [
    {"month": datetime.date(2026, 1, 1), "organizations": 1234, "ties": 5, "density": 0.12345,
     "bridging_share": None, "assortativity": -0.125, "isolated": 0},
    {"month": datetime.date(2026, 2, 1), "organizations": 52, "ties": 88, "density": 0.0,
     "bridging_share": 0.5, "assortativity": None, "isolated": 3},
]  # fmt: skip
SUGGESTION_ROWS = [
    {"a_id": 1, "b_id": 22, "a": NASTY, "b": "Zoë's Café", "reason": "Both <already> work with A & B."},
    {"a_id": 3, "b_id": 4, "a": "Plain", "b": "Half", "reason": ""},
]


def template(text: str, **context) -> str:
    return Template(text).render(Context(context))


@pytest.fixture(params=["en", "es"])
def language(request):
    with translation.override(request.param), override_settings(USE_THOUSAND_SEPARATOR=True):
        yield request.param


def test_the_organization_rows_are_the_templates(language):
    assert tables.organization_rows_html(ROWS) == template(ORGANIZATIONS, rows=ROWS)


def test_the_tie_rows_are_the_templates(language):
    assert tables.tie_rows_html(TIE_ROWS) == template(TIES, ties=TIE_ROWS)


def test_the_trend_rows_are_the_templates(language):
    assert tables.trend_rows_html(TREND_ROWS) == template(TREND, trend=TREND_ROWS)


@pytest.mark.parametrize("can_introduce", [True, False])
@pytest.mark.parametrize("token", ["t0k3n<&>", "NOTPROVIDED", ""])
def test_the_suggestion_rows_are_the_templates(language, can_introduce, token):
    url = "/c/river<bend>/network/introduce/"
    ours = tables.suggestion_rows_html(
        SUGGESTION_ROWS, introduce_url=url if can_introduce else None, csrf_token=lambda: token
    )
    theirs = template(
        SUGGESTIONS.replace("{% url 'socialcapital:network_introduce' slug %}", "{{ url }}"),
        suggestions=SUGGESTION_ROWS, can_introduce=can_introduce, csrf_token=token, url=url,
    )  # fmt: skip
    assert ours == theirs


def test_the_token_is_asked_only_where_a_form_is_drawn():
    def refuse():
        raise AssertionError("asked for a token")

    assert tables.suggestion_rows_html(SUGGESTION_ROWS, introduce_url=None, csrf_token=refuse)
    assert tables.suggestion_rows_html([], introduce_url="/x/", csrf_token=refuse) == ""


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("digits", [2, 3, 4])
def test_places_writes_a_figure_as_floatformat_writes_it(language, digits):
    values = [0, 0.0, -0.0, 1, 0.0005, 0.00049999, -0.0004, -0.0005, 0.1235, 0.125, 2.675, 999.9995, 999.99949,
              1000.0, 12345.678, -1e-9, 1e-7, None, "x", float("nan"), float("inf"), True, 0.0965154]  # fmt: skip
    with translation.override(language), override_settings(USE_THOUSAND_SEPARATOR=True):
        separator = get_format("DECIMAL_SEPARATOR")
        for value in values:
            assert tables.places(value, digits, separator) == floatformat(value, digits), value


@given(
    st.floats(min_value=-2000, max_value=2000, allow_nan=False),
    st.sampled_from([2, 3]),
    st.sampled_from(["en", "es"]),
)
def test_places_agrees_with_floatformat_on_any_figure(value, digits, language):
    with translation.override(language):
        assert tables.places(value, digits, get_format("DECIMAL_SEPARATOR")) == floatformat(value, digits)
