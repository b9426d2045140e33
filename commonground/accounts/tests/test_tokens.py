"""API tokens: named, expiring, stored as digests, listed and revoked on the profile; the token endpoint
issues one; an expired or revoked token answers 401."""

import datetime
import hashlib
import re
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from commonground.accounts.models import ApiToken
from commonground.accounts.services import token_create, tokens_revoke
from commonground.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def api(key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/communities/")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_endpoint_issues_a_named_token_that_expires_and_keeps_only_its_digest(settings):
    user = UserFactory()
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD, "name": "nightly sync"}
    )
    assert response.status_code == 200
    key = response.json()["token"]
    token = ApiToken.objects.get(user=user)
    assert token.name == "nightly sync" and token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    expected = timezone.now() + datetime.timedelta(days=settings.API_TOKEN_DEFAULT_DAYS)
    assert abs(token.expires_at - expected) < datetime.timedelta(minutes=1)
    assert not ApiToken.objects.filter(key_hash=key).exists() and key not in repr(
        list(ApiToken.objects.values())
    )
    assert api(key).status_code == 200


def test_a_wrong_password_gets_no_token():
    user = UserFactory()
    response = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_a_token_made_on_the_profile_is_shown_once_listed_and_revocable():
    user = UserFactory()
    client = signed_in(user)
    made = client.post("/accounts/tokens/new/", {"name": "Reporting", "days": 30})
    assert made.status_code == 200
    key = re.search(rb'value="(cg_[^"]+)"', made.content).group(1).decode()
    token = ApiToken.objects.get(user=user)
    assert (token.expires_at - timezone.now()).days in (29, 30)
    profile = client.get("/accounts/profile/").content.decode()
    assert "Reporting" in profile and token.prefix in profile and key not in profile
    assert api(key).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert api(key).status_code == 401


def test_an_expired_token_answers_401():
    user = UserFactory()
    token, key = token_create(actor=user, user=user, name="old", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api(key).status_code == 401


def test_an_inactive_users_token_answers_401():
    user = UserFactory()
    _token, key = token_create(actor=user, user=user, name="x")
    user.is_active = False
    user.save()
    assert api(key).status_code == 401


def test_another_users_token_cannot_be_revoked_or_seen():
    victim, attacker = UserFactory(), UserFactory()
    token, key = token_create(actor=victim, user=victim, name="MARKER-5519")
    before = list(ApiToken.objects.values_list("pk", "revoked_at", "expires_at"))
    client = signed_in(attacker)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert "MARKER-5519" not in client.get("/accounts/profile/").content.decode()
    assert list(ApiToken.objects.values_list("pk", "revoked_at", "expires_at")) == before
    assert api(key).status_code == 200


@pytest.mark.parametrize(
    "form, field",
    [({"name": "", "days": 30}, "name"), ({"name": "x", "days": 0}, "days"),
     ({"name": "x", "days": 100000}, "days"), ({"name": "x", "days": "soon"}, "days"),
     ({"name": "x" * 101, "days": 3}, "name")],
)  # fmt: skip
def test_a_bad_token_form_is_a_field_error_and_makes_nothing(form, field):
    user = UserFactory()
    response = signed_in(user).post("/accounts/tokens/new/", form)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_tokens_revoke_revokes_every_token_in_force():
    user, other = UserFactory(), UserFactory()
    keys = [token_create(actor=user, user=user, name=str(n))[1] for n in range(3)]
    _token, others_key = token_create(actor=other, user=other, name="theirs")
    assert tokens_revoke(user=user) == 3
    assert all(api(key).status_code == 401 for key in keys)
    assert api(others_key).status_code == 200


def test_the_keys_of_drfs_authtoken_table_are_carried_over():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("commonground.accounts.migrations.0004_authtoken_keys")
    user = UserFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, created timestamp)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)", ["0123456789abcdef", user.pk, timezone.now()]
        )
    migration.carry_keys(apps, SimpleNamespace(connection=connection))
    assert api("0123456789abcdef").status_code == 200
    assert ApiToken.objects.get(user=user).name == "Token from before"


def test_the_profile_costs_the_same_queries_with_2_or_40_sessions_and_tokens(django_assert_num_queries):
    from commonground.accounts.models import SignedInSession

    user = UserFactory()
    client = signed_in(user)

    def grow(n):
        for i in range(n):
            token_create(actor=user, user=user, name=f"t{i}")
            SignedInSession.objects.create(user=user, session_key=f"k{n}-{i}", user_agent=f"agent {i}")

    grow(1)
    with django_assert_num_queries(4):
        client.get("/accounts/profile/")
    grow(39)
    with django_assert_num_queries(4):
        assert client.get("/accounts/profile/").content.count(b"agent ") == 40
