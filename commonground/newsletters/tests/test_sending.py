"""The batched send gives every recipient exactly what the per-recipient renderer gives them, asking which
sections a reader gets once for each class of readers, not once for each reader."""

import pytest
from django.core import mail
from django.core.signing import TimestampSigner
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.communities.tests.factories import MembershipFactory
from commonground.conftest import IMMEDIATE_TASKS, _person_user
from commonground.core.viewer import viewer_for
from commonground.newsletters import rendering, services
from commonground.newsletters.choices import DeliveryStatus
from commonground.newsletters.email import newsletter_parts
from commonground.newsletters.models import Delivery
from commonground.newsletters.tasks import newsletter_send_batch
from commonground.registry.tests.factories import OrganizationFactory, UserFactory

from .records import AMBER_INCIDENT, AMBER_ISSUE, GREEN_MEETING, build_news


@pytest.fixture
def mixed(table, settings):
    """A newsletter with AMBER sections and an audience of every kind of reader: the owning organization's
    admin and member, the co-chair, the public organization's admin and two members (one class), an
    organization named as a recipient of the AMBER incident, a facilitator, a reader from another table, a
    login with no person, and a reader of Spanish."""
    settings.TASKS = IMMEDIATE_TASKS
    news = build_news(table)
    named = OrganizationFactory(
        name="County Health", sector="public", category="public_health", level="local"
    )
    MembershipFactory(community=table.community, organization=named)
    news["amber_incident"].recipient_organizations.add(named)
    readers = [
        table.cochair, table.admin, table.member, table.other_admin, _person_user(table.public_org),
        _person_user(named), table.facilitator, table.outsider, UserFactory(), _person_user(table.public_org),
    ]  # fmt: skip
    readers[-1].language = "es"
    readers[-1].save(update_fields=["language"])
    newsletter = services.newsletter_create(actor=table.cochair, community=table.community, subject="News")
    return newsletter, readers


def test_each_reader_of_a_batch_gets_the_sections_the_per_reader_rule_gives_them(mixed, monkeypatch):
    newsletter, readers = mixed
    sections = list(newsletter.sections.all())
    viewers = [viewer_for(reader) for reader in readers]
    one_by_one = [rendering.sections_for(viewer, sections) for viewer in viewers]
    asked = []
    original = rendering.sections_for
    monkeypatch.setattr(
        rendering, "sections_for", lambda viewer, s: asked.append(viewer) or original(viewer, s)
    )
    assert rendering.sections_by_reader(viewers, sections) == one_by_one
    # The public organization's two members (neither an admin) are one class; the rest each their own.
    assert len(asked) == len(readers) - 1
    # The audience is mixed: some readers get the AMBER sections and some do not.
    assert len({tuple(section.pk for section in shown) for shown in one_by_one}) >= 3


def test_the_batched_send_gives_each_recipient_byte_identical_mail_to_the_per_recipient_renderer(
    mixed, monkeypatch
):
    newsletter, readers = mixed
    # An unsubscribe token carries the second it was signed in: one second for both renderers.
    monkeypatch.setattr(TimestampSigner, "timestamp", lambda self: "1kQaQ0")
    deliveries = Delivery.objects.bulk_create(
        Delivery(newsletter=newsletter, user=reader, email=reader.email) for reader in readers
    )
    mail.outbox = []
    assert newsletter_send_batch.call(newsletter.pk, [delivery.pk for delivery in deliveries]) == len(readers)
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    sent = {message.to[0]: message for message in mail.outbox}
    assert len(sent) == len(readers)
    seen = 0
    for reader in readers:
        expected = newsletter_parts(newsletter, reader)
        message = sent[reader.email]
        assert message.subject == expected["subject"]
        assert message.body.encode() == expected["text"].encode()
        assert message.alternatives[0][0].encode() == expected["html"].encode()
        assert message.extra_headers == expected["headers"]
        seen += AMBER_ISSUE in message.body
        assert (AMBER_INCIDENT in message.body) == (AMBER_INCIDENT in expected["text"])
    assert 0 < seen < len(readers)
    assert GREEN_MEETING in sent[readers[3].email].body and AMBER_ISSUE not in sent[readers[3].email].body
    # The organization named as the incident's recipient reads it; the public organization does not.
    assert AMBER_INCIDENT in sent[readers[5].email].body and AMBER_INCIDENT not in sent[readers[4].email].body


def _batch_queries(newsletter, readers) -> int:
    deliveries = Delivery.objects.bulk_create(
        Delivery(newsletter=newsletter, user=reader, email=reader.email) for reader in readers
    )
    with CaptureQueriesContext(connection) as queries:
        assert newsletter_send_batch.call(newsletter.pk, [d.pk for d in deliveries]) == len(readers)
    return len(queries)


def test_a_batch_costs_the_same_queries_for_5_recipients_as_for_50(table, settings):
    """The readers' viewers are read together (`core.viewer.viewers_for`), not one query a recipient."""
    settings.TASKS = IMMEDIATE_TASKS
    build_news(table)
    organizations = [table.public_org, table.private_org]
    readers = [_person_user(organizations[i % 2], role=("admin", "member")[i % 3 == 0]) for i in range(55)]
    counts = []
    for batch in (readers[:5], readers[5:]):
        newsletter = services.newsletter_create(
            actor=table.cochair, community=table.community, subject="News"
        )
        counts.append(_batch_queries(newsletter, [type(r).objects.get(pk=r.pk) for r in batch]))
    assert counts[0] == counts[1]
