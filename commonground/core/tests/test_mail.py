"""Mail to many goes through the task queue: nothing before the write commits, sent by a real worker (the
database queue's `db_worker`, run here over the test's database), retried with a bounded back-off."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from commonground.core.mail import MailStatus, mail_deliver, mail_enqueue, mail_message, retry_delay
from commonground.registry import services as registry_services
from commonground.registry.tests.factories import UserFactory
from commonground.resources.tests.factories import ResourceFactory

from .flaky_mail import FlakyBackend

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASK_PATH = "commonground.core.mail.mail_deliver"

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings, monkeypatch):
    settings.TASKS = DB_TASKS
    settings.EMAIL_BACKEND = "commonground.core.tests.flaky_mail.FlakyBackend"
    settings.MAIL_RETRY_SECONDS = 0  # each retry is due at once, so one batch of the worker runs them all
    monkeypatch.setattr(FlakyBackend, "plan", [])
    return settings


def run_worker(monkeypatch):
    """Run the database worker over the queued tasks until none is due, in this test's transaction (the worker
    closes connections it thinks stale, which on PostgreSQL would close the test's own)."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def mails(n: int) -> list[dict]:
    return [mail_message(subject=f"Mail {i}", body="Hello", to=[f"p{i}@example.org"]) for i in range(n)]


def results() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=TASK_PATH).order_by("enqueued_at", "id"))


def test_nothing_is_queued_before_the_write_commits(queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        mail_enqueue(mails(2))
    assert not DBTaskResult.objects.exists() and len(callbacks) == 1
    callbacks[0]()
    [queued] = results()
    assert [m["to"] for m in queued.args_kwargs["args"][0]] == [["p0@example.org"], ["p1@example.org"]]
    assert mail.outbox == []


def test_a_worker_sends_them(queue, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail_enqueue(mails(3))
    run_worker(monkeypatch)
    [result] = results()
    assert result.status == "SUCCESSFUL" and result.return_value == 3
    assert [m.to for m in mail.outbox] == [["p0@example.org"], ["p1@example.org"], ["p2@example.org"]]


def test_a_failed_send_is_retried_with_only_the_unsent_mails(queue, monkeypatch, settings):
    FlakyBackend.plan = ["ok", "down"]  # the first mail goes, the server fails on the second
    mail_deliver.enqueue(mails(3))
    run_worker(monkeypatch)
    first, retry = results()
    assert first.status == "FAILED" and "ConnectionRefusedError" in first.exception_class_path
    assert retry.status == "SUCCESSFUL" and retry.args_kwargs["kwargs"] == {"attempt": 2}
    assert [m["to"] for m in retry.args_kwargs["args"][0]] == [["p1@example.org"], ["p2@example.org"]]
    # each mail delivered once: none lost, none twice
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.org", "p1@example.org", "p2@example.org"]


def test_a_retry_does_not_go_to_someone_whose_access_ended_meanwhile(queue, monkeypatch, settings):
    gone = UserFactory(email="P1@Example.org")  # the queued mail's address, written otherwise
    stays = UserFactory(email="p2@example.org")
    FlakyBackend.plan = ["ok", "down"]  # the first mail goes; the server is down for the second
    mail_deliver.enqueue(mails(3))
    gone.is_active = False  # ... and meanwhile p1 leaves: their access ends
    gone.save()
    run_worker(monkeypatch)
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.org", stays.email]


def test_a_mail_to_several_keeps_the_addresses_still_open(queue, monkeypatch):
    UserFactory(email="p0@example.org", is_active=False)
    both = mail_message(subject="S", body="B", to=["p0@example.org", "new@example.org"])
    mail_deliver.enqueue([both, *mails(1)])
    run_worker(monkeypatch)
    assert [m.to for m in mail.outbox] == [["new@example.org"]]  # the second mail went only to p0: not sent


def test_the_retries_are_bounded(queue, monkeypatch, settings):
    settings.MAIL_ATTEMPTS = 3
    FlakyBackend.plan = ["down"] * 10
    mail_deliver.enqueue(mails(1))
    run_worker(monkeypatch)
    tried = results()
    assert [r.status for r in tried] == ["FAILED"] * 3
    assert [r.args_kwargs["kwargs"].get("attempt", 1) for r in tried] == [1, 2, 3]
    assert mail.outbox == [] and FlakyBackend.plan == ["down"] * 7


def test_a_retry_waits_its_back_off(queue, monkeypatch, settings):
    settings.MAIL_RETRY_SECONDS = 30
    FlakyBackend.plan = ["down"]
    mail_deliver.enqueue(mails(1))
    before = timezone.now()
    run_worker(monkeypatch)
    failed, waiting = results()
    assert failed.status == "FAILED" and waiting.status == "READY"  # not yet due: the worker left it
    assert before + timedelta(seconds=29) <= waiting.run_after <= timezone.now() + timedelta(seconds=31)
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 120, 480, 1920]


def test_reminders_enqueue_their_mail(queue, table, monkeypatch, django_capture_on_commit_callbacks):
    table.admin.person.email = "admin@example.org"
    table.admin.person.save()
    ResourceFactory(
        community=table.community,
        organization=table.private_org,
        name="Old forklift",
        verified_on=timezone.localdate() - timedelta(days=400),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale", stdout=io.StringIO())
    assert mail.outbox == []  # the command did not send: it queued
    assert len(results()) == 1
    run_worker(monkeypatch)
    assert [m.to for m in mail.outbox] == [["admin@example.org"]] and "Old forklift" in mail.outbox[0].body


def invite(table, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return registry_services.invitation_send(
            actor=table.cochair,
            community=table.community,
            email="new@example.org",
            name="New Person",
            organization_name="New Org",
        )


def test_an_invitation_is_mailed_by_the_worker(queue, table, monkeypatch, django_capture_on_commit_callbacks):
    invitation = invite(table, django_capture_on_commit_callbacks)
    assert mail.outbox == [] and len(results()) == 1 and invitation.mail_status == MailStatus.QUEUED
    run_worker(monkeypatch)
    assert [m.to for m in mail.outbox] == [["new@example.org"]] and "/invite/" in mail.outbox[0].body
    invitation.refresh_from_db()
    assert invitation.mail_status == MailStatus.SENT


def test_the_inviter_sees_the_mail_retried_then_given_up(
    queue, table, client, monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.MAIL_RETRY_SECONDS = 30
    FlakyBackend.plan = ["down"] * 3
    invitation = invite(table, django_capture_on_commit_callbacks)
    run_worker(monkeypatch)
    invitation.refresh_from_db()
    assert invitation.mail_status == MailStatus.RETRYING  # the retry waits its back-off
    client.force_login(table.cochair)
    page = client.get(reverse("registry:invitations", args=[table.community.slug])).content.decode()
    assert "not sent yet, retrying" in page
    settings.MAIL_ATTEMPTS, settings.MAIL_RETRY_SECONDS = 2, 0
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker(monkeypatch)
    invitation.refresh_from_db()
    assert invitation.mail_status == MailStatus.FAILED and mail.outbox == []
    page = client.get(reverse("registry:invitations", args=[table.community.slug])).content.decode()
    assert "could not be sent" in page
