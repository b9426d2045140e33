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


# The progress table's loop the tag replaced, word for word.
PROGRESS_TEMPLATE = Template(
    "{% load i18n program_figures %}"
    """  {% for row in progress %}
    <tr>
      <th scope="row">{% if full %}<a href="{{ row.community.get_absolute_url }}">{{ row.community.name }}</a>{% else %}{{ row.community.name }}{% endif %}</th>
      <td>{{ row.community.state }}</td>
      <td>{% figure row.organizations %}</td>
      <td>{{ row.steps_done }} / 6</td>
      {% for step in row.steps %}<td class="step-status step-status--{{ step.status|default:'none' }}"{% if full and step.summary %} title="{{ step.summary }}"{% endif %}>{{ step.label }}</td>{% endfor %}
    </tr>
  {% empty %}
    <tr><td colspan="10">{% translate "No community yet." %}</td></tr>
  {% endfor %}"""  # noqa: E501
)


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("who", ["visitor", "facilitator"])
@pytest.mark.parametrize("empty", [False, True], ids=["communities", "none"])
def test_the_progress_rows_are_the_templates(table, language, who, empty, rf):
    from django.utils import timezone

    from commonground.communities.models import Community
    from commonground.program.models import StepRecord
    from commonground.program.views import progress_table

    seat(table.community, 4, sector="public")
    table.community.__class__.objects.filter(pk=table.community.pk).update(name='River "bend" <b>&</b>')
    for number, status, summary in ((1, "done", 'Co-chairs <two> & "both" sectors'), (2, "in_progress", "")):
        StepRecord.objects.create(
            community=table.community,
            number=number,
            status=status,
            summary=summary,
            computed_at=timezone.now(),
        )
    if empty:
        Community.objects.all().delete()
    viewer = ANONYMOUS if who == "visitor" else viewer_for(table.facilitator)
    with translation.override(language):
        context = progress_table(rf.get("/program/"), viewer)
        context["full"] = who == "facilitator"
        drawn = Template("{% load program_figures %}  {% progress_body progress full %}").render(
            Context(context)
        )
        expected = PROGRESS_TEMPLATE.render(Context(context))
    assert drawn == expected
    assert ('colspan="10"' in drawn) == empty
    if not empty:
        assert "River &quot;bend&quot; &lt;b&gt;" in drawn and "step-status--done" in drawn
        assert ("&lt;two&gt; &amp; &quot;both&quot;" in drawn) == (who == "facilitator")
