"""Regression (issue 19, review): an activation could not be ended. The officials who activate end one now
(service, page button, API action, audited); the online check stops admitting at once and the checkpoint bundle
drops it under a new ETag; a refused end changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commonground.core.models import AuditEntry
from commonground.core.testing import api_client, page_client, watching_writes
from commonground.credentials import services
from commonground.credentials.models import Activation
from commonground.credentials.verification import verify

from .builders import build_program

pytestmark = pytest.mark.django_db
BUNDLE = "/c/riverbend/credentials/checkpoint.json"


@pytest.fixture
def built(table):
    cache.clear()
    built = build_program(table)
    built.table = table
    return built


def _verify_online(built, user):
    response = api_client(user).post(
        "/api/v1/credential-verifications/",
        {"community": "riverbend", "code": built.credential.code},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()["result"]


def test_an_ended_activation_admits_no_more_online_nor_at_checkpoints(built, client):
    table = built.table
    assert _verify_online(built, table.member) == "valid"
    listed = client.get(BUNDLE)
    assert [a["id"] for a in listed.json()["activations"]] == [built.activation.pk]
    ended = services.activation_end(actor=table.other_admin, activation=built.activation)
    assert ended.ends_at <= timezone.now()
    assert _verify_online(built, table.member) == "inactive"
    assert (
        verify(table.community, built.credential.code, activation_id=built.activation.pk).result == "inactive"
    )
    fresh = client.get(BUNDLE, HTTP_IF_NONE_MATCH=listed["ETag"])
    assert fresh.status_code == 200 and fresh["ETag"] != listed["ETag"]
    assert fresh.json()["activations"] == []
    entry = AuditEntry.objects.get(
        content_type__model="activation", object_id=str(built.activation.pk), action="update"
    )
    assert entry.actor == table.other_admin and "ends_at" in entry.changes


def test_an_upcoming_activation_ended_never_opens(built):
    now = timezone.now()
    coming = services.activation_create(
        actor=built.table.cochair, community=built.table.community, name="Later", area=built.area,
        kinds=["standard"], starts_at=now + datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=2),
    )  # fmt: skip
    ended = services.activation_end(actor=built.table.cochair, activation=coming)
    assert ended.starts_at <= ended.ends_at <= timezone.now()


def test_refused_ends_change_nothing(built):
    table = built.table
    for user in (table.member, table.admin, table.outsider):
        with watching_writes() as watch, pytest.raises(PermissionDenied):
            services.activation_end(actor=user, activation=built.activation)
        assert not watch.changed, (user, watch.changed)
    services.activation_end(actor=table.cochair, activation=built.activation)
    with watching_writes() as watch, pytest.raises(ValidationError, match="already over"):
        services.activation_end(actor=table.cochair, activation=built.activation)
    assert not watch.changed


def test_the_page_button_and_the_api_action(built):
    table = built.table
    page = page_client(table.cochair).get("/c/riverbend/credentials/").content.decode()
    end_url = f"/c/riverbend/credentials/activations/{built.activation.pk}/end/"
    assert end_url in page
    assert end_url not in page_client(table.member).get("/c/riverbend/credentials/").content.decode()
    before = Activation.objects.get(pk=built.activation.pk).ends_at
    assert page_client(table.admin).post(end_url).status_code == 403
    assert (
        api_client(table.member)
        .post(f"/api/v1/credential-activations/{built.activation.pk}/end/")
        .status_code
        == 403
    )
    assert Activation.objects.get(pk=built.activation.pk).ends_at == before
    response = api_client(table.other_admin).post(
        f"/api/v1/credential-activations/{built.activation.pk}/end/"
    )
    assert response.status_code == 200, response.content
    assert (
        datetime.datetime.fromisoformat(response.json()["ends_at"].replace("Z", "+00:00")) <= timezone.now()
    )
    again = page_client(table.cochair).post(end_url, follow=True)
    assert "already over" in again.content.decode()
