"""Two years of the demo partnership's life, so that every chart and trend has something to show.

The services stamp each record with the moment it is written, and nobody writes the past through them:
the demo makes its records through the services, then moves their stamps (and their creation audit
entries) back to when a real table would have made them. The founding leaders came first, the table grew
quarter by quarter, invitations were sent and accepted over time, the partnership met every quarter,
and its founding tasks were done one after another.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from commonground.core import audit
from commonground.core.models import AuditEntry
from commonground.core.timezones import zone_of
from commonground.registry import services as registry_services
from commonground.registry.tokens import make_token

from .table_rows import FOUNDING_TASKS, INVITED, MORE_TABLE, PENDING

FOUNDED_DAYS_AGO = 730
QUARTERLY_MEETINGS_DAYS_AGO = [700, 610, 520, 430, 340, 250, 160, 55]


def load_invitations(community, users: dict, password: str) -> None:
    """Invite the organizations that came to the table by invitation, and a few that have not answered yet."""
    for inviter, first, last, title, org_name, data, _days in INVITED:
        invitation = registry_services.invitation_send(
            actor=users[inviter], community=community, email=f"{first}.{last}@example.org".lower(),
            name=f"{first} {last}", organization_name=org_name, suggested_category=data["category"],
            message="We plan for crises together; your organization belongs at the table.",
        )  # fmt: skip
        person = registry_services.invitation_accept(
            token=make_token(invitation), username=f"{first}.{last}".lower(), password=password,
            first_name=first, last_name=last, title=title, phone="517-555-0142", organization_data=data,
        )  # fmt: skip
        users[person.user.username] = person.user
    for inviter, name, org_name, category, _days in PENDING:
        registry_services.invitation_send(
            actor=users[inviter], community=community, email=f"{name.replace(' ', '.')}@example.org".lower(),
            name=name, organization_name=org_name, suggested_category=category,
            message="We plan for crises together; your organization belongs at the table.",
        )  # fmt: skip


def play_history(community, users: dict, leaders: dict, table: list[str]) -> None:
    """Move the demo's records back over two years and add what a partnership does in that time."""
    now = timezone.now()
    rng = random.Random(7)
    joined = _joined_days_ago(community, leaders, table)
    _restamp_table(community, joined, leaders, users, now, rng)
    _restamp_invitations(community, now, rng)
    _restamp_records(community, joined, now, rng)
    _quarterly_meetings(community, users["cochair.public"], joined, rng)
    _founding_goal(community, users["cochair.public"], now)
    audit.touched_everything()  # records dated back without entries


def ago(now: datetime.datetime, days: float) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def restamp(model, moments: dict, *, extra: tuple[str, ...] = ()) -> None:
    """Set the records' `created` and `updated` to the given moments, with their creation audit entries."""
    if not moments:
        return
    records = list(model.objects.filter(pk__in=moments))
    for record in records:
        record.created = record.updated = moments[record.pk]
    model.objects.bulk_update(records, ["created", "updated", *extra], batch_size=500)
    entries = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[str(pk) for pk in moments],
            action="create",
        )
    )
    for entry in entries:
        entry.at = moments[int(entry.object_id)]
    AuditEntry.objects.bulk_update(entries, ["at"], batch_size=500)


def _joined_days_ago(community, leaders: dict, table: list[str]) -> dict[int, float]:
    """When each organization took its seat: the co-chairs' first, the kick-off list over the first year,
    the rest over the second, and the invited ones when their invitation was accepted."""
    from commonground.registry.models import Organization

    by_name = dict(Organization.objects.in_community(community).values_list("name", "pk"))
    days = {}
    founders = [org for _user, (*_names, org, as_cochair, _by) in leaders.items() if as_cochair]
    for index, name in enumerate(founders):
        days[by_name[name]] = FOUNDED_DAYS_AGO - index
    for index, name in enumerate(table):
        days.setdefault(by_name[name], 720 - index * 260 / len(table))
    later = [row[0] for row in MORE_TABLE]
    for index, name in enumerate(later):
        days.setdefault(by_name[name], 420 - index * 400 / len(later))
    for *_row, org_name, _data, accepted in INVITED:
        days[by_name[org_name]] = accepted
    return {pk: days.get(pk, 30) for pk in by_name.values()}


def _restamp_table(community, joined, leaders, users, now, rng) -> None:
    from django.contrib.auth import get_user_model

    from commonground.communities.models import Membership
    from commonground.registry.models import Organization, Person

    memberships = Membership.objects.filter(community=community)
    restamp(Membership, {m.pk: ago(now, joined[m.organization_id]) for m in memberships})
    restamp(Organization, {pk: ago(now, days) for pk, days in joined.items()})
    people, user_days = {}, {"facilitator": FOUNDED_DAYS_AGO + 30}
    for person in Person.objects.filter(organization_id__in=joined).select_related("user"):
        days = joined[person.organization_id]
        if person.user_id is None:
            days = max(1, days - rng.uniform(0, 30))  # named on the organization's list soon after it joined
        else:
            user_days[person.user.username] = days
        people[person.pk] = ago(now, days)
    restamp(Person, people)
    User = get_user_model()
    for user in User.objects.filter(username__in=user_days):
        user.date_joined = ago(now, user_days[user.username])
        user.save(update_fields=["date_joined"])


def _restamp_invitations(community, now, rng) -> None:
    """An invitation was sent a few days before its acceptance; one not answered was sent when PENDING says."""
    from django.conf import settings

    from commonground.registry.models import Invitation

    pending_days = {org_name: days for *_row, org_name, _category, days in PENDING}
    moments, records = {}, []
    for invitation in Invitation.objects.filter(community=community).select_related("accepted_person"):
        if invitation.accepted_person_id:
            invitation.accepted_at = invitation.accepted_person.created
            moments[invitation.pk] = invitation.accepted_at - datetime.timedelta(days=rng.uniform(1, 10))
        else:
            moments[invitation.pk] = ago(now, pending_days.get(invitation.organization_name, 1))
        invitation.expires_at = moments[invitation.pk] + datetime.timedelta(
            days=settings.INVITATION_MAX_AGE_DAYS
        )
        records.append(invitation)
    Invitation.objects.bulk_update(records, ["accepted_at", "expires_at"])
    restamp(Invitation, moments)


def _restamp_records(community, joined, now, rng) -> None:
    """Issues raised at the kick-off and endorsed in the weeks after; assessments around the status
    workshop; resources recorded in the months after their organization joined."""
    from commonground.agenda.models import Endorsement, Issue
    from commonground.resources.models import Resource
    from commonground.risks.models import CriticalFunction, HazardAssessment

    issues = {}
    for index, pk in enumerate(
        Issue.objects.filter(community=community).order_by("pk").values_list("pk", flat=True)
    ):
        issues[pk] = ago(now, 650 - 12 * index)
    restamp(Issue, issues)
    endorsements = Endorsement.objects.filter(issue__community=community).values_list("pk", "issue_id")
    restamp(Endorsement, {pk: min(issues[issue] + datetime.timedelta(days=rng.uniform(1, 60)), now)
                          for pk, issue in endorsements})  # fmt: skip
    for model in (CriticalFunction, HazardAssessment):
        rows = model.objects.filter(community=community).values_list("pk", "organization_id")
        restamp(model, {pk: ago(now, min(joined[org] - 1, rng.uniform(190, 230))) for pk, org in rows})
    rows = Resource.objects.filter(community=community).values_list("pk", "organization_id")
    restamp(Resource, {pk: ago(now, max(1, joined[org] - rng.uniform(5, 90))) for pk, org in rows})


def _quarterly_meetings(community, cochair, joined, rng) -> None:
    """The partnership met every quarter; those at the table by then came, more of them as it grew."""
    from commonground.registry.models import Organization
    from commonground.sustainability import services

    zone = zone_of(community) or datetime.UTC
    today = timezone.localdate(timezone=zone)
    organizations = list(Organization.objects.filter(pk__in=joined).order_by("name"))
    for number, days in enumerate(QUARTERLY_MEETINGS_DAYS_AGO, start=1):
        starts = datetime.datetime.combine(
            today - datetime.timedelta(days=days), datetime.time(10), tzinfo=zone
        )
        meeting = services.meeting_create(
            actor=cochair, community=community, kind="meeting", title=f"Partnership meeting, {starts:%B %Y}",
            starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), location="Riverbend City Hall",
            agenda="Reports from the working groups; the step in progress; the next quarter's tasks.",
        )  # fmt: skip
        seated = [o for o in organizations if joined[o.pk] >= days]
        share = 0.55 + 0.2 * number / len(QUARTERLY_MEETINGS_DAYS_AGO)
        present = {o: rng.randint(1, 3) for o in seated if rng.random() < share}
        services.attendance_record(actor=cochair, meeting=meeting, attendance=present)
        restamp(type(meeting), {meeting.pk: starts - datetime.timedelta(days=21)})


def _founding_goal(community, cochair, now) -> None:
    """The goal the table set itself at its founding, and its tasks done (on time or late) one by one."""
    from commonground.registry.models import Organization
    from commonground.sustainability import services
    from commonground.sustainability.models import Goal, Task

    organizations = {o.name: o for o in Organization.objects.in_community(community)}
    goal = services.goal_create(
        actor=cochair, community=community, target_date=(now - datetime.timedelta(days=20)).date(),
        statement="The partnership is set up, known across the region and tested once",
        measure="A signed charter, the recommended categories at the table, and one exercise held",
    )  # fmt: skip
    restamp(Goal, {goal.pk: ago(now, 700)})
    for title, owner, due, done in FOUNDING_TASKS:
        task = services.task_create(
            actor=cochair, goal=goal, title=title, owner_organization=organizations[owner],
            due_on=(now - datetime.timedelta(days=due)).date(),
        )  # fmt: skip
        services.task_progress(actor=cochair, task=task, status="done" if done else "in_progress")
        restamp(Task, {task.pk: ago(now, due + 60)})
        if done:
            finished = ago(now, done)
            Task.objects.filter(pk=task.pk).update(completed_on=finished.date(), updated=finished)
            AuditEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(Task), object_id=str(task.pk), action="update"
            ).update(at=finished)
