"""A select of a long list that never changes in the process (every time zone, every state), its HTML kept.

`core.widgets.Select` draws a select in Python, but Django still builds a context for each of its options on
every request: six hundred time zones cost a profile or a community's edit page about 3 ms, a state select
2 ms. `KeptSelect` keeps the HTML it drew under everything that HTML is made of: the name, the value, the
attributes and the options. Options given as a function are named by that function and the active
language (the widget's promise: such a function's options depend on nothing else), so a request builds no
option at all; a list of options is named by each option's value and label as the active language writes it.
"""

from __future__ import annotations

from itertools import islice

from django.utils import translation
from django.utils.choices import normalize_choices

from commonground.core.kept import Kept
from commonground.core.widgets import Select

# Drawn selects by what they were drawn from: a time zone select is kept once for each zone a page shows.
KEPT_SELECTS = 256
_drawn: Kept[str] = Kept(KEPT_SELECTS)


def _options_key(choices) -> tuple | None:
    """Name the options: their function and the language, or each option; None for groups of options."""
    function = getattr(choices, "func", None)
    if callable(function):
        return (function, translation.get_language())
    options = list(choices)
    if any(isinstance(label, list | tuple) for _value, label in options):
        return None
    return tuple((str(value), str(label)) for value, label in options)


class KeptSelect(Select):
    """A select drawn once for each name, value, attributes and options (`core.widgets.Select` draws it);
    options given as a function must depend on the language alone."""

    def use_required_attribute(self, initial) -> bool:
        function = getattr(self.choices, "func", None)
        if not callable(function) or self.allow_multiple_selected:
            return super().use_required_attribute(initial)
        # Django normalizes every option to read the first one; the first alone says whether it is empty.
        first = next(iter(normalize_choices(list(islice(function(), 1)))), None)
        return not self.is_hidden and first is not None and self._choice_has_empty_value(first)

    def render(self, name, value, attrs=None, renderer=None):
        options = _options_key(self.choices)
        key = (
            type(self),
            name,
            tuple(self.format_value(value)),
            tuple(sorted(self.build_attrs(self.attrs, attrs).items())),
            options,
        )
        try:
            hash(key)
        except TypeError:  # an attribute that cannot be a key
            options = None
        if options is None:
            return super().render(name, value, attrs, renderer)
        return _drawn.get_or_build(key, lambda: super(KeptSelect, self).render(name, value, attrs, renderer))


def forget_drawn() -> None:
    """Drop every kept select (a test that changes what a select is drawn from does)."""
    _drawn.clear()
