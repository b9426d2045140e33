import datetime
import re

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from commonground.core.testing import page_client
from commonground.risks.models import Hazard
from commonground.sustainability import services
from commonground.sustainability.calendar import feed_token
from commonground.sustainability.models import Meeting, Observation, Task

LAST_MONTH = (timezone.now() - datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
DUE = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()


def test_a_tabletop_exercise_recorded_through_the_pages_ends_in_a_task(table):
    cochair = page_client(table.cochair)
    hazard = Hazard.objects.filter(community__isnull=True).first()
    response = cochair.post("/c/riverbend/meetings/new/", {
        "kind": "tabletop", "title": "Ice storm tabletop", "starts_at": LAST_MONTH, "location": "EOC",
        "scenario": "Freezing rain for three days", "scenario_hazards": [hazard.pk],
    })  # fmt: skip
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/meetings/{meeting.pk}/"
    org = table.private_org
    assert cochair.post(f"/meetings/{meeting.pk}/attendance/", {f"org_{org.pk}": "2"}).status_code == 302
    cochair.post(
        f"/meetings/{meeting.pk}/objectives/new/",
        {"objective-text": "Open a warming centre", "objective-capability": "Mass Care Services"},
    )
    objective = meeting.objectives.get()
    cochair.post(f"/meetings/{meeting.pk}/observations/new/",
                 {"observation-kind": "improvement", "observation-objective": objective.pk,
                  "observation-text": "No backup power at the shelter"})  # fmt: skip
    gap = Observation.objects.get()
    response = cochair.post(f"/observations/{gap.pk}/actions/new/", {
        "title": "Pre-wire the shelter for a generator", "owner_organization": org.pk, "due_on": DUE,
    })  # fmt: skip
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tasks/{task.pk}/"
    page = page_client(table.member).get(f"/meetings/{meeting.pk}/").content.decode()
    assert (
        "No backup power at the shelter" in page
        and "Pre-wire the shelter" in page
        and "Assign a corrective" not in page
    )
    listing = page_client(table.member).get("/c/riverbend/meetings/").content.decode()
    assert "Ice storm tabletop" in listing and "Attendance over time" in listing


def test_bad_input_is_a_field_error_and_changes_nothing(table):
    cochair = page_client(table.cochair)
    response = cochair.post("/c/riverbend/meetings/new/", {"kind": "meeting", "title": "Q", "starts_at": LAST_MONTH,
                                                           "scenario": "A flood"})  # fmt: skip
    assert response.status_code == 200 and "scenario" in response.context["form"].errors
    response = cochair.post(
        "/c/riverbend/meetings/new/", {"kind": "bogus", "title": "", "starts_at": "yesterday"}
    )
    assert response.status_code == 200 and set(response.context["form"].errors) >= {
        "kind",
        "title",
        "starts_at",
    }
    assert not Meeting.objects.exists()


def test_only_cochairs_reach_the_planning_pages_and_outsiders_get_404(table):
    meeting = services.meeting_create(actor=table.cochair, community=table.community, kind="meeting",
                                      title="Quarterly", starts_at=timezone.now())  # fmt: skip
    assert page_client(table.member).get("/c/riverbend/meetings/new/").status_code == 403
    assert page_client(table.member).get(f"/meetings/{meeting.pk}/attendance/").status_code == 403
    assert page_client(table.outsider).get(f"/meetings/{meeting.pk}/").status_code == 404
    assert page_client(table.member).post(f"/meetings/{meeting.pk}/delete/").status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_the_calendar_carries_meetings_and_open_task_due_dates(table, client):
    meeting = services.meeting_create(actor=table.cochair, community=table.community, kind="meeting",
                                      title="Quarterly meeting", starts_at=timezone.now(), location="City Hall")  # fmt: skip
    goal = services.goal_create(actor=table.cochair, community=table.community, statement="Power",
                                measure="Generators", target_date=datetime.date(2099, 1, 1))  # fmt: skip
    services.task_create(actor=table.cochair, goal=goal, title="Inventory generators",
                         owner_organization=table.private_org, due_on=datetime.date(2099, 1, 1))  # fmt: skip
    page = page_client(table.member).get("/c/riverbend/calendar/")
    feed_url = page.context["feed_url"]
    # a calendar program fetches the feed without a login
    response = client.get(feed_url.split("8000", 1)[-1])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == [
        "Due: Inventory generators (Great Lakes Logistics)",
        "Quarterly meeting (Partnership meeting)",
    ]
    assert any(str(e.get("LOCATION")) == "City Hall" for e in events)
    assert str(meeting.pk) in "".join(str(e["UID"]) for e in events)


def test_a_tampered_token_or_a_user_who_left_gets_404(table, client):
    token = feed_token(user=table.member, community=table.community)
    assert client.get(reverse("sustainability:calendar_feed", args=[token + "x"])).status_code == 404
    assert client.get(reverse("sustainability:calendar_feed", args=["nonsense"])).status_code == 404
    outsiders = feed_token(user=table.outsider, community=table.community)
    assert client.get(reverse("sustainability:calendar_feed", args=[outsiders])).status_code == 404


def test_regression_each_refusal_names_its_own_rule(table):
    meeting = services.meeting_create(actor=table.cochair, community=table.community, kind="meeting",
                                      title="Quarterly", starts_at=timezone.now())  # fmt: skip
    member = page_client(table.member)
    for path in ("/c/riverbend/meetings/new/", f"/meetings/{meeting.pk}/attendance/"):
        message = refusal(member.get(path))
        assert "meetings" in message and "goals" not in message, (path, message)
    assert "goals" in refusal(member.get("/c/riverbend/goals/new/"))


def refusal(response) -> str:
    """The reason a 403 page gives."""
    assert response.status_code == 403
    return re.search(r"You may not do this</h1>\s*<p>(.*?)</p>", response.content.decode(), re.S).group(1)


def test_the_attendance_page_reads_the_meeting_with_its_attendance_alone(table, django_assert_num_queries):
    """It shows who came and reads none of what the meeting's own page shows (objectives, observations and their
    corrective actions, hazards); another table's meeting is still a 404."""
    from commonground.core.viewer import viewer_for
    from commonground.sustainability import selectors

    meeting = services.meeting_create(actor=table.cochair, community=table.community, kind="meeting",
                                      title="Quarterly", starts_at=timezone.now())  # fmt: skip
    services.attendance_record(actor=table.cochair, meeting=meeting, attendance={table.private_org: 3})
    viewer = viewer_for(table.cochair)
    with django_assert_num_queries(2):  # the meeting with its community, then its attendance
        read = selectors.meeting_attendance(viewer=viewer, pk=meeting.pk)
        assert [(row.organization_id, row.people) for row in read.attendance.all()] == [
            (table.private_org.pk, 3)
        ]
        assert read.community == table.community
    page = page_client(table.cochair).get(f"/meetings/{meeting.pk}/attendance/").content.decode()
    assert f'name="org_{table.private_org.pk}" value="3"' in page
    assert page_client(table.outsider).get(f"/meetings/{meeting.pk}/attendance/").status_code == 404
