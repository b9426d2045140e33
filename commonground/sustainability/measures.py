"""The sustainability measures on the dashboard: is the partnership alive and getting things done?

Tasks done on time and overdue, membership growth quarter by quarter, the balance of the sectors at
the table, and attendance at the meetings held. All of it is shared with the whole table (goals,
tasks, meetings and the membership are TLP:GREEN to members).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from commonground.communities.models import Membership
from commonground.communities.progress import memoized
from commonground.communities.selectors import seat_counts
from commonground.core.timezones import community_today, zone_of
from commonground.registry.choices import PRIVATE_SIDE, Sector

from .choices import TaskStatus
from .models import Task
from .selectors import attendance_over_time

QUARTERS = 4
MEETINGS = 5


@dataclass
class Measures:
    tasks: int
    done: int
    done_on_time: int
    overdue: int
    growth: list[tuple[str, int]]  # (quarter, organizations at the table at its end)
    public: int
    private_side: int
    attendance: list[dict]

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.done_on_time / self.done) if self.done else None

    @property
    def public_percent(self) -> int | None:
        seated = self.public + self.private_side
        return round(100 * self.public / seated) if seated else None


def _quarter_ends(today: datetime.date) -> list[datetime.date]:
    """The last day of each of the last QUARTERS quarters, oldest first; the current one ends today."""
    start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    ends = [today]
    for _ in range(QUARTERS - 1):
        ends.append(start - datetime.timedelta(days=1))
        start = datetime.date(ends[-1].year, 3 * ((ends[-1].month - 1) // 3) + 1, 1)
    return ends[::-1]


def task_counts(community) -> dict[str, int]:
    """Return the community's tasks: total, done, done on time and overdue, in one aggregate query (once
    while a snapshot of the community's progress is built: step 6 and the measures both read them)."""

    def count() -> dict[str, int]:
        today = community_today(community)
        return Task.objects.filter(goal__community=community).aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            on_time=Count("pk", filter=Q(status=TaskStatus.DONE, completed_on__lte=F("due_on"))),
            overdue=Count("pk", filter=Q(due_on__lt=today) & ~Q(status=TaskStatus.DONE)),
        )

    return memoized(("task_counts", community.pk), count)


def _day_after(community, day: datetime.date) -> datetime.datetime:
    """The moment a day on the community's own clock ends (not the reader's: every reader sees one table)."""
    zone = zone_of(community) or datetime.UTC
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()), zone
    )


def sustainability_measures(community) -> Measures:
    """Compute the measures for one community, in a few aggregate queries."""
    today = community_today(community)
    tasks = task_counts(community)
    ends = _quarter_ends(today)
    seats = seat_counts(community)
    growth = Membership.objects.filter(community=community).aggregate(
        **{
            f"q{i}": Count("pk", filter=Q(created__lt=_day_after(community, end)))
            for i, end in enumerate(ends)
        },
    )
    return Measures(
        tasks=tasks["total"],
        done=tasks["done"],
        done_on_time=tasks["on_time"],
        overdue=tasks["overdue"],
        growth=[(f"{end.year} Q{(end.month - 1) // 3 + 1}", growth[f"q{i}"]) for i, end in enumerate(ends)],
        public=seats.get(Sector.PUBLIC, 0),
        private_side=sum(seats.get(sector, 0) for sector in PRIVATE_SIDE),
        attendance=attendance_over_time(community)[-MEETINGS:],
    )


def shared_figures(community) -> dict:
    """The panel's figures: the same for every reader, kept with the steps (`communities.snapshots`)."""
    return {"measures": sustainability_measures(community)}


def dashboard_context(viewer, community) -> dict:
    return {"community": community}


def next_meeting_start(community) -> datetime.datetime | None:
    """The moment the next meeting starts: the measures' attendance then counts it (it is past)."""
    from .models import Meeting

    upcoming = Meeting.objects.filter(community=community, starts_at__gt=timezone.now()).order_by("starts_at")
    return upcoming.values_list("starts_at", flat=True).first()
