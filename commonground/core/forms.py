"""Form rendering in the US Web Design System's markup, for every form of every app."""

from itertools import groupby

from django import forms
from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.FileInput: "usa-file-input",
    forms.ClearableFileInput: "usa-file-input",
}


class UswdsFormRenderer(TemplatesSetting):
    """Render every form with the project's field template (labels, hints, errors in USWDS markup)."""

    form_template_name = "core/forms/div.html"
    field_template_name = "core/forms/field.html"


class UswdsFormMixin:
    """Give each widget the USWDS class for its kind."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next((c for kind, c in WIDGET_CLASSES.items() if type(widget) is kind), "usa-input")
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            widget.attrs.setdefault("class", css)


class Form(UswdsFormMixin, forms.Form):
    pass


class ModelForm(UswdsFormMixin, forms.ModelForm):
    pass


def grouped_by(attribute: str) -> type[forms.models.ModelChoiceIterator]:
    """Return a choice iterator that puts a select's options under one <optgroup> per value of `attribute`.

    A long select (every person at a table) is read by its groups; the queryset orders the records by
    the attribute, so each group appears once.
    """

    class GroupedChoiceIterator(forms.models.ModelChoiceIterator):
        def __iter__(self):
            if self.field.empty_label is not None:
                yield ("", self.field.empty_label)
            records = self.queryset if self.queryset._prefetch_related_lookups else self.queryset.iterator()
            for group, members in groupby(records, key=lambda record: getattr(record, attribute)):
                yield (str(group), [self.choice(record) for record in members])

    return GroupedChoiceIterator
