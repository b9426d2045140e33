"""The accounts' forms."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string

from .tasks import send_prepared_mail


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, its mail handed to the task queue: a known address costs the request no SMTP round
    trip that an unknown one does not, so the answer's timing tells nobody who has a login here."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email,
        html_email_template_name=None,
    ):  # fmt: skip
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html = render_to_string(html_email_template_name, context) if html_email_template_name else None
        send_prepared_mail.enqueue(subject, body, [to_email], html)
