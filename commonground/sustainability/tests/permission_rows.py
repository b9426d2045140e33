"""The permission matrix's rows for needs, goals, tasks and meetings, and their part of the world."""

import datetime

from commonground.core.testing import (
    API_LIST,
    API_READ,
    DECIDERS,
    PAGE_DECIDERS,
    PAGE_LEADERS,
    PAGE_READ,
    PAGE_RECORDERS,
    expect,
)
from commonground.sustainability import services as needs_services
from commonground.sustainability.calendar import feed_token


def build(world) -> None:
    table = world.table
    goal = needs_services.goal_create(
        actor=None, community=table.community, statement="Plans", measure="30 plans",
        target_date=datetime.date(2099, 1, 1),
    )  # fmt: skip
    meeting = needs_services.meeting_create(
        actor=None, community=table.community, kind="tabletop", title="Flood tabletop",
        starts_at=datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC), scenario="The river crests",
    )  # fmt: skip
    needs = needs_services.needs_assessment_open(
        actor=None, community=table.community, title="Needs", closes_on=datetime.date(2099, 1, 1)
    )
    first_of_each_area = {item.mission_area: item for item in reversed(needs.items.all())}.values()
    needs_services.needs_answers_save(
        actor=None, assessment=needs, organization=table.private_org, draft=True,
        answers=[{"item": item.pk, "level": 2, "importance": 4} for item in first_of_each_area],
    )  # fmt: skip
    world.add(
        needs=needs,
        goal=goal,
        task=needs_services.task_create(
            actor=None, goal=goal, title="Review plans", owner_organization=table.private_org,
            due_on=datetime.date(2099, 1, 1),
        ),
        meeting=meeting,
        observation=needs_services.observation_create(
            actor=None, meeting=meeting, kind="improvement", capability="Planning", text="No shared map",
        ),
    )  # fmt: skip


# (method, path template): (path and payload for a world, expected status by role)
API = {
    ("GET", "/api/v1/needs-assessments/"): (lambda w: ("/api/v1/needs-assessments/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/needs-assessments/"): (lambda w: ("/api/v1/needs-assessments/", {"community": "riverbend", "title": "N", "closes_on": "2099-01-01"}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/needs-assessments/{id}/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/", None), API_READ),
    ("PATCH", "/api/v1/needs-assessments/{id}/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/", {"title": "Needs 2027"}), DECIDERS),
    ("PUT", "/api/v1/needs-assessments/{id}/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/", {"community": "riverbend", "title": "Needs", "opens_on": "2026-01-01", "closes_on": "2099-01-01"}), DECIDERS),
    ("GET", "/api/v1/needs-assessments/{id}/answers/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/answers/", None), API_READ),
    ("POST", "/api/v1/needs-assessments/{id}/answers/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/answers/", {"organization": w.table.private_org.pk, "answers": [{"item": w.needs.items.first().pk, "level": 2, "importance": 4}]}), expect(403, visitor=401, outsider=404, admin_own=201, cochair=201, facilitator=201)),
    ("POST", "/api/v1/needs-assessments/{id}/submit/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/submit/", {"organization": w.table.private_org.pk}), expect(403, visitor=401, outsider=404, admin_own=200, cochair=200, facilitator=200)),
    ("GET", "/api/v1/needs-assessments/{id}/profile/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/profile/", None), API_READ),
    ("POST", "/api/v1/needs-assessments/{id}/rank/"): (lambda w: (f"/api/v1/needs-assessments/{w.needs.pk}/rank/", {"item": w.needs.items.first().pk, "rank": 1, "reason": "The table agreed"}), DECIDERS),
    ("GET", "/api/v1/goals/"): (lambda w: ("/api/v1/goals/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/goals/"): (lambda w: ("/api/v1/goals/", {"community": "riverbend", "statement": "G", "measure": "M", "target_date": "2099-01-01"}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/goals/{id}/"): (lambda w: (f"/api/v1/goals/{w.goal.pk}/", None), API_READ),
    ("PATCH", "/api/v1/goals/{id}/"): (lambda w: (f"/api/v1/goals/{w.goal.pk}/", {"measure": "40 plans"}), DECIDERS),
    ("PUT", "/api/v1/goals/{id}/"): (lambda w: (f"/api/v1/goals/{w.goal.pk}/", {"community": "riverbend", "statement": "G", "measure": "M", "target_date": "2099-01-01"}), DECIDERS),
    ("GET", "/api/v1/tasks/"): (lambda w: ("/api/v1/tasks/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/tasks/"): (lambda w: ("/api/v1/tasks/", {"goal": w.goal.pk, "title": "T", "owner_organization": w.table.private_org.pk, "due_on": "2099-01-01"}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/tasks/{id}/"): (lambda w: (f"/api/v1/tasks/{w.task.pk}/", None), API_READ),
    ("PATCH", "/api/v1/tasks/{id}/"): (lambda w: (f"/api/v1/tasks/{w.task.pk}/", {"due_on": "2099-02-01"}), DECIDERS),
    ("PUT", "/api/v1/tasks/{id}/"): (lambda w: (f"/api/v1/tasks/{w.task.pk}/", {"goal": w.goal.pk, "title": "T", "owner_organization": w.table.private_org.pk, "due_on": "2099-01-01"}), DECIDERS),
    ("POST", "/api/v1/tasks/{id}/progress/"): (lambda w: (f"/api/v1/tasks/{w.task.pk}/progress/", {"status": "in_progress", "note": "Started"}), expect(200, visitor=401, outsider=404, admin_other=403)),
    ("GET", "/api/v1/meetings/"): (lambda w: ("/api/v1/meetings/?community=riverbend", None), API_LIST),
    ("POST", "/api/v1/meetings/"): (lambda w: ("/api/v1/meetings/", {"community": "riverbend", "kind": "meeting", "title": "M", "starts_at": "2099-01-01T10:00:00Z"}), expect(403, visitor=401, outsider=400, cochair=201, facilitator=201)),
    ("GET", "/api/v1/meetings/{id}/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/", None), API_READ),
    ("PATCH", "/api/v1/meetings/{id}/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/", {"location": "EOC"}), DECIDERS),
    ("PUT", "/api/v1/meetings/{id}/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/", {"community": "riverbend", "kind": "tabletop", "title": "T", "starts_at": "2026-03-01T09:00:00Z"}), DECIDERS),
    ("DELETE", "/api/v1/meetings/{id}/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/", None), expect(403, visitor=401, outsider=404, cochair=204, facilitator=204)),
    ("POST", "/api/v1/meetings/{id}/attendance/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/attendance/", {"attendance": [{"organization": w.table.private_org.pk, "people": 2}]}), DECIDERS),
    ("POST", "/api/v1/meetings/{id}/objectives/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/objectives/", {"text": "Warn", "capability": "Planning"}), expect(403, visitor=401, outsider=404, cochair=201, facilitator=201)),
    ("POST", "/api/v1/meetings/{id}/observations/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/observations/", {"kind": "strength", "capability": "Planning", "text": "Fast"}), expect(403, visitor=401, outsider=404, cochair=201, facilitator=201)),
    ("POST", "/api/v1/meetings/{id}/corrective-actions/"): (lambda w: (f"/api/v1/meetings/{w.meeting.pk}/corrective-actions/", {"observation": w.observation.pk, "title": "Map", "owner_organization": w.table.private_org.pk, "due_on": "2099-01-01"}), expect(403, visitor=401, outsider=404, cochair=201, facilitator=201)),
}  # fmt: skip

# URL name: (path for a world, method, expected status by role)
PAGES = {
    "sustainability:assessments": (lambda w: "/c/riverbend/needs/", "GET", PAGE_READ),
    "sustainability:assessment_create": (lambda w: "/c/riverbend/needs/new/", "GET", PAGE_LEADERS),
    "sustainability:assessment_detail": (lambda w: f"/needs/{w.needs.pk}/", "GET", PAGE_READ),
    "sustainability:answer": (lambda w: f"/needs/{w.needs.pk}/answer/", "GET", PAGE_RECORDERS),
    "sustainability:answer_area": (lambda w: f"/needs/{w.needs.pk}/answer/planning/", "GET", PAGE_RECORDERS),
    "sustainability:items": (lambda w: f"/needs/{w.needs.pk}/items/", "GET", PAGE_LEADERS),
    "sustainability:item_edit": (lambda w: f"/needs-items/{w.needs.items.first().pk}/edit/", "GET", PAGE_LEADERS),
    "sustainability:item_delete": (lambda w: f"/needs-items/{w.needs.items.first().pk}/delete/", "POST", PAGE_DECIDERS),
    "sustainability:meetings": (lambda w: "/c/riverbend/meetings/", "GET", PAGE_READ),
    "sustainability:meeting_create": (lambda w: "/c/riverbend/meetings/new/?kind=tabletop", "GET", PAGE_LEADERS),
    "sustainability:meeting_detail": (lambda w: f"/meetings/{w.meeting.pk}/", "GET", PAGE_READ),
    "sustainability:meeting_edit": (lambda w: f"/meetings/{w.meeting.pk}/edit/", "GET", PAGE_LEADERS),
    "sustainability:meeting_delete": (lambda w: f"/meetings/{w.meeting.pk}/delete/", "POST", PAGE_DECIDERS),
    "sustainability:attendance": (lambda w: f"/meetings/{w.meeting.pk}/attendance/", "GET", PAGE_LEADERS),
    "sustainability:objective_create": (lambda w: f"/meetings/{w.meeting.pk}/objectives/new/", "GET", PAGE_LEADERS),
    "sustainability:observation_create": (lambda w: f"/meetings/{w.meeting.pk}/observations/new/", "GET", PAGE_LEADERS),
    "sustainability:objective_delete": (lambda w: f"/objectives/{needs_services.objective_create(actor=None, meeting=w.meeting, text='O').pk}/delete/", "POST", PAGE_DECIDERS),
    "sustainability:observation_delete": (lambda w: f"/observations/{w.observation.pk}/delete/", "POST", PAGE_DECIDERS),
    "sustainability:corrective_action_create": (lambda w: f"/observations/{w.observation.pk}/actions/new/", "GET", PAGE_LEADERS),
    "sustainability:need_rank": (lambda w: f"/needs-items/{w.needs.items.first().pk}/rank/", "GET", PAGE_LEADERS),
    "sustainability:partnership_plan": (lambda w: "/c/riverbend/plan/", "GET", PAGE_READ),
    "sustainability:calendar": (lambda w: "/c/riverbend/calendar/", "GET", PAGE_READ),
    "sustainability:calendar_feed": (lambda w: f"/calendar/{feed_token(user=w.table.member, community=w.table.community)}.ics", "GET", expect(200)),
    "sustainability:goals": (lambda w: "/c/riverbend/goals/", "GET", PAGE_READ),
    "sustainability:goal_create": (lambda w: "/c/riverbend/goals/new/", "GET", PAGE_LEADERS),
    "sustainability:goal_edit": (lambda w: f"/goals/{w.goal.pk}/edit/", "GET", PAGE_LEADERS),
    "sustainability:task_create": (lambda w: f"/goals/{w.goal.pk}/tasks/new/?template=pandemic_plan", "GET", PAGE_LEADERS),
    "sustainability:task_detail": (lambda w: f"/tasks/{w.task.pk}/", "GET", PAGE_READ),
    "sustainability:task_edit": (lambda w: f"/tasks/{w.task.pk}/edit/", "GET", PAGE_LEADERS),
}  # fmt: skip
