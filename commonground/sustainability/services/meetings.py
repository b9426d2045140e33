"""Hold workshops and exercises, keep their attendance, and write an exercise's after-action report.

The corrective actions of an after-action report are tasks: they go under the exercise's improvement
plan (a goal made for it on the first one) unless the co-chairs put them under another goal.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from commonground.communities.models import Membership
from commonground.core import audit
from commonground.core.services import assign, require, set_related, validated_save, viewer_of
from commonground.registry.models import Organization

from ..choices import ObservationKind
from ..models import Attendance, ExerciseObjective, Goal, Meeting, Observation, Task
from ..permissions import can_plan, can_run_meetings
from .plans import task_create

MEETING_FIELDS = (
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "location",
    "agenda",
    "scenario",
    "after_action_summary",
)
OBJECTIVE_FIELDS = ("text", "capability", "position")
OBSERVATION_FIELDS = ("kind", "text", "objective", "capability", "analysis", "poete")


def _require_runner(actor, community, message: str) -> None:
    require(can_run_meetings(viewer_of(actor), community), message)


def _check_hazards(community, hazards: Iterable) -> list:
    from commonground.risks.models import Hazard

    hazards = list(hazards)
    usable = set(
        Hazard.objects.for_community(community)
        .filter(pk__in=[h.pk for h in hazards])
        .values_list("pk", flat=True)
    )
    strays = [h for h in hazards if h.pk not in usable]
    if strays:
        raise ValidationError(
            {"scenario_hazards": _("%(hazard)s is not a hazard of this community.") % {"hazard": strays[0]}}
        )
    return hazards


def _check_exercise(meeting: Meeting, hazards: list) -> None:
    if hazards and not meeting.is_exercise:
        raise ValidationError({"scenario_hazards": _("Only a tabletop exercise has a scenario.")})


@transaction.atomic
def meeting_create(*, actor, community, scenario_hazards: Iterable = (), **data: Any) -> Meeting:
    """Put a workshop, an exercise or a meeting on the partnership's calendar; co-chairs."""
    _require_runner(actor, community, _("Only co-chairs plan workshops and meetings."))
    meeting = Meeting(community=community, created_by=actor if getattr(actor, "pk", None) else None)
    assign(meeting, data, MEETING_FIELDS)
    meeting.title = " ".join((meeting.title or "").split())
    hazards = _check_hazards(community, scenario_hazards)
    _check_exercise(meeting, hazards)
    validated_save(meeting)
    meeting.scenario_hazards.set(hazards)
    audit.record_create(actor, meeting, community_id=community.pk)
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, data: Mapping[str, Any]) -> Meeting:
    _require_runner(actor, meeting.community, _("Only co-chairs change workshops and meetings."))
    before = audit.snapshot(meeting)
    data = dict(data)
    hazards = data.pop("scenario_hazards", None)
    assign(meeting, data, MEETING_FIELDS)
    hazards = _check_hazards(meeting.community, hazards) if hazards is not None else None
    _check_exercise(meeting, hazards if hazards is not None else list(meeting.scenario_hazards.all()))
    if not meeting.is_exercise and (meeting.objectives.exists() or meeting.observations.exists()):
        raise ValidationError({"kind": _("It has objectives or observations: it stays a tabletop exercise.")})
    validated_save(meeting)
    extra = set_related(meeting, {"scenario_hazards": hazards}) if hazards is not None else {}
    audit.record_update(actor, meeting, before, community_id=meeting.community_id, extra_changes=extra)
    return meeting


@transaction.atomic
def meeting_delete(*, actor, meeting: Meeting) -> None:
    """Take a meeting off the calendar; the tasks of its corrective actions stay, no longer tied to it."""
    _require_runner(actor, meeting.community, _("Only co-chairs remove workshops and meetings."))
    audit.record_delete(actor, meeting, community_id=meeting.community_id)
    meeting.delete()


@transaction.atomic
def attendance_record(*, actor, meeting: Meeting, attendance: Mapping[Organization, int]) -> list[Attendance]:
    """Record who came: {organization: people}, replacing the meeting's earlier list; co-chairs."""
    _require_runner(actor, meeting.community, _("Only co-chairs record attendance."))
    ids = [organization.pk for organization in attendance]
    seated: set[int] = set()
    for start in range(0, len(ids), 500):  # within every database's limit on bound parameters
        seated.update(
            Membership.objects.filter(
                community=meeting.community, organization_id__in=ids[start : start + 500]
            ).values_list("organization_id", flat=True)
        )
    for organization, people in attendance.items():
        if organization.pk not in seated:
            raise ValidationError(
                {"attendance": _("%(org)s is not at the community's table.") % {"org": organization}}
            )
        if not isinstance(people, int) or not 1 <= people <= 999:
            raise ValidationError(
                {
                    "attendance": _("%(org)s: give the number of people who came (1 to 999).")
                    % {"org": organization}
                }
            )
    before = sorted(meeting.attendance.values_list("organization_id", "people"))
    meeting.attendance.all().delete()
    rows = Attendance.objects.bulk_create(
        Attendance(meeting=meeting, organization=organization, people=people)
        for organization, people in sorted(attendance.items(), key=lambda pair: pair[0].pk)
    )
    after = sorted((row.organization_id, row.people) for row in rows)
    if before != after:
        audit.record_update(actor, meeting, audit.snapshot(meeting), community_id=meeting.community_id,
                            extra_changes={"attendance": [before, after]})  # fmt: skip
    return rows


def _require_exercise(meeting: Meeting) -> None:
    if not meeting.is_exercise:
        raise ValidationError(_("Objectives and after-action reports belong to tabletop exercises."))


@transaction.atomic
def objective_create(*, actor, meeting: Meeting, **data: Any) -> ExerciseObjective:
    """Give a tabletop exercise an objective, tied to a core capability; co-chairs."""
    _require_runner(actor, meeting.community, _("Only co-chairs set an exercise's objectives."))
    _require_exercise(meeting)
    objective = ExerciseObjective(meeting=meeting)
    assign(objective, data, OBJECTIVE_FIELDS)
    if "position" not in data:
        objective.position = (meeting.objectives.count() + 1) * 10
    validated_save(objective)
    audit.record_create(actor, objective, community_id=meeting.community_id)
    return objective


@transaction.atomic
def objective_delete(*, actor, objective: ExerciseObjective) -> None:
    meeting = objective.meeting
    _require_runner(actor, meeting.community, _("Only co-chairs change an exercise's objectives."))
    audit.record_delete(actor, objective, community_id=meeting.community_id)
    objective.delete()


@transaction.atomic
def observation_create(*, actor, meeting: Meeting, **data: Any) -> Observation:
    """Record a strength or an area for improvement the exercise showed; co-chairs."""
    _require_runner(actor, meeting.community, _("Only co-chairs write the after-action report."))
    _require_exercise(meeting)
    observation = Observation(meeting=meeting)
    assign(observation, data, OBSERVATION_FIELDS)
    if observation.objective_id and observation.objective.meeting_id != meeting.pk:
        raise ValidationError({"objective": _("Choose an objective of this exercise.")})
    if observation.objective_id and not observation.capability:
        observation.capability = observation.objective.capability
    validated_save(observation)
    audit.record_create(actor, observation, community_id=meeting.community_id)
    return observation


@transaction.atomic
def observation_delete(*, actor, observation: Observation) -> None:
    meeting = observation.meeting
    _require_runner(actor, meeting.community, _("Only co-chairs change the after-action report."))
    audit.record_delete(actor, observation, community_id=meeting.community_id)
    observation.delete()


def _improvement_plan(*, actor, meeting: Meeting, target_date: datetime.date) -> Goal:
    """Return the exercise's improvement plan, the goal its corrective actions go under, made on first use."""
    plan = Goal.objects.filter(exercise=meeting).first()
    if plan is not None:
        if plan.target_date < target_date:
            before = audit.snapshot(plan)
            plan.target_date = target_date
            validated_save(plan)
            audit.record_update(actor, plan, before, community_id=meeting.community_id)
        return plan
    plan = Goal(
        community=meeting.community,
        exercise=meeting,
        statement=_("Improvement plan: %(exercise)s") % {"exercise": meeting.title},
        measure=_("Every corrective action of the after-action report is done by its due date."),
        target_date=target_date,
    )
    validated_save(plan)
    audit.record_create(actor, plan, community_id=meeting.community_id)
    return plan


@transaction.atomic
def corrective_action_create(
    *, actor, observation: Observation, goal: Goal | None = None, **data: Any
) -> Task:
    """Answer an area for improvement with a corrective action: a task with an owner and a due date."""
    meeting = observation.meeting
    require(can_plan(viewer_of(actor), meeting.community), _("Only co-chairs assign corrective actions."))
    if observation.kind != ObservationKind.IMPROVEMENT:
        raise ValidationError(_("Corrective actions answer areas for improvement, not strengths."))
    if goal is not None and goal.community_id != meeting.community_id:
        raise ValidationError({"goal": _("Choose a goal of this community.")})
    due_on = data.get("due_on")
    if not isinstance(due_on, datetime.date):
        raise ValidationError({"due_on": _("Give the date the corrective action is due.")})
    goal = goal or _improvement_plan(actor=actor, meeting=meeting, target_date=due_on)
    return task_create(actor=actor, goal=goal, observation=observation, **data)
