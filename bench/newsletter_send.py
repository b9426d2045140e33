"""Sending a newsletter to 5,000 recipients through the task queue (issue 18): the database queue and its
worker (`db_worker`, in this process), each recipient's own edition (TLP applied to them), a Delivery record
each; beside it, in the same run, Django's `send_mass_mail` of the same number of one-size-fits-all mails to
the same locmem backend.

Usage: python -m bench.newsletter_send [RECIPIENTS]
Prints one JSON line: the seconds and messages per second of each, how many were sent, and how many SQL
queries the send and its worker made (a query per recipient shows as a count that grows with RECIPIENTS).
"""

from __future__ import annotations

import json
import sys
import time

from .common import setup_django

PER_ORGANIZATION = 10


def world(recipients: int):
    """A community with recipients / 10 organizations of 10 people each, every one with a login, and some news."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from commonground.agenda.models import Issue
    from commonground.communities.models import Community, Membership
    from commonground.core.tlp import TLP
    from commonground.registry.models import Organization, Person
    from commonground.sustainability.models import Meeting

    community = Community.objects.create(
        name="Bench County",
        slug="bench",
        kind="county",
        state="MI",
        center_latitude=42.7,
        center_longitude=-84.5,
    )
    organizations = Organization.objects.bulk_create(
        Organization(
            name=f"Bench org {i}", sector=("public", "private", "nonprofit")[i % 3], category="other"
        )
        for i in range(max(1, recipients // PER_ORGANIZATION))
    )
    Membership.objects.bulk_create(Membership(community=community, organization=o) for o in organizations)
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"bench{i}", email=f"bench{i}@example.org", password="!") for i in range(recipients)
    )
    Person.objects.bulk_create(
        Person(organization=organizations[i // PER_ORGANIZATION], user=user, first_name="B", last_name=str(i),
               email=user.email)
        for i, user in enumerate(users)
    )  # fmt: skip
    today = timezone.localdate()
    for number, tlp in enumerate((TLP.CLEAR, TLP.GREEN, TLP.AMBER)):
        Issue.objects.create(
            community=community, organization=organizations[number], title=f"Bench issue {tlp}", description="d",
            mission_area="response", outcome="o", status="adopted", decided_on=today, tlp=tlp,
        )  # fmt: skip
    Meeting.objects.create(
        community=community,
        kind="meeting",
        title="Bench meeting",
        starts_at=timezone.now() + timezone.timedelta(days=3),
    )
    return community


def main(argv: list[str]) -> None:
    recipients = int(argv[0]) if argv else 5_000
    setup_django()
    import io

    from django.conf import settings
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection

    from commonground.newsletters import services
    from commonground.newsletters.choices import DeliveryStatus
    from commonground.newsletters.models import Delivery

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    community = world(recipients)
    newsletter = services.newsletter_create(actor=None, community=community, subject="Bench news")

    mail.outbox = []
    queries = []
    start = time.perf_counter()
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        services.newsletter_send(actor=None, newsletter=newsletter)  # queues the dispatch once it commits
        call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False,
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    queued_seconds = time.perf_counter() - start
    sent = Delivery.objects.filter(newsletter=newsletter, status=DeliveryStatus.SENT).count()
    assert sent == recipients == len(mail.outbox), (sent, recipients, len(mail.outbox))

    body = mail.outbox[0].body
    mail.outbox = []
    messages = [(newsletter.subject, body, None, [f"bench{i}@example.org"]) for i in range(recipients)]
    start = time.perf_counter()
    mail.send_mass_mail(messages)
    mass_seconds = time.perf_counter() - start
    assert len(mail.outbox) == recipients
    print(
        json.dumps(
            {
                "recipients": recipients,
                "sent": sent,
                "batches": -(-recipients // int(settings.NEWSLETTER_BATCH_SIZE)),
                "queue_seconds": queued_seconds,
                "queue_per_second": sent / queued_seconds,
                "queue_queries": len(queries),
                "mass_seconds": mass_seconds,
                "mass_per_second": recipients / mass_seconds,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
