import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.sustainability import services

KINDS = ["needs_answers", "prioritized_needs", "goals", "tasks", "meetings"]


@pytest.fixture
def step6(table):
    assessment = services.needs_assessment_open(actor=table.cochair, community=table.community, title="Needs",
                                          closes_on=datetime.date(2099, 1, 1))  # fmt: skip
    item = assessment.items.first()
    services.needs_answers_save(actor=table.admin, assessment=assessment, organization=table.private_org,
                          answers=[{"item": item.pk, "level": 1, "importance": 5, "comment": "=HYPERLINK(1)"}])  # fmt: skip
    goal = services.goal_create(actor=table.cochair, community=table.community, statement="Power stays on",
                                measure="Generators", target_date=datetime.date(2099, 1, 1), needs=[item])  # fmt: skip
    services.task_create(actor=table.cochair, goal=goal, title="Inventory generators",
                         owner_organization=table.private_org, due_on=datetime.date(2020, 1, 1))  # fmt: skip
    meeting = services.meeting_create(actor=table.cochair, community=table.community, kind="overview",
                                      title="Overview", starts_at=timezone.now() - datetime.timedelta(days=1))  # fmt: skip
    services.attendance_record(actor=table.cochair, meeting=meeting, attendance={table.public_org: 3})
    return table


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_step6_export_downloads_in_both_formats(step6, kind, fmt):
    response = page_client(step6.cochair).get(f"/c/riverbend/export/{kind}.{fmt}")
    assert response.status_code == 200 and response["X-TLP"]
    if fmt == "xlsx":
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        assert len(rows) >= 2


def test_answers_export_applies_tlp_and_quotes_formulas(step6):
    mine = page_client(step6.admin).get("/c/riverbend/export/needs_answers.csv")
    body = mine.content.decode("utf-8-sig")
    assert mine["X-TLP"] == TLP.AMBER and "'=HYPERLINK(1)" in body and "Great Lakes Logistics" in body
    theirs = page_client(step6.other_admin).get("/c/riverbend/export/needs_answers.csv")
    assert "Great Lakes Logistics" not in theirs.content.decode("utf-8-sig") and theirs["X-TLP"] == TLP.GREEN


def test_tasks_and_meetings_exports_carry_what_the_pages_show(step6):
    tasks = page_client(step6.member).get("/c/riverbend/export/tasks.csv").content.decode("utf-8-sig")
    assert "Inventory generators" in tasks and "True" in tasks  # overdue
    meetings = page_client(step6.member).get("/c/riverbend/export/meetings.csv").content.decode("utf-8-sig")
    assert "Overview" in meetings and ",1,3" in meetings
