"""A field's group drawn in Python is byte for byte what `core/forms/field.html` writes through the template engine."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from commonground.core.field_group import FIELD_TEMPLATE, render_field_group
from commonground.core.forms import Form, UswdsFormRenderer

NASTY = "<b>\"Tom's\" & Jerry's</b>"


class EveryKind(Form):
    text = forms.CharField(label=NASTY, help_text=NASTY)
    optional = forms.CharField(
        label=gettext_lazy("Name"), required=False, help_text=gettext_lazy("Local time.")
    )
    safe_help = forms.CharField(required=False, help_text=mark_safe("<em>safe</em> &amp; sound"))
    number = forms.IntegerField(label="People", min_value=0, max_value=9)
    agree = forms.BooleanField(label="I agree <really>", help_text="Tick it.")
    optional_box = forms.BooleanField(required=False)
    choice = forms.ChoiceField(choices=[("", "---"), ("a", "Alpha & co")], help_text="Pick one.")
    radio = forms.ChoiceField(choices=[("a", "Alpha"), ("b", "Bravo")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("a", "Alpha"), ("b", "Bravo")], widget=forms.CheckboxSelectMultiple, help_text="Any."
    )
    plain_boxes = forms.MultipleChoiceField(
        choices=[("a", "Alpha")], widget=forms.CheckboxSelectMultiple, required=False
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)
    when = forms.DateField(required=False, label=gettext_lazy("Date"))

    def clean_text(self):
        raise forms.ValidationError(["First <problem>.", mark_safe("Second <em>problem</em>.")])


BOUND = {
    "text": "toolong",
    "number": "99",
    "choice": "zzz",
    "radio": "z",
    "boxes": ["z"],
    "when": "not a day",
}


def template_field_group(field) -> str:
    return TemplatesSetting().render(FIELD_TEMPLATE, {"field": field})


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "form_kwargs",
    [{}, {"data": BOUND}, {"data": {}}, {"auto_id": False, "data": BOUND}, {"prefix": "p<x>", "data": BOUND}],
    ids=["blank", "errors", "all missing", "no ids", "prefix"],
)
def test_every_kind_of_field_is_drawn_as_the_template_draws_it(form_kwargs, language):
    with translation.override(language):
        form = EveryKind(**form_kwargs)
        for field in form:
            assert render_field_group(field) == template_field_group(field), field.name


def test_the_renderer_draws_the_field_template_in_python(monkeypatch):
    form = EveryKind(data=BOUND)
    expected = {field.name: template_field_group(field) for field in form}
    render = TemplatesSetting.render

    def refuse_the_field_template(renderer, template_name, context, request=None):
        assert template_name != FIELD_TEMPLATE, "the template engine drew a field group"
        return render(renderer, template_name, context, request=request)

    monkeypatch.setattr(TemplatesSetting, "render", refuse_the_field_template)
    assert isinstance(form.renderer, UswdsFormRenderer)
    assert {field.name: field.as_field_group() for field in form} == expected


class TemplatesOnly(TemplatesSetting):
    form_template_name = UswdsFormRenderer.form_template_name
    field_template_name = FIELD_TEMPLATE


@pytest.mark.parametrize("data", [None, BOUND])
def test_a_whole_form_is_what_the_templates_alone_write(data):
    assert EveryKind(data=data).render() == EveryKind(data=data, renderer=TemplatesOnly()).render()
