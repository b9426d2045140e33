"""Imports write as the services do: they match only records their actor may see and edit, keep a marking
their row does not name, let only a marking's owner lower it, and re-check what they wrote."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.models import AuditEntry
from commonground.core.testing import page_client
from commonground.core.tests.strategies import MARKINGS, csv_cells
from commonground.core.tlp import TLP
from commonground.resources.imports import ResourceImporter
from commonground.resources.models import Resource
from commonground.resources.tests.factories import ResourceFactory

STRICT_MARKER = "marker-strict-7f3a"
RED_MARKER = "marker-red-91bc"
HEADER = "organization,name,description,kind,category,tlp\n"
NO_SUCH_RECORD = "no such record you may update"


@pytest.fixture
def hidden(table):
    """Two of the private organization's resources that its co-chair, admin of another organization, may not see."""
    return [
        ResourceFactory(
            community=table.community, organization=table.private_org, name="Vault",
            description=STRICT_MARKER, tlp=TLP.AMBER_STRICT,
        ),
        ResourceFactory(
            community=table.community, organization=table.private_org, name="Bunker",
            description=RED_MARKER, tlp=TLP.RED,
        ),
    ]  # fmt: skip


def resources():
    return sorted(Resource.objects.values_list())


def run(actor, community, text, dry_run=False):
    return ResourceImporter(actor=actor, community=community).run(
        io.BytesIO(text.encode()), "resources.csv", dry_run=dry_run
    )


def outcome(report):
    return (
        report.ok,
        report.created,
        report.updated,
        report.unchanged,
        [(e.column, e.message) for e in report.errors],
    )


@pytest.mark.parametrize("name", ["Vault", "Bunker"])
@pytest.mark.parametrize("tlp", ["", TLP.CLEAR, TLP.GREEN])
@pytest.mark.parametrize("dry_run", [True, False])
def test_a_row_naming_a_hidden_resource_answers_as_for_a_new_one_and_leaves_it_alone(
    table, hidden, name, tlp, dry_run
):
    before = {r.pk: r for r in Resource.objects.all()}
    report = run(
        table.cochair, table.community,
        HEADER + f"Great Lakes Logistics,{name},overwritten,equipment,esf7,{tlp}\n", dry_run=dry_run,
    )  # fmt: skip
    for resource in hidden:
        resource.refresh_from_db()
        assert (resource.description, resource.tlp) == (
            before[resource.pk].description,
            before[resource.pk].tlp,
        )
    # The hidden record neither answers as updated nor blocks the row: the same as a name nobody used.
    Resource.objects.exclude(pk__in=before).delete()
    fresh = run(
        table.cochair, table.community,
        HEADER + f"Great Lakes Logistics,Nothing Like It,overwritten,equipment,esf7,{tlp}\n", dry_run=dry_run,
    )  # fmt: skip
    assert outcome(report) == outcome(fresh)
    assert (report.created, report.updated) == (1, 0)
    assert STRICT_MARKER not in str(outcome(report)) and RED_MARKER not in str(outcome(report))


def test_a_blank_or_absent_marking_cell_keeps_the_marking_of_a_record_it_updates(table):
    depot = ResourceFactory(
        community=table.community, organization=table.private_org, name="Depot", tlp=TLP.AMBER
    )
    report = run(
        table.cochair, table.community, HEADER + "Great Lakes Logistics,Depot,changed,equipment,esf7,\n"
    )
    assert report.ok and report.updated == 1, report.errors
    depot.refresh_from_db()
    assert (depot.description, depot.tlp) == ("changed", TLP.AMBER)
    report = run(
        table.cochair, table.community,
        "organization,name,description,kind,category\nGreat Lakes Logistics,Depot,again,equipment,esf7\n",
    )  # fmt: skip
    assert report.ok, report.errors
    depot.refresh_from_db()
    assert (depot.description, depot.tlp) == ("again", TLP.AMBER)


def test_a_blank_marking_cell_on_a_new_record_gives_it_tlp_green(table):
    report = run(table.cochair, table.community, HEADER + "Great Lakes Logistics,Depot,new,equipment,esf7,\n")
    assert report.ok and report.created == 1
    assert Resource.objects.get(name="Depot").tlp == TLP.GREEN


@pytest.mark.parametrize(
    "user, before, after",
    [
        ("cochair", TLP.GREEN, TLP.CLEAR),
        ("cochair", TLP.AMBER, TLP.GREEN),
        ("facilitator", TLP.AMBER, TLP.CLEAR),
    ],
)
def test_a_co_chair_or_facilitator_may_not_lower_another_organizations_marking(table, user, before, after):
    ResourceFactory(community=table.community, organization=table.private_org, name="Depot", tlp=before)
    unchanged = resources()
    report = run(
        table.user(user), table.community,
        HEADER + f"Riverbend Fire,Good Row,x,equipment,esf7,\nGreat Lakes Logistics,Depot,x,equipment,esf7,{after}\n",
    )  # fmt: skip
    assert [(e.row, e.column) for e in report.errors] == [(3, "tlp")]
    assert resources() == unchanged


def test_the_owning_organizations_admin_lowers_its_own_marking(table):
    own = ResourceFactory(
        community=table.community, organization=table.public_org, name="Own Vault", tlp=TLP.AMBER_STRICT
    )
    report = run(
        table.cochair, table.community, HEADER + f"Riverbend Fire,Own Vault,x,equipment,esf7,{TLP.GREEN}\n"
    )
    assert report.ok, report.errors
    own.refresh_from_db()
    assert own.tlp == TLP.GREEN


def test_the_system_lowers_any_marking(table, hidden):
    report = run(
        None, table.community, HEADER + f"Great Lakes Logistics,Vault,x,equipment,esf7,{TLP.AMBER}\n"
    )
    assert report.ok and report.updated == 1, report.errors
    assert Resource.objects.get(name="Vault").tlp == TLP.AMBER


def test_raising_a_marking_out_of_the_importers_sight_is_a_row_error_and_writes_nothing(table):
    ResourceFactory(community=table.community, organization=table.private_org, name="Depot", tlp=TLP.AMBER)
    unchanged = resources()
    audit = AuditEntry.objects.count()
    report = run(
        table.cochair, table.community,
        HEADER + "Riverbend Fire,Good Row,x,equipment,esf7,\n"
        f"Great Lakes Logistics,Depot,x,equipment,esf7,{TLP.AMBER_STRICT}\n"
        f"Great Lakes Logistics,Brand New,x,equipment,esf7,{TLP.AMBER_STRICT}\n",
    )  # fmt: skip
    assert [(e.row, e.column) for e in report.errors] == [(3, "tlp"), (4, "tlp")]
    assert resources() == unchanged
    assert AuditEntry.objects.count() == audit


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_import_command_as_a_co_chair_leaves_hidden_resources_alone(table, hidden, tmp_path, dry_run):
    path = tmp_path / "resources.csv"
    path.write_text(HEADER + "Great Lakes Logistics,Vault,overwritten,equipment,esf7,TLP:CLEAR\n")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import", "resources", str(path), community="riverbend", username=table.cochair.username,
        dry_run=dry_run, stdout=out, stderr=err, verbosity=0,
    )  # fmt: skip
    output = out.getvalue() + err.getvalue()
    assert "updated" not in output.replace("0 were updated", "").replace("0 would be updated", "")
    assert STRICT_MARKER not in output
    hidden[0].refresh_from_db()
    assert (hidden[0].description, hidden[0].tlp) == (STRICT_MARKER, TLP.AMBER_STRICT)


def test_the_import_command_refuses_a_lowering_by_a_co_chair(table, tmp_path):
    ResourceFactory(community=table.community, organization=table.private_org, name="Depot", tlp=TLP.AMBER)
    unchanged = resources()
    path = tmp_path / "resources.csv"
    path.write_text(HEADER + "Great Lakes Logistics,Depot,x,equipment,esf7,TLP:CLEAR\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "import", "resources", str(path), community="riverbend", username=table.cochair.username,
            stderr=err, verbosity=0,
        )  # fmt: skip
    assert "row 2, column tlp" in err.getvalue()
    assert resources() == unchanged


def upload(client, text):
    return client.post(
        "/c/riverbend/import/",
        {"kind": "resources", "file": SimpleUploadedFile("resources.csv", text.encode(), "text/csv")},
    )


def test_the_upload_page_leaves_hidden_resources_alone(table, hidden):
    client = page_client(table.cochair)
    response = upload(client, HEADER + "Great Lakes Logistics,Vault,overwritten,equipment,esf7,TLP:CLEAR\n")
    body = response.content.decode()
    assert response.status_code == 200
    assert "1 would be created, 0 would be updated" in body
    ticket = response.context["ticket"]
    response = client.post("/c/riverbend/import/", {"confirm": ticket}, follow=True)
    body += response.content.decode()
    assert STRICT_MARKER not in body and RED_MARKER not in body
    hidden[0].refresh_from_db()
    assert (hidden[0].description, hidden[0].tlp) == (STRICT_MARKER, TLP.AMBER_STRICT)
    assert Resource.objects.get(name="Vault", tlp=TLP.CLEAR).description == "overwritten"


def test_the_upload_page_refuses_a_lowering_by_a_co_chair(table):
    ResourceFactory(community=table.community, organization=table.private_org, name="Depot", tlp=TLP.AMBER)
    unchanged = resources()
    response = upload(
        page_client(table.cochair), HEADER + "Great Lakes Logistics,Depot,x,equipment,esf7,TLP:GREEN\n"
    )
    assert response.status_code == 200 and response.context["ticket"] is None
    assert response.context["report"].errors[0].column == "tlp"
    assert resources() == unchanged


@settings(max_examples=40)
@given(
    marking=st.sampled_from(MARKINGS),
    rows=st.lists(
        st.tuples(
            st.sampled_from(["Vault", " vault ", "VAULT", "Other"]),
            csv_cells,
            st.sampled_from(["", *[m for m in MARKINGS if m != TLP.RED], "tlp:clear", "nonsense"]),
            st.sampled_from(["equipment", "team", "spaceship", ""]),
        ),
        min_size=1, max_size=4,
    ),
    dry_run=st.booleans(),
    user=st.sampled_from(["cochair", "facilitator"]),
)  # fmt: skip
def test_rows_naming_hidden_records_never_update_or_reveal_them(table, marking, rows, dry_run, user):
    Resource.objects.all().delete()
    secret = ResourceFactory(
        community=table.community, organization=table.private_org, name="Vault", description=STRICT_MARKER,
        tlp=marking,
    )  # fmt: skip
    hidden = not Resource.objects.visible_to(_viewer(table.user(user))).filter(pk=secret.pk).exists()
    before = sorted(Resource.objects.filter(pk=secret.pk).values_list())
    text = HEADER + "".join(
        f"Great Lakes Logistics,{name},{description},{kind},esf7,{tlp}\n"
        for name, description, tlp, kind in rows
    )
    report = run(table.user(user), table.community, text, dry_run=dry_run)
    assert STRICT_MARKER not in str(outcome(report))
    if hidden:
        assert report.updated == 0 and report.unchanged == 0
        assert sorted(Resource.objects.filter(pk=secret.pk).values_list()) == before


def _viewer(user):
    from commonground.core.services import viewer_of

    return viewer_of(user)


def test_the_checks_cost_queries_per_batch_not_per_row(table):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(count):
        Resource.objects.all().delete()
        for n in range(count):
            ResourceFactory(community=table.community, organization=table.private_org, name=f"Old {n}")
        text = HEADER + "".join(
            f"Great Lakes Logistics,Old {n},changed,equipment,esf7,\nRiverbend Fire,New {n},x,equipment,esf7,\n"
            for n in range(count)
        )
        with CaptureQueriesContext(connection) as captured:
            report = run(table.cochair, table.community, text)
        assert report.ok and (report.created, report.updated) == (count, count), report.errors
        return len(captured)

    queries(1)  # the viewer and the content types are cached after the first import
    assert queries(2) == queries(40)
