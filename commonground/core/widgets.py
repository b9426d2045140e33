"""Selects and text inputs drawn in Python: the same HTML as Django's, without the template engine.

Django draws a select through its template engine, one `{% include %}` of the option template per
option, with the attributes template included again in each: a filter form's nine selects and their
hundred options were a sixth of the resource search page's server time. These widgets write the same
markup, and a text or number input's and a textarea's, from the same context (`get_context`, so `optgroups`,
`create_option` and the attributes they build are Django's own), escaping and localizing each value
as the templates do. A widget given other templates, or an option another template, is drawn Django's
way. One difference is left: a callable label, which a template would call, is written as it is.
`core.tests.test_widgets` proves the output byte-identical to Django's own (through the project's
form renderer, so a project template that overrides Django's widget templates fails it).
"""

import html

from django import forms
from django.forms.widgets import ChoiceWidget
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
# The templates that are `{% include "django/forms/widgets/input.html" %}` and nothing else.
INPUT_TEMPLATES = {"django/forms/widgets/text.html", "django/forms/widgets/number.html"}
TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
# The lists of checkboxes and radio buttons: `multiple_input.html`, each option through `input_option.html`.
CHOICES_TEMPLATES = {"django/forms/widgets/checkbox_select.html", "django/forms/widgets/radio.html"}
CHOICE_OPTION_TEMPLATES = {
    "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio_option.html",
}


def _text(value) -> str:
    """Return `{{ value }}` as the template engine writes it: localized, then escaped unless safe."""
    if type(value) is str:  # most labels: `escape` without its check for lazy arguments
        return html.escape(value)
    return conditional_escape(localize(value))


def _formatted(value) -> str:
    """Return `{{ value|stringformat:'s' }}` as the template engine writes it."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)  # noqa: UP031 - the filter's own formatting
    return text if isinstance(value, SafeData) else html.escape(text)


def _attributes(attrs: dict) -> str:
    """Return the attributes as `django/forms/widgets/attrs.html` writes them."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict) -> str | None:
    """Return the HTML of a select from its template context's `widget`, or None if it has other templates."""
    if widget["template_name"] != SELECT_TEMPLATE:
        return None
    parts = [f'<select name="{_text(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attributes(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    # An option keeps its template's last newline; the renderer strips the select's.
    parts.append("\n</select>")
    return "".join(parts)


def _plain_select(widget: forms.Select) -> bool:
    """Whether a select's options are Django's own (its templates, `optgroups`, `create_option`), so that
    `_options` may write them straight from its choices."""
    kind = type(widget)
    return (
        widget.template_name == SELECT_TEMPLATE
        and widget.option_template_name == OPTION_TEMPLATE
        and not widget.option_inherits_attrs
        and widget.checked_attribute == {"selected": True}
        and kind.get_context is forms.Select.get_context
        and kind.optgroups is ChoiceWidget.optgroups
        and kind.create_option is ChoiceWidget.create_option
    )


def _options(widget: forms.Select, value) -> str:
    """Return a select's options as `render_select` writes them from `optgroups`, straight from its choices:
    Django's `optgroups` made a dictionary of each option (its attributes built for each) only to be read once."""
    parts = []
    has_selected = False
    multiple = widget.allow_multiple_selected
    for option_value, option_label in widget.choices:  # `optgroups`, line for line
        if option_value is None:
            option_value = ""
        if isinstance(option_label, list | tuple):
            group_name, choices = option_value, option_label
        else:
            group_name, choices = None, ((option_value, option_label),)
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for subvalue, sublabel in choices:
            selected = (not has_selected or multiple) and str(subvalue) in value
            has_selected |= selected
            chosen = " selected" if selected else ""  # `create_option`'s `checked_attribute`
            parts.append(f'\n  <option value="{_formatted(subvalue)}"{chosen}>{_text(sublabel)}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    return "".join(parts)


def _input(widget: dict) -> str:
    """Return `django/forms/widgets/input.html` without its last newline."""
    value = "" if widget["value"] == None else f' value="{_formatted(widget["value"])}"'  # noqa: E711 - the template's `!=`
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attributes(widget["attrs"])}>'


def render_input(widget: dict) -> str | None:
    """Return the HTML of a text or number input from its context's `widget`, or None if it has other templates."""
    if widget["template_name"] not in INPUT_TEMPLATES:
        return None
    return _input(widget)


def render_textarea(widget: dict) -> str | None:
    """Return the HTML of a textarea from its context's `widget`, or None if it has another template."""
    if widget["template_name"] != TEXTAREA_TEMPLATE:
        return None
    value = _text(widget["value"]) if widget["value"] else ""  # the template's `{% if widget.value %}`
    return f'<textarea name="{_text(widget["name"])}"{_attributes(widget["attrs"])}>\n{value}</textarea>'


# Django's other templates that are the input's and nothing else: drawn in Python by the widgets below, which a
# form chooses for its fields (`DRAWN_IN_PYTHON` does not).
OTHER_INPUT_TEMPLATES = {
    "django/forms/widgets/date.html",
    "django/forms/widgets/checkbox.html",
    "django/forms/widgets/hidden.html",
}


def render_other_input(widget: dict) -> str | None:
    """Return the HTML of a date, checkbox or hidden input from its context's `widget`, or None if it has other
    templates."""
    if widget["template_name"] not in OTHER_INPUT_TEMPLATES:
        return None
    return _input(widget)


def render_choices(widget: dict) -> str | None:
    """Return the HTML of a list of checkboxes or radio buttons from its context's `widget`, or None if it or an
    option has other templates."""
    if widget["template_name"] not in CHOICES_TEMPLATES:
        return None
    attrs = widget["attrs"]
    parts = ["<div"]
    if attrs.get("id"):
        parts.append(f' id="{_text(attrs["id"])}"')
    if attrs.get("class"):
        parts.append(f' class="{_text(attrs["class"])}"')
    parts.append(">")
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{_text(group_name)}</label>")
        for option in options:
            if option["template_name"] not in CHOICE_OPTION_TEMPLATES:
                return None
            # each included template keeps its last newline: the input's, the option's and its wrapper's
            if option["wrap_label"]:
                label_for = f' for="{_text(option["attrs"]["id"])}"' if option["attrs"].get("id") else ""
                drawn = f"<label{label_for}>{_input(option)}\n {_text(option['label'])}</label>\n\n"
            else:
                drawn = f"{_input(option)}\n\n\n"
            parts.append(f"<div>\n    {drawn}</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


class PythonDrawnMixin:
    """Draw the widget in Python when it uses Django's templates (see the module's docstring); `draw` returns
    None for a widget it does not draw."""

    draw = staticmethod(lambda widget: None)

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        markup = self.draw(context["widget"])
        if markup is None:
            return self._render(self.template_name, context, renderer)
        return mark_safe(markup)  # noqa: S308 - every value in it is escaped above, as the templates escape it


class PythonInputMixin(PythonDrawnMixin):
    draw = staticmethod(render_input)


class TextInput(PythonInputMixin, forms.TextInput):
    pass


class NumberInput(PythonInputMixin, forms.NumberInput):
    pass


class PythonOtherInputMixin(PythonDrawnMixin):
    draw = staticmethod(render_other_input)


class DateInput(PythonOtherInputMixin, forms.DateInput):
    pass


class CheckboxInput(PythonOtherInputMixin, forms.CheckboxInput):
    pass


class HiddenInput(PythonOtherInputMixin, forms.HiddenInput):
    pass


class Textarea(PythonDrawnMixin, forms.Textarea):
    draw = staticmethod(render_textarea)


class PythonSelectMixin(PythonDrawnMixin):
    draw = staticmethod(render_select)

    def render(self, name, value, attrs=None, renderer=None):
        """Write a select whose options are Django's own straight from its choices (`_options`); any other
        through its context (`render_select`) or its templates."""
        if not _plain_select(self):
            return super().render(name, value, attrs, renderer)
        widget = forms.Widget.get_context(self, name, value, attrs)[
            "widget"
        ]  # as `Select.get_context` has it
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        options = _options(self, widget["value"])
        return mark_safe(f'<select name="{_text(name)}"{_attributes(widget["attrs"])}>{options}\n</select>')  # noqa: S308


class Select(PythonSelectMixin, forms.Select):
    pass


class SelectMultiple(PythonSelectMixin, forms.SelectMultiple):
    pass


class NullBooleanSelect(PythonSelectMixin, forms.NullBooleanSelect):
    pass


def _plain_choices(widget: forms.RadioSelect) -> bool:
    """Whether a list of checkboxes or radio buttons is Django's own (its templates, `optgroups`, `create_option`,
    its options' ids), so that `_choice_options` may write it straight from its choices."""
    kind = type(widget)
    option_templates = {
        "django/forms/widgets/checkbox_select.html": "django/forms/widgets/checkbox_option.html",
        "django/forms/widgets/radio.html": "django/forms/widgets/radio_option.html",
    }
    return (
        option_templates.get(widget.template_name) == widget.option_template_name
        and widget.checked_attribute == {"checked": True}
        and widget.add_id_index
        and kind.get_context is ChoiceWidget.get_context
        and kind.optgroups is ChoiceWidget.optgroups
        and kind.create_option is ChoiceWidget.create_option
        and kind.id_for_label is forms.RadioSelect.id_for_label
    )


def _choice_options(widget: forms.RadioSelect, name: str, value: list, attrs: dict | None) -> str:
    """Return a list's options as `render_choices` writes them from `optgroups`, straight from its choices:
    `create_option` built each option's attributes anew (the widget's and the render's, merged), one dictionary
    an option, only to be read once. Here each attribute is written once and each option's id and `checked` added."""
    inherited = widget.build_attrs(widget.attrs, attrs) if widget.option_inherits_attrs else {}
    # each attribute written once; the option's own id and `checked` take their places among them
    written = {key: _attributes({key: item}) for key, item in inherited.items()}
    base_id = inherited.get("id")
    kind, field_name = _text(widget.input_type), _text(name)
    parts = []
    has_selected = False
    multiple = widget.allow_multiple_selected
    for index, (option_value, option_label) in enumerate(widget.choices):  # `optgroups`, line for line
        if option_value is None:
            option_value = ""
        if isinstance(option_label, list | tuple):
            group_name, choices, subindex = option_value, option_label, 0
        else:
            group_name, choices, subindex = None, ((option_value, option_label),), None
        if group_name:
            parts.append(f"\n  <div><label>{_text(group_name)}</label>")
        for subvalue, sublabel in choices:
            selected = (not has_selected or multiple) and str(subvalue) in value
            has_selected |= selected
            option_id = None
            if "id" in written:  # `create_option`'s `id_for_label`, its index as it numbers them
                option_id = widget.id_for_label(
                    base_id, str(index) if subindex is None else f"{index}_{subindex}"
                )
                written["id"] = _attributes({"id": option_id})
            # `checked_attribute` updates the option's attributes: in its place if the widget's have one, else last
            option_attrs = "".join(({**written, "checked": " checked"} if selected else written).values())
            shown = "" if subvalue == None else f' value="{_formatted(subvalue)}"'  # noqa: E711 - `_input`'s test
            drawn = f'<input type="{kind}" name="{field_name}"{shown}{option_attrs}>'
            label_for = f' for="{_text(option_id)}"' if option_id else ""
            parts.append(f"<div>\n    <label{label_for}>{drawn}\n {_text(sublabel)}</label>\n\n</div>")
            if subindex is not None:
                subindex += 1
        if group_name:
            parts.append("\n  </div>")
    return "".join(parts)


class PythonChoicesMixin(PythonDrawnMixin):
    draw = staticmethod(render_choices)

    def render(self, name, value, attrs=None, renderer=None):
        """Write a list whose options are Django's own straight from its choices (`_choice_options`); any other
        through its context (`render_choices`) or its templates."""
        if not _plain_choices(self):
            return super().render(name, value, attrs, renderer)
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]  # as `ChoiceWidget.get_context`
        outer = widget["attrs"]
        opening = "<div"
        if outer.get("id"):
            opening += f' id="{_text(outer["id"])}"'
        if outer.get("class"):
            opening += f' class="{_text(outer["class"])}"'
        options = _choice_options(self, name, widget["value"], attrs)
        return mark_safe(f"{opening}>{options}\n</div>")  # noqa: S308 - every value in it is escaped


class CheckboxSelectMultiple(PythonChoicesMixin, forms.CheckboxSelectMultiple):
    pass


class RadioSelect(PythonChoicesMixin, forms.RadioSelect):
    pass
