"""Open a needs assessment from the template, word its items, and record organizations' answers; all audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.communities.services import check_seated
from commonground.core import audit
from commonground.core.services import assign, check_still_visible, require, validated_save, viewer_of
from commonground.core.tlp import TLP
from commonground.registry.models import Organization

from .choices import TASK_TEMPLATES, TaskStatus, needs_template
from .models import Goal, NeedsAnswer, NeedsAssessment, NeedsItem, Task
from .permissions import can_answer, can_plan, can_report_progress, can_run_assessment

ITEM_FIELDS = ("mission_area", "capability", "text", "position")
ANSWER_FIELDS = ("level", "importance", "poete", "comment")


@transaction.atomic
def assessment_open(
    *, actor, community, title: str, closes_on: datetime.date, opens_on: datetime.date | None = None
) -> NeedsAssessment:
    """Open a needs assessment with the template's items (the core capabilities by mission area); co-chairs."""
    require(can_run_assessment(viewer_of(actor), community), _("Only co-chairs open a needs assessment."))
    assessment = NeedsAssessment(community=community, title=" ".join((title or "").split()), closes_on=closes_on,
                                 created_by=actor if getattr(actor, "pk", None) else None)  # fmt: skip
    if opens_on:
        assessment.opens_on = opens_on
    validated_save(assessment)
    NeedsItem.objects.bulk_create(
        NeedsItem(assessment=assessment, mission_area=row["mission_area"], capability=row["capability"],
                  text=row["text"], position=(n + 1) * 10)
        for n, row in enumerate(needs_template())
    )  # fmt: skip
    audit.record_create(actor, assessment, community_id=community.pk)
    return assessment


@transaction.atomic
def assessment_update(*, actor, assessment: NeedsAssessment, data: dict[str, Any]) -> NeedsAssessment:
    """Change the title or the dates (closing it early, or keeping it open longer)."""
    require(can_run_assessment(viewer_of(actor), assessment.community), _("Only co-chairs change it."))
    before = audit.snapshot(assessment)
    assign(assessment, data, ("title", "opens_on", "closes_on"))
    validated_save(assessment)
    audit.record_update(actor, assessment, before, community_id=assessment.community_id)
    return assessment


@transaction.atomic
def item_add(*, actor, assessment: NeedsAssessment, **data: Any) -> NeedsItem:
    """Add a question the community wants asked; co-chairs."""
    require(can_run_assessment(viewer_of(actor), assessment.community), _("Only co-chairs word the items."))
    item = NeedsItem(assessment=assessment)
    assign(item, data, ITEM_FIELDS)
    if not item.position:
        last = assessment.items.order_by("-position").values_list("position", flat=True).first() or 0
        item.position = last + 10
    validated_save(item)
    audit.record_create(actor, item, community_id=assessment.community_id)
    return item


@transaction.atomic
def item_update(*, actor, item: NeedsItem, data: dict[str, Any]) -> NeedsItem:
    """Reword or move an item; co-chairs."""
    require(
        can_run_assessment(viewer_of(actor), item.assessment.community), _("Only co-chairs word the items.")
    )
    before = audit.snapshot(item)
    assign(item, data, ITEM_FIELDS)
    validated_save(item)
    audit.record_update(actor, item, before, community_id=item.assessment.community_id)
    return item


@transaction.atomic
def item_delete(*, actor, item: NeedsItem) -> None:
    """Drop an item, and the answers given to it; co-chairs."""
    require(
        can_run_assessment(viewer_of(actor), item.assessment.community), _("Only co-chairs word the items.")
    )
    audit.record_delete(actor, item, community_id=item.assessment.community_id)
    item.delete()


@transaction.atomic
def answers_save(
    *, actor, assessment: NeedsAssessment, organization: Organization, answers: list[dict[str, Any]],
    tlp: str = TLP.AMBER, recipient_organizations=(),
) -> list[NeedsAnswer]:  # fmt: skip
    """Record an organization's answers (all or none): each a dict with `item` and the answer's fields."""
    viewer = viewer_of(actor)
    community = assessment.community
    require(
        can_answer(viewer, community, organization),
        _("Only the organization's admin or a co-chair answers for it."),
    )
    if not assessment.is_open:
        raise ValidationError(_("The assessment is open from %(start)s to %(end)s.") % {
            "start": assessment.opens_on, "end": assessment.closes_on})  # fmt: skip
    check_seated(community, organization)
    items = {item.pk: item for item in assessment.items.all()}
    existing = {
        a.item_id: a
        for a in NeedsAnswer.objects.filter(item__assessment=assessment, organization=organization)
    }
    saved, errors = [], {}
    for values in answers:
        values = dict(values)
        item = values.pop("item", None)
        item_id = getattr(item, "pk", item)
        if item_id not in items:
            errors.setdefault("answers", []).append(
                _("Item %(id)s is not in this assessment.") % {"id": item_id}
            )
            continue
        answer = existing.get(item_id) or NeedsAnswer(
            community=community, organization=organization, item=items[item_id]
        )
        before = audit.snapshot(answer) if answer.pk else None
        assign(answer, values, ANSWER_FIELDS)
        answer.comment = answer.comment or ""
        answer.poete = answer.poete or ""
        answer.tlp, answer.answered_by_id = tlp, viewer.person_id
        try:
            validated_save(answer)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"{items[item_id].text} ({field})"] = messages
            continue
        answer.recipient_organizations.set(recipient_organizations)
        audit.record_save(actor, answer, before, community_id=community.pk, organization_id=organization.pk)
        saved.append(answer)
    if errors:
        raise ValidationError(errors)
    if not saved:
        raise ValidationError({"answers": _("Answer at least one item.")})
    check_still_visible(actor, NeedsAnswer, saved[0].pk)
    return saved


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
    extra = {}
    if needs is not None:
        old = sorted(goal.needs.values_list("pk", flat=True))
        goal.needs.set(needs)
        new = sorted(n.pk for n in needs)
        extra = {"needs": [old, new]} if old != new else {}
    audit.record_update(actor, goal, before, community_id=goal.community_id, extra_changes=extra)
    return goal


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
def task_create(*, actor, goal: Goal, **data: Any) -> Task:
    """Hand a task toward a goal to an organization; a template fills the title and description left blank."""
    require(can_plan(viewer_of(actor), goal.community), _("Only co-chairs hand out tasks."))
    task = Task(goal=goal)
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
    task.completed_on = (task.completed_on or timezone.localdate()) if status == TaskStatus.DONE else None
    note = (note or "").strip()
    if note:
        author = str(
            getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", "") or _("system")
        )
        line = f"{timezone.localdate():%Y-%m-%d} {author}: {note}"
        task.notes = f"{task.notes}\n{line}".strip()
    validated_save(task)
    audit.record_update(actor, task, before, community_id=task.goal.community_id,
                        organization_id=task.owner_organization_id)  # fmt: skip
    return task
