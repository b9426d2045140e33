"""Reads of step 6, as the viewer may see them."""

from dataclasses import dataclass

from django.db.models import QuerySet

from commonground.agenda.choices import MissionArea
from commonground.core.kept_rows import visible_by_key
from commonground.core.visibility import Viewer

from .models import NeedsAnswer, NeedsAssessment


def needs_assessment_list(*, viewer: Viewer, community=None) -> QuerySet[NeedsAssessment]:
    """Return the needs assessments of the communities the viewer sits in (facilitators: all)."""
    queryset = NeedsAssessment.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    return queryset.select_related("community")


def visible_assessment(*, viewer: Viewer, pk) -> NeedsAssessment | None:
    """The needs assessment of key `pk` if the viewer may see it (None if not), by SQL kept for the viewer
    (`core.kept_rows.visible_by_key`): every page of an assessment reads it."""
    return visible_by_key(
        "visible needs assessment", viewer, lambda: needs_assessment_list(viewer=viewer), pk
    )


def answer_list(*, viewer: Viewer, assessment=None) -> QuerySet[NeedsAnswer]:
    """Return the answers whose marking lets the viewer see them one by one."""
    queryset = NeedsAnswer.objects.visible_to(viewer)
    if assessment is not None:
        queryset = queryset.filter(item__assessment=assessment)
    return queryset.select_related("organization", "item")


def goal_list(*, viewer: Viewer, community=None):
    """Return the goals (with their tasks and the needs they answer) of the communities the viewer sits in."""
    from django.db.models import Prefetch

    from .models import Goal, Task

    queryset = Goal.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    tasks = Task.objects.select_related("owner_organization", "owner_person")
    return queryset.select_related("community").prefetch_related(Prefetch("tasks", queryset=tasks), "needs")


def task_list(*, viewer: Viewer, community=None):
    from .models import Goal, Task

    queryset = Task.objects.filter(goal__in=Goal.objects.visible_to(viewer))
    if community is not None:
        queryset = queryset.filter(goal__community=community)
    return queryset.select_related("goal__community", "owner_organization", "owner_person")


def meeting_list(*, viewer: Viewer, community=None) -> QuerySet:
    """Return the workshops, exercises and meetings of the communities the viewer sits in, with attendance totals."""
    from django.db.models import Count, Sum

    from .models import Meeting

    queryset = Meeting.objects.visible_to(viewer)
    if community is not None:
        queryset = queryset.filter(community=community)
    return (
        queryset.select_related("community")
        .annotate(
            organizations_present=Count("attendance", distinct=True), people_present=Sum("attendance__people")
        )
        .order_by("starts_at", "pk")
    )


def meeting_detail(*, viewer: Viewer, pk: int):
    """Return one meeting the viewer may see with everything its page shows; another table's is a 404."""
    from django.db.models import Prefetch
    from django.shortcuts import get_object_or_404

    from .models import Attendance, Meeting, Observation, Task

    actions = Task.objects.select_related("owner_organization", "owner_person", "goal")
    observations = Observation.objects.select_related("objective").prefetch_related(
        Prefetch("corrective_actions", queryset=actions)
    )
    return get_object_or_404(
        Meeting.objects.visible_to(viewer)
        .select_related("community")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("organization")),
            "objectives",
            Prefetch("observations", queryset=observations),
            "scenario_hazards",
        ),
        pk=pk,
    )


def meeting_attendance(*, viewer: Viewer, pk: int):
    """Return one meeting the viewer may see with its attendance alone, for the page that records who came (it
    shows none of the rest `meeting_detail` reads); another table's is a 404."""
    from django.shortcuts import get_object_or_404

    from .models import Meeting

    return get_object_or_404(
        Meeting.objects.visible_to(viewer).select_related("community").prefetch_related("attendance"), pk=pk
    )


def participants_by_sector(meeting) -> dict[str, int]:
    """Return {sector: organizations present} for a meeting whose attendance is prefetched."""
    from commonground.registry.choices import Sector

    counts = {sector.value: 0 for sector in Sector}
    for row in meeting.attendance.all():
        counts[row.organization.sector] = counts.get(row.organization.sector, 0) + 1
    return counts


def attendance_over_time(community) -> list[dict]:
    """Return, meeting by meeting (past ones, oldest first), how many organizations came from each sector."""
    from django.db.models import Count, Q
    from django.utils import timezone

    from commonground.registry.choices import Sector

    from .models import Meeting

    by_sector = {
        sector.value: Count("attendance", filter=Q(attendance__organization__sector=sector.value))
        for sector in Sector
    }
    rows = (
        Meeting.objects.filter(community=community, starts_at__lte=timezone.now())
        .order_by("starts_at", "pk")
        .values("pk", "title", "kind", "starts_at")
        .annotate(total=Count("attendance"), **by_sector)
    )
    return list(rows)


@dataclass(frozen=True)
class AreaProgress:
    """How far an organization got with one mission area of a needs assessment."""

    mission_area: str
    label: str
    items: int
    answered: int
    drafts: int

    @property
    def done(self) -> bool:
        return self.answered > 0


def area_progress(assessment, answers) -> list[AreaProgress]:
    """Return, for each mission area the assessment's items carry (in the National Preparedness Goal's order),
    its items and the given answers to them, drafts among them. An area with one answer is done: an item may be
    left blank."""
    items = list(assessment.items.all())
    area_of = {item.pk: item.mission_area for item in items}
    rows = []
    for code, label in MissionArea.choices:
        given = [a for a in answers if area_of.get(a.item_id) == code]
        count = sum(item.mission_area == code for item in items)
        if count:
            rows.append(AreaProgress(code, str(label), count, len(given), sum(a.draft for a in given)))
    return rows
