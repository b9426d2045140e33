"""The needs profile's tables drawn in Python (`sustainability.tables`) are the markup the page's template drew."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.sustainability import services
from commonground.sustainability.priorities import needs_profile
from commonground.sustainability.tables import area_rows, ranked_needs_rows

# The rows as `sustainability/assessment_detail.html` drew them before `sustainability.tables`.
TEMPLATE_RANKED_ROWS = """{% load i18n %}{% for need in profile.ranked %}
  <tr><td data-label="#">{{ forloop.counter }}</td><th scope="row" data-label="{% translate 'Item' %}">{{ need.item.text }}{% if need.item.capability %}<br><span class="row-note">{{ need.item.capability }}</span>{% endif %}{% if need.item.agreed_rank %}<br><span class="row-note">{% blocktranslate with r=need.item.rank_reason %}Placed here by the co-chairs: {{ r }}{% endblocktranslate %}</span>{% endif %}{% if can_run %}<br><a class="row-note" href="{% url 'sustainability:need_rank' need.item.pk %}">{% translate "Reorder" %}<span class="usa-sr-only"> {{ need.item.text }}</span></a>{% endif %}</th>
  <td data-label="{% translate 'Mission area' %}">{{ need.item.get_mission_area_display }}</td>
  <td data-label="{% translate 'Priority' %}"><strong>{{ need.score|floatformat:1 }}</strong></td>
  <td data-label="{% translate 'Importance' %}">{{ need.importance|floatformat:1 }}</td>
  <td data-label="{% translate 'Level' %}">{{ need.level|floatformat:1 }}</td>
  <td data-label="{% translate 'Organizations with the need' %}">{{ need.with_need }} / {{ need.organizations }}</td>
  <td data-label="{% translate 'Gap lies in' %}">{% for code, n in need.poete %}{{ code|capfirst }} ({{ n }}){% if not forloop.last %}, {% endif %}{% endfor %}</td></tr>
  {% empty %}<tr><td colspan="8">{% translate "No answers yet." %}</td></tr>{% endfor %}"""  # noqa: E501

TEMPLATE_AREA_ROWS = """{% load i18n %}{% for need in area.items %}
  <tr><th scope="row" data-label="{% translate 'Item' %}">{{ need.item.text }}</th>
  <td data-label="{% translate 'Level' %}">{{ need.level|default_if_none:"—"|floatformat:1 }}</td>
  <td data-label="{% translate 'Public side' %}">{{ need.public_level|default_if_none:"—"|floatformat:1 }}</td>
  <td data-label="{% translate 'Private side' %}">{{ need.private_level|default_if_none:"—"|floatformat:1 }}</td>
  <td data-label="{% translate 'Importance' %}">{{ need.importance|default_if_none:"—"|floatformat:1 }}</td></tr>
  {% endfor %}"""  # noqa: E501


@pytest.fixture
def answered(table):
    """Answers of both organizations to a few items, one item worded and placed with characters to escape."""
    assessment = services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="N", closes_on=datetime.date(2099, 1, 1)
    )
    items = list(assessment.items.all())
    first = items[0]
    first.text = "Fuel <b>\"&' for generators"
    first.save()
    services.need_rank_set(actor=table.cochair, item=items[2], rank=1, reason="Winter <i>comes</i> & goes")
    for organization, level, tlp in ((table.public_org, 2, TLP.GREEN), (table.private_org, 1, TLP.AMBER)):
        services.needs_answers_save(
            actor=None, assessment=assessment, organization=organization, tlp=tlp,
            answers=[{"item": item.pk, "level": level + n % 3, "importance": 5 - n % 2,
                      "poete": ["training", "equipment", ""][n % 3]} for n, item in enumerate(items[:6])],
        )  # fmt: skip
    return assessment


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("role", ["cochair", "admin", "member", "other_admin", "outsider"])
def test_the_needs_rows_are_what_the_template_drew(table, answered, role, language):
    with translation.override(language):
        profile = needs_profile(viewer=viewer_for(table.user(role)), assessment=answered)
        for can_run in (True, False):
            context = Context({"profile": profile, "can_run": can_run})
            assert ranked_needs_rows(profile.ranked, can_run=can_run) == Template(
                TEMPLATE_RANKED_ROWS
            ).render(context)
        for area in profile.by_area():
            assert area_rows(area) == Template(TEMPLATE_AREA_ROWS).render(Context({"area": area}))
    if role in ("cochair", "admin", "member"):
        html = ranked_needs_rows(profile.ranked, can_run=True) + "".join(
            area_rows(a) for a in profile.by_area()
        )
        assert "Fuel &lt;b&gt;&quot;&amp;&#x27; for generators" in html
        assert "Winter &lt;i&gt;comes&lt;/i&gt; &amp; goes" in html
