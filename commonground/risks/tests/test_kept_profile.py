"""The profile of an issue's or a hazard's page, kept for each reader between the writes at its community."""

import pickle
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonground.communities import snapshots
from commonground.core.viewer import viewer_for
from commonground.risks import services
from commonground.risks.profile import kept_risk_profile, risk_profile

from .test_profile import by_code, example, hazard, scores  # noqa: F401 - the fixture

# Read, and no source: the token itself.
TOKEN = {"communities_progressstamp"}


def readers(table):
    return [viewer_for(user) for user in (table.member, table.cochair, table.other_admin, table.facilitator)]


def figures(profile):
    return profile.marking, [
        (r.hazard.code, r.organizations, r.likelihood, r.impact) for r in profile.hazards
    ]


@pytest.mark.usefixtures("touch_at_once")
def test_a_kept_profile_is_what_building_it_gives_each_reader(example):  # noqa: F811
    snapshots.touch({example.community.pk})
    hazards = [hazard("tornado"), hazard("riverine_flooding")]
    for viewer in readers(example):
        kept_risk_profile(viewer=viewer, community=example.community, hazards=hazards)
        kept = snapshots.kept_for_reader(
            example.community, viewer, "risk:" + ",".join(str(h.pk) for h in sorted(hazards, key=lambda h: h.pk)),
            lambda: pytest.fail("not kept"),
        )  # fmt: skip
        built = risk_profile(viewer=viewer, community=example.community, hazards=hazards)
        assert figures(kept) == figures(built) and pickle.dumps(kept)


@pytest.mark.usefixtures("touch_at_once")
def test_a_write_is_in_the_next_reading_of_a_kept_profile(example):  # noqa: F811
    snapshots.touch({example.community.pk})
    cyber = hazard("cyber_incident")
    viewer = viewer_for(example.cochair)
    before = kept_risk_profile(viewer=viewer, community=example.community, hazards=[cyber])
    services.hazard_assessment_create(
        actor=example.cochair, community=example.community, organization=example.public_org, hazard=cyber,
        vulnerability=3, preparedness=3, **scores(5, 5),
    )  # fmt: skip
    after = kept_risk_profile(viewer=viewer, community=example.community, hazards=[cyber])
    assert (
        by_code(after)["cyber_incident"].organizations == by_code(before)["cyber_incident"].organizations + 1
    )


def test_every_table_a_kept_profile_reads_has_a_rule(example):  # noqa: F811
    read = set()
    for viewer in readers(example):
        with CaptureQueriesContext(connection) as queries:
            risk_profile(viewer=viewer, community=example.community, hazards=[hazard("tornado")])
        for query in queries.captured_queries:
            read |= set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', query["sql"]))
    assert "risks_hazardassessment" in read
    unruled = sorted(
        (read & set(connection.introspection.table_names())) - set(snapshots.source_tables()) - TOKEN
    )
    assert unruled == [], " ".join(unruled)
