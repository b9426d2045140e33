"""The resource list's rows: the fast paths give what Django's filters and reverse() give."""

import datetime
import re

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from commonground.resources.tables import amount, resource_rows, rows_html

from .factories import ResourceFactory


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_amount_is_written_as_floatformat_writes_it(language):
    values = [0, 0.0, -0.0, 1, 7.0, 12.5, 2.25, 2.255, 1000.0, 123456789.0, -3.0, 1e14, 1e16, 0.001, 10**20]  # fmt: skip
    with translation.override(language):
        for value in values:
            assert amount(value) == floatformat(value, "-2"), value


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_row_links_to_its_resource(table, language):
    resources = [ResourceFactory(community=table.community, organization=table.private_org) for _ in range(3)]
    with translation.override(language):
        assert [row.url for row in resource_rows(resources)] == [r.get_absolute_url() for r in resources]


# The list's rows as its template wrote them before rows_html: the Python must write the same table.
TEMPLATE_ROWS = (
    "{% load i18n %}"
    + '  {% translate \'Name\' as l_name %}{% translate \'Distance\' as l_distance %}{% translate \'Kind\' as l_kind %}{% translate \'Category\' as l_category %}{% translate \'Quantity\' as l_quantity %}{% translate \'Availability\' as l_availability %}{% translate \'Held by\' as l_held %}{% translate \'Marking\' as l_marking %}{% translate \'type\' as l_type %}{% translate \'not verified lately\' as l_stale %}\n  {% for row in rows %}{% with r=row.resource %}\n  <tr><th scope="row" data-label="{{ l_name }}"><a href="{{ row.url }}">{{ r.name }}</a>{% if row.stale %} <span class="stale-badge">{{ l_stale }}</span>{% endif %}</th>\n  {% if near %}<td data-label="{{ l_distance }}">{{ row.distance }}</td>{% endif %}\n  <td data-label="{{ l_kind }}">{{ row.kind }}{% if r.capability_type %} · {{ l_type }} {{ r.capability_type }}{% endif %}</td>\n  <td data-label="{{ l_category }}">{{ row.category }}</td>\n  <td data-label="{{ l_quantity }}">{{ row.quantity }}</td>\n  <td data-label="{{ l_availability }}">{{ row.availability }}</td>\n  <td data-label="{{ l_held }}">{{ row.holder }}</td>\n  <td data-label="{{ l_marking }}">{{ r.tlp }}</td></tr>{% endwith %}\n  {% empty %}<tr><td colspan="8">{% translate "No resources match." %}</td></tr>{% endfor %}\n'
)


def _squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("near", [True, False])
def test_the_rows_are_the_templates_rows(table, language, near):
    common = {"community": table.community, "organization": table.private_org}
    resources = [
        ResourceFactory(name="<b>Pumps & hoses</b>", capability_type=2, quantity=12.5, unit="m³", **common),
        ResourceFactory(
            name='Cots "large"', capability_type=None, capacity=40, capacity_unit="beds", **common
        ),
        ResourceFactory(name="Old generator", verified_on=datetime.date(2000, 1, 1), **common),
    ]
    resources[0].distance_km = 1.234
    with translation.override(language):
        rows = resource_rows(resources)
        expected = Template(TEMPLATE_ROWS).render(Context({"rows": rows, "near": near}))
        assert _squeezed(rows_html(rows, near=near)) == _squeezed(expected)
        assert _squeezed(rows_html([], near=near)) == _squeezed(
            Template(TEMPLATE_ROWS).render(Context({"rows": [], "near": near}))
        )
