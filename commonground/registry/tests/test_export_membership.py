"""`commonground export KIND --as USER` goes through the export engine's membership rule, as the page does.

Regression: a user of another community exported riverbend's risk profile from the command line while the
page answered 404. Every export kind is tried; a hidden record of every marked kind carries a marker.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from commonground.core import exchange as exports
from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.registry.tests.factories import PersonFactory
from commonground.resources.tests.factories import ResourceFactory
from commonground.risks.models import CriticalFunction
from commonground.risks.tests.factories import AssessmentFactory
from commonground.sustainability import services as needs_services

MARKER = "ZQXMARKER-export-4410"


@pytest.fixture
def hidden(table):
    """Records of the public organization that a plain member of the private one may not see."""
    community, owner = table.community, table.public_org
    PersonFactory(organization=owner, email=f"{MARKER.lower()}@example.org", contact_tlp=TLP.RED)
    AssessmentFactory(community=community, organization=owner, notes=MARKER, tlp=TLP.AMBER_STRICT)
    CriticalFunction.objects.create(community=community, organization=owner, name=MARKER, tlp=TLP.AMBER)
    ResourceFactory(community=community, organization=owner, name=MARKER, tlp=TLP.AMBER_STRICT)
    assessment = needs_services.needs_assessment_open(
        actor=table.cochair, community=community, title="Needs", closes_on=datetime.date(2099, 1, 1)
    )
    needs_services.needs_answers_save(
        actor=None, assessment=assessment, organization=owner, tlp=TLP.AMBER,
        answers=[{"item": assessment.items.first().pk, "level": 1, "importance": 5, "comment": MARKER}],
    )  # fmt: skip
    return table


def export(kind, username, path, fmt="csv"):
    call_command(
        "export", kind, community="riverbend", format=fmt, output=str(path), username=username,
        stderr=io.StringIO(), stdout=io.StringIO(),
    )  # fmt: skip


@pytest.mark.parametrize("kind", sorted(exports.EXPORTS))
def test_a_user_of_another_community_exports_nothing_from_the_command_line(hidden, kind, tmp_path):
    path = tmp_path / "out.csv"
    with pytest.raises(CommandError) as refused:
        export(kind, hidden.outsider.username, path)
    assert refused.value.returncode == 1 and "may open" in str(refused.value)
    assert not path.exists()
    assert page_client(hidden.outsider).get(f"/c/riverbend/export/{kind}.csv").status_code == 404


@pytest.mark.parametrize("kind", sorted(exports.EXPORTS))
def test_a_member_exports_only_what_they_may_see(hidden, kind, tmp_path):
    path = tmp_path / "out.csv"
    export(kind, hidden.member.username, path)
    text = path.read_bytes().decode("utf-8-sig")
    assert MARKER.lower() not in text.lower()
    page = page_client(hidden.member).get(f"/c/riverbend/export/{kind}.csv")
    assert page.status_code == 200 and page.content.decode("utf-8-sig") == text


def test_the_owner_sees_the_planted_marker_so_the_members_test_means_something(hidden, tmp_path):
    for kind in ("assessments", "critical_functions", "resources", "needs_answers"):
        path = tmp_path / f"{kind}.csv"
        export(kind, hidden.other_admin.username, path)
        assert MARKER in path.read_text(encoding="utf-8-sig"), kind


def test_the_cli_refusal_exits_1_through_the_console_entry_point(hidden, tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = tmp_path / "out.csv"
    argv = ["commonground", "export", "risk_profile", "--community", "riverbend", "--as", hidden.outsider.username,
            "--output", str(path)]  # fmt: skip
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(argv).execute()
    assert exited.value.code == 1 and not path.exists()
    assert "may open" in capsys.readouterr().err
