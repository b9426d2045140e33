"""`commonground demo --port N` makes the links it sends (invitations, the calendar subscription,
iCalendar UIDs) lead to the server it runs, unless SITE_URL in the environment names another."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from commonground.demo import demo_data
from commonground.demo.management.commands import demo
from commonground.demo.management.commands.demo import site_url


def test_the_site_address_follows_the_port(monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_url(8123) == "http://127.0.0.1:8123"


def test_an_explicit_site_url_wins_over_the_port(monkeypatch):
    monkeypatch.setenv("SITE_URL", "https://cg.example.org")
    assert site_url(8123) == "https://cg.example.org"


@pytest.mark.parametrize(
    "environ, expected",
    [({}, "http://127.0.0.1:8123"), ({"SITE_URL": "https://cg.example.org"}, "https://cg.example.org")],
)
def test_the_server_and_the_task_worker_both_link_to_that_address(monkeypatch, environ, expected):
    monkeypatch.delenv("SITE_URL", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(demo_data, "demo_exists", lambda: True)
    seen = {}

    class Worker:
        def __init__(self, args, env):
            seen["worker"] = env["SITE_URL"]

        def terminate(self):
            pass

        def wait(self, timeout):
            pass

    monkeypatch.setattr(demo.subprocess, "Popen", Worker)
    monkeypatch.setattr(demo, "call_command", lambda name, *a, **k: seen.setdefault(name, settings.SITE_URL))
    out = io.StringIO()
    call_command("demo", "--port", "8123", stdout=out)
    assert seen == {"migrate": expected, "collectstatic": expected, "runserver": expected, "worker": expected}
    assert f"lead to {expected}" in out.getvalue()
