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
        with CaptureQueriesContext(connection) as whole:
            risk_profile(viewer=viewer, community=example.community)  # the profile page's: every hazard
        for query in [*queries.captured_queries, *whole.captured_queries]:
            read |= set(re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', query["sql"]))
    assert "risks_hazardassessment" in read
    unruled = sorted(
        (read & set(connection.introspection.table_names())) - set(snapshots.source_tables()) - TOKEN
    )
    assert unruled == [], " ".join(unruled)


@pytest.mark.usefixtures("touch_at_once")
def test_the_whole_profile_is_kept_for_each_reader_and_a_write_is_in_the_next_reading(example):  # noqa: F811
    snapshots.touch({example.community.pk})
    for viewer in readers(example):
        kept_risk_profile(viewer=viewer, community=example.community)
        kept = snapshots.kept_for_reader(
            example.community, viewer, "risk:all", lambda: pytest.fail("not kept")
        )
        built = risk_profile(viewer=viewer, community=example.community)
        assert figures(kept) == figures(built) and pickle.dumps(kept)
    viewer = viewer_for(example.cochair)
    cyber = hazard("cyber_incident")
    before = by_code(kept_risk_profile(viewer=viewer, community=example.community))
    services.hazard_assessment_create(
        actor=example.cochair, community=example.community, organization=example.public_org, hazard=cyber,
        vulnerability=3, preparedness=3, **scores(5, 5),
    )  # fmt: skip
    after = by_code(kept_risk_profile(viewer=viewer, community=example.community))
    counted = before["cyber_incident"].organizations if "cyber_incident" in before else 0
    assert after["cyber_incident"].organizations == counted + 1


def test_the_profile_page_export_and_api_read_the_kept_profile(example, monkeypatch):  # noqa: F811
    from commonground.core.testing import api_client, page_client
    from commonground.risks import profile

    snapshots.touch({example.community.pk})
    slug = example.community.slug
    paths = (f"/c/{slug}/risk-profile/", f"/api/v1/communities/{slug}/risk-profile/")
    for path in paths:  # kept by the first reading of each
        client = api_client(example.cochair) if path.startswith("/api/") else page_client(example.cochair)
        assert client.get(path).status_code == 200
    monkeypatch.setattr(profile, "risk_profile", lambda **kwargs: pytest.fail("built again"))
    for path in paths:
        client = api_client(example.cochair) if path.startswith("/api/") else page_client(example.cochair)
        assert client.get(path).status_code == 200
