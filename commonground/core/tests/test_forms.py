"""Every form of the project draws Django's selects and text and number inputs in Python (`core.forms`), and
writes the same page as when Django's templates draw them."""

import pytest
from django import forms
from django.utils import translation
from django.utils.safestring import mark_safe

from commonground.core import forms as core_forms
from commonground.core import widgets
from commonground.registry.models import Organization
from commonground.registry.tests.factories import OrganizationFactory

NASTY = "<b>\"Tom's\" & Jerry's</b>"


class EveryKindForm(core_forms.Form):
    name = forms.CharField(help_text="Shown <as> typed")
    count = forms.IntegerField(required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", NASTY), ("b", "Bravo")])
    kinds = forms.MultipleChoiceField(choices=[("a", "Alpha"), ("b", "Bravo")], required=False)
    sure = forms.NullBooleanField(required=False)
    organization = forms.ModelChoiceField(queryset=Organization.objects.order_by("name"))
    email = forms.EmailField(required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    agreed = forms.BooleanField(required=False)
    ways = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )


def test_djangos_selects_and_text_and_number_inputs_are_drawn_in_python():
    form = EveryKindForm()
    drawn = {name: type(field.widget) for name, field in form.fields.items()}
    assert drawn["name"] is widgets.TextInput
    assert drawn["count"] is widgets.NumberInput
    assert drawn["kind"] is widgets.Select
    assert drawn["kinds"] is widgets.SelectMultiple
    assert drawn["sure"] is widgets.NullBooleanSelect
    assert drawn["organization"] is widgets.Select
    assert drawn["notes"] is widgets.Textarea
    # the rest keep Django's widget: their templates are not drawn in Python
    assert drawn["email"] is forms.EmailInput
    assert drawn["agreed"] is forms.CheckboxInput
    assert drawn["ways"] is widgets.CheckboxSelectMultiple


def test_the_class_a_widget_gets_is_the_one_its_django_kind_gets():
    form = EveryKindForm()
    classes = {name: field.widget.attrs.get("class") for name, field in form.fields.items()}
    assert classes["kind"] == classes["kinds"] == classes["organization"] == "usa-select"
    assert classes["sure"] == classes["name"] == classes["count"] == "usa-input"
    assert "class" not in form.fields["ways"].widget.attrs


def test_a_widget_of_the_class_declared_on_the_form_is_not_shared_between_forms():
    first, second = EveryKindForm(), EveryKindForm()
    assert first.fields["kind"].widget is not second.fields["kind"].widget
    assert type(EveryKindForm.base_fields["kind"].widget) is forms.Select


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"name": NASTY, "count": "12", "kind": "a", "kinds": ["a", "b"], "sure": "true", "ways": ["y"]},
        {"count": "x", "ways": ["z"]},
    ],
    ids=["blank", "filled", "with errors"],
)
def test_a_form_drawn_in_python_is_the_page_djangos_templates_draw(monkeypatch, data):
    OrganizationFactory(name=NASTY)
    OrganizationFactory(name="Zoë's Café")
    if data and "kind" in data:
        data = {**data, "organization": str(Organization.objects.order_by("pk").first().pk)}
    ours = str(EveryKindForm(data))
    monkeypatch.setattr(core_forms, "DRAWN_IN_PYTHON", {})
    theirs = str(EveryKindForm(data))
    assert "Zoë&#x27;s Café" in ours and "<select" in ours and 'type="checkbox" name="ways"' in ours
    assert ours == theirs


class EveryGroupForm(core_forms.Form):
    """A field of each kind of group `core/forms/field.html` draws: a plain one, a checkbox, a fieldset of radio
    buttons or checkboxes; with and without help text, required or not."""

    name = forms.CharField(help_text=NASTY, label=NASTY)
    note = forms.CharField(required=False, widget=forms.Textarea)
    agreed = forms.BooleanField(help_text="Tick it")
    optional = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=[("a", NASTY), ("b", "B")], widget=forms.RadioSelect, help_text="One")
    ways = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, required=False
    )
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    safe = forms.CharField(required=False, help_text=mark_safe("<em>as written</em>"))  # noqa: S308


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "data",
    [None, {"name": NASTY, "agreed": "on", "choice": "a", "ways": ["x"]}, {"choice": "z", "ways": ["z"]}],
    ids=["blank", "filled", "with errors"],
)
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_a_field_group_drawn_in_python_is_the_one_its_template_draws(monkeypatch, data, language, auto_id):
    with translation.override(language):
        form = EveryGroupForm(data, auto_id=auto_id)
        ours = [field.as_field_group() for field in form] + [str(form)]
        monkeypatch.setattr(core_forms, "FIELDS_DRAWN_IN_PYTHON", False)
        theirs = [field.as_field_group() for field in form] + [str(form)]
        monkeypatch.undo()
    assert ours == theirs
    assert 'class="usa-fieldset usa-form-group' in ours[-1] and 'class="usa-checkbox"' in ours[-1]
    if data and "name" not in data:
        assert "usa-form-group--error" in ours[-1]


def test_a_field_group_is_drawn_in_python_only_through_the_field_template(monkeypatch):
    """A context with more than the field goes through the template engine."""
    drawn = []
    monkeypatch.setattr(core_forms.field_group, "render_field_group", lambda field: drawn.append(field) or "")
    field = EveryGroupForm()["name"]
    renderer = field.form.renderer
    renderer.render("core/forms/field.html", {"field": field})
    assert len(drawn) == 1
    assert "<label" in renderer.render("core/forms/field.html", {"field": field, "other": 1})
    assert len(drawn) == 1


def test_a_select_of_records_offers_what_django_s_own_iterator_offers(table):
    """`LabelsOnlyIterator` (every form's select of records) gives Django's choices: the same values, labels and
    records, the empty label first."""
    from django import forms as django_forms

    from commonground.core.forms import LabelsOnlyIterator
    from commonground.registry.models import Organization, Person

    for queryset in (Organization.objects.order_by("name"), Person.objects.order_by("pk")):
        for empty in ("---------", None):
            field = django_forms.ModelChoiceField(queryset=queryset, empty_label=empty)
            ours = list(LabelsOnlyIterator(field))
            django = list(django_forms.models.ModelChoiceIterator(field))
            assert [(str(v), str(label)) for v, label in ours] == [
                (str(v), str(label)) for v, label in django
            ]
            assert [getattr(v, "instance", None) for v, _label in ours] == [
                getattr(v, "instance", None) for v, _label in django
            ]
            assert len(ours) == queryset.count() + (empty is not None)
