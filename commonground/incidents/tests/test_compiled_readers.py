"""Review (attacker): the board's rules compiled once per viewer's facts (incidents.compiled) and the resource
lists' kept SQL never give one reader what another may see, nor outlive the incident that disclosed a resource."""

from __future__ import annotations

import pytest

from commonground.core.counting import forget_compiled
from commonground.core.testing import page_client
from commonground.core.tlp import TLP
from commonground.incidents import compiled as incident_rules
from commonground.resources.tests.factories import ResourceFactory

from .factories import make_incident, make_sitrep

AMBER = "zqAmberMarker41"
STRICT = "zqStrictMarker42"
DISCLOSED = "zqDisclosedMarker43"


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
