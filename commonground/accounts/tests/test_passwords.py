import re

import pytest
from django.core import mail
from django.core.cache import cache
from django_tasks_db.models import DBTaskResult

from commonground.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
RESET = "/accounts/password/reset/"


def page(response) -> bytes:
    """The page as a reader sees it: the CSRF token is masked anew for each response."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", response.content)


@pytest.fixture(autouse=True)
def _mail_sent_at_once(mail_at_once):
    """The reset mail goes through the task queue (core.mail); here it is sent as it is queued."""


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The throttle counts in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def test_reset_mails_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="known@example.org")
    response = client.post(RESET, {"email": "known@example.org"})
    assert response.status_code == 302 and response.headers["Location"] == "/accounts/password/reset/sent/"
    [message] = mail.outbox
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    assert user.username in message.body
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-password", "new_password2": "another-long-password"},
    )
    user.refresh_from_db()
    assert user.check_password("another-long-password")


def test_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(client):
    UserFactory(email="known@example.org")
    known = client.post(RESET, {"email": "known@example.org"}, follow=True)
    mail.outbox.clear()
    unknown = client.post(RESET, {"email": "nobody@example.org"}, follow=True)
    assert unknown.redirect_chain == known.redirect_chain
    assert page(unknown) == page(known)
    assert not mail.outbox


def test_reset_requests_are_rate_limited_by_address(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "password_reset": "3/hour",
        },
    }
    UserFactory(email="known@example.org")
    for _ in range(3):
        assert client.post(RESET, {"email": "known@example.org"}, REMOTE_ADDR="10.0.0.1").status_code == 302
    refused = client.post(RESET, {"email": "known@example.org"}, REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429 and b"Too many requests" in refused.content
    assert len(mail.outbox) == 3
    # Another address is not held back.
    assert client.post(RESET, {"email": "known@example.org"}, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_password_change_requires_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    wrong = client.post(
        "/accounts/password/",
        {
            "old_password": "not-my-password",
            "new_password1": "a-new-long-password",
            "new_password2": "a-new-long-password",
        },
    )
    assert wrong.status_code == 200 and "old_password" in wrong.context["form"].errors
    user.refresh_from_db()
    assert user.check_password("a-long-test-password")
    right = client.post(
        "/accounts/password/",
        {
            "old_password": "a-long-test-password",
            "new_password1": "a-new-long-password",
            "new_password2": "a-new-long-password",
        },
    )
    assert right.status_code == 302 and right.headers["Location"] == "/accounts/password/changed/"
    user.refresh_from_db()
    assert user.check_password("a-new-long-password")
    assert client.get("/accounts/password/changed/").status_code == 200  # still logged in here


def test_the_login_page_offers_the_reset(client):
    assert b'href="/accounts/password/reset/"' in client.get("/accounts/login/").content


def test_the_reset_mail_waits_for_the_worker_not_the_request(
    client, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    UserFactory(email="known@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(RESET, {"email": "known@example.org"})
    assert response.status_code == 302
    assert not mail.outbox  # written in the request, sent by the worker
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "commonground.core.mail.mail_deliver"
    assert queued.args_kwargs["args"][0][0]["to"] == ["known@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": "nobody@example.org"})
    assert DBTaskResult.objects.count() == 1  # an unknown address queues nothing
