"""The accounts' forms."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from commonground.core.mail import mail_enqueue, mail_message
from commonground.core.timezones import time_zone_names

from .choices import OPTIONAL
from .widgets import KeptSelect


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, its mail handed to the task queue: a known address costs the request no SMTP round
    trip that an unknown one does not, so the answer's timing tells nobody who has a login here."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email,
        html_email_template_name=None,
    ):  # fmt: skip
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html = render_to_string(html_email_template_name, context) if html_email_template_name else ""
        mail_enqueue([mail_message(subject=subject, body=body, to=[to_email], html=html)])


def _language_choices():
    return [("", _("As my browser asks")), *settings.LANGUAGES]


def _time_zone_choices():
    return [("", _("Each community's own")), *((name, name) for name in time_zone_names())]


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language"), choices=_language_choices, required=False, widget=KeptSelect
    )
    # Six hundred zones drawn through the option template were most of the page's time: kept once drawn.
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=_time_zone_choices,
        required=False,
        widget=KeptSelect,
        help_text=_("Times show on this clock on every page; without one, on each community's clock."),
    )
    mail_wanted = forms.MultipleChoiceField(
        label=_("E-mails I want"),
        choices=[(kind.value, kind.label) for kind in OPTIONAL],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    @staticmethod
    def initial_for(user) -> dict:
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "time_zone": user.time_zone,
            "mail_wanted": [kind.value for kind in OPTIONAL if kind.value not in (user.mail_unwanted or ())],
        }

    def profile_data(self) -> dict:
        """Return the fields the user changed, as the service takes them."""
        data = {name: self.cleaned_data[name] for name in self.changed_data if name != "mail_wanted"}
        if "mail_wanted" in self.changed_data:
            wanted = set(self.cleaned_data["mail_wanted"])
            data["mail_unwanted"] = [kind.value for kind in OPTIONAL if kind.value not in wanted]
        return data


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"), max_length=254)
    # A session left open is not enough to move the account (and its password resets) to another address.
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for: the program that will use it.")
    )
    days = forms.IntegerField(
        label=_("Days until it expires"), min_value=1, max_value=settings.API_TOKEN_MAX_DAYS
    )
