"""The people import matches only people whose contact details its actor may see, keeps a contact marking
its row leaves blank, and lets only the organization's admins lower one."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.models import AuditEntry
from commonground.core.services import viewer_of
from commonground.core.testing import page_client
from commonground.core.tests.strategies import MARKINGS, csv_cells
from commonground.core.tlp import TLP
from commonground.registry.imports import PersonImporter
from commonground.registry.models import Person
from commonground.registry.tests.factories import PersonFactory

RED_MARKER = "marker-red-5d2e"
HEADER = "organization,first_name,last_name,title,email,contact_tlp\n"
NO_SUCH_RECORD = "no such record you may update"


@pytest.fixture
def red(table):
    """A TLP:RED contact of the private organization: only the person may see the e-mail and phones."""
    return PersonFactory(
        organization=table.private_org,
        email="red.contact@example.org",
        phone=RED_MARKER,
        mobile=RED_MARKER,
        title=RED_MARKER,
        contact_tlp=TLP.RED,
    )


def people():
    return sorted(Person.objects.values_list())


def run(actor, community, text, dry_run=False):
    return PersonImporter(actor=actor, community=community).run(
        io.BytesIO(text.encode()), "people.csv", dry_run=dry_run
    )


def outcome(report):
    return (report.ok, report.created, report.updated, report.unchanged, [(e.column, e.message) for e in report.errors])  # fmt: skip


@pytest.mark.parametrize("tlp", ["", TLP.GREEN, TLP.RED])
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_row_naming_a_hidden_contact_is_no_such_record_and_changes_nothing(table, red, tlp, dry_run):
    unchanged = people()
    audit = AuditEntry.objects.count()
    report = run(
        table.cochair,
        table.community,
        HEADER + f"Great Lakes Logistics,Ana,Lee,Chief,RED.contact@example.org,{tlp}\n",
        dry_run=dry_run,
    )
    assert outcome(report) == (False, 0, 0, 0, [("email", NO_SUCH_RECORD)])
    assert RED_MARKER not in str(outcome(report))
    assert people() == unchanged
    assert AuditEntry.objects.count() == audit


def test_the_system_updates_a_red_contact_and_keeps_its_marking(table, red):
    report = run(
        None, table.community, HEADER + "Great Lakes Logistics,Ana,Lee,Chief,red.contact@example.org,\n"
    )
    assert report.ok and report.updated == 1, report.errors
    red.refresh_from_db()
    assert (red.title, red.contact_tlp) == ("Chief", TLP.RED)


def test_a_blank_contact_marking_keeps_the_persons_marking(table):
    amber = PersonFactory(organization=table.private_org, email="amber@example.org", contact_tlp=TLP.AMBER)
    report = run(
        table.cochair, table.community, HEADER + "Great Lakes Logistics,Ana,Lee,Chief,amber@example.org,\n"
    )
    assert report.ok and report.updated == 1, report.errors
    amber.refresh_from_db()
    assert (amber.title, amber.contact_tlp) == ("Chief", TLP.AMBER)


def test_a_new_person_without_a_contact_marking_gets_tlp_green(table):
    report = run(table.cochair, table.community, HEADER + "Great Lakes Logistics,Ana,Lee,,new@example.org,\n")
    assert report.ok and report.created == 1
    assert Person.objects.get(email="new@example.org").contact_tlp == TLP.GREEN


@pytest.mark.parametrize("user", ["cochair", "facilitator"])
def test_a_co_chair_or_facilitator_may_not_lower_another_organizations_contact_marking(table, user):
    PersonFactory(organization=table.private_org, email="amber@example.org", contact_tlp=TLP.AMBER)
    unchanged = people()
    report = run(
        table.user(user),
        table.community,
        HEADER + "Riverbend Fire,Good,Row,,good@example.org,\n"
        "Great Lakes Logistics,Ana,Lee,,amber@example.org,TLP:GREEN\n",
    )
    assert [(e.row, e.column) for e in report.errors] == [(3, "contact_tlp")]
    assert people() == unchanged


def test_the_organizations_admin_lowers_its_own_contact_marking(table):
    own = PersonFactory(organization=table.public_org, email="own@example.org", contact_tlp=TLP.AMBER_STRICT)
    report = run(
        table.cochair, table.community, HEADER + "Riverbend Fire,Ana,Lee,,own@example.org,TLP:GREEN\n"
    )
    assert report.ok, report.errors
    own.refresh_from_db()
    assert own.contact_tlp == TLP.GREEN


def test_the_import_command_as_a_co_chair_refuses_a_hidden_contact(table, red, tmp_path):
    unchanged = people()
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "Great Lakes Logistics,Ana,Lee,,red.contact@example.org,\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="nothing was written") as raised:
        call_command(
            "import", "people", str(path), community="riverbend", username=table.cochair.username,
            dry_run=True, stdout=out, stderr=err, verbosity=0,
        )  # fmt: skip
    output = out.getvalue() + err.getvalue() + str(raised.value)
    assert f"row 2, column email: {NO_SUCH_RECORD}" in output
    assert "updated" not in output and RED_MARKER not in output
    assert people() == unchanged


def test_the_upload_page_refuses_a_hidden_contact(table, red):
    unchanged = people()
    client = page_client(table.cochair)
    upload = SimpleUploadedFile(
        "people.csv", (HEADER + "Great Lakes Logistics,Ana,Lee,,red.contact@example.org,\n").encode()
    )
    response = client.post("/c/riverbend/import/", {"kind": "people", "file": upload})
    body = response.content.decode()
    assert response.status_code == 200 and response.context["ticket"] is None
    assert NO_SUCH_RECORD in body
    assert RED_MARKER not in body and "would be updated" not in body
    assert people() == unchanged


@settings(max_examples=40)
@given(
    marking=st.sampled_from(MARKINGS),
    rows=st.lists(
        st.tuples(
            st.sampled_from(["secret@example.org", "SECRET@example.org ", "other@example.org", ""]),
            csv_cells,
            st.sampled_from(["", *MARKINGS, "tlp:red", "nonsense"]),
            st.sampled_from(["", "member", "admin", "boss"]),
        ),
        min_size=1, max_size=4,
    ),
    dry_run=st.booleans(),
    user=st.sampled_from(["cochair", "facilitator"]),
)  # fmt: skip
def test_rows_naming_hidden_contacts_never_update_or_reveal_them(table, marking, rows, dry_run, user):
    Person.objects.exclude(user__isnull=False).delete()
    secret = PersonFactory(
        organization=table.private_org, email="secret@example.org", title=RED_MARKER, phone=RED_MARKER,
        contact_tlp=marking,
    )  # fmt: skip
    actor = table.user(user)
    hidden = not Person.objects.filter(Person.objects.tlp_q(viewer_of(actor)), pk=secret.pk).exists()
    before = people()
    text = HEADER.replace("\n", ",role\n") + "".join(
        f"Great Lakes Logistics,Ana,{last},Chief,{email},{tlp},{role}\n" for email, last, tlp, role in rows
    )
    report = run(actor, table.community, text, dry_run=dry_run)
    assert RED_MARKER not in str(outcome(report))
    if hidden:
        assert report.updated == 0 and report.unchanged == 0
        assert sorted(Person.objects.filter(pk=secret.pk).values_list()) == [
            row for row in before if row[0] == secret.pk
        ]


@pytest.mark.parametrize("marking, updated", [(TLP.GREEN, 1), (TLP.RED, 0)])
def test_an_e_mail_stored_in_capitals_matches_its_row_instead_of_failing_in_the_database(
    table, marking, updated
):
    PersonFactory(organization=table.private_org, email="Mixed.Case@Example.org", contact_tlp=marking)
    report = run(
        table.cochair,
        table.community,
        HEADER + "Great Lakes Logistics,Ana,Lee,Chief,mixed.case@example.org,\n",
    )
    assert report.updated == updated
    assert [(e.column, e.message) for e in report.errors] == ([] if updated else [("email", NO_SUCH_RECORD)])


def test_a_blank_role_keeps_an_admin_an_admin(table):
    """A blank `role` cell on an update used to take the creation default and demote an admin to member."""
    admin = table.admin.person
    report = run(
        table.cochair,
        table.community,
        "organization,first_name,last_name,email,role\n"
        f"Great Lakes Logistics,{admin.first_name},{admin.last_name},{admin.email},\n"
        "Great Lakes Logistics,New,Person,new.person@example.org,\n",
    )
    assert report.ok, report.errors
    admin.refresh_from_db()
    assert admin.role == "admin"
    assert Person.objects.get(email="new.person@example.org").role == "member"
