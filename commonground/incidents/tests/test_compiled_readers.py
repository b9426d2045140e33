"""Review (attacker): the board's rules compiled once per viewer's facts (incidents.compiled) and the resource
lists' kept SQL never give one reader what another may see, nor outlive the incident that disclosed a resource."""

from __future__ import annotations

import pytest

from commonground.core.counting import forget_compiled
from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.incidents import compiled as incident_rules
from commonground.incidents.choices import AssignmentState, IncidentStatus, RequestState
from commonground.resources.tests.factories import ResourceFactory

from .factories import make_assignment, make_incident, make_request, make_sitrep

AMBER = "zqAmberMarker41"
STRICT = "zqStrictMarker42"
DISCLOSED = "zqDisclosedMarker43"
DRAFT = "zqDraftMarker44"
RELEASED = "zqReleasedMarker45"


@pytest.fixture(autouse=True)
def _fresh():
    forget_compiled()
    incident_rules.forget()
    yield
    forget_compiled()
    incident_rules.forget()


def test_a_disclosure_ends_with_its_incident_though_the_reader_s_sql_was_kept(table):
    """The incident's lead (its opening organization's admin) sees a disclosed AMBER+STRICT resource while the
    incident is open; once it closes, the same reader (same Viewer, same kept SQL) no longer does."""
    ResourceFactory(
        name=f"Pump {DISCLOSED}", tlp=TLP.AMBER_STRICT, disclosed_in_incidents=True,
        community=table.community, organization=table.private_org,
    )  # fmt: skip
    incident = make_incident(table.community, table.public_org)
    lead = page_client(table.other_admin)
    for path in ("/c/riverbend/resources/", "/c/riverbend/resources/?q=pump"):
        assert DISCLOSED in lead.get(path).content.decode()
    incident.status = "closed"
    incident.save()
    for path in ("/c/riverbend/resources/", "/c/riverbend/resources/?q=pump"):
        assert DISCLOSED not in lead.get(path).content.decode()


def test_the_board_s_compiled_rules_keep_one_reader_s_lines_from_another(table):
    incident = make_incident(table.community, table.public_org)
    make_sitrep(incident, table.private_org, f"Sitrep {AMBER}", tlp=TLP.AMBER)
    make_sitrep(incident, table.private_org, f"Sitrep {STRICT}", tlp=TLP.AMBER_STRICT)
    paths = ["/c/riverbend/"] + [f"/incidents/{incident.pk}/{tail}" for tail in ("", "live/", "log/")]
    for _round in range(2):
        for path in paths:
            page_client(table.admin).get(path)  # the owner's rules compiled first
            for reader in (table.other_admin, table.outsider):
                response = page_client(reader).get(path)
                body = response.content.decode()
                assert reader is table.outsider or response.status_code == 200, (path, response.status_code)
                assert AMBER not in body and STRICT not in body, (reader, path, response.status_code)


def test_the_board_s_kept_reads_and_rows_keep_drafts_and_moves_to_their_readers(table):
    """The lead's reads and rows are kept first; a member of another organization, whose board shows the same
    submitted request, gets neither the lead's draft nor the lead's buttons."""
    incident = make_incident(table.community, table.public_org)
    make_request(incident, table.public_org, state=RequestState.DRAFT, description=f"Pumps {DRAFT}")
    submitted = make_request(incident, table.private_org)
    approve = f"/requests/{submitted.pk}/approve/"
    for _round in range(2):
        for path in (f"/incidents/{incident.pk}/", f"/incidents/{incident.pk}/live/"):
            lead = page_client(table.cochair).get(path).content.decode()
            assert DRAFT in lead and approve in lead, path
            member = page_client(table.member).get(path).content.decode()
            assert DRAFT not in member and approve not in member and submitted.description in member, path


def test_a_closed_incident_s_board_shows_what_it_used_though_its_open_board_was_kept(table):
    incident = make_incident(table.community, table.public_org)
    resource = ResourceFactory(
        name=f"Pump {RELEASED}", community=table.community, organization=table.private_org
    )
    request = make_request(incident, table.private_org, state=RequestState.APPROVED)
    make_assignment(request, resource, state=AssignmentState.RELEASED)
    client = page_client(table.cochair)
    assert RELEASED not in client.get(incident.get_absolute_url()).content.decode()
    incident.status = IncidentStatus.CLOSED
    incident.save()
    assert RELEASED in client.get(incident.get_absolute_url()).content.decode()
