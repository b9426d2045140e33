"""Throttles and lock-outs key on the connecting address; X-Forwarded-For counts only from trusted proxies."""

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from commonground.core.api.auth import client_address
from commonground.registry.models import Organization, Person


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


def forwarded(n: int) -> str:
    return f"203.0.113.{n}"


def token_attempt(client, n: int, username: str):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": "wrong password"},
        format="json",
        HTTP_X_FORWARDED_FOR=forwarded(n),
    )


def test_token_endpoint_throttles_a_client_that_names_a_new_forwarded_address_each_time(db):
    client = APIClient()
    answers = [token_attempt(client, n, f"nobody{n}").status_code for n in range(21)]
    assert answers[:20] == [400] * 20
    assert answers[20] == 429


def test_lock_out_holds_when_each_attempt_names_a_new_forwarded_address(db, settings):
    client = APIClient()
    answers = [token_attempt(client, n, "target").status_code for n in range(settings.AXES_FAILURE_LIMIT + 1)]
    assert answers[-1] == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_invitation_accept_throttles_a_client_that_names_a_new_forwarded_address_each_time(db, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
    before = (Person.objects.count(), Organization.objects.count())
    client = APIClient()
    answers = [
        client.post(
            "/api/v1/invitations/accept/",
            {"token": "not-a-token"},
            format="json",
            HTTP_X_FORWARDED_FOR=forwarded(n),
        ).status_code
        for n in range(4)
    ]
    assert answers == [400, 400, 400, 429]
    assert (Person.objects.count(), Organization.objects.count()) == before


def test_with_one_trusted_proxy_the_forwarded_address_keys_throttles_and_lock_outs(db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()
    answers = [token_attempt(client, n, "target").status_code for n in range(21)]
    assert 429 not in answers
    assert AccessAttempt.objects.filter(ip_address=forwarded(20)).exists()


def test_client_address_believes_only_as_many_forwarded_hops_as_proxies_are_trusted(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.1", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "10.0.0.1"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert client_address(request) == "192.0.2.1"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 2}
    assert client_address(request) == "198.51.100.7"


def test_trusted_proxies_from_the_environment_set_drf_num_proxies(monkeypatch):
    import importlib

    import commonground.security_settings as security_settings
    import commonground.settings as project_settings

    def reloaded():
        importlib.reload(security_settings)  # where TRUSTED_PROXIES is read, before the settings that take it
        return importlib.reload(project_settings)

    monkeypatch.setenv("TRUSTED_PROXIES", "2")
    try:
        assert reloaded().REST_FRAMEWORK["NUM_PROXIES"] == 2
    finally:
        monkeypatch.delenv("TRUSTED_PROXIES")
        assert reloaded().REST_FRAMEWORK["NUM_PROXIES"] == 0
