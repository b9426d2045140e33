"""The growth table's rows drawn in Python (`program_figures.growth_rows`) are the template's they replace, byte for
byte: for a visitor (suppressed figures, quarter ends) and a facilitator (every figure), in English and Spanish."""

from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from commonground.core.viewer import viewer_for
from commonground.core.visibility import ANONYMOUS
from commonground.program import selectors
from commonground.program.templatetags.program_figures import grouped, growth_rows

from .test_pages import seat

# The template the tag replaced, word for word.
TEMPLATE = Template(
    "{% load program_figures %}"
    '{% for row in growth.rows %}<tr{% if row.quarter_end %} class="quarter-end" data-quarter-end{% endif %}>'
    '<th scope="row">{{ row.month|date:"YEAR_MONTH_FORMAT" }}{% if row.quarter_end %} <span class="usa-hint">'
    "{{ row.quarter }}</span>{% endif %}</th>{% for cell in row.organizations %}<td>{% figure cell %}</td>"
    "{% endfor %}<td>{% figure row.organizations_total %}</td>{% for cell in row.participants %}<td>"
    "{% figure cell %}</td>{% endfor %}<td>{% figure row.participants_total %}</td></tr>{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("who", ["visitor", "facilitator"])
def test_the_growth_rows_are_the_templates(table, language, who):
    for months_ago, count, sector in (
        (14, 4, "private"),
        (7, 1, "public"),
        (2, 2, "private"),
        (0, 5, "nonprofit"),
    ):
        seat(table.community, count, sector=sector, months_ago=months_ago)
    viewer = ANONYMOUS if who == "visitor" else viewer_for(table.facilitator)
    with translation.override(language):
        growth = selectors.statistics(viewer=viewer)["growth"]
        drawn = growth_rows(growth)
        expected = TEMPLATE.render(Context({"growth": growth}))
    assert drawn == expected
    cells = [c for row in growth["rows"] for c in (*row["organizations"], *row["participants"])]
    assert any(c.value for c in cells)
    if who == "visitor":
        assert any(c.suppressed for c in cells) and 'class="suppressed"' in drawn
        assert any(row["quarter_end"] for row in growth["rows"]) and "quarter-end" in drawn


@pytest.mark.parametrize("language", ["en", "es", "de"])
@given(value=st.integers(min_value=-(10**15), max_value=10**15))
def test_a_whole_number_is_grouped_as_intcomma_groups_it(language, value):
    with translation.override(language):
        assert grouped(value) == intcomma(value)


@pytest.mark.parametrize("value", [1234.5, Decimal("1234567.25"), "12345", None])
def test_anything_but_a_whole_number_is_intcommas_own(value):
    for language in ("en", "es"):
        with translation.override(language):
            assert grouped(value) == intcomma(value)
