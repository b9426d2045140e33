from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.forms import Form


def code_field(label, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class EnrolForm(Form):
    code = code_field(_("Code from the app"), _("The six digits the app shows now."))


class VerifyForm(Form):
    code = code_field(
        _("Code"), _("The six digits your authenticator app shows, or one of your recovery codes.")
    )


class RegenerateForm(Form):
    code = code_field(_("Current code"), _("Six digits from your app, or a recovery code."))


class DisableForm(Form):
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = code_field(_("Or a current code"))
    code.required = False


class PasskeyRenameForm(Form):
    name = forms.CharField(
        label=_("Name"),
        help_text=_("So you can tell your passkeys apart: the device or password manager that holds it."),
        max_length=64,
    )


class PasskeyDeleteForm(Form):
    pass
