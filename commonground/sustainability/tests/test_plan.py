import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from commonground.communities.progress import DONE, IN_PROGRESS
from commonground.core.tlp import TLP
from commonground.sustainability import services
from commonground.sustainability.models import NeedsAnswer, Task
from commonground.sustainability.steps import sustainability_step

FAR = datetime.date(2099, 1, 1)
PAST = datetime.date(2020, 1, 1)


@pytest.fixture
def goal(table):
    assessment = services.needs_assessment_open(
        actor=table.cochair, community=table.community, title="N", closes_on=FAR
    )
    item = assessment.items.first()
    services.needs_answers_save(actor=table.admin, assessment=assessment, organization=table.private_org,
                          answers=[{"item": item.pk, "level": 1, "importance": 5}])  # fmt: skip
    return services.goal_create(
        actor=table.cochair, community=table.community, statement="Every member has an exercised plan",
        measure="30 plans reviewed and one tabletop a year", target_date=FAR, needs=[item],
    )  # fmt: skip


def test_a_task_from_the_models_template_takes_its_title_and_description(table, goal):
    task = services.task_create(actor=table.cochair, goal=goal, template="pandemic_plan",
                                owner_organization=table.public_org, due_on=FAR)  # fmt: skip
    assert task.title == "Develop a community-wide pandemic plan" and "vaccination" in task.description
    assert (task.status, task.is_overdue) == ("planned", False)


def test_only_cochairs_set_goals_and_hand_out_tasks(table, goal):
    with pytest.raises(PermissionDenied):
        services.goal_create(
            actor=table.admin, community=table.community, statement="x", measure="y", target_date=FAR
        )
    with pytest.raises(PermissionDenied):
        services.task_create(
            actor=table.admin, goal=goal, title="x", owner_organization=table.private_org, due_on=FAR
        )


def test_an_owner_outside_the_table_or_a_person_of_another_organization_is_refused(table, goal):
    with pytest.raises(ValidationError) as error:
        services.task_create(
            actor=table.cochair, goal=goal, title="x", owner_organization=table.outside_org, due_on=FAR
        )
    assert "owner_organization" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.task_create(actor=table.cochair, goal=goal, title="x", owner_organization=table.private_org,
                             owner_person=table.other_admin.person, due_on=FAR)  # fmt: skip
    assert "owner_person" in error.value.message_dict
    assert not Task.objects.exists()


def test_the_owner_reports_progress_and_done_is_dated(table, goal):
    task = services.task_create(actor=table.cochair, goal=goal, title="Review plans",
                                owner_organization=table.private_org, due_on=PAST)  # fmt: skip
    assert task.is_overdue
    with pytest.raises(PermissionDenied):
        services.task_progress(actor=table.other_admin, task=task, status="done")
    services.task_progress(actor=table.member, task=task, status="in_progress", note="Half the plans are in")
    services.task_progress(actor=table.member, task=task, status="done", note="All reviewed")
    task.refresh_from_db()
    assert task.status == "done" and task.completed_on and not task.is_overdue and task.on_time is False
    assert "Half the plans are in" in task.notes and "All reviewed" in task.notes


def test_step_6_is_done_when_needs_goals_and_tasks_exist_and_tasks_get_done(table, goal):
    # One organization's AMBER answer does not count in a progress line (core.aggregates): share it.
    NeedsAnswer.objects.update(tlp=TLP.GREEN)
    task = services.task_create(actor=table.cochair, goal=goal, title="Review plans",
                                owner_organization=table.private_org, due_on=FAR)  # fmt: skip
    assert sustainability_step(table.community).status == IN_PROGRESS
    services.task_progress(actor=table.admin, task=task, status="done")
    state = sustainability_step(table.community)
    assert state.status == DONE and "1 of 1 tasks done" in state.summary


def test_set_a_goal_add_a_task_and_complete_it_through_the_pages(table, goal):
    cochair = Client()
    cochair.force_login(table.cochair)
    response = cochair.post(f"/goals/{goal.pk}/tasks/new/", {"template": "business_credentialing",
                            "owner_organization": table.private_org.pk, "due_on": "2099-01-01"})  # fmt: skip
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    member = Client()
    member.force_login(table.member)
    member.post(task.get_absolute_url(), {"status": "done", "note": "Cards issued"})
    page = member.get("/c/riverbend/goals/")
    assert page.context["counts"]["done"] == 1 and "Create a credentialing program" in page.content.decode()


def test_tasks_through_the_api(table, goal):
    api = APIClient()
    api.force_authenticate(table.cochair)
    created = api.post("/api/v1/tasks/", {"goal": goal.pk, "template": "resource_database",
                       "owner_organization": table.public_org.pk, "due_on": "2099-01-01"}, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    api.force_authenticate(table.other_admin)
    done = api.post(f"/api/v1/tasks/{created.json()['id']}/progress/", {"status": "done"}, format="json")
    assert done.json()["status"] == "done" and done.json()["completed_on"]
    bad = api.post(f"/api/v1/tasks/{created.json()['id']}/progress/", {"status": "finished"}, format="json")
    assert bad.status_code == 400


def test_an_organization_removed_from_the_platform_leaves_its_tasks_ownerless(table, goal):
    task = services.task_create(actor=table.cochair, goal=goal, title="Review plans",
                                owner_organization=table.private_org, due_on=FAR)  # fmt: skip
    table.private_org.delete()
    task.refresh_from_db()
    assert task.owner_organization is None
    with pytest.raises(ValidationError) as error:
        services.task_progress(actor=table.cochair, task=task, status="done")
    assert "owner_organization" in error.value.message_dict
