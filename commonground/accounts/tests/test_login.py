import pytest
from django.contrib.auth.hashers import identify_hasher
from rest_framework.test import APIClient

from commonground.registry.tests.factories import UserFactory


def login(client, username, password, address):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_passwords_are_hashed_with_argon2(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = UserFactory()
    user.set_password("a-long-test-password")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_repeated_failures_lock_that_username_from_that_address_only(client, db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    victim, colleague = UserFactory(username="victim"), UserFactory(username="colleague")
    for _ in range(2):
        assert (
            login(client, "victim", "wrong", "10.0.0.1").status_code == 200
        )  # the form again, with an error
    assert login(client, "victim", "wrong", "10.0.0.1").status_code == 429  # the third failure locks
    locked = login(client, "victim", "a-long-test-password", "10.0.0.1")
    assert locked.status_code == 429 and b"Too many failed attempts" in locked.content
    # A colleague behind the same shared address is not locked out...
    assert login(client, "colleague", "a-long-test-password", "10.0.0.1").status_code == 302
    client.logout()
    # ...nor is the victim from another address.
    assert login(client, "victim", "a-long-test-password", "10.0.0.2").status_code == 302
    assert victim.pk and colleague.pk


def test_the_token_endpoint_is_locked_out_too(db, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="victim")
    client = APIClient()
    for _ in range(2):
        client.post(
            "/api/v1/auth/token/", {"username": "victim", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )
    response = client.post(
        "/api/v1/auth/token/",
        {"username": "victim", "password": "a-long-test-password"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code in (403, 429)
    assert "token" not in response.json()


@pytest.mark.parametrize("path", ["/accounts/login/", "/"])
def test_public_pages_need_no_login(client, db, path):
    assert client.get(path).status_code == 200
