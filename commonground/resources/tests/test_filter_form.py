"""The resource filters' form copies its fields for each form (resources.filter_form) as Django's deep copy
would: the same form, drawn the same, and each form's fields, widgets and choices its own."""

import copy

from django.http import QueryDict
from django.utils import translation

from commonground.resources.filtersets import ResourceFilterSet
from commonground.resources.models import Resource

DATA = "kind=equipment&category=esf12&tlp=TLP:AMBER&stale=true&q=generator&near=48933&radius_km=5"


def _form(data: str = DATA):
    return ResourceFilterSet(QueryDict(data), queryset=Resource.objects.all()).form


def test_a_form_is_drawn_and_validated_as_with_django_s_own_copy_of_its_fields(db):
    for language in ("en", "es"):
        with translation.override(language):
            form = _form()
            by_django = _form()
            by_django.fields = copy.deepcopy(dict(type(form).base_fields))
            assert str(form) == str(by_django)
            assert form.is_valid() and by_django.is_valid()
            assert form.cleaned_data == by_django.cleaned_data


def test_each_form_s_fields_widgets_and_choices_are_its_own(db):
    base = type(_form()).base_fields
    first, second = _form(), _form()
    for name, field in first.fields.items():
        assert field is not second.fields[name] and field is not base[name]
        assert field.widget is not base[name].widget and field.widget.attrs is not base[name].widget.attrs
        assert field.validators is not base[name].validators
    kind = first.fields["kind"]
    assert kind.choices is not base["kind"].choices and kind.choices.field is kind
    kind.empty_label = "Any kind"
    kind.widget.attrs["class"] = "changed"
    assert list(kind.choices)[0] == ("", "Any kind")
    assert list(second.fields["kind"].choices)[0] == ("", "---------")
    assert "changed" not in str(second["kind"]) and "changed" not in str(_form()["kind"])
