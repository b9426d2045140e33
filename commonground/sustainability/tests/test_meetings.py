import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commonground.core.models import AuditEntry
from commonground.risks.models import Hazard
from commonground.sustainability import selectors, services
from commonground.sustainability.models import Goal, Task

SOON = timezone.now() + datetime.timedelta(days=30)
PAST = timezone.now() - datetime.timedelta(days=30)
DUE = timezone.localdate() + datetime.timedelta(days=60)


def tabletop(table, **extra):
    return services.meeting_create(
        actor=table.cochair, community=table.community, kind="tabletop", title="Ice storm tabletop",
        starts_at=extra.pop("starts_at", PAST), scenario="Three days of freezing rain; the grid is down.",
        scenario_hazards=[Hazard.objects.filter(community__isnull=True).first()], **extra,
    )  # fmt: skip


def test_a_cochair_plans_a_tabletop_exercise_on_a_scenario_from_the_communitys_hazards(table):
    meeting = tabletop(table)
    assert meeting.is_exercise and meeting.scenario_hazards.count() == 1
    assert AuditEntry.objects.filter(object_id=str(meeting.pk), action="create").exists()


@pytest.mark.parametrize("user", ["member", "admin", "other_admin", "outsider"])
def test_only_cochairs_plan_meetings(table, user):
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=getattr(table, user), community=table.community, kind="meeting",
                                title="Quarterly", starts_at=SOON)  # fmt: skip


def test_only_an_exercise_has_a_scenario_and_another_communitys_hazard_is_refused(table):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=table.cochair, community=table.community, kind="meeting", title="Q",
                                starts_at=SOON, scenario="A flood")  # fmt: skip
    assert "scenario" in error.value.message_dict
    foreign = Hazard.objects.create(community=table.outside_org.memberships.first().community, name="Lake effect",
                                    kind="natural")  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=table.cochair, community=table.community, kind="tabletop", title="T",
                                starts_at=PAST, scenario_hazards=[foreign])  # fmt: skip
    assert "scenario_hazards" in error.value.message_dict


def test_it_ends_after_it_starts(table):
    with pytest.raises(ValidationError) as error:
        services.meeting_create(actor=table.cochair, community=table.community, kind="meeting", title="Q",
                                starts_at=SOON, ends_at=SOON - datetime.timedelta(hours=1))  # fmt: skip
    assert "ends_at" in error.value.message_dict


def test_attendance_is_kept_by_organization_and_split_by_sector(table):
    meeting = tabletop(table)
    services.attendance_record(actor=table.cochair, meeting=meeting,
                               attendance={table.public_org: 3, table.private_org: 1})  # fmt: skip
    detail = selectors.meeting_detail(viewer=_viewer(table.member), pk=meeting.pk)
    assert selectors.participants_by_sector(detail)["public"] == 1
    assert selectors.participants_by_sector(detail)["private"] == 1
    [row] = selectors.attendance_over_time(table.community)
    assert (row["total"], row["public"], row["private"]) == (2, 1, 1)
    # recording again replaces the list
    services.attendance_record(actor=table.cochair, meeting=meeting, attendance={table.public_org: 2})
    assert list(meeting.attendance.values_list("organization_id", "people")) == [(table.public_org.pk, 2)]


def test_attendance_of_an_organization_not_at_the_table_is_refused_and_changes_nothing(table):
    meeting = tabletop(table)
    services.attendance_record(actor=table.cochair, meeting=meeting, attendance={table.public_org: 3})
    with pytest.raises(ValidationError):
        services.attendance_record(actor=table.cochair, meeting=meeting,
                                   attendance={table.private_org: 1, table.outside_org: 2})  # fmt: skip
    assert list(meeting.attendance.values_list("organization_id", "people")) == [(table.public_org.pk, 3)]


def test_an_after_action_report_whose_corrective_action_becomes_a_task(table):
    meeting = tabletop(table)
    objective = services.objective_create(actor=table.cochair, meeting=meeting,
                                          text="Open a warming centre within 6 hours", capability="Mass Care Services")  # fmt: skip
    services.observation_create(actor=table.cochair, meeting=meeting, kind="strength", objective=objective,
                                text="Shelter staff knew their roles")  # fmt: skip
    gap = services.observation_create(actor=table.cochair, meeting=meeting, kind="improvement",
                                      objective=objective, text="No backup power at the shelter")  # fmt: skip
    assert gap.capability == "Mass Care Services"  # taken from the objective
    task = services.corrective_action_create(
        actor=table.cochair, observation=gap, title="Pre-wire the shelter for a generator",
        owner_organization=table.private_org, due_on=DUE,
    )  # fmt: skip
    assert isinstance(task, Task) and task.observation == gap
    plan = task.goal
    assert plan.exercise == meeting and plan.statement.startswith("Improvement plan")
    second = services.corrective_action_create(
        actor=table.cochair, observation=gap, title="Train two staff on the generator",
        owner_organization=table.public_org, due_on=DUE + datetime.timedelta(days=30),
    )  # fmt: skip
    assert second.goal == plan and Goal.objects.filter(exercise=meeting).count() == 1
    plan.refresh_from_db()
    assert plan.target_date == DUE + datetime.timedelta(days=30)
    # the owner reports progress on it like on any task
    services.task_progress(actor=table.admin, task=task, status="done", note="Transfer switch installed")
    task.refresh_from_db()
    assert task.status == "done"


def test_a_strength_gets_no_corrective_action_and_a_meeting_no_report(table):
    meeting = tabletop(table)
    strength = services.observation_create(actor=table.cochair, meeting=meeting, kind="strength",
                                           capability="Operational Coordination", text="EOC opened fast")  # fmt: skip
    with pytest.raises(ValidationError):
        services.corrective_action_create(actor=table.cochair, observation=strength, title="X",
                                          owner_organization=table.public_org, due_on=DUE)  # fmt: skip
    plain = services.meeting_create(actor=table.cochair, community=table.community, kind="meeting",
                                    title="Quarterly", starts_at=SOON)  # fmt: skip
    with pytest.raises(ValidationError):
        services.objective_create(actor=table.cochair, meeting=plain, text="Anything")
    with pytest.raises(ValidationError) as error:
        services.observation_create(actor=table.cochair, meeting=meeting, kind="improvement", text="Vague")
    assert "capability" in error.value.message_dict


def test_an_exercise_with_a_report_stays_an_exercise(table):
    meeting = tabletop(table)
    services.objective_create(
        actor=table.cochair, meeting=meeting, text="Warn the public", capability="Planning"
    )
    with pytest.raises(ValidationError):
        services.meeting_update(
            actor=table.cochair, meeting=meeting, data={"kind": "meeting", "scenario": ""}
        )


def test_members_see_their_tables_meetings_and_nobody_elses(table):
    meeting = tabletop(table)
    assert selectors.meeting_list(viewer=_viewer(table.member)).filter(pk=meeting.pk).exists()
    assert not selectors.meeting_list(viewer=_viewer(table.outsider)).filter(pk=meeting.pk).exists()


def _viewer(user):
    from commonground.core.viewer import viewer_for

    return viewer_for(user)


def test_capabilities_are_the_32_of_the_national_preparedness_goal(table):
    from commonground.sustainability.choices import core_capabilities

    assert len(core_capabilities()) == 32 and "Supply Chain Integrity and Security" in core_capabilities()
    meeting = tabletop(table)
    with pytest.raises(ValidationError) as error:
        services.objective_create(
            actor=table.cochair, meeting=meeting, text="Keep fuel flowing", capability="Fuel"
        )
    assert "capability" in error.value.message_dict
    gap = services.observation_create(actor=table.cochair, meeting=meeting, kind="improvement", poete="planning",
                                      capability="Supply Chain Integrity and Security", text="No fuel priority list")  # fmt: skip
    assert gap.get_poete_display() == "Planning"
