"""An alert is e-mailed by the task queue, after the write commits, to each active member of the community who
may see it; nobody outside its audience receives it or any of its words."""

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for
from commonground.incidents.models import Alert
from commonground.incidents.services.alerts import alert_issue
from commonground.incidents.tasks import alert_recipients, send_alert_emails
from commonground.registry.models import Person

from .alerting import URLS, assert_valid_cap, make_incident

pytestmark = pytest.mark.urls(URLS)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MARKER = "ZQX-AMBER-MARKER-71"


def addresses(table, *roles) -> set[str]:
    return {table.user(role).person.email for role in roles}


def issue(incident, django_capture_on_commit_callbacks, msg_type="Alert", actor=None) -> Alert:
    with django_capture_on_commit_callbacks(execute=True):
        return alert_issue(incident=incident, msg_type=msg_type, actor=actor)


def run_worker(monkeypatch):
    """Run the database worker over the queued tasks, in this test's transaction: the worker closes
    connections it thinks stale, which on PostgreSQL would close the test's own."""
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_mails_wait_for_the_worker_not_the_write(table, django_capture_on_commit_callbacks, monkeypatch):
    incident = make_incident(table, tlp=TLP.GREEN)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alert = alert_issue(incident=incident, msg_type="Alert", actor=table.cochair)
    assert callbacks and not DBTaskResult.objects.exists()  # nothing queued before the commit
    for callback in callbacks:  # the queueing, and the dashboards' new progress token
        callback()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "commonground.incidents.tasks.send_alert_emails"
    assert queued.args_kwargs["args"] == [alert.pk]
    assert mail.outbox == []  # not sent in the request
    run_worker(monkeypatch)
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value == 4 == len(mail.outbox)
    assert {m.to[0] for m in mail.outbox} == addresses(table, "cochair", "other_admin", "admin", "member")


def test_an_amber_alert_reaches_its_audience_only_and_its_words_nobody_else(
    table, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    incident = make_incident(
        table, tlp=TLP.AMBER, title=f"Chlorine leak {MARKER}", description=f"{MARKER} plant"
    )
    for kind in ("Alert", "Update", "Cancel"):
        issue(incident, django_capture_on_commit_callbacks, kind)
    # TLP:AMBER: the opening organization (the co-chair and the other admin work there) and the co-chairs.
    assert len(mail.outbox) == 6
    assert {m.to[0] for m in mail.outbox} == addresses(table, "cochair", "other_admin")
    for message in mail.outbox:
        person = Person.objects.get(email=message.to[0])
        alert = Alert.objects.get(identifier=message.attachments[0][0].removesuffix(".xml"))
        assert Alert.objects.visible_to(viewer_for(person.user)).filter(pk=alert.pk).exists()
        assert message.subject.startswith("[TLP:AMBER] ") and MARKER in message.subject
        assert (
            message.body.startswith("TLP:AMBER")
            and "TLP:AMBER: share as this marking allows." in message.body
        )
        assert f"http://testserver/incidents/{incident.pk}/" in message.body
        assert "What to do:" in message.body and f"http://testserver/alerts/{alert.pk}.xml" in message.body
        name, content, mimetype = message.attachments[0]
        assert mimetype == "application/cap+xml" and content.decode() == alert.xml
        assert_valid_cap(content)
    outside = addresses(table, "admin", "member", "outsider")
    assert not [m for m in mail.outbox if set(m.to) & outside]
    assert not [m for m in mail.outbox if set(m.to) & outside and MARKER in f"{m.subject}{m.body}"]
    for message in mail.outbox:  # one reader a mail: nobody sees another's address
        assert len(message.to) == 1 and not message.cc and not message.bcc


def test_a_named_organization_receives_an_amber_alert(table, settings, django_capture_on_commit_callbacks):
    settings.TASKS = IMMEDIATE
    incident = make_incident(table, tlp=TLP.AMBER)
    incident.recipient_organizations.set([table.private_org])
    issue(incident, django_capture_on_commit_callbacks)
    assert {m.to[0] for m in mail.outbox} == addresses(table, "cochair", "other_admin", "admin", "member")


def test_a_clear_alert_reaches_the_table_not_other_communities_nor_inactive_logins(
    table, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    table.member.is_active = False
    table.member.save()
    alert = issue(make_incident(table, tlp=TLP.CLEAR), django_capture_on_commit_callbacks)
    assert {m.to[0] for m in mail.outbox} == addresses(table, "cochair", "other_admin", "admin")
    assert all(m.subject == f"[TLP:CLEAR] {alert.headline}" for m in mail.outbox)


def test_the_marking_of_the_incident_now_also_binds_an_earlier_alert(table):
    """An alert of an incident since raised to TLP:AMBER+STRICT reaches only that narrower audience."""
    incident = make_incident(table, tlp=TLP.GREEN)
    alert = alert_issue(incident=incident, msg_type="Alert")
    incident.tlp = TLP.AMBER_STRICT
    incident.save()
    assert {address for _user, address in alert_recipients(alert)} == addresses(
        table, "cochair", "other_admin"
    )
    assert send_alert_emails.call(alert.pk) == 2 == len(mail.outbox)


def test_a_person_without_an_address_of_their_own_is_mailed_at_their_login(table):
    Person.objects.filter(user=table.admin).update(email="")
    alert = alert_issue(incident=make_incident(table, tlp=TLP.GREEN), msg_type="Alert")
    assert table.admin.email in {address for _user, address in alert_recipients(alert)}


def test_the_task_of_a_deleted_alert_sends_nothing(table):
    alert = alert_issue(incident=make_incident(table), msg_type="Alert")
    alert_id = alert.pk
    alert.incident.delete()
    assert send_alert_emails.call(alert_id) == 0 and mail.outbox == []


def test_a_mail_server_failure_is_retried_for_the_unsent_mails_only(
    table, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from commonground.core.tests.flaky_mail import FlakyBackend

    settings.EMAIL_BACKEND = "commonground.core.tests.flaky_mail.FlakyBackend"
    settings.MAIL_RETRY_SECONDS = 0
    monkeypatch.setattr(FlakyBackend, "plan", ["ok", "down"])  # the server fails on the second mail
    incident = make_incident(table, tlp=TLP.GREEN)
    issue(incident, django_capture_on_commit_callbacks, actor=table.cochair)
    run_worker(monkeypatch)
    alert_task = DBTaskResult.objects.get(task_path="commonground.incidents.tasks.send_alert_emails")
    retry = DBTaskResult.objects.get(task_path="commonground.core.mail.mail_deliver")
    assert alert_task.status == "FAILED" and retry.status == "SUCCESSFUL" and retry.return_value == 3
    # each reader's mail once, the CAP attached to each: none lost, none twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        addresses(table, "cochair", "other_admin", "admin", "member")
    )
    assert all(m.attachments[0][2] == "application/cap+xml" for m in mail.outbox)
