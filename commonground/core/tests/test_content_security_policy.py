"""Every page carries the Content-Security-Policy, and no page holds what that policy would block:
inline script, inline event handlers, javascript: addresses or inline style attributes."""

from html.parser import HTMLParser

import pytest
from django.test import Client

from commonground.core.tests.test_permission_matrix import PAGES, _module_media  # noqa: F401 (a fixture)
from commonground.security_settings import tile_origin

GET_PAGES = sorted(name for name, (_build, method, _expected) in PAGES.items() if method == "GET")


class InlineCode(HTMLParser):
    """Collect what a strict policy (script-src and style-src 'self') would block."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self.found.append(f"inline <script> {self.getpos()}")
        if tag == "style":
            self.found.append(f"<style> element {self.getpos()}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...> {self.getpos()}")
            if name == "style":
                self.found.append(f'<{tag} style="{value}"> {self.getpos()}')
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}> {self.getpos()}")


# With the database tests, before the transactional ones that empty the tables the migrations filled.
pytestmark = pytest.mark.django_db


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_parser_finds_what_the_policy_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/a.js"></script>'
        '<script type="application/json">{}</script><button onclick="x()">'
        '<span style="width: 5%"></span><a href="javascript:void(0)">'
    )
    assert len(inline_code(html)) == 4


@pytest.mark.parametrize("name", GET_PAGES)
def test_every_page_carries_the_policy_and_holds_no_inline_code(matrix_world, name):
    build, _method, _expected = PAGES[name]
    client = Client()
    client.force_login(matrix_world.table.facilitator)
    response = client.get(build(matrix_world))
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, (name, policy)
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        content = b"".join(response) if response.streaming else response.content
        assert inline_code(content.decode()) == [], name


def test_the_policy_allows_map_tiles_only_from_the_configured_server(client, db):
    policy = client.get("/accounts/login/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["img-src"].split()[:2] == ["'self'", "data:"]
    assert tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == ["https://*.tile.example.org"]
    assert tile_origin("") == []


def test_by_default_no_directive_names_an_origin_outside_this_server(client, db, settings):
    assert settings.MAP_TILE_URL == ""  # the maps draw the vendored outlines; a tile server is opt-in
    policy = client.get("/accounts/login/").headers["Content-Security-Policy"]
    sources = [source for part in policy.split(";") if part.strip() for source in part.split()[1:]]
    assert [s for s in sources if s not in ("'self'", "'none'", "data:")] == []
