"""A filterset whose form class is made once (`core.filtersets.ShallowCopyFilterSet`) labels its fields in the
language of each request, the first request's language never kept for the next.

Every such filterset of every app is read in English, then in Spanish, then in English again, and each time
its labels must be those of a form made afresh in that language.
"""

import importlib
from importlib.util import find_spec

import pytest
from django.apps import apps
from django.utils import translation

from commonground.core.filtersets import ShallowCopyFilterSet, lazy_label


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _filtersets():
    for config in apps.get_app_configs():
        if config.name.startswith("commonground.") and find_spec(f"{config.name}.filtersets"):
            importlib.import_module(f"{config.name}.filtersets")
    return sorted(set(_subclasses(ShallowCopyFilterSet)), key=lambda cls: cls.__qualname__)


def _labels(filterset_class) -> dict[str, str]:
    filterset = filterset_class(queryset=filterset_class._meta.model.objects.none())
    return {name: str(field.label) for name, field in filterset.form.fields.items()}


def _fresh_labels(filterset_class, language: str) -> dict[str, str]:
    """The labels of the form made anew, in `language`, as django-filter makes it for each request."""
    kept = filterset_class.__dict__.get("_form_class")
    if kept is not None:
        del filterset_class._form_class
    try:
        with translation.override(language):
            return _labels(filterset_class)
    finally:
        if kept is not None:
            filterset_class._form_class = kept


FILTERSETS = _filtersets()


def test_every_app_filterset_made_once_is_found():
    names = {cls.__name__ for cls in FILTERSETS}
    assert {"IssueFilterSet", "OrganizationFilterSet", "ResourceFilterSet", "AssessmentFilterSet"} <= names


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda cls: cls.__name__)
def test_the_labels_are_each_requests_language(filterset_class):
    expected = {language: _fresh_labels(filterset_class, language) for language in ("en", "es")}
    for language in ("en", "es", "en", "es"):
        with translation.override(language):
            assert _labels(filterset_class) == expected[language], language


# Words written the same in both languages.
SAME_IN_SPANISH = {"Sector"}


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda cls: cls.__name__)
def test_every_label_is_translated(filterset_class):
    with translation.override("en"):
        english = _labels(filterset_class)
    with translation.override("es"):
        spanish = _labels(filterset_class)
    untranslated = {name for name, label in english.items() if spanish[name] == label} - {
        name for name, label in english.items() if label in SAME_IN_SPANISH
    }
    assert not untranslated, {name: english[name] for name in untranslated}


def test_a_filter_without_a_label_is_named_after_its_field_in_the_language_drawn():
    from commonground.registry.filtersets import OrganizationFilterSet

    filter_ = OrganizationFilterSet(queryset=OrganizationFilterSet._meta.model.objects.none()).filters[
        "sector"
    ]
    label = lazy_label(filter_)
    with translation.override("en"):
        assert str(label) == "Sector"
    with translation.override("es"):
        assert str(label) == "Sector"  # the same word in Spanish; the level shows the language
    level = lazy_label(
        OrganizationFilterSet(queryset=OrganizationFilterSet._meta.model.objects.none()).filters["level"]
    )
    with translation.override("en"):
        english = str(level)
    with translation.override("es"):
        assert str(level) != english
