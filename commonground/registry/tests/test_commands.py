import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from commonground.agenda.models import Endorsement
from commonground.registry.models import Organization
from commonground.risks.models import HazardAssessment


def test_import_command_writes_and_counts(table, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,sector,category\nSummit Telecom,private,utility\n")
    out = io.StringIO()
    call_command("import", "organizations", str(path), community="riverbend", stdout=out, verbosity=0)
    assert "1 row(s): 1 were created" in out.getvalue()
    assert Organization.objects.filter(name="Summit Telecom").exists()


def test_import_command_fails_on_a_bad_file_and_writes_nothing(table, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,sector,category\nGood,private,utility\nBad,private,nope\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import", "organizations", str(path), community="riverbend", stderr=err, verbosity=0)
    assert "row 3, column category" in err.getvalue()
    assert not Organization.objects.filter(name="Good").exists()


def test_import_command_dry_run(table, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,sector,category\nSummit Telecom,private,utility\n")
    out = io.StringIO()
    call_command(
        "import", "organizations", str(path), community="riverbend", dry_run=True, stdout=out, verbosity=0
    )
    assert (
        "would be created" in out.getvalue()
        and not Organization.objects.filter(name="Summit Telecom").exists()
    )


def test_import_command_refuses_unknown_community_and_missing_file(table, tmp_path):
    existing = tmp_path / "x.csv"
    existing.write_text("name\n")
    with pytest.raises(CommandError, match="no community"):
        call_command("import", "organizations", str(existing), community="nowhere", verbosity=0)
    with pytest.raises(CommandError, match="No such file"):
        call_command(
            "import", "organizations", str(tmp_path / "missing.csv"), community="riverbend", verbosity=0
        )


def test_import_command_acts_as_a_user_with_their_rights(table, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("name,sector,category\nSummit Telecom,private,utility\n")
    with pytest.raises(CommandError, match="co-chairs"):
        call_command(
            "import",
            "organizations",
            str(path),
            community="riverbend",
            username=table.member.username,
            verbosity=0,
        )


def test_export_command_writes_xlsx_with_the_marking(table, tmp_path):
    path = tmp_path / "orgs.xlsx"
    err = io.StringIO()
    call_command(
        "export", "organizations", community="riverbend", format="xlsx", output=str(path), stderr=err
    )
    assert "2 organizations exported (TLP:GREEN)" in err.getvalue()
    sheet = load_workbook(path).active
    assert sheet["A1"].value == "name" and sheet.max_row == 3


def test_export_command_as_a_user_withholds_contact_details(table, tmp_path):
    from commonground.core.tlp import TLP
    from commonground.registry.tests.factories import PersonFactory

    PersonFactory(organization=table.private_org, email="strict@example.org", contact_tlp=TLP.AMBER_STRICT)
    path = tmp_path / "people.csv"
    call_command(
        "export",
        "people",
        community="riverbend",
        output=str(path),
        username=table.other_admin.username,
        stderr=io.StringIO(),
    )
    assert "strict@example.org" not in path.read_text()


def test_seed_is_deterministic(db):
    call_command("seed", organizations=30, people=1, seed=5, prefix="a", verbosity=0, stdout=io.StringIO())
    call_command("seed", organizations=30, people=1, seed=5, prefix="b", verbosity=0, stdout=io.StringIO())

    def names(slug):
        return list(
            Organization.objects.filter(memberships__community__slug=slug)
            .order_by("name")
            .values_list("name", "employees", "category")
        )

    assert len(names("a-1")) == 30 and names("a-1") == names("b-1")

    def assessments(slug):
        return list(
            HazardAssessment.objects.filter(community__slug=slug)
            .order_by("organization__name", "hazard__code")
            .values_list("organization__name", "hazard__code", "likelihood", "impact_operations", "tlp")
        )

    assert assessments("a-1") and assessments("a-1") == assessments("b-1")

    def endorsements(slug):
        return list(
            Endorsement.objects.filter(issue__community__slug=slug)
            .order_by("issue__title", "organization__name")
            .values_list("issue__title", "organization__name", "severity")
        )

    assert endorsements("a-1") and endorsements("a-1") == endorsements("b-1")
