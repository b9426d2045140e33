"""The resource list's rows: the fast paths give what Django's filters and reverse() give."""

import pytest
from django.template.defaultfilters import floatformat
from django.utils import translation

from commonground.resources.tables import amount, resource_rows

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
