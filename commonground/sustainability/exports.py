"""Export step 6 as the reader may see it: needs answers one by one, the prioritized needs, goals, tasks, meetings."""

from __future__ import annotations

from commonground.core.exchange import Export
from commonground.core.timezones import community_today, local_time
from commonground.core.tlp import TLP
from commonground.core.visibility import Viewer

from . import selectors
from .priorities import needs_profile

ANSWER_COLUMNS = [
    "assessment", "organization", "sector", "mission_area", "capability", "item", "level", "importance", "poete",
    "comment", "tlp",
]  # fmt: skip
NEED_COLUMNS = [
    "rank", "mission_area", "capability", "item", "organizations", "with_need", "importance", "level", "score",
]  # fmt: skip
GOAL_COLUMNS = ["goal", "measure", "target_date", "needs", "improvement_plan_of"]
TASK_COLUMNS = [
    "goal", "task", "template", "owner_organization", "owner", "due_on", "status", "completed_on", "overdue",
    "corrective_action_for", "notes",
]  # fmt: skip
MEETING_COLUMNS = [
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "location",
    "organizations_present",
    "people_present",
]


def answers_export(*, viewer: Viewer, community) -> Export:
    """The needs answers the reader may see one by one, marked with the narrowest marking among them."""
    queryset = (
        selectors.answer_list(viewer=viewer)
        .filter(item__assessment__community=community)
        .order_by("item__assessment__opens_on", "organization__name", "item__position", "pk")
    )
    fields = [
        "item__assessment__title", "organization__name", "organization__sector", "item__mission_area",
        "item__capability", "item__text", "level", "importance", "poete", "comment", "tlp",
    ]  # fmt: skip
    rows = (list(values) for values in queryset.values_list(*fields).iterator(chunk_size=2000))
    return Export(ANSWER_COLUMNS, rows, queryset.narrowest_marking(), "needs-answers")


def needs_export(*, viewer: Viewer, community) -> Export:
    """The latest assessment's prioritized needs, as the reader may see them (`core.aggregates`)."""
    assessment = (
        selectors.needs_assessment_list(viewer=viewer, community=community)
        .order_by("-opens_on", "-pk")
        .first()
    )
    if assessment is None:
        return Export(NEED_COLUMNS, iter(()), TLP.GREEN, "prioritized-needs")
    profile = needs_profile(viewer=viewer, assessment=assessment)

    def rows():
        for rank, need in enumerate(profile.ranked, start=1):
            item = need.item
            yield [rank, item.mission_area, item.capability, item.text, need.organizations, need.with_need,
                   need.importance, need.level, need.score]  # fmt: skip

    return Export(NEED_COLUMNS, rows(), profile.marking, "prioritized-needs")


def goals_export(*, viewer: Viewer, community) -> Export:
    goals = selectors.goal_list(viewer=viewer, community=community).select_related("exercise")
    rows = (
        [
            g.statement,
            g.measure,
            g.target_date,
            "; ".join(n.text for n in g.needs.all()),
            g.exercise.title if g.exercise else "",
        ]
        for g in goals
    )
    return Export(GOAL_COLUMNS, rows, TLP.GREEN, "goals")


def tasks_export(*, viewer: Viewer, community) -> Export:
    today = community_today(community)
    tasks = (
        selectors.task_list(viewer=viewer, community=community)
        .select_related("observation")
        .order_by("goal__target_date", "goal_id", "due_on", "pk")
    )
    rows = (
        [
            t.goal.statement,
            t.title,
            t.template,
            t.owner_organization.name if t.owner_organization else "",
            str(t.owner_person) if t.owner_person else "",
            t.due_on,
            t.status,
            t.completed_on,
            t.status != "done" and t.due_on < today,
            t.observation.text if t.observation else "",
            t.notes,
        ]  # fmt: skip
        for t in tasks.iterator(chunk_size=2000)
    )
    return Export(TASK_COLUMNS, rows, TLP.GREEN, "tasks")


def meetings_export(*, viewer: Viewer, community) -> Export:
    """The meetings, their times on the community's clock, the zone named in the headers (a sheet keeps none)."""
    meetings = selectors.meeting_list(viewer=viewer, community=community)
    zone = f" ({community.time_zone})"
    header = [f"{name}{zone}" if name.endswith("_at") else name for name in MEETING_COLUMNS]
    rows = (
        [
            m.kind,
            m.title,
            local_time(m.starts_at, community),
            local_time(m.ends_at, community),
            m.location,
            m.organizations_present,
            m.people_present or 0,
        ]  # fmt: skip
        for m in meetings
    )
    return Export(header, rows, TLP.GREEN, "meetings")
