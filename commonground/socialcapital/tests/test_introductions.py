"""A co-chair's introduction of two organizations: who may, what is refused, who is mailed and what it says."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commonground.accounts.choices import MailKind
from commonground.core.models import AuditEntry
from commonground.socialcapital.introductions import introduction_send
from commonground.socialcapital.models import Introduction
from commonground.socialcapital.services import snapshot_compute

from .records import build_network


def test_a_cochair_introduces_and_each_admin_hears_of_the_other(table, mail_at_once):
    introduction_send(
        actor=table.cochair,
        community=table.community,
        first=table.public_org,
        second=table.private_org,
        reason="Why not.",
    )
    # The public side's admins (the co-chair, the other admin) and the private side's admin.
    to = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted(
        (user.person.email or user.email) for user in (table.cochair, table.other_admin, table.admin)
    )
    assert to == expected
    to_private = next(m for m in mail.outbox if m.to == [table.admin.person.email])
    assert "Riverbend Fire" in to_private.subject and "Why not." in to_private.body
    # The other side's addresses are not in the mail: its page is.
    assert table.cochair.person.email not in to_private.body
    assert table.public_org.get_absolute_url() in to_private.body
    introduction = Introduction.objects.get()
    assert AuditEntry.objects.filter(object_id=str(introduction.pk), community_id=table.community.pk).exists()


def test_an_admin_who_turned_introductions_off_is_not_mailed(table, mail_at_once):
    table.admin.mail_unwanted = [MailKind.INTRODUCTIONS.value]
    table.admin.save()
    introduction_send(
        actor=table.cochair, community=table.community, first=table.public_org, second=table.private_org
    )
    assert table.admin.person.email not in [a for m in mail.outbox for a in m.to]


def test_refusals_change_nothing(table, mail_at_once):
    with pytest.raises(PermissionDenied):
        introduction_send(
            actor=table.member, community=table.community, first=table.public_org, second=table.private_org
        )
    with pytest.raises(ValidationError):
        introduction_send(
            actor=table.cochair, community=table.community, first=table.public_org, second=table.outside_org
        )
    with pytest.raises(ValidationError):
        introduction_send(
            actor=table.cochair, community=table.community, first=table.public_org, second=table.public_org
        )
    assert not Introduction.objects.exists() and not mail.outbox


def test_the_page_button_introduces_with_the_suggestions_reason(client, table, mail_at_once):
    network = build_network(table)
    snapshot_compute(community=table.community)
    url = reverse("socialcapital:network", kwargs={"slug": table.community.slug})
    client.force_login(table.member)
    assert "by e-mail" not in client.get(url).content.decode()
    client.force_login(table.cochair)
    assert "Introduce Lonely Hardware and Riverbend Fire by e-mail" in client.get(url).content.decode()
    mail.outbox.clear()  # the incident's alerts
    # Lonely Hardware has no admin: only Riverbend Fire's admins hear of it.
    response = client.post(
        reverse("socialcapital:network_introduce", kwargs={"slug": table.community.slug}),
        {"first": table.public_org.pk, "second": network.lonely.pk},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert all("Lonely Hardware has no tie at the table yet" in m.body for m in mail.outbox)
    # An organization of another table is refused, with a message, and nothing is sent.
    sent = len(mail.outbox)
    client.post(
        reverse("socialcapital:network_introduce", kwargs={"slug": table.community.slug}),
        {"first": table.public_org.pk, "second": table.outside_org.pk},
    )
    assert len(mail.outbox) == sent and Introduction.objects.count() == 1
