"""`get_<field>_display()` reads each field's labels once (`core.models.choice_labels`): it must say what Django's
own says, for every value of every field with choices, an unknown value, and in each language."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import translation

from commonground.core.models import TimeStampedModel

FIELDS = [
    (model, field)
    for model in apps.get_models()
    if issubclass(model, TimeStampedModel)
    for field in model._meta.concrete_fields
    if field.choices is not None
]


def test_the_models_with_choices_are_read_through_the_kept_labels():
    assert len(FIELDS) > 20


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_label_is_djangos(language):
    with translation.override(language):
        for model, field in FIELDS:
            record = model()
            for value in [*(value for value, _label in field.flatchoices), "not-a-choice"]:
                setattr(record, field.attname, value)
                ours = getattr(record, f"get_{field.name}_display")()
                assert ours == Model._get_FIELD_display(record, field), (model.__name__, field.name, value)
                assert type(ours) is type(Model._get_FIELD_display(record, field))
