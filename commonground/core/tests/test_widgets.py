"""The selects drawn in Python write exactly what Django's own widgets write through the project's renderer."""

import datetime

import pytest
from django import forms
from django.forms.widgets import ChoiceWidget
from django.test import override_settings
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from commonground.core import widgets
from commonground.registry.models import Organization
from commonground.registry.tests.factories import OrganizationFactory

PAIRS = [
    (widgets.Select, forms.Select),
    (widgets.SelectMultiple, forms.SelectMultiple),
    (widgets.NullBooleanSelect, forms.NullBooleanSelect),
]

NASTY = "<b>\"Tom's\" & Jerry's</b>"
CHOICES = {
    "plain": [("", "---------"), ("a", "Alpha"), ("b", "Bravo")],
    "escaping": [(NASTY, NASTY), ("x&y", "x & y <z>"), ("'", '"')],
    "safe strings": [(mark_safe("<i>v</i>"), mark_safe("<i>label</i>")), ("w", mark_safe("a &amp; b"))],
    "numbers": [(1, 1), (2, 1234567), (3, 1.5), (None, None), (True, False)],
    "lazy labels": [("", gettext_lazy("Any")), ("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
    "unicode": [("zoë", "Zoë's Café"), ("ü", "Über — “quoted”")],
    "optgroups": [
        ("", "Any"),
        ("Fire & rescue", [("engine", "Engine"), ("ladder", "Ladder <truck>")]),
        ("Empty group", []),
        ("loose", "Loose option"),
        (NASTY, [(7, "Seven")]),
    ],
    "dict": {"a": "Alpha", "Group": {"b": "Bravo", "c": "Charlie"}},
    "none": [],
}
VALUES = [None, "", "a", "b", ["a", "b"], NASTY, 1, "1", 2, ["engine", "7"], "nowhere", True, False]
ATTRS = [
    None,
    {"class": "usa-select"},
    {"id": "id_f", "class": "usa-select", "data-search-url": "/api/?community=x&y=<z>"},
    {"id": "id_f", "required": True, "disabled": False, "aria-describedby": "id_f_hint", "size": 5},
    {"data-label": gettext_lazy("Search"), "title": mark_safe("<em>safe</em>"), "data-n": 1234567},
]


def both(ours_class, django_class, choices, value, attrs, name="field", render_attrs=None):
    if django_class is forms.NullBooleanSelect:
        ours, theirs = ours_class(attrs=attrs), django_class(attrs=attrs)
    else:
        ours, theirs = ours_class(attrs=attrs, choices=choices), django_class(attrs=attrs, choices=choices)
    return ours.render(name, value, attrs=render_attrs), theirs.render(name, value, attrs=render_attrs)


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("choices", CHOICES.values(), ids=CHOICES.keys())
@pytest.mark.parametrize(("ours_class", "django_class"), PAIRS)
def test_a_select_is_byte_identical_to_djangos(ours_class, django_class, choices, value, attrs):
    if django_class is forms.NullBooleanSelect and isinstance(value, list):
        pytest.skip("Django's NullBooleanSelect takes no list")
    ours, theirs = both(ours_class, django_class, choices, value, attrs)
    assert ours == theirs
    assert type(ours) is type(theirs)  # both safe strings


@pytest.mark.parametrize(("ours_class", "django_class"), PAIRS)
def test_a_select_is_identical_under_translation_and_grouped_numbers(ours_class, django_class):
    choices = CHOICES["lazy labels"] + CHOICES["numbers"]
    with override_settings(USE_THOUSAND_SEPARATOR=True), translation.override("es"):
        ours, theirs = both(ours_class, django_class, choices, "yes", {"data-n": 1234567})
    assert ours == theirs
    # the labels were translated, and numbers localized, as the template does
    assert "Sí" in ours and ("1,5" in ours or django_class is forms.NullBooleanSelect)


@pytest.mark.parametrize(("ours_class", "django_class"), PAIRS)
def test_the_attributes_given_at_render_time_are_written_too(ours_class, django_class):
    render_attrs = {"id": "id_other", "aria-invalid": "true", "hidden": True}
    ours, theirs = both(ours_class, django_class, CHOICES["plain"], "a", {"class": "c"}, "x<y", render_attrs)
    assert ours == theirs


@pytest.mark.django_db
@pytest.mark.parametrize(("ours_class", "django_class"), PAIRS[:2])
def test_a_model_choice_select_is_identical(ours_class, django_class):
    chosen, other = OrganizationFactory(name="Fire & Rescue <North>"), OrganizationFactory(name="Zoë's")
    field_class = (
        forms.ModelMultipleChoiceField if django_class is forms.SelectMultiple else forms.ModelChoiceField
    )
    ours_field = field_class(Organization.objects.order_by("pk"), widget=ours_class)
    theirs_field = field_class(Organization.objects.order_by("pk"), widget=django_class)
    value = [chosen.pk] if django_class is forms.SelectMultiple else chosen.pk
    ours = ours_field.widget.render("organization", value)
    assert ours == theirs_field.widget.render("organization", value)
    assert f'<option value="{chosen.pk}" selected>Fire &amp; Rescue &lt;North&gt;</option>' in ours
    assert f'<option value="{other.pk}">Zoë&#x27;s</option>' in ours


def test_a_select_with_its_own_option_template_is_drawn_by_djangos_templates():
    class Checkboxes(widgets.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    class DjangoCheckboxes(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    ours = Checkboxes(choices=CHOICES["plain"]).render("f", "a")
    assert ours == DjangoCheckboxes(choices=CHOICES["plain"]).render("f", "a")
    assert "<label" in ours  # the other template's markup, not an <option>


def test_the_markup_is_the_select_a_reader_expects():
    html = widgets.Select(attrs={"id": "id_kind"}, choices=CHOICES["optgroups"]).render("kind", "ladder")
    assert html.startswith('<select name="kind" id="id_kind">')
    assert '<optgroup label="Fire &amp; rescue">' in html
    assert '<option value="ladder" selected>Ladder &lt;truck&gt;</option>' in html
    assert html.endswith("</option>\n\n  </optgroup>\n</select>")


INPUTS = [
    (widgets.TextInput, forms.TextInput),
    (widgets.NumberInput, forms.NumberInput),
    (widgets.Textarea, forms.Textarea),
]
INPUT_VALUES = [
    None,
    "",
    "generator",
    NASTY,
    mark_safe("<i>safe</i>"),
    0,
    1.5,
    1234567,
    gettext_lazy("Yes"),
    ("a", 1),
]
INPUT_ATTRS = [
    None,
    {"class": "usa-input", "maxlength": "200"},
    {"type": "search", "required": True, "disabled": False, "step": "any", "min": 0, "placeholder": NASTY},
    {"aria-describedby": mark_safe("a b"), "data-x": gettext_lazy("Search"), "autocomplete": "off"},
]


@pytest.mark.parametrize("attrs", INPUT_ATTRS)
@pytest.mark.parametrize("value", INPUT_VALUES)
@pytest.mark.parametrize(("ours_class", "django_class"), INPUTS)
def test_an_input_is_byte_identical_to_djangos(ours_class, django_class, value, attrs):
    ours = ours_class(attrs=attrs).render("q<", value, attrs={"id": "id_q"})
    theirs = django_class(attrs=attrs).render("q<", value, attrs={"id": "id_q"})
    assert ours == theirs
    assert type(ours) is type(theirs)


def test_a_localized_number_input_is_identical_and_localized():
    ours, theirs = widgets.NumberInput(), forms.NumberInput()
    ours.is_localized = theirs.is_localized = True
    with override_settings(USE_THOUSAND_SEPARATOR=True), translation.override("es"):
        html = ours.render("n", 1234.5)
        assert html == theirs.render("n", 1234.5)
    assert 'value="1\xa0234,5"' in html  # Spanish groups thousands with a no-break space


def test_an_input_with_another_template_is_drawn_by_djangos_templates():
    class Hidden(widgets.TextInput):
        input_type, template_name = "hidden", "django/forms/widgets/hidden.html"

    assert Hidden().render("h", "v<") == forms.HiddenInput().render("h", "v<")
    assert widgets.TextInput().render("q", "v<") == '<input type="text" name="q" value="v&lt;">'


def test_a_textarea_with_another_template_is_drawn_by_djangos_templates():
    class Boxed(widgets.Textarea):
        template_name = "django/forms/widgets/text.html"

    assert (
        widgets.Textarea(attrs={"rows": 2}).render("c", "a<")
        == '<textarea name="c" cols="40" rows="2">\na&lt;</textarea>'
    )

    class Theirs(forms.Textarea):
        template_name = "django/forms/widgets/text.html"

    assert Boxed().render("c", "a<") == Theirs().render("c", "a<")


OTHER_INPUTS = [
    (widgets.DateInput, forms.DateInput),
    (widgets.CheckboxInput, forms.CheckboxInput),
    (widgets.HiddenInput, forms.HiddenInput),
    (widgets.Textarea, forms.Textarea),
]
OTHER_VALUES = [*INPUT_VALUES, True, False, datetime.date(2026, 12, 3), "line one\nline <two>\n"]


@pytest.mark.parametrize("attrs", INPUT_ATTRS)
@pytest.mark.parametrize("value", OTHER_VALUES)
@pytest.mark.parametrize(("ours_class", "django_class"), OTHER_INPUTS)
def test_a_date_checkbox_hidden_input_or_text_area_is_byte_identical_to_djangos(
    ours_class, django_class, value, attrs
):
    ours = ours_class(attrs=attrs).render("q<", value, attrs={"id": "id_q"})
    theirs = django_class(attrs=attrs).render("q<", value, attrs={"id": "id_q"})
    assert ours == theirs
    assert type(ours) is type(theirs)
    with override_settings(USE_THOUSAND_SEPARATOR=True), translation.override("es"):
        assert ours_class(attrs=attrs).render("q", value) == django_class(attrs=attrs).render("q", value)


def test_the_other_inputs_are_drawn_without_the_template_engine():
    html = widgets.Textarea().render("d", "a <b>")
    assert html == '<textarea name="d" cols="40" rows="10">\na &lt;b&gt;</textarea>'
    assert widgets.render_textarea({"template_name": "mine.html"}) is None
    assert widgets.render_other_input({"template_name": "mine.html"}) is None


CHOICE_LISTS = [
    (widgets.CheckboxSelectMultiple, forms.CheckboxSelectMultiple),
    (widgets.RadioSelect, forms.RadioSelect),
]


@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("choices", CHOICES.values(), ids=CHOICES.keys())
@pytest.mark.parametrize(("ours_class", "django_class"), CHOICE_LISTS)
def test_a_list_of_checkboxes_or_radio_buttons_is_byte_identical_to_djangos(
    ours_class, django_class, choices, value, attrs
):
    ours, theirs = both(ours_class, django_class, choices, value, attrs)
    assert ours == theirs
    assert type(ours) is type(theirs)


@pytest.mark.parametrize(("ours_class", "django_class"), CHOICE_LISTS)
def test_a_choice_list_is_identical_under_translation_and_with_render_time_attributes(
    ours_class, django_class
):
    choices = CHOICES["lazy labels"] + CHOICES["numbers"]
    with override_settings(USE_THOUSAND_SEPARATOR=True), translation.override("es"):
        ours, theirs = both(ours_class, django_class, choices, "yes", {"data-n": 1234567})
    assert ours == theirs and "Sí" in ours
    render_attrs = {"id": "id_other", "aria-invalid": "true", "hidden": True}
    ours, theirs = both(
        ours_class, django_class, CHOICES["optgroups"], "ladder", {"class": "c"}, "x<y", render_attrs
    )
    assert ours == theirs


def test_a_choice_list_with_its_own_option_template_is_drawn_by_djangos_templates():
    class Listed(widgets.RadioSelect):
        option_template_name = "django/forms/widgets/select_option.html"

    class DjangoListed(forms.RadioSelect):
        option_template_name = "django/forms/widgets/select_option.html"

    ours = Listed(choices=CHOICES["plain"]).render("f", "a")
    assert ours == DjangoListed(choices=CHOICES["plain"]).render("f", "a")
    assert "<option" in ours


def test_the_markup_is_the_checkbox_list_a_reader_expects():
    html = widgets.CheckboxSelectMultiple(attrs={"id": "id_ways"}, choices=CHOICES["optgroups"]).render(
        "ways", ["ladder"]
    )
    assert html.startswith('<div id="id_ways">')
    assert "<div><label>Fire &amp; rescue</label>" in html
    assert (
        '<label for="id_ways_1_1"><input type="checkbox" name="ways" value="ladder" id="id_ways_1_1" checked>'
        "\n Ladder &lt;truck&gt;</label>"
    ) in html


def test_a_plain_selects_options_are_written_without_djangos_optgroups(monkeypatch):
    def refused(*args, **kwargs):
        raise AssertionError("Django's optgroups")

    monkeypatch.setattr(ChoiceWidget, "optgroups", refused)
    html = widgets.Select(choices=CHOICES["optgroups"]).render("kind", "ladder")
    assert '<option value="ladder" selected>Ladder &lt;truck&gt;</option>' in html


@pytest.mark.parametrize(("ours_class", "django_class"), CHOICE_LISTS)
def test_a_plain_choice_lists_options_are_written_without_djangos_optgroups(
    monkeypatch, ours_class, django_class
):
    expected = django_class(attrs={"id": "id_ways"}, choices=CHOICES["optgroups"]).render("ways", ["ladder"])

    def refused(*args, **kwargs):
        raise AssertionError("Django's optgroups")

    monkeypatch.setattr(ChoiceWidget, "optgroups", refused)
    html = ours_class(attrs={"id": "id_ways"}, choices=CHOICES["optgroups"]).render("ways", ["ladder"])
    assert html == expected
    assert 'value="ladder" id="id_ways_1_1" checked>' in html


@pytest.mark.parametrize(
    ("ours_class", "django_class"),
    [(widgets.Select, forms.Select), (widgets.CheckboxSelectMultiple, forms.CheckboxSelectMultiple)],
)
def test_a_select_or_choice_list_with_its_own_options_is_drawn_from_them(ours_class, django_class):
    def with_title(widget_class):
        class Titled(widget_class):
            def create_option(self, *args, **kwargs):
                option = super().create_option(*args, **kwargs)
                option["attrs"]["title"] = f"{option['label']}!"
                return option

        return Titled

    ours = with_title(ours_class)(choices=CHOICES["plain"]).render("f", "a")
    assert ours == with_title(django_class)(choices=CHOICES["plain"]).render("f", "a")
    assert 'title="Alpha!"' in ours
