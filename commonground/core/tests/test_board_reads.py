"""The incident board reads its records without checking its incident's visibility again in SQL (the view has
read the incident through `Incident.objects.visible_to`): what it reads must be what the lists read for that
incident, for every reader of the leak world, whose records are planted at every marking."""

from __future__ import annotations

import pytest

from commonground.core.testing import ROLES
from commonground.incidents import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_the_board_reads_what_the_lists_read_for_each_incident_the_reader_sees(leak_world, role):
    viewer = leak_world.viewer(role)
    incidents = list(selectors.incident_list(viewer=viewer))
    for incident in incidents:
        requests = selectors.board_requests(viewer=viewer, incident=incident)
        assignments = selectors.board_assignments(
            viewer=viewer, incident=incident, requests=requests, every_state=True
        )
        pairs = {
            "requests": (selectors.request_list(viewer=viewer, incident=incident), requests),
            "assignments": (
                selectors.assignment_list(viewer=viewer, incident=incident).order_by(
                    "request__priority", "request__number", "-quantity", "pk"
                ),
                assignments,
            ),
            "timeline": (
                selectors.timeline_list(viewer=viewer, incident=incident),
                selectors.board_timeline(viewer=viewer, incident=incident),
            ),
            "periods": (
                selectors.period_list(viewer=viewer).filter(incident=incident),
                selectors.board_periods(incident=incident),
            ),
            "alerts": (
                selectors.alert_list(viewer=viewer).filter(incident=incident),
                selectors.board_alerts(viewer=viewer, incident=incident),
            ),
        }
        for name, (listed, board) in pairs.items():
            assert [record.pk for record in board] == list(listed.values_list("pk", flat=True)), (
                f"{role}, incident {incident.pk}: {name}"
            )
    assert list(selectors.board_incidents(viewer=viewer).values_list("pk", flat=True)) == [
        i.pk for i in incidents
    ]
