import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from commonground.core.tlp import TLP
from commonground.resources.models import Resource
from commonground.resources.reminders import remind_stale_resources

from .factories import ResourceFactory

# The mails go through the task queue (core.mail); here they are sent at once, as the worker sends them.
pytestmark = pytest.mark.usefixtures("mail_at_once")


def _stale(table, settings, **kwargs):
    old = datetime.date.today() - datetime.timedelta(days=settings.RESOURCE_STALE_DAYS + 5)
    return ResourceFactory(
        community=table.community, organization=table.private_org, verified_on=old, **kwargs
    )


def test_owners_are_reminded_once_of_their_stale_resources(table, settings):
    table.admin.person.email = "admin@example.org"
    table.admin.person.save()
    stale = _stale(table, settings, name="Old forklift")
    secret = _stale(table, settings, name="Secret stockpile", tlp=TLP.RED)
    ResourceFactory(community=table.community, organization=table.private_org, name="Fresh pump")
    report = remind_stale_resources()
    assert (report.organizations, report.resources, report.mails) == (1, 2, 1)
    message = mail.outbox[0]
    assert message.to == ["admin@example.org"]
    assert "Old forklift" in message.body and f"/resources/{stale.pk}/" in message.body
    assert "Secret stockpile" not in message.body and "1 resource marked TLP:RED" in message.body
    assert message.subject.startswith("[TLP:GREEN]")
    assert Resource.objects.get(pk=secret.pk).reminded_on == datetime.date.today()
    assert remind_stale_resources().mails == 0  # not again tomorrow
    later = datetime.date.today() + datetime.timedelta(days=settings.RESOURCE_REMINDER_DAYS)
    assert remind_stale_resources(today=later).mails == 1


def test_the_command_counts_in_a_dry_run_and_sends_nothing(table, settings):
    table.admin.person.email = "admin@example.org"
    table.admin.person.save()
    _stale(table, settings)
    out = io.StringIO()
    call_command("remind_stale", "--dry-run", "--community", "riverbend", stdout=out)
    assert "1 reminder(s) would be sent" in out.getvalue()
    assert not mail.outbox
    with pytest.raises(CommandError):
        call_command("remind_stale", "--community", "nowhere")
