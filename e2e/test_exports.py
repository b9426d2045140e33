"""Every export downloads from a real server, under gunicorn and under Django's `runserver` (what
`make demo` serves with), for a co-chair and a member of the demo community, marked with its TLP.

The exports are read from the URLconf and the export registry, so a new one is fetched here too."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from commonground.core.tlp import TLP
from commonground.demo.demo_data import PASSWORD, SLUG
from commonground.exchange.tests.export_urls import export_paths

from .server import Server

pytestmark = pytest.mark.own_installations  # the same on any test database: run once (core.testing)

MARKINGS = {marking.value for marking in TLP}


@pytest.fixture(scope="module")
def runserver_server(tmp_path_factory):
    log = tmp_path_factory.mktemp("runserver") / "server.log"
    with log.open("w") as output:
        server = Server(wsgi="runserver").start_logging_to(output)
        try:
            yield server
        finally:
            server.stop()


def logged_in(server: Server, username: str) -> urllib.request.OpenerDirector:
    """Return an opener holding the session of `username`, logged in through the login form."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    login = server.url + "/accounts/login/"
    with opener.open(login) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    request = urllib.request.Request(login, data=form.encode(), headers={"Referer": login})
    with opener.open(request) as response:
        assert "/accounts/login/" not in response.url, f"{username} could not log in"
    return opener


@pytest.mark.parametrize("wsgi", ["app_server", "runserver_server"])
@pytest.mark.parametrize("username", ["cochair.public", "member"])
def test_every_export_downloads_with_its_marking(request, wsgi, username):
    server = request.getfixturevalue(wsgi)
    opener = logged_in(server, username)
    failures = {}
    for path in export_paths(SLUG):
        try:
            with opener.open(server.url + path, timeout=60) as response:
                status, marking, body = response.status, response.headers.get("X-TLP"), response.read()
        except urllib.error.HTTPError as error:
            failures[path] = f"{error.code} {error.read()[:200]!r}"
            continue
        if status != 200 or marking not in MARKINGS or not body:
            failures[path] = f"{status}, X-TLP {marking!r}, {len(body)} bytes"
    assert not failures, "\n".join(f"{path}: {why}" for path, why in failures.items())
