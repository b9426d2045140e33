"""A kept select writes what Django's own select writes, for whatever it is drawn from, kept or not."""

import pytest
from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy

from commonground.accounts.forms import ProfileForm
from commonground.accounts.widgets import KeptSelect, forget_drawn
from commonground.communities.forms import CommunityForm, time_zone_choices
from commonground.core.timezones import time_zone_names


@pytest.fixture(autouse=True)
def _nothing_kept():
    forget_drawn()
    yield
    forget_drawn()


def lazy_choices():
    return [("", gettext_lazy("Any")), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))]


CHOICES = {
    "a function": time_zone_choices,
    "a function of the language": lazy_choices,
    "a list": [("a", "Alpha"), ("b", "Bravo <&>")],
    "groups": [("", "Any"), ("Group", [("x", "X"), ("y", "Y")])],
}
VALUES = [None, "", "a", "yes", "America/Detroit", "Europe/Madrid", "x", "nowhere"]
ATTRS = [None, {"class": "usa-select"}, {"id": "id_f", "required": True, "aria-describedby": "id_f_helptext"}]


def both(choices, value, attrs, name="field"):
    return (
        KeptSelect(attrs=attrs, choices=choices).render(name, value),
        forms.Select(attrs=attrs, choices=choices).render(name, value),
    )


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("choices", CHOICES.values(), ids=CHOICES.keys())
def test_a_kept_select_is_byte_identical_to_djangos_drawn_or_kept(choices, value, attrs):
    drawn, theirs = both(choices, value, attrs)
    kept, _theirs = both(choices, value, attrs)
    assert drawn == theirs
    assert kept == theirs


def test_each_value_is_kept_apart():
    for value in ("America/Detroit", "Europe/Madrid", "America/Detroit"):
        html = KeptSelect(choices=time_zone_choices).render("time_zone", value)
        assert f'<option value="{value}" selected>' in html
        assert html.count(" selected>") == 1


def test_the_attributes_and_name_are_part_of_what_is_kept():
    first = KeptSelect(choices=time_zone_choices).render("time_zone", "UTC", attrs={"id": "id_a"})
    second = KeptSelect(choices=time_zone_choices).render("zone", "UTC", attrs={"id": "id_b"})
    assert first.startswith('<select name="time_zone" id="id_a">')
    assert second.startswith('<select name="zone" id="id_b">')


def test_a_function_of_the_language_is_drawn_in_each_language():
    english = KeptSelect(choices=lazy_choices).render("answer", "yes")
    with translation.override("es"):
        spanish = KeptSelect(choices=lazy_choices).render("answer", "yes")
        assert spanish == forms.Select(choices=lazy_choices).render("answer", "yes")
    assert ">Yes</option>" in english
    assert ">Sí</option>" in spanish
    assert KeptSelect(choices=lazy_choices).render("answer", "yes") == english


def test_a_list_of_options_that_changes_is_a_new_key():
    widget = KeptSelect(choices=[("a", "Alpha")])
    assert "Alpha" in widget.render("f", "a")
    widget.choices = [("a", "Apple")]
    assert "Apple" in widget.render("f", "a")


@pytest.mark.parametrize("required", [True, False])
@pytest.mark.parametrize(
    "choices", [time_zone_choices, lazy_choices], ids=["no empty option", "empty option"]
)
def test_the_required_attribute_is_djangos(choices, required):
    ours = KeptSelect(choices=choices)
    theirs = forms.Select(choices=choices)
    ours.is_required = theirs.is_required = required
    assert ours.use_required_attribute(None) == theirs.use_required_attribute(None)


def test_the_time_zone_fields_of_the_profile_and_the_community_are_djangos(db):
    profile = ProfileForm(initial={"time_zone": "America/Detroit", "language": "es"})
    community = CommunityForm()
    for form, name in ((profile, "time_zone"), (profile, "language"), (community, "time_zone")):
        field = form[name]
        ours = str(field)
        field.field.widget = forms.Select(attrs=field.field.widget.attrs, choices=field.field.widget.choices)
        assert ours == str(form[name])
    assert len(time_zone_names()) > 300
