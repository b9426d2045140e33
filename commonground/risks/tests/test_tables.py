"""The risk profile's tables drawn in Python (`risks.tables`) are the markup their templates drew, byte for byte."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.risks.models import Hazard, HazardAssessment
from commonground.risks.profile import risk_profile
from commonground.risks.tables import assessment_rows, function_rows, heat_map_rows, one_place, ranked_rows

from .factories import AssessmentFactory

# The rows as `risks/_heat_map.html` and `risks/_ranked.html` drew them before `risks.tables`.
TEMPLATE_HEAT_ROWS = """{% load i18n %}{% for row in heat_map %}
  <tr><th scope="row"><span class="heat-long">{% translate "Impact" %}</span><abbr class="heat-short" title="{% translate "Impact" %}">{% translate "I" context "impact, abbreviated" %}</abbr> {{ row.0.impact }}</th>
  {% for cell in row %}<td class="heat-cell heat-{{ cell.band.0 }}" data-likelihood="{{ cell.likelihood }}" data-impact="{{ cell.impact }}">
    <span class="usa-sr-only">{{ cell.band.1 }}: </span>{% for risk in cell.hazards %}<a href="{% url 'risks:hazard_detail' community.slug risk.hazard.pk %}">{{ risk.hazard.name }}</a>{% endfor %}
  </td>{% endfor %}</tr>{% endfor %}"""  # noqa: E501

TEMPLATE_RANKED_ROWS = """{% load i18n %}{% for risk in profile.ranked %}
  <tr><td data-label="#">{{ forloop.counter }}</td>
  <th scope="row" data-label="{% translate 'Hazard' %}"><a href="{% url 'risks:hazard_detail' community.slug risk.hazard.pk %}">{{ risk.hazard.name }}</a>{% if risk.shared %} <span class="shared-badge">{% translate "both sectors" %}</span>{% endif %}</th>
  <td data-label="{% translate 'Organizations' %}">{{ risk.organizations }}</td>
  <td data-label="{% translate 'Public' %}">{{ risk.public }}</td>
  <td data-label="{% translate 'Private and non-profit' %}">{{ risk.private_side }}</td>
  <td data-label="{% translate 'Likelihood' %}">{{ risk.likelihood|floatformat:1 }}</td>
  <td data-label="{% translate 'Impact' %}">{{ risk.impact|floatformat:1 }}</td>
  <td data-label="{% translate 'Risk' %}"><span class="band-badge heat-{{ risk.band.0 }}">{{ risk.score|floatformat:1 }} · {{ risk.band.1 }}</span></td>
  <td data-label="{% translate 'Vulnerability' %}">{{ risk.vulnerability|floatformat:1 }}</td>
  <td data-label="{% translate 'Preparedness' %}">{{ risk.preparedness|floatformat:1 }}</td></tr>
  {% empty %}<tr><td colspan="10">{% translate "No hazard has been assessed yet." %}</td></tr>{% endfor %}"""  # noqa: E501

# The rows as `risks/_assessment_table.html` drew them before `risks.tables.assessment_rows`.
TEMPLATE_ASSESSMENT_ROWS = """{% load i18n %}{% for a in page_obj %}
  <tr>{% if show_hazard %}<th scope="row" data-label="{% translate 'Hazard' %}"><a href="{{ a.get_absolute_url }}">{{ a.hazard.name }}</a></th>{% endif %}
  <td data-label="{% translate 'Organization' %}">{% if not show_hazard %}<a href="{{ a.get_absolute_url }}">{{ a.organization.name }}</a>{% else %}{{ a.organization.name }}{% endif %} <span class="usa-hint">{{ a.organization.get_sector_display }}</span></td>
  <td data-label="{% translate 'Likelihood' %}">{{ a.likelihood }}</td>
  <td data-label="{% translate 'Impact (life, operations, property)' %}">{{ a.impact_life_safety }} · {{ a.impact_operations }} · {{ a.impact_property }}</td>
  <td data-label="{% translate 'Vulnerability' %}">{{ a.vulnerability }}</td>
  <td data-label="{% translate 'Preparedness' %}">{{ a.preparedness }}</td>
  <td data-label="{% translate 'Assessed' %}">{{ a.assessed_on }}</td>
  <td data-label="{% translate 'Marking' %}">{{ a.tlp }}</td></tr>
  {% empty %}<tr><td colspan="8">{% translate "No assessment you may see." %}</td></tr>{% endfor %}"""  # noqa: E501


@pytest.mark.parametrize("language", ["en", "es"])
def test_one_place_writes_a_number_as_floatformat_writes_it(language):
    values = [0, 0.0, -0.0, 1, 3.05, 3.15, 2.25, 2.35, 4.45, 12.5, 24.99, 25, -1.25, 1e14, 1e16, 1e-7, None, "x",
              float("nan"), float("inf"), Decimal("2.25"), True]  # fmt: skip
    with translation.override(language):
        for value in values:
            assert one_place(value) == floatformat(value, 1), value


@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False), st.sampled_from(["en", "es"]))
def test_one_place_agrees_with_floatformat_on_any_figure(value, language):
    with translation.override(language):
        assert one_place(round(value, 2)) == floatformat(round(value, 2), 1)
        assert one_place(value) == floatformat(value, 1)


@pytest.fixture
def profiled(table):
    """Hazards with figures in several cells, one of them named with characters markup must escape."""
    tornado = Hazard.objects.get(community=None, code="tornado")
    tornado.name = "Tornado <b>\"&'"
    tornado.save()
    others = list(Hazard.objects.filter(community=None).exclude(pk=tornado.pk).order_by("code")[:3])
    for number, hazard in enumerate([tornado, *others]):
        for organization in (table.public_org, table.private_org):
            AssessmentFactory(
                community=table.community, organization=organization, hazard=hazard, tlp=TLP.GREEN,
                likelihood=1 + number, impact_operations=5 - number, vulnerability=2 + number % 2,
            )  # fmt: skip
    return table


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("role", ["member", "cochair", "outsider"])
def test_the_heat_map_and_ranked_rows_are_what_the_templates_drew(profiled, role, language):
    community = profiled.community
    with translation.override(language):
        profile = risk_profile(viewer=viewer_for(profiled.user(role)), community=community)
        heat_map = profile.heat_map()
        context = Context({"heat_map": heat_map, "profile": profile, "community": community})
        assert heat_map_rows(heat_map, community) == Template(TEMPLATE_HEAT_ROWS).render(context)
        assert ranked_rows(profile.ranked, community) == Template(TEMPLATE_RANKED_ROWS).render(context)
    if role != "outsider":
        assert "Tornado &lt;b&gt;&quot;&amp;&#x27;" in ranked_rows(profile.ranked, community)
    else:
        assert not profile.ranked


# The critical functions list's rows as `risks/function_list.html` drew them before `risks.tables.function_rows`.
TEMPLATE_FUNCTION_ROWS = """{% load i18n %}{% for f in page_obj %}
  <tr><th scope="row" data-label="{% translate 'Function' %}">{% if f.pk in editable %}<a href="{% url 'risks:function_edit' f.pk %}">{{ f.name }}</a>{% else %}{{ f.name }}{% endif %}{% if f.description %}<br><span class="usa-hint">{{ f.description }}</span>{% endif %}</th>
  <td data-label="{% translate 'Organization' %}">{{ f.organization.name }}</td>
  <td data-label="{% translate 'The community relies on it' %}">{{ f.serves_community|yesno }}</td>
  <td data-label="{% translate 'Maximum downtime' %}">{% if f.max_downtime_hours is not None %}{{ f.max_downtime_hours|floatformat:"-1" }} h{% endif %}</td>
  <td data-label="{% translate 'Marking' %}">{{ f.tlp }}</td></tr>
  {% empty %}<tr><td colspan="5">{% translate "No critical function you may see." %}</td></tr>{% endfor %}"""  # noqa: E501


class Function:
    """A critical function as the list reads it, with values a factory would not give."""

    def __init__(self, pk, name, description, organization, serves, hours, tlp):
        self.pk, self.name, self.description, self.tlp = pk, name, description, tlp
        self.organization = type("Organization", (), {"name": organization})()
        self.serves_community, self.max_downtime_hours = serves, hours


FUNCTIONS = [
    Function(7, "<b>\"Tom's\" & Jerry's</b>", "Keeps <water> & power", "Zoë's Café", True, Decimal("12.50"), TLP.AMBER),
    Function(8, "Plain", "", "A & B", False, None, "green"),
    Function(9, "Odd", "x", "C", None, 0.333333, TLP.AMBER_STRICT),
    Function(10, "Whole", "", "D", True, 48, TLP.CLEAR),
]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("functions", [FUNCTIONS, []], ids=["rows", "none"])
@pytest.mark.parametrize("editable", [set(), {7, 9}])
def test_the_function_rows_are_what_the_template_drew(language, functions, editable):
    with translation.override(language):
        theirs = Template(TEMPLATE_FUNCTION_ROWS).render(
            Context({"page_obj": functions, "editable": editable})
        )
        assert function_rows(functions, editable) == theirs


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("show_hazard", [True, False])
def test_the_assessment_rows_are_what_the_template_drew(profiled, show_hazard, language):
    """Names that markup must escape, both sectors, several dates and markings, and no assessment at all."""
    profiled.public_org.name = "Public <i>\"&'"
    profiled.public_org.save()
    HazardAssessment.objects.filter(organization=profiled.private_org).update(
        tlp=TLP.GREEN, assessed_on=datetime.date(2025, 12, 31)
    )
    records = list(
        HazardAssessment.objects.select_related("organization", "hazard").order_by("organization__name", "pk")
    )
    assert len(records) == 8
    with translation.override(language):
        for page in (records, []):
            context = Context({"page_obj": page, "show_hazard": show_hazard})
            assert assessment_rows(page, show_hazard=show_hazard) == Template(
                TEMPLATE_ASSESSMENT_ROWS
            ).render(context)
    drawn = assessment_rows(records, show_hazard=show_hazard)
    assert "Public &lt;i&gt;&quot;&amp;&#x27;" in drawn
    assert ("Tornado &lt;b&gt;&quot;&amp;&#x27;" in drawn) is show_hazard


def test_the_assessment_filters_are_labelled_in_each_request_language(db):
    """The filterset's form class is made once (`ShallowCopyFilterSet`); its labels are still read per request."""
    from commonground.risks.filtersets import AssessmentFilterSet

    for language, hazard, organization in [("en", "Hazard", "Organization"), ("es", "Amenaza", "Organización"),
                                           ("en", "Hazard", "Organization")]:  # fmt: skip
        with translation.override(language):
            form = AssessmentFilterSet({}, queryset=HazardAssessment.objects.all()).form
            assert (str(form["hazard"].label), str(form["organization"].label)) == (hazard, organization)
