"""Every page a demo user can reach by following links answers without a server error.

A real server (gunicorn, as the browser tests use) with the demo community; each demo role signs in through
the login form and follows every same-origin link breadth-first from its first page, GET only, up to a cap.
Links that would change something on a GET, or end the session, are not followed.
"""

from __future__ import annotations

import collections
import re
import urllib.error
import urllib.parse
from html.parser import HTMLParser

import pytest

from commonground.demo.demo_data import DEMO_USERS, SLUG

from .server import Server
from .test_exports import logged_in

pytestmark = pytest.mark.own_installations  # the same on any test database: run once (core.testing)

PAGES_PER_ROLE = 400
# One view has many addresses (each record's, each page of a list, each filter); a few of each render it,
# and the cap then goes to views not yet seen. Addresses count as one view when only their numbers differ.
VARIANTS_PER_VIEW = 5
SKIPPED = ("/accounts/logout", "/static/", "/media/", "/admin/")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


@pytest.fixture(scope="module")
def crawl_server(tmp_path_factory):
    log_path = tmp_path_factory.mktemp("crawl") / "server.log"
    with log_path.open("w") as log:
        server = Server().start_logging_to(log)
        server.log_path = log_path
        try:
            yield server
        finally:
            server.stop()


def same_origin_links(base: str, page_url: str, html: str) -> list[str]:
    """Return the page's links to this server, as absolute addresses without their fragment."""
    parser = Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url, _fragment = urllib.parse.urldefrag(urllib.parse.urljoin(page_url, href))
        if url.startswith(base + "/") and not any(
            urllib.parse.urlsplit(url).path.startswith(s) for s in SKIPPED
        ):
            found.append(url)
    return found


def crawl(server: Server, opener, start: str) -> tuple[dict[str, str], int]:
    """Visit breadth-first from `start`; return the server errors (address: status and where it was linked
    from) and the number of pages visited."""
    queue = collections.deque([(start, "(start)")])
    seen, variants, errors = {start}, collections.Counter(), {}
    visited = 0
    while queue and visited < PAGES_PER_ROLE:
        url, referrer = queue.popleft()
        visited += 1
        try:
            with opener.open(url, timeout=60) as response:
                kind = response.headers.get_content_type()
                body = response.read().decode("utf-8", "replace") if kind == "text/html" else ""
                final = response.url
        except urllib.error.HTTPError as error:
            if error.code >= 500:
                errors[url] = f"{error.code}, linked from {referrer}"
            continue
        for link in same_origin_links(server.url, final, body):
            view = re.sub(r"\d+", "N", urllib.parse.urlsplit(link).path)
            if link in seen or variants[view] >= VARIANTS_PER_VIEW:
                continue
            seen.add(link)
            variants[view] += 1
            queue.append((link, url))
    return errors, visited


@pytest.mark.parametrize("username", [username for username, _role in DEMO_USERS])
def test_every_linked_page_answers_without_a_server_error(crawl_server, username):
    opener = logged_in(crawl_server, username)
    errors, visited = crawl(crawl_server, opener, f"{crawl_server.url}/c/{SLUG}/")
    print(f"{username}: {visited} pages")
    assert visited > 30, f"{username} reached only {visited} pages"
    assert not errors, f"{username}: {len(errors)} server errors:\n" + "\n".join(
        f"{url}: {why}" for url, why in errors.items()
    )


def test_every_public_page_answers_without_a_server_error(crawl_server):
    import http.cookiejar
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    errors, _visited = crawl(crawl_server, opener, f"{crawl_server.url}/")
    assert not errors, "\n".join(f"{url}: {why}" for url, why in errors.items())
