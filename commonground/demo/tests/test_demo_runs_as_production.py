"""`commonground demo` runs as production runs: DEBUG off (a 404 lists no URL patterns), its own 404 and
500 pages, static files from WhiteNoise, and a banner on every page saying it is a demonstration."""

import os
import sys

import pytest
from django.core import management
from django.test import Client, override_settings

from commonground import cli


@pytest.fixture
def environ_after_cli(monkeypatch):
    """Run the console command's start with the given arguments and return the environment it leaves.

    The process's environment is put back afterwards: what the demo's start sets would otherwise reach every
    command a later test runs (a deploy check that finds secure cookies off)."""
    saved = dict(os.environ)
    for name in ("DEBUG", *cli.DEMO_ENVIRONMENT):
        os.environ.pop(name, None)
    monkeypatch.setattr(management, "execute_from_command_line", lambda argv: None)

    def run(*argv):
        monkeypatch.setattr(sys, "argv", ["commonground", *argv])
        cli.main()
        return dict(os.environ)

    yield run
    os.environ.clear()
    os.environ.update(saved)


def test_the_demo_runs_with_debug_off_over_plain_http(environ_after_cli):
    environ = environ_after_cli("demo", "--no-serve")
    assert "DEBUG" not in environ
    assert environ["COMMONGROUND_DEMO"] == "1"
    assert (environ["SECURE_SSL_REDIRECT"], environ["SECURE_COOKIES"]) == ("0", "0")


def test_other_commands_are_not_the_demo(environ_after_cli):
    environ = environ_after_cli("migrate")
    assert "COMMONGROUND_DEMO" not in environ and "SECURE_SSL_REDIRECT" not in environ


def test_the_environment_still_wins_over_the_demo_defaults(environ_after_cli, monkeypatch):
    monkeypatch.setenv("SECURE_COOKIES", "1")
    assert environ_after_cli("demo")["SECURE_COOKIES"] == "1"


@pytest.mark.django_db
@override_settings(DEBUG=False, DEMO=True)
def test_a_missing_page_is_the_projects_own_with_the_demo_banner_and_no_url_list():
    response = Client().get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "There is nothing here that you may see." in body and "demo-banner" in body
    assert "URLconf" not in body and "api/" not in body.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.django_db
@override_settings(DEMO=False)
def test_a_real_installation_shows_no_demo_banner():
    assert "demo-banner" not in Client().get("/no-such-page/").content.decode()
