import datetime

from django.utils import timezone

from commonground.communities.models import Membership
from commonground.core.testing import page_client
from commonground.sustainability import services
from commonground.sustainability.measures import sustainability_measures
from commonground.sustainability.models import Task

TODAY = timezone.localdate()


def test_tasks_done_on_time_overdue_growth_balance_and_attendance(table):
    goal = services.goal_create(actor=table.cochair, community=table.community, statement="G", measure="M",
                                target_date=TODAY + datetime.timedelta(days=365))  # fmt: skip

    def task(due_in: int, status: str = "planned", done_in: int | None = None):
        made = services.task_create(actor=table.cochair, goal=goal, title=f"T{due_in}",
                                    owner_organization=table.private_org, due_on=TODAY + datetime.timedelta(days=due_in))  # fmt: skip
        if status == "done":
            Task.objects.filter(pk=made.pk).update(
                status="done", completed_on=TODAY + datetime.timedelta(days=done_in)
            )

    task(10, "done", done_in=0)  # on time
    task(-10, "done", done_in=0)  # late
    task(-5)  # overdue
    task(30)  # open, not yet due
    Membership.objects.filter(organization=table.public_org, community=table.community).update(
        created=timezone.now() - datetime.timedelta(days=400)
    )
    meeting = services.meeting_create(actor=table.cochair, community=table.community, kind="overview",
                                      title="Overview", starts_at=timezone.now() - datetime.timedelta(days=3))  # fmt: skip
    services.attendance_record(
        actor=table.cochair, meeting=meeting, attendance={table.public_org: 2, table.private_org: 1}
    )
    measures = sustainability_measures(table.community)
    assert (measures.tasks, measures.done, measures.done_on_time, measures.overdue) == (4, 2, 1, 1)
    assert measures.on_time_percent == 50
    assert (measures.public, measures.private_side, measures.public_percent) == (1, 1, 50)
    assert measures.growth[0][1] == 1 and measures.growth[-1][1] == 2  # the public organization came first
    assert [row["total"] for row in measures.attendance] == [2]


def test_the_dashboard_shows_the_measures_and_links_the_plan(table):
    body = page_client(table.member).get("/c/riverbend/").content.decode()
    assert "Is the partnership alive?" in body and "/c/riverbend/plan/" in body


def test_growth_counts_a_seat_by_the_community_s_day_whatever_zone_the_reader_is_in(table):
    """Regression: the quarters counted seats by `created__date` in the reader's zone, so two readers of one
    dashboard saw different figures (and a cached snapshot would keep the first reader's)."""
    from freezegun import freeze_time

    from commonground.communities import services as community_services

    community_services.community_update(
        actor=None, community=table.community, data={"time_zone": "America/Detroit"}
    )
    # 23:30 on the last day of March in Detroit is already April in UTC.
    Membership.objects.filter(community=table.community, organization=table.private_org).update(
        created=datetime.datetime(2026, 4, 1, 3, 30, tzinfo=datetime.UTC)
    )
    Membership.objects.filter(community=table.community, organization=table.public_org).update(
        created=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    )
    with freeze_time(datetime.datetime(2026, 5, 10, 12, 0, tzinfo=datetime.UTC)):
        seen = set()
        for zone in ("UTC", "America/Detroit", "Pacific/Kiritimati"):
            with timezone.override(zone):
                seen.add(tuple(sustainability_measures(table.community).growth))
    assert seen == {(("2025 Q3", 1), ("2025 Q4", 1), ("2026 Q1", 2), ("2026 Q2", 2))}
