"""A form field's group (label, hint, errors and widget) drawn in Python: `core/forms/field.html`'s HTML.

Every field of every form goes through `core/forms/field.html` and the `field_messages.html` it includes: on
a form of fifty fields (a meeting's attendance, one per organization at the table) the template engine's
dozens of lookups per field were a third of the page's server time. `render_field_group` writes the same
markup from the same bound field, escaping each value as the template does; the renderer
(`core.forms.UswdsFormRenderer`) calls it where it would render that template. `core.tests.test_field_group`
proves the output byte-identical to the template's for every kind of field, with and without errors, help
text and translation, so a change to the templates without the same change here fails it.
"""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .widgets import _text

FIELD_TEMPLATE = "core/forms/field.html"


def _required(field) -> str:
    if not field.field.required:
        return ""
    # `{% translate 'required' %}`: a literal is safe in a template, and so is its translation
    return f' <abbr title="{gettext(mark_safe("required"))}" class="usa-hint usa-hint--required">*</abbr>'


def _messages(field, errors) -> str:
    """Return `core/forms/field_messages.html`, its last newline included."""
    parts = []
    if field.help_text:
        parts.append(
            f'<div class="usa-hint" id="{_text(field.auto_id)}_helptext">{_text(field.help_text)}</div>'
        )
    parts.append("\n")
    if errors:
        drawn = "<br>".join(_text(error) for error in errors)
        parts.append(f'<span class="usa-error-message" id="{_text(field.auto_id)}_error">{drawn}</span>')
    parts.append("\n")
    return "".join(parts)


def render_field_group(field) -> str:
    """Return `core/forms/field.html` for the bound field, stripped as the form renderer strips it."""
    errors = field.errors
    error_class = " usa-form-group--error" if errors else ""
    label = _text(field.label)
    widget = conditional_escape(str(field))
    if field.use_fieldset:
        described = ""
        if field.help_text or errors:
            help_id = f"{_text(field.auto_id)}_helptext" if field.help_text else ""
            between = " " if field.help_text and errors else ""
            error_id = f"{_text(field.auto_id)}_error" if errors else ""
            described = f' aria-describedby="{help_id}{between}{error_id}"'
        label_error = " usa-label--error" if errors else ""
        return (
            f'<fieldset class="usa-fieldset usa-form-group{error_class}"{described}>\n'
            f'  <legend class="usa-legend{label_error}">{label}{_required(field)}</legend>\n'
            f"  {_messages(field, errors)}\n"
            f"  {widget}\n"
            "</fieldset>"
        )
    if field.widget_type == "checkbox":
        inner = (
            f"  {_messages(field, errors)}\n"
            f'  <div class="usa-checkbox">{widget}<label class="usa-checkbox__label" '
            f'for="{_text(field.id_for_label)}">{label}</label></div>\n'
        )
    else:
        label_error = " usa-label--error" if errors else ""
        inner = (
            f'  <label class="usa-label{label_error}" for="{_text(field.id_for_label)}">{label}{_required(field)}'
            "</label>\n"
            f"  {_messages(field, errors)}\n"
            f"  {widget}\n"
        )
    return f'<div class="usa-form-group{error_class}">\n\n{inner}\n</div>'
