"""Regression (issue 19, review): the checkpoint bundle was rebuilt on every request before its ETag was
compared, and its revocation lists kept the ids of cards long expired. It is now built once a version and kept
in the cache, a 304 costs no rebuild, and an expired card's id leaves the list (its signed expiry refuses it)."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.credentials import public, services
from commonground.credentials.models import Credential
from commonground.credentials.selectors import bundle_version

from .builders import build_program

pytestmark = pytest.mark.django_db
URL = "/c/riverbend/credentials/checkpoint.json"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def built(table):
    built = build_program(table)
    built.table = table
    return built


def _refuse_to_build(*args, **kwargs):
    raise AssertionError("the bundle was built again")


def test_a_304_builds_nothing(built, client, monkeypatch, django_assert_max_num_queries):
    first = client.get(URL)
    assert first.status_code == 200
    monkeypatch.setattr(public, "checkpoint_bundle", _refuse_to_build)
    with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as queries:
        again = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    # Aggregates only: no query reads the facilities' places or the credentials' revocation ids.
    for query in queries.captured_queries:
        sql = query["sql"]
        assert '"latitude"' not in sql and '"rid"' not in sql.replace('"next_rid"', ""), sql
    # Without its ETag, a checkpoint gets the same body from the cache.
    plain = client.get(URL)
    assert plain.status_code == 200 and plain.content == first.content


def test_a_revocation_changes_the_etag_at_once(built, client):
    first = client.get(URL)
    services.credential_revoke(actor=built.table.cochair, credential=built.credential, reason="Left")
    changed = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    (revocations,) = changed.json()["revocations"]
    assert revocations == {"kid": built.credential.key.kid, "counter": 1, "rids": [built.credential.rid]}


def test_a_credential_deleted_with_its_holder_changes_the_bundle_at_once(built, client):
    first = client.get(URL)
    built.credential.nomination.person.delete()
    changed = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["revocations"][0]["rids"] == [built.credential.rid]


def test_an_expired_cards_id_leaves_the_revocation_list(built, client):
    services.credential_revoke(actor=built.table.cochair, credential=built.credential, reason="Left")
    listed = client.get(URL)
    assert listed.json()["revocations"][0]["rids"] == [built.credential.rid]
    Credential.objects.filter(pk=built.credential.pk).update(
        valid_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    cache.clear()  # the card expired by time alone: see the next test for how the cache learns it
    (revocations,) = client.get(URL, HTTP_IF_NONE_MATCH=listed["ETag"]).json()["revocations"]
    # The counter keeps counting revocations: a checkpoint holding the longer list still refuses rightly.
    assert revocations == {"kid": built.credential.key.kid, "counter": 1, "rids": []}


def test_the_cache_keeps_a_bundle_only_until_it_changes_by_time(built):
    services.credential_revoke(actor=built.table.cochair, credential=built.credential, reason="Left")
    now = timezone.now()
    _version, changes_at = bundle_version(built.table.community, now)
    assert changes_at == min(
        built.activation.ends_at, Credential.objects.get(pk=built.credential.pk).valid_until
    )
    later = built.activation.ends_at + datetime.timedelta(seconds=1)
    _version, after_the_end = bundle_version(built.table.community, later)
    assert after_the_end == Credential.objects.get(pk=built.credential.pk).valid_until


def test_an_incident_area_moved_or_the_incident_deleted_changes_the_bundle_at_once(table, client):
    """Regression (review): an activation of an incident's area admits the facilities inside that area; the
    version ignored the incident, so moving its area answered 304 with the old facilities for up to a day."""
    from commonground.incidents.services.incidents import incident_open, incident_update
    from commonground.risks.models import Hazard

    from .builders import AREA, ELSEWHERE

    build_program(table, activate=False)
    incident = incident_open(actor=table.cochair, community=table.community, organization=table.public_org,
                             hazard=Hazard.objects.get(community=None, code="tornado"), title="Flood",
                             polygon=AREA, started_at=timezone.now())  # fmt: skip
    area = services.area_create(
        actor=table.cochair, community=table.community, name="Flood area", incident=incident
    )
    now = timezone.now()
    services.activation_create(actor=table.cochair, community=table.community, name="Re-entry", area=area,
                               kinds=["standard"], starts_at=now - datetime.timedelta(hours=1),
                               ends_at=now + datetime.timedelta(days=2))  # fmt: skip
    first = client.get(URL)
    [activation] = first.json()["activations"]
    assert activation["facilities"]
    incident_update(actor=table.cochair, incident=incident, data={"polygon": ELSEWHERE})
    moved = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert moved.status_code == 200 and moved.json()["activations"][0]["facilities"] == []
    version, _ = bundle_version(table.community)
    incident.delete()  # the area loses its incident (no area at all): the version moves, the bundle is built again
    assert bundle_version(table.community)[0] != version
