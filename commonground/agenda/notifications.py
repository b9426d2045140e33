"""Tell the people behind an issue (its proposer and the people who endorsed it) what happened to it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string

from commonground.accounts.choices import MailKind
from commonground.accounts.selectors import addresses_wanting
from commonground.core.viewer import viewers_for
from commonground.registry.models import Person

from .models import Comment, Issue


def _people_behind(issue: Issue, *, except_person_id: int | None = None) -> list[str]:
    person_ids = set(issue.endorsements.exclude(person=None).values_list("person_id", flat=True))
    if issue.proposed_by_id:
        person_ids.add(issue.proposed_by_id)
    person_ids.discard(except_person_id)
    emails = Person.objects.filter(pk__in=person_ids).exclude(email="").values_list("email", flat=True)
    return addresses_wanting(MailKind.ISSUE_NEWS, sorted(set(emails)))


def _send(issue: Issue, subject: str, template: str, recipients: list[str], **context) -> int:
    context = {"issue": issue, "url": settings.SITE_URL.rstrip("/") + issue.get_absolute_url(), **context}
    body = render_to_string(template, context)
    return send_mass_mail([(subject, body, None, [email]) for email in recipients], fail_silently=False)


def comment_added(comment: Comment) -> int:
    """Mail the people behind the issue, except the author, that the discussion moved on."""
    issue = comment.issue
    recipients = _people_behind(issue, except_person_id=comment.author_id)
    return _send(issue, f"[{issue.tlp}] New comment on: {issue.title}", "agenda/email/comment.txt", recipients,
                 comment=comment)  # fmt: skip


def issue_decided(issue: Issue) -> int:
    """Mail the people behind the issue that the co-chairs adopted, set aside, merged or reopened it. The issue it
    was merged into is named only to those who may see it (`Issue.objects.visible_to`): it may be marked for
    fewer readers than the one they stood behind."""
    recipients = _people_behind(issue)
    subject = f"[{issue.tlp}] {issue.get_status_display()}: {issue.title}"
    if issue.merged_into_id is None:
        return _send(issue, subject, "agenda/email/decided.txt", recipients)
    seeing = _seeing(issue.merged_into_id, recipients)
    return _send(
        issue,
        subject,
        "agenda/email/decided.txt",
        [a for a in recipients if a in seeing],
        merged_into=issue.merged_into,
    ) + _send(issue, subject, "agenda/email/decided.txt", [a for a in recipients if a not in seeing])


def _seeing(issue_id: int, addresses: list[str]) -> set[str]:
    """The addresses among these whose person's account may see the issue (one without an account sees none),
    asked of the database once for all of them."""
    people = list(Person.objects.filter(email__in=addresses).exclude(user=None).select_related("user"))
    viewers = viewers_for(person.user for person in people)
    seen = Issue.objects.seen_by(issue_id, viewers)
    return {person.email for person, viewer in zip(people, viewers, strict=True) if viewer in seen}
