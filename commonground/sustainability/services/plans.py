"""Set goals against the prioritized needs and hand out the tasks that carry them out; all audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.accounts.leaving import LeavingReason
from commonground.core import audit
from commonground.core.services import assign, require, set_related, validated_save, viewer_of
from commonground.core.timezones import community_today

from ..choices import TASK_TEMPLATES, TaskStatus
from ..models import Goal, Task
from ..permissions import can_plan, can_report_progress
from ..tasks import send_task_assigned_email

GOAL_FIELDS = ("statement", "measure", "target_date")
TASK_FIELDS = ("title", "description", "template", "owner_organization", "owner_person", "due_on")


def _check_needs(goal: Goal, needs) -> None:
    strays = [n for n in needs if n.assessment.community_id != goal.community_id]
    if strays:
        raise ValidationError({"needs": _("%(need)s is not a need of this community.") % {"need": strays[0]}})


@transaction.atomic
def goal_create(*, actor, community, needs=(), **data: Any) -> Goal:
    """Set a goal against prioritized needs, with its measure of success and target date; co-chairs."""
    require(can_plan(viewer_of(actor), community), _("Only co-chairs set goals."))
    goal = Goal(community=community)
    assign(goal, data, GOAL_FIELDS)
    needs = list(needs)
    _check_needs(goal, needs)
    validated_save(goal)
    goal.needs.set(needs)
    audit.record_create(actor, goal, community_id=community.pk)
    return goal


@transaction.atomic
def goal_update(*, actor, goal: Goal, data: dict[str, Any]) -> Goal:
    require(can_plan(viewer_of(actor), goal.community), _("Only co-chairs change goals."))
    before = audit.snapshot(goal)
    data = dict(data)
    needs = data.pop("needs", None)
    assign(goal, data, GOAL_FIELDS)
    if needs is not None:
        _check_needs(goal, list(needs))
    validated_save(goal)
    extra = set_related(goal, {"needs": needs}) if needs is not None else {}
    audit.record_update(actor, goal, before, community_id=goal.community_id, extra_changes=extra)
    return goal


def _tell_new_owner(task: Task, owner_before: int | None) -> None:
    """Mail a task's owner once the write commits, when it names someone it did not name before."""
    task_id, person_id = task.pk, task.owner_person_id
    if person_id is not None and person_id != owner_before:
        transaction.on_commit(lambda: send_task_assigned_email.enqueue(task_id, person_id))


def _check_owner(task: Task) -> None:
    community = task.goal.community
    if task.owner_organization_id is None:
        raise ValidationError({"owner_organization": _("Choose the organization that owns the task.")})
    if not task.owner_organization.memberships.filter(community=community).exists():
        raise ValidationError({"owner_organization": _("Choose an organization at the community's table.")})
    if task.owner_person and task.owner_person.organization_id != task.owner_organization_id:
        raise ValidationError(
            {"owner_person": _("Choose someone from %(org)s.") % {"org": task.owner_organization}}
        )


@transaction.atomic
def task_create(*, actor, goal: Goal, observation=None, **data: Any) -> Task:
    """Hand a task toward a goal to an organization; a template fills the title and description left blank.

    `observation`: the area for improvement of an exercise that the task answers (a corrective action).
    """
    require(can_plan(viewer_of(actor), goal.community), _("Only co-chairs hand out tasks."))
    task = Task(goal=goal, observation=observation)
    assign(task, data, TASK_FIELDS)
    if task.template in TASK_TEMPLATES:
        title, description = TASK_TEMPLATES[task.template]
        task.title = task.title or str(title)
        task.description = task.description or str(description)
    _check_owner(task)
    validated_save(task)
    audit.record_create(
        actor, task, community_id=goal.community_id, organization_id=task.owner_organization_id
    )
    _tell_new_owner(task, None)
    return task


@transaction.atomic
def task_update(*, actor, task: Task, data: dict[str, Any]) -> Task:
    require(can_plan(viewer_of(actor), task.goal.community), _("Only co-chairs change tasks."))
    before = audit.snapshot(task)
    assign(task, data, TASK_FIELDS)
    _check_owner(task)
    validated_save(task)
    audit.record_update(actor, task, before, community_id=task.goal.community_id,
                        organization_id=task.owner_organization_id)  # fmt: skip
    _tell_new_owner(task, before.get("owner_person"))
    return task


@transaction.atomic
def task_progress(*, actor, task: Task, status: str, note: str = "") -> Task:
    """Report a task's progress: its status, and a dated note kept with the earlier ones."""
    viewer = viewer_of(actor)
    require(
        can_report_progress(viewer, task), _("Only the owner organization or a co-chair reports progress.")
    )
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose planned, in progress, blocked or done.")})
    before = audit.snapshot(task)
    task.status = status
    today = community_today(task.goal.community)
    task.completed_on = (task.completed_on or today) if status == TaskStatus.DONE else None
    note = (note or "").strip()
    if note:
        author = str(
            getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", "") or _("system")
        )
        line = f"{today:%Y-%m-%d} {author}: {note}"
        task.notes = f"{task.notes}\n{line}".strip()
    validated_save(task)
    audit.record_update(actor, task, before, community_id=task.goal.community_id,
                        organization_id=task.owner_organization_id)  # fmt: skip
    return task


def tasks_hand_back(*, actor, leaving) -> int:
    """Hand back, ownerless, the tasks of people who leave (their organization keeps the task, with no owner
    named), or of an organization that leaves a table (nobody owns them: co-chairs hand them out again).
    Called by `accounts.services.access_end` in its transaction; return how many tasks changed."""
    if leaving.reason == LeavingReason.ORGANIZATION_LEFT and leaving.organization_id is not None:
        tasks = Task.objects.filter(owner_organization_id=leaving.organization_id)
        if leaving.community_id is not None:
            tasks = tasks.filter(goal__community_id=leaving.community_id)
        cleared = {"owner_organization": None, "owner_person": None}
    else:
        tasks = Task.objects.filter(owner_person_id__in=sorted(leaving.person_ids))
        cleared = {"owner_person": None}
    changed = list(tasks.select_related("goal").order_by("pk"))
    for task in changed:
        before = audit.snapshot(task)
        organization_id = task.owner_organization_id
        for name, value in cleared.items():
            setattr(task, name, value)
        task.save(update_fields=[*cleared, "updated"])
        audit.record_update(
            actor, task, before, community_id=task.goal.community_id, organization_id=organization_id
        )
    return len(changed)
