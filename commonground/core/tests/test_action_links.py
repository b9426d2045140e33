"""Every link and button a page shows its reader leads somewhere the reader may go.

For each role, every page of the permission matrix that answers the role 200 is read, and every link on
it (buttons included: they are links or forms) is followed as the same role: none may answer 403. A
button shown to someone the page behind it refuses is a permission restated by hand that drifted from
the view's own; the fix is to show it with the permission function the view checks. A form's post
button is submitted inside a savepoint, so nothing it writes stays.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from commonground.core.testing import ROLES, World, rows

pytestmark = pytest.mark.django_db
_API, PAGES = rows()
# Not actions of the page: the way out, files, the API and the admin site.
NOT_FOLLOWED = ("/accounts/logout", "/static/", "/media/", "/api/", "/admin/", "/i18n/")


class Actions(HTMLParser):
    """The links and the post forms (with their hidden fields and the button's own name) of a page."""

    def __init__(self):
        super().__init__()
        self.links: set[str] = set()
        self.posts: list[tuple[str, dict[str, str]]] = []
        self._form: tuple[str, dict[str, str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.add(attrs["href"])
        elif tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = (attrs.get("action") or "", {}) if method == "post" else None
        elif self._form is not None and attrs.get("name") and self.submitted(tag, attrs):
            self._form[1].setdefault(attrs["name"], attrs.get("value") or "")

    @staticmethod
    def submitted(tag: str, attrs: dict) -> bool:
        """Whether a form sends the field as it stands when its button is pressed (hidden and button values)."""
        return tag == "button" or (tag == "input" and attrs.get("type") in ("hidden", "submit"))

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.posts.append(self._form)
            self._form = None


@pytest.fixture(autouse=True)
def _module_media(settings, matrix_world):
    settings.MEDIA_ROOT = matrix_world.media


def internal(page: str, href: str) -> str | None:
    """Return the path (and query) a link of the page names on this site, or None for one not followed."""
    parts = urlsplit(urljoin(page, href))
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(NOT_FOLLOWED):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start_pages(matrix_world: World, role: str) -> list[str]:
    """The pages of the matrix that the role may open."""
    found = []
    for _name, (build, method, expected) in sorted(PAGES.items()):
        if method == "GET" and expected[role] == 200:
            built = build(matrix_world)
            found.append(built[0] if isinstance(built, tuple) else built)
    return found


@pytest.mark.parametrize("role", [role for role in ROLES if role != "visitor"])
def test_every_action_shown_leads_to_a_page_that_lets_the_reader_in(matrix_world, role):
    client = Client()
    client.force_login(matrix_world.user(role))
    links: dict[str, str] = {}
    posts: dict[str, tuple[str, dict[str, str]]] = {}
    for page in start_pages(matrix_world, role):
        response = client.get(page)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = Actions()
        parser.feed(response.content.decode())
        for href in parser.links:
            if (target := internal(page, href)) is not None:
                links.setdefault(target, page)
        for action, data in parser.posts:
            if (target := internal(page, action or page)) is not None and target != "/i18n/setlang/":
                posts.setdefault(target, (page, data))
    refused = []
    for target, page in sorted(links.items()):
        status = client.get(target).status_code
        if status in (403, 404):
            refused.append((status, "link", target, "on", page))
    for target, (page, data) in sorted(posts.items()):
        with transaction.atomic():
            status = client.post(target, data).status_code
            transaction.set_rollback(True)
        if status in (403, 404):
            refused.append((status, "button", target, "on", page))
    assert not refused, "\n".join(" ".join(map(str, r)) for r in refused)
