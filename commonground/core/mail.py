"""Mail to many through the task queue: written where the work is done, sent by the worker, retried.

`mail_enqueue(messages)` queues the mails once the write that asked for them commits (a reminder's
`reminded_on`, a new invitation): a rolled-back write sends nothing, and the request or command that asked
never waits for the mail server. The worker sends them one by one over one connection. When the mail server
fails (any `OSError`: refused, timed out, an SMTP error), what was not sent yet is queued again, deferred by
`retry_delay(attempt)` (MAIL_RETRY_SECONDS x 4^(attempt-1)), up to MAIL_ATTEMPTS attempts in all; the failed
attempt stays in the queue's results as FAILED with its error, and each retry is a task of its own whose
`attempt` argument and run-after time record the back-off. After the last attempt the failure is logged at
ERROR and nothing more is tried. A backend that cannot defer (the immediate one of the tests) does not retry.

A mail is sent only to addresses that still belong to someone who may sign in: an address whose every login
was deactivated since the mail was queued (a person who left, whose access ended while the mail server was
down) is dropped at delivery, on the first attempt and on each retry. Addresses with no login at all (an
invitation to a new organization's contact) are sent to.

A mail may name the record whose page shows its delivery (`track=("registry.Invitation", pk)`): the worker
sets that record's `mail_status` field (`MailStatus`) to sent, retrying or failed as it goes, so the person
who started the work sees it. The status is the queue's news, not the record's content: it is written
without an audit entry.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

logger = logging.getLogger(__name__)


class MailStatus(models.TextChoices):
    """Where a tracked mail is: a model that shows it has a `mail_status` field with these choices."""

    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    RETRYING = "retrying", _("not sent yet, retrying")
    FAILED = "failed", _("could not be sent")


def mail_message(
    *,
    subject: str,
    body: str,
    to: list[str] | tuple[str, ...],
    html: str = "",
    attachments: list[tuple[str, str, str]] = (),
    track: tuple[str, int] | None = None,
) -> dict:
    """Return one mail as the queue keeps it (plain data: the RQ and database queues both store JSON-like
    arguments): `attachments` are (file name, text, MIME type); `track` names the record (model label, primary
    key) whose `mail_status` follows it."""
    return {
        "subject": str(subject),
        "body": str(body),
        "to": [str(address) for address in to],
        "html": html,
        "attachments": [[str(name), str(content), str(mimetype)] for name, content, mimetype in attachments],
        "track": list(track) if track else None,
    }


def _mark(messages: list[dict], status: str) -> None:
    for message in messages:
        if message.get("track"):
            label, pk = message["track"]
            apps.get_model(label).objects.filter(pk=pk).update(mail_status=status)


def mail_enqueue(messages: list[dict]) -> None:
    """Queue these mails for the worker once the current transaction commits (at once outside one)."""
    messages = [message for message in messages if message["to"]]
    if messages:
        transaction.on_commit(lambda: mail_deliver.enqueue(messages))


def retry_delay(attempt: int) -> timedelta:
    """Return how long after failed attempt number `attempt` (1, 2, ...) the next one runs."""
    return timedelta(seconds=settings.MAIL_RETRY_SECONDS * 4 ** (attempt - 1))


def _email(message: dict, connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        message["subject"], message["body"], None, message["to"], connection=connection
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    for name, content, mimetype in message.get("attachments") or []:
        email.attach(name, content if mimetype.startswith("text/") else content.encode("utf-8"), mimetype)
    return email


def _addresses_closed(messages: list[dict]) -> set[str]:
    """Return the addresses among these mails' whose logins are all deactivated (compared case-blind)."""
    addresses = {address.lower() for message in messages for address in message["to"]}
    logins = get_user_model().objects.annotate(address=Lower("email")).filter(address__in=addresses)
    logins = list(logins.values_list("email", "is_active"))
    active = {email.lower() for email, is_active in logins if is_active}
    return {email.lower() for email, is_active in logins if not is_active} & addresses - active


def _to_open_addresses(messages: list[dict]) -> list[dict]:
    """Return the mails with deactivated logins' addresses taken out, and mails left with no address dropped."""
    closed = _addresses_closed(messages)
    if not closed:
        return messages
    kept = []
    for message in messages:
        to = [address for address in message["to"] if address.lower() not in closed]
        if to:
            kept.append({**message, "to": to})
        else:
            logger.info("Mail: %r not sent: its addressees' logins were deactivated", message["subject"])
    return kept


@task()
def mail_deliver(messages: list[dict], attempt: int = 1) -> int:
    """Send queued mails; on a mail server's failure queue the unsent ones again, later. Return the number sent."""
    sent = 0
    messages = _to_open_addresses(messages)
    try:
        with get_connection() as connection:
            for message in messages:
                _email(message, connection).send()
                sent += 1
                _mark([message], MailStatus.SENT)
    except OSError as error:
        unsent = messages[sent:]
        if not unsent:  # all went; only closing the connection failed
            return sent
        if attempt >= settings.MAIL_ATTEMPTS or not mail_deliver.get_backend().supports_defer:
            _mark(unsent, MailStatus.FAILED)
            logger.error(
                "Mail: %d of %d mail(s) not sent after attempt %d, given up: %s",
                len(unsent), len(messages), attempt, error,
            )  # fmt: skip
            raise
        delay = retry_delay(attempt)
        _mark(unsent, MailStatus.RETRYING)
        mail_deliver.using(run_after=timezone.now() + delay).enqueue(unsent, attempt=attempt + 1)
        logger.warning(
            "Mail: %d of %d mail(s) not sent on attempt %d (%s); attempt %d in %d s",
            len(unsent), len(messages), attempt, error, attempt + 1, delay.total_seconds(),
        )  # fmt: skip
        raise
    return sent
