"""Background work of step 6: telling a task's new owner that it is theirs.

The mail goes through the task queue once the write has committed (the assignment may still be rolled
back until then), and the worker asks again whether the owner may see the task: a person without an
active login, or whose organization has left the table, is not told of it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django_tasks import task

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import recipients_wanting
from commonground.core.tlp import TLP
from commonground.core.viewer import viewer_for

from .models import Task
from .selectors import task_list


def assignment_recipient(task_record: Task) -> str:
    """Return the address of a task's owner who may see the task, or "" when nobody may be told."""
    person = task_record.owner_person
    user = getattr(person, "user", None)
    if user is None or not user.is_active or not recipients_wanting(MailKind.TASK_ASSIGNED, [user]):
        return ""
    if not task_list(viewer=viewer_for(user)).filter(pk=task_record.pk).exists():
        return ""
    return (person.email or user.email or "").strip()


@task()
def send_task_assigned_email(task_id: int, person_id: int) -> int:
    """Mail a task's owner that it is now theirs, if it still is and they may see it; return the mails sent."""
    found = (
        Task.objects.select_related("goal__community", "owner_organization", "owner_person__user")
        .filter(pk=task_id, owner_person_id=person_id)
        .first()
    )
    address = assignment_recipient(found) if found is not None else ""
    if not address:
        return 0
    # A task of the partnership's plan is shared with the whole table, as the reminders say.
    send_mail(
        subject=_("[%(marking)s] %(community)s: a task is yours: %(title)s")
        % {"marking": TLP.GREEN, "community": found.goal.community, "title": found.title},
        message=render_to_string(
            "sustainability/email/task_assigned.txt",
            {
                "task": found,
                "url": settings.SITE_URL.rstrip("/") + found.get_absolute_url(),
                "marking": TLP.GREEN,
            },
        ),
        from_email=None,
        recipient_list=[address],
    )
    return 1
