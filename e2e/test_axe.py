"""The accessibility check reports only violations (axe's resultTypes), which makes it several times faster: it
still finds every violation on every element that a full report finds."""

import pytest

from .conftest import AXE_RULES, axe_violations

pytestmark = pytest.mark.browser

# A page with violations of several rules, some on more than one element, and elements that pass them.
PAGE = """<!doctype html><html><head><title>t</title></head><body>
<main><h1>Heading</h1>
<img src="data:," alt="a described picture"><img src="data:,"><img src="data:,">
<p style="color:#777;background:#888">faint</p><p style="color:#000;background:#fff">clear</p>
<p style="color:#999;background:#aaa">fainter</p>
<label>Named <input type="text"></label><input type="text"><input type="checkbox">
<a href="/somewhere">a link</a><a href="/elsewhere"></a>
<ul><li>item</li><div>not an item</div></ul>
<button>press</button><button></button>
</main><div>outside every landmark</div></body></html>"""


def report(violations) -> list[tuple[str, list]]:
    return sorted((v["id"], sorted(n["target"] for n in v["nodes"])) for v in violations)


def test_only_violations_reported_finds_what_a_full_report_finds(browser):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content(PAGE)
    fast = report(axe_violations(page))
    page.set_content(PAGE)  # a fresh document for the full report
    full = report(axe_violations(page, options="{" + AXE_RULES + "}"))
    context.close()
    assert fast == full
    found = dict(full)
    for rule in ("image-alt", "color-contrast", "label", "link-name", "list", "button-name", "region"):
        assert rule in found, rule
    assert len(found["image-alt"]) == 2 and len(found["color-contrast"]) == 2
