"""Form rendering in the US Web Design System's markup, and the place input, for every form of every app."""

from collections.abc import Hashable
from itertools import groupby

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.renderers import TemplatesSetting
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import field_group, widgets
from .field_group import FIELD_TEMPLATE
from .kept_rows import instances, kept_rows
from .places import PLACE_HELP, resolve_place

WIDGET_CLASSES = {
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
    forms.Textarea: "usa-textarea",
    forms.CheckboxInput: "usa-checkbox__input",
    forms.FileInput: "usa-file-input",
    forms.ClearableFileInput: "usa-file-input",
}


class UswdsFormRenderer(TemplatesSetting):
    """Render every form with the project's field template (labels, hints, errors in USWDS markup); that
    template is drawn in Python (`core.field_group`), the same HTML without the template engine."""

    form_template_name = "core/forms/div.html"
    field_template_name = FIELD_TEMPLATE

    def render(self, template_name, context, request=None):
        """Draw a field's group in Python (`core.field_group.render_field_group`, the markup of
        `field_template_name`) where `FIELDS_DRAWN_IN_PYTHON`; every other template through the template engine."""
        if FIELDS_DRAWN_IN_PYTHON and template_name == FIELD_TEMPLATE and context.keys() == {"field"}:
            return field_group.render_field_group(context["field"])
        return super().render(template_name, context, request=request)


# Whether a field's group (label, hint, errors, widget) is drawn in Python: the template engine drew each field
# of a form through three templates, most of a form's time beside its widgets. Tests turn it off to compare.
FIELDS_DRAWN_IN_PYTHON = True


# Django's widgets and their kind drawn in Python (`core.widgets`: the same HTML without the template engine).
DRAWN_IN_PYTHON = {
    forms.Select: widgets.Select,
    forms.SelectMultiple: widgets.SelectMultiple,
    forms.NullBooleanSelect: widgets.NullBooleanSelect,
    forms.TextInput: widgets.TextInput,
    forms.NumberInput: widgets.NumberInput,
    forms.Textarea: widgets.Textarea,
    forms.CheckboxSelectMultiple: widgets.CheckboxSelectMultiple,
    forms.RadioSelect: widgets.RadioSelect,
}


class UswdsFormMixin:
    """Give each widget the USWDS class for its kind, and draw Django's selects, lists of checkboxes and radio
    buttons, and text and number inputs and textareas in Python (`DRAWN_IN_PYTHON`): a form's selects of every organization or person at the table were most of
    its page's server time. A select of records reads only what its options' labels need (`LabelsOnlyIterator`)."""

    def __init__(self, *args, kept_choices: Hashable | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if kept_choices is not None and isinstance(field, forms.ModelChoiceField):
                # the page's promise: its records are a function of `kept_choices` (see `choice_records`)
                field.kept_choices = (
                    "choices",
                    kept_choices,
                    type(self).__module__,
                    type(self).__qualname__,
                    name,
                )
            widget = field.widget
            css = next((c for kind, c in WIDGET_CLASSES.items() if type(widget) is kind), "usa-input")
            if (
                isinstance(field, forms.ModelChoiceField)
                and field.iterator is forms.models.ModelChoiceIterator
            ):
                field.iterator = LabelsOnlyIterator
                widget.choices = field.choices
            if type(widget) in DRAWN_IN_PYTHON:
                # the form's own copy of the widget: its Python-drawn subclass adds only `render`
                widget.__class__ = DRAWN_IN_PYTHON[type(widget)]
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            widget.attrs.setdefault("class", css)


class Form(UswdsFormMixin, forms.Form):
    pass


class ModelForm(UswdsFormMixin, forms.ModelForm):
    pass


def labels_only(queryset: QuerySet, field: forms.ModelChoiceField, related: str | None = None) -> QuerySet:
    """Return the choices' queryset reading only the columns their labels need, where it can tell which.

    A model names what its `__str__` reads in `label_fields`; a field that labels its options another way, or a
    queryset that already chose its columns, is read as it is. `related` names the foreign key a grouped
    select reads too (its group's label). Building every option's whole record was most of a form's
    remaining server time; `core.tests.test_forms_labels` proves each model's label the same from these
    columns alone."""
    label = getattr(field.label_from_instance, "__func__", None)
    fields = getattr(queryset.model, "label_fields", None)
    query = queryset.query
    if (
        label is not forms.ModelChoiceField.label_from_instance
        or fields is None
        or query.deferred_loading != (frozenset(), True)
        or query.combinator
        or query.values_select
        or queryset._prefetch_related_lookups
    ):
        return queryset
    if related is None:
        return queryset.select_related(None).only(*fields)
    related_fields = getattr(queryset.model._meta.get_field(related).related_model, "label_fields", None)
    if related_fields is None:
        return queryset
    only = [*fields, *(f"{related}__{name}" for name in related_fields)]
    return queryset.select_related(None).select_related(related).only(*only)


def choice_records(field: forms.ModelChoiceField, queryset: QuerySet):
    """Return the records a field offers, made as `core.kept_rows.instances` makes them; by SQL kept in the process
    where the page drawing the form named its choices (the form's `kept_choices`: the reader and whatever else its
    querysets are made of, the page's promise, as every key of `core.kept_rows` is), compiled for this call where
    it did not. Compiling a form's few selects of records was a seventh of its page's time."""
    if queryset._prefetch_related_lookups:
        return queryset
    key = getattr(field, "kept_choices", None)
    if key is None:
        return instances(queryset)
    return kept_rows(key, lambda: queryset, queryset.db)


class LabelsOnlyIterator(forms.models.ModelChoiceIterator):
    """Django's choices of records, each record read with only what its label needs (`labels_only`) and made as
    `core.kept_rows.instances` makes it (`ModelChoiceIterator.__iter__`, line for line, otherwise)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        self.queryset = labels_only(self.queryset, self.field)
        for record in choice_records(self.field, self.queryset):
            yield self.choice(record)


def grouped_by(attribute: str) -> type[forms.models.ModelChoiceIterator]:
    """Return a choice iterator that puts a select's options under one <optgroup> per value of `attribute`.

    A long select (every person at a table) is read by its groups; the queryset orders the records by
    the attribute, so each group appears once.
    """

    class GroupedChoiceIterator(forms.models.ModelChoiceIterator):
        def __iter__(self):
            if self.field.empty_label is not None:
                yield ("", self.field.empty_label)
            self.queryset = labels_only(self.queryset, self.field, related=attribute)
            records = choice_records(self.field, self.queryset)
            for group, members in groupby(records, key=lambda record: getattr(record, attribute)):
                yield (str(group), [self.choice(record) for record in members])

    return GroupedChoiceIterator


PLACE_WINS = _("A place given here sets the latitude and longitude.")


class PlaceFormMixin:
    """Add one "place" input (a ZIP code, "City, ST" or coordinates) that fills the latitude and longitude.

    The latitude and longitude fields stay for whoever wants them; the form's template folds them under the
    place (`core/forms/place.html`). A place given wins over them; one that cannot be resolved is an error
    on the place's field, so the form is invalid and nothing is written. Beside the place, a small map
    (`place-map.js`, over the community's base map: `map_community`, which the renderer's context lacks)
    puts a clicked point into it; a form whose page draws its own map says `place_map = False`.
    """

    place_fields = ("latitude", "longitude")
    place_label = _("Place")
    place_map = True

    def __init__(self, *args, map_community=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.map_community = map_community
        place = forms.CharField(
            label=self.place_label, required=False, max_length=200, help_text=format_lazy("{} {}", PLACE_HELP, PLACE_WINS),
            widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "off"}),
        )  # fmt: skip
        fields = list(self.fields.items())
        at = next((i for i, (name, _field) in enumerate(fields) if name in self.place_fields), len(fields))
        self.fields = dict([*fields[:at], ("place", place), *fields[at:]])
        self.place_point = None
        # Coordinates a model requires may come from the place instead: required is checked in clean().
        self.place_required = any(
            self.fields[name].required for name in self.place_fields if name in self.fields
        )
        for name in self.place_fields:
            if name in self.fields:
                self.fields[name].required = False

    @property
    def folded_fields(self) -> list:
        """Return the bound latitude and longitude fields, shown folded under the place."""
        return [self[name] for name in self.place_fields if name in self.fields]

    @property
    def folded_errors(self) -> bool:
        return any(field.errors for field in self.folded_fields)

    @property
    def folded_values(self) -> str:
        """Return the coordinates the form holds, to show on the folded fields' summary."""
        values = [field.value() for field in self.folded_fields]
        return ", ".join(str(value) for value in values) if all(v not in (None, "") for v in values) else ""

    def clean(self):
        cleaned = super().clean()
        place = cleaned.pop("place", "")
        if place:
            try:
                self.place_point = resolve_place(place)
            except ValidationError as error:
                self.add_error("place", error)
            else:
                for name, value in zip(self.place_fields, self.place_point, strict=True):
                    cleaned[name] = value
                    if name in self._errors:
                        del self._errors[name]
        elif self.place_required and any(cleaned.get(name) is None for name in self.place_fields):
            self.add_error("place", _("Give the place, or its latitude and longitude."))
        return cleaned

    @property
    def changed_data(self) -> list[str]:
        """Return the changed fields, the coordinates a resolved place filled among them, never the place."""
        names = [name for name in super().changed_data if name != "place"]
        if self.place_point is not None:
            names += [name for name in self.place_fields if name not in names]
        return names
