"""Browser tests: a real headless Chromium (Debian's) against the real application on gunicorn."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .server import Server

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# The two widths every new page is seen at: a phone (390 px) and a desk.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
_skipped_for_chromium = []


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    marker = pytest.mark.skip(reason=f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(marker)
            _skipped_for_chromium.append(item.nodeid)


def pytest_terminal_summary(terminalreporter):
    # Under pytest-xdist the workers collect and skip, so the controller only knows Chromium is missing.
    if _skipped_for_chromium or not Path(CHROMIUM).exists():
        counted = f" ({len(_skipped_for_chromium)} tests)" if _skipped_for_chromium else ""
        terminalreporter.write_sep("!", f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM}{counted}")


@pytest.fixture(autouse=True, scope="session")
def _installations_shared_by_the_workers(tmp_path_factory):
    """The servers start on copies of one demo installation, built once for the test run (`e2e.server`)."""
    from commonground.core.testing import share_installations

    share_installations(tmp_path_factory)


@pytest.fixture(scope="session")
def app_server():
    with Server() as server:
        yield server


# One Chromium a test file: Playwright's sync API keeps an event loop running while it is open, and Django
# refuses database work in a thread with a running loop, so it must not outlive the browser tests' own file
# (pytest-xdist gives a worker database tests after them).
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, app_server):
    contexts = []

    def make(viewport=None):
        # axe-core is injected as an inline script, which the Content-Security-Policy would block;
        # test_csp.py walks the pages in a context that keeps the policy.
        context = browser.new_context(
            base_url=app_server.url, viewport=viewport or {"width": 1280, "height": 900}, bypass_csp=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# The rules axe-core runs: WCAG 2.2 AA and best practices such as landmarks.
AXE_RULES = "runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}"
# Every rule runs on every element either way; only the violations are reported element by element (axe's
# resultTypes): building the passing elements' reports, their selectors and HTML, was three quarters of axe's
# time on a page (e2e/test_axe.py: the same violations, element for element, as a full report).
AXE_OPTIONS = "{" + AXE_RULES + ", resultTypes: ['violations']}"


def axe_violations(page, exclude: tuple[str, ...] = (), options: str = AXE_OPTIONS) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "async (exclude) => await axe.run({include: [document], exclude: exclude.map((s) => [s])}, "
        + options + ")",
        list(exclude),
    )  # fmt: skip
    return results["violations"]


def check_accessibility(page, name: str, exclude: tuple[str, ...] = ()) -> None:
    """Run axe-core on the page (WCAG 2.2 AA rules and best practices such as landmarks) and fail on any
    violation, whatever its impact: a minor one left standing today hides tomorrow's among the noise."""
    bad = axe_violations(page, exclude)
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in bad
    ]
    assert not bad, f"{name}: accessibility violations:\n{json.dumps(summary, indent=2)}"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def fits(page, what: str, viewport) -> None:
    """On a phone (at most 400 px wide), the page does not scroll sideways."""
    if viewport["width"] <= 400:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 400, f"{what} scrolls sideways on a phone ({width}px)"


def visit_at(page, name: str, viewport) -> None:
    """`visit`, and the page fits the viewport's width."""
    visit(page, name)
    fits(page, name, viewport)


def submit(page, button) -> None:
    """Click a button that submits a form, and wait for the page it leads to.

    `wait_for_load_state` right after the click may see the page the click was made on, which is still loaded:
    the next assertion then reads the old page."""
    with page.expect_navigation(wait_until="domcontentloaded"):
        button.click()


def follow(page, link) -> None:
    """Click a link and wait for the page it leads to: a read right after a bare `click()` may see the old page
    (a list of options read there is empty)."""
    submit(page, link)


def visit(page, name: str) -> None:
    """Every page a browser test reaches: checked by axe and saved as a screenshot."""
    page.wait_for_load_state("domcontentloaded")
    screenshot(page, name)
    check_accessibility(page, name)
