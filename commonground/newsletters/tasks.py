"""Sending a newsletter through the task queue: batches of recipients, retried with a bounded back-off, a
Delivery record per recipient.

`newsletter_dispatch` cuts the queued deliveries into batches of NEWSLETTER_BATCH_SIZE, each a task of its own
(`newsletter_send_batch`). A batch reads its readers' viewers in one query (`core.viewer.viewers_for`), asks
which sections they get once for each class of readers who must get the same (`rendering.sections_by_reader`),
renders each edition once a language, and sends each recipient their own (TLP applied to them, with their own
unsubscribe link) over one connection. At send time it asks again whether the login still wants newsletters
(an opt-out since the send was asked for is honoured: OPTED_OUT) and is still active. A recipient the server
refuses is BOUNCED; when the server fails (any other `OSError`) the unsent rest of the batch is queued again
later, like `core.mail.mail_deliver` (MAIL_RETRY_SECONDS x 4^(attempt-1), MAIL_ATTEMPTS in all), and FAILED
after the last attempt. Once no delivery is left queued, the newsletter is SENT.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone
from django_tasks import task

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import wants_mail
from commonground.core.mail import retry_delay
from commonground.core.viewer import viewers_for

from .choices import DeliveryStatus, NewsletterStatus
from .email import Renderings, newsletter_email
from .models import Delivery, Newsletter
from .rendering import sections_by_reader

logger = logging.getLogger(__name__)


def batch_size() -> int:
    return int(getattr(settings, "NEWSLETTER_BATCH_SIZE", 200))


@task()
def newsletter_dispatch(newsletter_id: int) -> int:
    """Queue a batch task for each NEWSLETTER_BATCH_SIZE queued deliveries; return how many batches."""
    ids = list(
        Delivery.objects.filter(newsletter_id=newsletter_id, status=DeliveryStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = batch_size()
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    for batch in batches:
        newsletter_send_batch.enqueue(newsletter_id, batch)
    if not batches:
        _finish(newsletter_id)
    return len(batches)


def _save_outcomes(deliveries: list[Delivery]) -> None:
    """Write each delivery's outcome: one UPDATE for each distinct outcome (most of a batch shares one), not a
    CASE over every row."""
    groups: dict[tuple, list[int]] = {}
    for delivery in deliveries:
        outcome = (delivery.status, delivery.attempts, delivery.error, delivery.sent_at)
        groups.setdefault(outcome, []).append(delivery.pk)
    for (status, attempts, error, sent_at), pks in groups.items():
        Delivery.objects.filter(pk__in=pks).update(
            status=status, attempts=attempts, error=error, sent_at=sent_at
        )


def _finish(newsletter_id: int) -> None:
    if not Delivery.objects.filter(newsletter_id=newsletter_id, status=DeliveryStatus.QUEUED).exists():
        Newsletter.objects.filter(pk=newsletter_id, status=NewsletterStatus.SENDING).update(
            status=NewsletterStatus.SENT
        )


@task()
def newsletter_send_batch(newsletter_id: int, delivery_ids: list[int], attempt: int = 1) -> int:
    """Send one batch of a newsletter; return how many went."""
    newsletter = Newsletter.objects.select_related("community").filter(pk=newsletter_id).first()
    if newsletter is None:
        return 0
    sections = list(newsletter.sections.all())
    renderings = Renderings()
    deliveries = list(
        Delivery.objects.filter(pk__in=delivery_ids, status=DeliveryStatus.QUEUED)
        .select_related("user")
        .order_by("pk")
    )
    wanting = [d for d in deliveries if d.user.is_active and wants_mail(d.user, MailKind.NEWSLETTERS)]
    shown = dict(
        zip(
            (d.pk for d in wanting),
            sections_by_reader(viewers_for(d.user for d in wanting), sections),
            strict=True,
        )
    )
    now = timezone.now()
    done, unsent, error = [], [], None
    try:
        with get_connection() as connection:
            for index, delivery in enumerate(deliveries):
                user = delivery.user
                delivery.attempts += 1
                if delivery.pk not in shown:
                    delivery.status = DeliveryStatus.OPTED_OUT
                    done.append(delivery)
                    continue
                try:
                    newsletter_email(
                        newsletter, user, sections, connection, renderings, shown[delivery.pk]
                    ).send()
                except smtplib.SMTPRecipientsRefused as refused:
                    delivery.status, delivery.error = DeliveryStatus.BOUNCED, str(refused)[:300]
                except OSError as failure:
                    error = failure
                    delivery.attempts -= 1
                    unsent = deliveries[index:]
                    break
                else:
                    delivery.status, delivery.sent_at, delivery.error = DeliveryStatus.SENT, now, ""
                done.append(delivery)
    except OSError as failure:  # opening or closing the connection
        error = error or failure
        unsent = unsent or deliveries[len(done) :]
    if unsent:
        for delivery in unsent:
            delivery.attempts += 1
            delivery.error = str(error)[:300]
        if attempt >= settings.MAIL_ATTEMPTS or not newsletter_send_batch.get_backend().supports_defer:
            for delivery in unsent:
                delivery.status = DeliveryStatus.FAILED
            logger.error("Newsletter %d: %d mail(s) not sent after attempt %d: %s", newsletter_id,
                         len(unsent), attempt, error)  # fmt: skip
        else:
            newsletter_send_batch.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                newsletter_id, [delivery.pk for delivery in unsent], attempt=attempt + 1
            )
            logger.warning("Newsletter %d: %d mail(s) not sent on attempt %d (%s); retrying", newsletter_id,
                           len(unsent), attempt, error)  # fmt: skip
    _save_outcomes(done + unsent)
    _finish(newsletter_id)
    return sum(1 for delivery in done if delivery.status == DeliveryStatus.SENT)
