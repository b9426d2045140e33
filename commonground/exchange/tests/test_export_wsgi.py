"""Every export as a strict WSGI server sees it. `wsgiref`, on which `runserver` is built, refuses a
header value that is not exactly a `str` (a `TLP` member is a subclass of it); Django's test client and
gunicorn let one pass, so only a check at the WSGI boundary finds it."""

from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest
from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client

from commonground.core.tlp import TLP

from .export_urls import export_paths


def wsgi_get(path: str, *, user) -> tuple[str, dict[str, str]]:
    """GET `path` as `user` through `wsgiref.validate`, returning the status line and the headers."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    environ = {"PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "", "HTTP_COOKIE": cookie.OutputString()}
    setup_testing_defaults(environ)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))
        return lambda data: None

    # As Django's test client does: the handler's signals would close the test's own connection, which on
    # PostgreSQL holds the test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = validator(WSGIHandler())(environ, start_response)
        try:
            b"".join(body)
        finally:
            body.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"]


@pytest.mark.parametrize("role", ["cochair", "member"])
def test_every_export_passes_the_wsgi_validator_with_its_marking_as_a_plain_str(table, role):
    failures = {}
    for path in export_paths(table.community.slug):
        try:
            status, headers = wsgi_get(path, user=table.user(role))
        except AssertionError as error:  # the validator's refusal
            failures[path] = str(error)
            continue
        if not status.startswith("200") or headers.get("X-TLP") not in {m.value for m in TLP}:
            failures[path] = f"{status}, X-TLP {headers.get('X-TLP')!r}"
    assert not failures, "\n".join(f"{path}: {why}" for path, why in failures.items())
