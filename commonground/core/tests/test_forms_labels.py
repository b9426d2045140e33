"""A select of records reads only what its options' labels need (`core.forms.labels_only`), and draws the same
options as when it reads the whole records."""

import pytest
from django import forms
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.core import forms as core_forms
from commonground.registry.models import Organization, Person
from commonground.registry.tests.factories import OrganizationFactory, PersonFactory
from commonground.risks.models import Hazard

pytestmark = pytest.mark.django_db

NASTY = "<b>\"Tom's\" & Jerry's</b>"


@pytest.fixture
def records():
    first = OrganizationFactory(name=NASTY, website="https://unread.example.org")
    second = OrganizationFactory(name="Zoë's Café")
    PersonFactory(organization=first, first_name="Ana", last_name=NASTY, email="unread@example.org")
    PersonFactory(organization=second, first_name="Bo", last_name="Ek")
    PersonFactory(organization=first, first_name="Cy", last_name="Ng")
    return first, second


def test_every_models_label_is_the_same_read_from_its_label_fields_alone(records):
    labelled = [model for model in apps.get_models() if hasattr(model, "label_fields")]
    assert set(labelled) == {Organization, Person, Hazard}, "a new model with label_fields: add it here"
    for model in labelled:
        whole = {record.pk: str(record) for record in model.objects.all()}
        assert whole
        with CaptureQueriesContext(connection) as queries:
            read = {record.pk: str(record) for record in model.objects.only(*model.label_fields)}
        assert read == whole
        assert len(queries) == 1  # no deferred column was read afterwards, record by record


class Choices(core_forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.order_by("name", "pk"))
    people = forms.ModelMultipleChoiceField(queryset=Person.objects.select_related("organization"))
    named = forms.ModelChoiceField(queryset=Person.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named"].label_from_instance = lambda person: f"{person.first_name} <{person.email}>"


class DjangosChoices(forms.Form):
    """The same fields, drawn and read Django's way."""

    organization = Choices.base_fields["organization"]
    people = Choices.base_fields["people"]
    named = forms.ModelChoiceField(queryset=Person.objects.all())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["named"].label_from_instance = lambda person: f"{person.first_name} <{person.email}>"


def selects(form, name) -> tuple[str, list[str]]:
    form.errors  # noqa: B018 - a bound form's cleaning reads whole records, for the services: not the options
    with CaptureQueriesContext(connection) as queries:
        drawn = str(form[name])
    return drawn, [query["sql"] for query in queries]


@pytest.mark.parametrize("data", [None, {"organization": "1", "people": ["1", "2"]}])
def test_a_select_of_records_reads_only_the_label_columns_and_draws_the_same_options(records, data):
    ours, theirs = Choices(data=data), DjangosChoices(data=data)
    for name in ("organization", "people"):
        drawn, sql = selects(ours, name)
        expected, django_sql = selects(theirs, name)
        # the same options; the project's form gives the select its class
        assert drawn.split(">", 1)[1] == expected.split(">", 1)[1]
        assert "&lt;b&gt;&quot;Tom&#x27;s&quot; &amp; Jerry&#x27;s&lt;/b&gt;" in drawn
        assert len(sql) == len(django_sql)
        assert all("website" not in query and "email" not in query for query in sql), sql
        assert any("website" in query or "email" in query for query in django_sql)


def test_a_field_that_labels_its_options_another_way_reads_the_whole_records(records):
    drawn, sql = selects(Choices(), "named")
    assert "&lt;unread@example.org&gt;" in drawn
    assert len(sql) == 1 and "email" in sql[0]


def test_a_bound_forms_chosen_records_are_whole(records):
    """The services are given records as Django reads them: only the options are read with fewer columns."""
    form = Choices(data={"organization": str(records[0].pk), "people": [], "named": ""})
    form.is_valid()
    with CaptureQueriesContext(connection) as queries:
        assert form.cleaned_data["organization"].website == "https://unread.example.org"
    assert len(queries) == 0


def test_a_grouped_select_reads_its_groups_label_too(records):
    field = forms.ModelChoiceField(queryset=Person.objects.none())
    field.iterator = core_forms.grouped_by("organization")
    field.queryset = Person.objects.select_related("organization").order_by("organization__name", "last_name")
    with CaptureQueriesContext(connection) as queries:
        choices = [choice for choice in iter(field.choices)]  # noqa: C416 - list() would count them first
    groups = [(group, [label for _value, label in options]) for group, options in choices[1:]]
    assert groups == [(NASTY, [f"Ana {NASTY}", "Cy Ng"]), ("Zoë's Café", ["Bo Ek"])]
    assert len(queries) == 1
    assert "website" not in queries[0]["sql"] and "email" not in queries[0]["sql"]
