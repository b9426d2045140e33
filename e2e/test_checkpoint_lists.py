"""The checkpoint page's lists (docs/checkpoint.md, "The bundle on the device"), in Chromium against the real
page: a downloaded bundle whose revocation counter went back is refused and the kept lists stay (a revoked
card stays revoked), and the lists' age is the time since the server last confirmed them."""

import hashlib
import json

import pytest

from commonground.checkpoint.tests.signer import bundle, claims
from commonground.demo.demo_data import SLUG

from .test_checkpoint_flow import (
    BUNDLE_PATH,
    NOW,
    PHONE,
    SIGNER,
    UPLOAD_PATH,
    open_checkpoint,
    paste,
    verdict,
)

pytestmark = pytest.mark.browser
CARD = SIGNER.card(claims(SLUG, NOW, id="cred-LOST", rid=9))


class Lists:
    """The bundle endpoint, serving whichever copy the test sets."""

    def __init__(self):
        self.set(bundle(SLUG, NOW, [SIGNER], revoked={SIGNER.kid: [9]}))
        self.requests = 0

    def set(self, content: dict):
        self.body = json.dumps(content).encode()
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    def serve(self, route):
        self.requests += 1
        if route.request.headers.get("if-none-match") == self.etag:
            route.fulfill(status=304, headers={"ETag": self.etag})
        else:
            route.fulfill(
                status=200, body=self.body, headers={"Content-Type": "application/json", "ETag": self.etag}
            )


def test_an_older_revocation_list_is_refused_and_a_revoked_card_stays_revoked(browser, app_server):
    lists = Lists()
    context = browser.new_context(base_url=app_server.url, viewport=PHONE, service_workers="allow")
    context.set_default_timeout(15_000)
    try:
        context.route(f"**{BUNDLE_PATH}*", lists.serve)
        context.route(f"**{UPLOAD_PATH}", lambda route: route.fulfill(status=403))
        page = context.new_page()
        open_checkpoint(page)
        freshness = page.locator("#cp-freshness")
        assert freshness.get_attribute("data-state") == "fresh"
        assert int(freshness.get_attribute("data-age-seconds")) < 60
        assert json.loads(freshness.get_attribute("data-counters")) == [[SIGNER.kid, 1]]
        paste(page, CARD)
        verdict(page, "revoked")

        # A stale copy from before the revocation (counter 0, no rid 9) arrives: refused whole.
        lists.set(bundle(SLUG, NOW, [SIGNER], revoked={SIGNER.kid: []}))
        asked = lists.requests
        page.evaluate("window.CommonGround.checkpoint.refresh()")
        page.get_by_text("An older copy of the lists was downloaded and refused").wait_for()
        assert lists.requests > asked
        assert json.loads(freshness.get_attribute("data-counters")) == [[SIGNER.kid, 1]]
        paste(page, CARD)
        verdict(page, "revoked")

        # A newer list (counter 2, rid 9 and 12) is taken.
        lists.set(bundle(SLUG, NOW, [SIGNER], revoked={SIGNER.kid: [9, 12]}))
        page.evaluate("window.CommonGround.checkpoint.refresh()")
        page.locator(
            f"#cp-freshness[data-counters='{json.dumps([[SIGNER.kid, 2]], separators=(',', ':'))}']"
        ).wait_for()
        assert "older copy" not in freshness.inner_text()
        paste(page, CARD)
        verdict(page, "revoked")
    finally:
        context.close()
