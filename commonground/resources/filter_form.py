"""The resource filters' form class, whose fields each form copies without Django's generic deep copy.

Nothing here is particular to resources; it would serve every filterset from `core.filtersets`.
"""

import copy

from django import forms
from django.utils.choices import BaseChoiceIterator


class _FieldsCopiedLightly(dict):
    """A form class's fields, which each form copies as Django does, less its costly generic parts.

    Django deep-copies every field for each form, a choice field's choices with it, through `copy`'s generic
    protocol: about half of what building and validating the resource filters cost a list request. A copy here
    has its own field, widget, widget attributes, messages, validators and choice iterator (a page may change
    any of those on its form), made by copying their attributes; the lists of choices, which nothing changes
    in place, are shared, and the copy's choice iterator names the copy as its field. A field or widget of
    any other kind is deep-copied as Django would.
    """

    def __deepcopy__(self, memo):
        return {name: _copied(field, memo) for name, field in self.items()}


def _copied(field: forms.Field, memo) -> forms.Field:
    widget_copy = _WIDGET_COPIES.get(type(field.widget).__deepcopy__)
    if type(field).__deepcopy__ not in _FIELD_COPIES or widget_copy is None:
        return copy.deepcopy(field, memo)
    copied = _attributes_copied(field)
    memo[id(field)] = copied
    copied.widget = widget_copy(field.widget)
    copied.error_messages = field.error_messages.copy()
    copied.validators = field.validators[:]
    if isinstance(field, forms.ChoiceField):
        choices = copy.copy(field._choices)
        if hasattr(
            choices, "field"
        ):  # django-filter's iterator reads the empty and null labels off its field
            choices.field = copied
        copied._choices = choices
    return copied


def _attributes_copied(thing):
    """A shallow copy, as copy.copy makes it of a plain object, without its generic protocol."""
    copied = type(thing).__new__(type(thing))
    copied.__dict__.update(thing.__dict__)
    return copied


def _widget_copied(widget: forms.Widget) -> forms.Widget:
    copied = _attributes_copied(widget)
    copied.attrs = widget.attrs.copy()
    return copied


def _choice_widget_copied(widget: forms.Widget) -> forms.Widget:
    copied = _widget_copied(widget)
    copied.choices = _choices_copied(widget.choices)
    return copied


def _choices_copied(choices):
    """A shallow copy of a list of choices, or of the iterator that yields them."""
    if isinstance(choices, list):
        return choices.copy()
    if isinstance(choices, BaseChoiceIterator) and hasattr(choices, "__dict__"):
        return _attributes_copied(choices)
    return copy.copy(choices)


# The __deepcopy__ methods whose work `_copied` does: a field or widget that copies itself otherwise is
# deep-copied by its own method.
_FIELD_COPIES = (forms.Field.__deepcopy__, forms.ChoiceField.__deepcopy__)
_WIDGET_COPIES = {
    forms.Widget.__deepcopy__: _widget_copied,
    forms.widgets.ChoiceWidget.__deepcopy__: _choice_widget_copied,
}


class _LightlyCopiedFieldsMetaclass(forms.forms.DeclarativeFieldsMetaclass):
    def __new__(mcs, name, bases, attrs):
        new_class = super().__new__(mcs, name, bases, attrs)
        new_class.base_fields = _FieldsCopiedLightly(new_class.base_fields)
        return new_class


class FilterForm(forms.Form, metaclass=_LightlyCopiedFieldsMetaclass):
    """The resource filters' form: its fields copied for each form by `_FieldsCopiedLightly`."""
