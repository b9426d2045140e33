"""The accounts' background work: mail written in the request, sent by the task queue."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_prepared_mail(subject: str, body: str, to: list[str], html: str | None = None) -> int:
    """Send a mail already written (in the reader's language, inside the request that asked for it)."""
    message = EmailMultiAlternatives(subject, body, None, to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
