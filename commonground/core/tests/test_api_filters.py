from commonground.core.api.filters import _names_filter
from commonground.core.testing import api_client
from commonground.registry.filtersets import OrganizationFilterSet, PersonFilterSet


def test_a_parameter_names_a_filter_by_its_name_or_a_suffix_of_it():
    filters = OrganizationFilterSet.base_filters
    assert _names_filter("sector", filters)
    assert _names_filter("employees_min", filters)
    assert not _names_filter("page", filters)
    assert not _names_filter("community", filters)
    assert _names_filter("organization", PersonFilterSet.base_filters)


def test_a_list_without_filters_is_the_whole_list(table):
    plain = api_client(table.member).get("/api/v1/organizations/?community=riverbend&page=1").json()
    assert plain["count"] == 2


def test_a_named_filter_still_filters_and_still_refuses_bad_values(table):
    client = api_client(table.member)
    assert client.get("/api/v1/organizations/?sector=private").json()["count"] == 1
    refused = client.get("/api/v1/organizations/?sector=bogus")
    assert refused.status_code == 400 and "sector" in refused.json()
