"""An API call reads its token and its reader's viewer in one statement (`registry.viewer.token_and_viewer`,
settings.API_TOKEN_READER): the same token `accounts.selectors.token_for_key` finds, and for its user the same
viewer `viewer_for_user` builds, whoever the user is; an expired, revoked or unknown key finds none."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from commonground.accounts.models import ApiToken
from commonground.accounts.selectors import token_for_key
from commonground.accounts.services import token_create
from commonground.core.viewer import CACHE_ATTRIBUTE
from commonground.registry.tests.factories import UserFactory
from commonground.registry.viewer import token_and_viewer, viewer_for_user

ROLES = ["facilitator", "cochair", "admin", "other_admin", "member", "outsider"]


def _key(user) -> str:
    return token_create(actor=None, user=user, name="t")[1]


@pytest.mark.parametrize("role", ROLES)
def test_the_token_and_the_viewer_are_those_read_apart(table, role):
    user = table.user(role)
    key = _key(user)
    token = token_and_viewer(key)
    orm = token_for_key(key)
    assert token == orm and token.user == user
    for made, read in ((token, orm), (token.user, orm.user)):  # field by field, as the ORM makes them
        for field in type(read)._meta.concrete_fields:
            assert getattr(made, field.attname) == getattr(read, field.attname), field.attname
    kept = getattr(token.user, CACHE_ATTRIBUTE)
    assert kept == viewer_for_user(user)
    assert kept.community_slugs == frozenset(_seats(user))


def _seats(user) -> list[tuple[str, int]]:
    """(slug, key) of each table the user's organization sits at."""
    from commonground.communities.models import Membership

    person = getattr(user, "person", None)
    if person is None:
        return []
    return Membership.objects.filter(organization=person.organization).values_list(
        "community__slug", "community"
    )


def test_a_user_with_no_person_has_a_viewer_of_no_table(db):
    user = UserFactory()
    token = token_and_viewer(_key(user))
    kept = getattr(token.user, CACHE_ATTRIBUTE)
    assert kept == viewer_for_user(user)
    assert (
        kept.person_id is None and kept.community_ids == frozenset() and kept.community_slugs == frozenset()
    )


def test_an_expired_revoked_or_unknown_key_finds_no_token(table):
    expired, revoked = _key(table.member), _key(table.member)
    ApiToken.objects.filter(pk=token_for_key(expired).pk).update(
        expires_at=timezone.now() - datetime.timedelta(1)
    )
    ApiToken.objects.filter(pk=token_for_key(revoked).pk).update(revoked_at=timezone.now())
    for key in (expired, revoked, "not-a-key"):
        assert token_and_viewer(key) is None and token_for_key(key) is None
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert client.get("/api/v1/resources/").status_code == 401


def test_a_token_authenticated_list_reads_no_viewer_of_its_own(table):
    """The resource list of a member by token: the token with the viewer, the list's keys, its rows (the token's
    last use is written at most once a minute: the first call writes it)."""
    from commonground.resources.tests.factories import ResourceFactory

    ResourceFactory(community=table.community, organization=table.private_org)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {_key(table.member)}")
    assert client.get("/api/v1/resources/?community=riverbend").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/resources/?community=riverbend")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert len(queries) == 3, [q["sql"][:80] for q in queries]


def test_the_token_statement_is_compiled_once_for_any_key_and_time(table, settings, monkeypatch):
    """Its SQL is kept with the key's hash and the present as slots: compiled by no later call, and each call
    finds its own key's token in force at its own time (a token expired since, another key, no key at all)."""
    from commonground.core import kept_rows

    settings.KEPT_SQL_CHECK = False  # the check compiles every read again
    first, second = _key(table.member), _key(table.cochair)
    assert token_and_viewer(first).user == table.member
    compiled = []
    compile_once = kept_rows._compile
    monkeypatch.setattr(kept_rows, "_compile", lambda *args: compiled.append(args) or compile_once(*args))
    assert token_and_viewer(second).user == table.cochair
    ApiToken.objects.filter(pk=token_for_key(first).pk).update(
        expires_at=timezone.now() + datetime.timedelta(0, 1)
    )
    assert token_and_viewer(first).user == table.member
    ApiToken.objects.filter(key_hash=token_for_key(first).key_hash).update(
        expires_at=timezone.now() - datetime.timedelta(0, 1)
    )
    assert token_and_viewer(first) is None and token_and_viewer("not-a-key") is None
    assert token_and_viewer(second).user == table.cochair
    assert compiled == []
