"""What the resource filters make of the same input, made once in the process: the API's validated form, and a
filtered list's query.

A list request built and validated the filters' form and applied every filter to the reader's list, which cost
a filtered list request about a tenth of a millisecond each, for the same answer every time its input was the
same. Both are kept (`core.kept`) by everything they are made of:

- the form's answer to valid input, by the input the form reads (each filter's values in the query string) and
  the language: the cleaned values, for an API request, which never draws the form. Invalid input is validated
  afresh each time, its errors with it.
- the filtered list's query (a query, never its rows), by the filtered list's name (`ResourceFilterSet._list_key`:
  the reader's list's name, the cleaned values, the staleness filter's day), as its SQL is kept by the same name.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django import forms
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.utils import translation

from commonground.core.kept import Kept

_valid: Kept[tuple] = Kept(1_000)
_filtered: Kept[QuerySet] = Kept(500)


class ValidForm:
    """What a filterset reads of a form that found the same input valid before: valid, its cleaned values."""

    def __init__(self, cleaned_data: dict):
        self.cleaned_data = cleaned_data
        self.errors = ErrorDict()

    def is_valid(self) -> bool:
        return True


class _Invalid(Exception):
    def __init__(self, form):
        self.form = form


def validated_form(filterset, make_form: Callable[[], forms.Form]):
    """Return the filterset's form: a `ValidForm` with the cleaned values kept for the same input, or the real
    form (`make_form`) where the input is invalid or not one the key can name."""
    key = _input_key(filterset)
    if key is None:
        return make_form()
    made = []

    def validate() -> tuple:
        form = make_form()
        made.append(form)
        if not form.is_valid():
            raise _Invalid(form)
        return tuple(form.cleaned_data.items())

    try:
        cleaned = _valid.get_or_build(key, validate)
    except _Invalid as invalid:
        return invalid.form
    return made[0] if made else ValidForm(dict(cleaned))


def _input_key(filterset) -> Hashable | None:
    """Everything the form reads: each filter's values in the query string, the prefix, the language; None
    where a field's widget may read more of the input than its own parameter."""
    form_class = filterset.get_form_class()
    if not filterset.is_bound or not all(
        type(field.widget).value_from_datadict in _READERS for field in form_class.base_fields.values()
    ):
        return None
    data = filterset.data
    prefix = filterset.form_prefix
    names = [f"{prefix}-{name}" if prefix else name for name in form_class.base_fields]
    values = tuple((name, tuple(data.getlist(name))) for name in names if name in data)
    return (form_class, prefix, translation.get_language(), values)


# The ways widgets read their value that read their own parameter alone (Django's own: an input's, a select's,
# a yes/no select's).
_READERS = {
    forms.Widget.value_from_datadict,
    forms.Select.value_from_datadict,
    forms.NullBooleanSelect.value_from_datadict,
}


def filtered_list(key: Hashable, build: Callable[[], QuerySet]) -> QuerySet:
    """Return a copy of the filtered list's query kept under `key` (the list's name), built when not kept."""
    return _filtered.get_or_build(key, build).all()


def forget_kept_filters() -> None:
    """Drop every kept form answer and filtered query (the tests do, between tests)."""
    _valid.clear()
    _filtered.clear()
