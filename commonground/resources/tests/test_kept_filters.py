"""The API's resource filters keep their form's answer to valid input and each filtered list's query
(resources.kept_filters): the same answers as a form validated afresh, errors never kept, each reader's list
its own."""

import pytest
from django.http import QueryDict
from django.utils import translation

from commonground.core.testing import api_client
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.resources import selectors
from commonground.resources.filtersets import ResourceApiFilterSet, ResourceFilterSet
from commonground.resources.kept_filters import ValidForm, forget_kept_filters

from .factories import ResourceFactory

INPUTS = [
    "kind=equipment&category=esf12",
    "q=generator&stale=false",
    "near=48933&radius_km=12.5",
    "capacity_min=10&capacity_unit=KW&tlp=TLP:AMBER",
    "organization=7&sector=private&capability_type=2",
    "kind=equipment&kind=supply",
    "",
]


@pytest.fixture(autouse=True)
def _fresh():
    forget_kept_filters()
    yield
    forget_kept_filters()


def _form(filterset_class, data: str):
    filterset = filterset_class(QueryDict(data), queryset=selectors.resource_list(viewer=viewer_for(None)))
    assert filterset.is_valid(), filterset.errors
    return filterset.form


@pytest.mark.parametrize("data", INPUTS)
def test_a_kept_answer_is_the_answer_of_a_form_validated_afresh(db, data):
    afresh = _form(ResourceFilterSet, data)
    first, kept = _form(ResourceApiFilterSet, data), _form(ResourceApiFilterSet, data)
    assert not isinstance(first, ValidForm) and isinstance(kept, ValidForm)
    assert kept.cleaned_data == first.cleaned_data == afresh.cleaned_data
    assert (
        kept.cleaned_data is not _form(ResourceApiFilterSet, data).cleaned_data
    )  # each request its own copy


def test_invalid_input_is_validated_afresh_each_time_in_the_reader_s_language(table):
    client = api_client(table.member)
    for _round in range(2):
        for language, words in (("en", "Select a valid choice"), ("es", "Escoja una opción válida")):
            with translation.override(language):
                response = client.get(
                    "/api/v1/resources/", {"kind": "nonsense"}, headers={"accept-language": language}
                )
            assert response.status_code == 400
            assert words in str(response.json()), (language, response.json())
        assert client.get("/api/v1/resources/", {"kind": "equipment"}).status_code == 200


def test_each_reader_s_filtered_list_is_its_own(table):
    ResourceFactory(
        name="Amber pump", community=table.community, organization=table.private_org, tlp=TLP.AMBER
    )
    ResourceFactory(name="Green pump", community=table.community, organization=table.private_org)
    for _round in range(2):
        for user, names in (
            (table.member, ["Amber pump", "Green pump"]),
            (table.other_admin, ["Green pump"]),
            (table.outsider, []),
            (table.facilitator, ["Amber pump", "Green pump"]),
        ):
            body = api_client(user).get("/api/v1/resources/", {"q": "pump", "kind": "equipment"}).json()
            assert [row["name"] for row in body["results"]] == names, user
