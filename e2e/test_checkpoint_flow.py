"""The re-entry checkpoint in a browser (issue 19): loaded once with a network, then with the network cut it
opens again from its service worker and verifies a valid, an expired, a revoked, a forged (another key) and a
one-byte-changed card, by a photo of the card (a segno PNG) and by the paste field; a denial is reported
with a note; when the network returns the log is uploaded. On a 390 px phone, with axe and the
Content-Security-Policy watching.

The credentials endpoints (the bundle and the log upload) are the credentials app's; here Playwright's
routing stands in for them, serving a bundle made by the test signer (commonground/checkpoint/tests/signer.py)
and keeping what is posted. The verification function is also checked on its own, case by case.
"""

import datetime
import hashlib
import json

import pytest

from commonground.checkpoint.tests.signer import Signer, bundle, claims, iso, one_byte_changed, qr_png
from commonground.demo.demo_data import SLUG

from .conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, visit
from .test_csp import LISTEN
from .test_partnership_flow import log_in

pytestmark = pytest.mark.browser

PAGE = f"/c/{SLUG}/checkpoint/"
BUNDLE_PATH = f"/c/{SLUG}/credentials/checkpoint.json"
UPLOAD_PATH = "/api/v1/credential-checks/"
NOW = datetime.datetime.now(datetime.UTC)
SIGNER, OTHER = Signer(), Signer()
REVOKED_RID = 9
BUNDLE = bundle(SLUG, NOW, [SIGNER], revoked={SIGNER.kid: [REVOKED_RID, 40]})
YEAR = datetime.timedelta(days=365)
CARDS = {
    "valid": SIGNER.card(claims(SLUG, NOW)),
    "expired": SIGNER.card(
        claims(
            SLUG,
            NOW,
            id="cred-OLD1",
            rid=2,
            nbf=int((NOW - 2 * YEAR).timestamp()),
            exp=int((NOW - YEAR).timestamp()),
        )
    ),
    "revoked": SIGNER.card(claims(SLUG, NOW, id="cred-REV1", rid=REVOKED_RID)),
    "forged": OTHER.card(claims(SLUG, NOW, id="cred-FAKE"), kid=SIGNER.kid),
}
CARDS["altered"] = one_byte_changed(CARDS["valid"])
EXPECTED = {
    "valid": "valid",
    "expired": "expired",
    "revoked": "revoked",
    "forged": "invalid",
    "altered": "invalid",
}


class Endpoints:
    """Stand-ins for the credentials app's two endpoints, with the network switch the test turns."""

    def __init__(self):
        self.offline = False
        self.bundle_requests = []
        self.bundle_while_offline = 0
        self.uploads = []
        self.body = json.dumps(BUNDLE).encode()
        self.etag = '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    def bundle(self, route):
        if self.offline:  # the emulated network is down: nothing may arrive
            self.bundle_while_offline += 1
            route.abort("internetdisconnected")
            return
        self.bundle_requests.append(route.request.headers.get("if-none-match"))
        if route.request.headers.get("if-none-match") == self.etag:
            route.fulfill(status=304, headers={"ETag": self.etag})
        else:
            route.fulfill(
                status=200, body=self.body, headers={"Content-Type": "application/json", "ETag": self.etag}
            )

    def upload(self, route):
        if self.offline:
            route.abort("internetdisconnected")
            return
        request = route.request
        assert request.method == "POST"
        body = request.post_data_json
        self.uploads.append({"body": body, "csrf": request.headers.get("x-csrftoken")})
        route.fulfill(
            status=201,
            content_type="application/json",
            body=json.dumps({"stored": len(body["checks"]), "duplicates": 0}),
        )

    def attach(self, context):
        context.route(f"**{BUNDLE_PATH}*", self.bundle)
        context.route(f"**{UPLOAD_PATH}", self.upload)


@pytest.fixture
def checkpoint(browser, app_server):
    contexts = []

    def make(*, bypass_csp=True):
        endpoints = Endpoints()
        context = browser.new_context(
            base_url=app_server.url, viewport=PHONE, bypass_csp=bypass_csp, service_workers="allow"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        endpoints.attach(context)
        page = context.new_page()
        page.add_init_script(LISTEN)
        return context, page, endpoints

    yield make
    for context in contexts:
        context.close()


def open_checkpoint(page):
    page.goto(PAGE)
    page.locator("#checkpoint[data-ready='1']").wait_for()


def wait_for_worker(page):
    """Until the service worker is active and has kept the page and the bundle."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.wait_for_function(
        """async ([page, bundle]) => {
          const names = await caches.keys();
          for (const name of names) {
            const cache = await caches.open(name);
            if (await cache.match(page) && await cache.match(bundle)) { return true; }
          }
          return false;
        }""",
        arg=[PAGE, BUNDLE_PATH],
        polling=200,
    )


def verdict(page, expected):
    page.locator(f"#cp-result[data-result='{expected}']").wait_for()
    return float(page.locator("#cp-result").get_attribute("data-verify-ms"))


def paste(page, card):
    page.locator("#cp-result").evaluate("(element) => { element.dataset.result = ''; }")
    page.locator("#cp-paste").fill(card)
    page.get_by_role("button", name="Check this code").click()


def photograph(page, card):
    page.locator("#cp-result").evaluate("(element) => { element.dataset.result = ''; }")
    page.locator("#cp-photo").set_input_files(
        files=[{"name": "card.png", "mimeType": "image/png", "buffer": qr_png(card)}]
    )


def test_the_checkpoint_verifies_offline_and_uploads_its_log_when_the_network_returns(checkpoint):
    context, page, endpoints = checkpoint()
    log_in(page, "member")
    open_checkpoint(page)
    page.get_by_text("Lists issued").wait_for()
    wait_for_worker(page)
    assert endpoints.bundle_requests, "the page never asked for the bundle"
    visit(page, "checkpoint-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The network goes; the page opens again from its service worker, with its lists.
    endpoints.offline = True
    context.set_offline(True)
    page.reload()
    page.locator("#checkpoint[data-ready='1']").wait_for()
    assert "Network: none" in page.locator("#cp-network").inner_text()
    assert "Lists issued" in page.locator("#cp-freshness").inner_text()

    timings = {}
    for name, card in CARDS.items():
        paste(page, card)
        timings[f"paste {name}"] = verdict(page, EXPECTED[name])
    for name in ("valid", "altered"):
        photograph(page, CARDS[name])
        timings[f"photo {name}"] = verdict(page, EXPECTED[name])
    print("\ncheckpoint verification after decode (ms, performance.now()):", json.dumps(timings))
    assert "Dana Whitfield" not in page.locator("#cp-details").inner_text()  # an altered card shows no one

    # The green card shows its holder; the forged one is reported with a note.
    paste(page, CARDS["valid"])
    verdict(page, "valid")
    assert "Dana Whitfield" in page.locator("#cp-details").inner_text()
    assert page.locator("#cp-report-form").is_hidden()
    paste(page, CARDS["forged"])
    verdict(page, "invalid")
    page.locator("#cp-note").fill("Card looks photocopied; holder turned back at Gate 3")
    page.get_by_role("button", name="Report this denial").click()
    page.get_by_text("it will be sent when the network returns").wait_for()
    assert page.locator("#cp-log-status").get_attribute("data-pending") == "9"
    assert endpoints.uploads == []
    screenshot_checks = page.locator("#cp-log-rows tr").count()
    assert screenshot_checks == 9
    visit(page, "checkpoint-offline-denied")

    # The network returns: the log goes up in one request, with the note.
    endpoints.offline = False
    context.set_offline(False)
    page.locator("#cp-log-status[data-pending='0']").wait_for()
    assert len(endpoints.uploads) == 1
    upload = endpoints.uploads[0]
    assert upload["csrf"], "the upload carries the CSRF token"
    body = upload["body"]
    assert body["community"] == SLUG
    checks = body["checks"]
    assert len(checks) == 9 and len({check["client_id"] for check in checks}) == 9
    assert [check["result"] for check in checks] == [
        "valid", "expired", "revoked", "invalid", "invalid", "valid", "invalid", "valid", "invalid",
    ]  # fmt: skip
    assert set(checks[0]) == {"client_id", "checked_at", "credential_id", "result", "activation", "note"}
    assert checks[0]["credential_id"] == "cred-7Q2K" and checks[0]["activation"] == 5
    assert checks[1]["credential_id"] == "cred-OLD1" and checks[2]["credential_id"] == "cred-REV1"
    assert checks[3]["credential_id"] is None  # nothing of a forged card is believed
    assert checks[-1]["note"] == "Card looks photocopied; holder turned back at Gate 3"
    assert all(check["note"] == "" for check in checks[:-1])
    datetime.datetime.fromisoformat(checks[0]["checked_at"])
    # Back online the bundle is asked again, with the ETag it holds.
    assert endpoints.etag in endpoints.bundle_requests[1:]
    assert page.evaluate("window.__cspViolations") == []


def test_a_visitor_checks_cards_but_keeps_the_log_until_a_member_signs_in(checkpoint):
    context, page, endpoints = checkpoint(bypass_csp=False)
    open_checkpoint(page)
    paste(page, CARDS["revoked"])
    verdict(page, "revoked")
    page.locator("#cp-log-status[data-pending='1']").wait_for()
    page.get_by_role("link", name="log in").wait_for()
    page.wait_for_timeout(300)
    assert endpoints.uploads == []
    assert page.evaluate("window.__cspViolations") == []


def test_the_verification_function_case_by_case(checkpoint):
    """The pure function (checkpoint-verify.js) in Chromium against cards the Python signer made."""
    context, page, endpoints = checkpoint()
    open_checkpoint(page)
    now = int(NOW.timestamp())
    stranger = Signer()
    activations = [
        {"id": 5, "name": "Zone A", "kinds": ["standard", "all"], "facilities": [11, 12],
         "starts_at": iso(NOW - datetime.timedelta(hours=6)), "ends_at": iso(NOW + datetime.timedelta(days=3))},
        {"id": 6, "name": "Zone B next week", "kinds": ["standard", "flex", "multi", "all", "placard"], "facilities": [11],
         "starts_at": iso(NOW + datetime.timedelta(days=7)), "ends_at": iso(NOW + datetime.timedelta(days=9))},
    ]  # fmt: skip
    test_bundle = bundle(
        SLUG, NOW, [SIGNER, OTHER], revoked={SIGNER.kid: [9], OTHER.kid: [3]}, activations=activations
    )
    valid = SIGNER.card(claims(SLUG, NOW))
    header, payload, signature = valid.split(".")

    def respelt(card: str) -> str:
        """The card with its signature's last character spelt otherwise: its unused low bits set, so it
        decodes to the same 64 bytes (86 characters carry 516 bits)."""
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        last = alphabet.index(card[-1])
        return card[:-1] + alphabet[last | 1 if not last & 1 else last & ~1]

    cases = [
        ("valid", valid, {}),
        ("valid with the second key (rotation)", OTHER.card(claims(SLUG, NOW, rid=9)), {}),
        ("expired", SIGNER.card(claims(SLUG, NOW, exp=now - 1)), {}),
        ("expired at the second it ends", SIGNER.card(claims(SLUG, NOW, exp=now)), {}),
        ("not valid yet", SIGNER.card(claims(SLUG, NOW, nbf=now + 60)), {}),
        ("revoked", SIGNER.card(claims(SLUG, NOW, rid=9)), {}),
        ("revoked under its own key", OTHER.card(claims(SLUG, NOW, rid=3)), {}),
        ("forged: another key under our kid", stranger.card(claims(SLUG, NOW), kid=SIGNER.kid), {}),
        ("another community's key", stranger.card(claims("elsewhere", NOW)), {}),
        ("our key, another community", SIGNER.card(claims("elsewhere", NOW)), {}),
        ("one byte changed", one_byte_changed(valid), {}),
        ("signature cut to 63 bytes", valid[:-2], {}),
        ("signature re-spelt: the same bytes, not canonical", respelt(valid), {}),
        (
            "signature of another card",
            f"{header}.{payload}.{SIGNER.card(claims(SLUG, NOW, rid=2)).split('.')[2]}",
            {},
        ),
        ("flex not admitted", SIGNER.card(claims(SLUG, NOW, k="flex")), {}),
        ("facility outside the area", SIGNER.card(claims(SLUG, NOW, fac=[99])), {}),
        ("all areas, no facility", SIGNER.card(claims(SLUG, NOW, k="all", fac=[])), {}),
        ("activation chosen but not current", valid, {"activation": 6}),
        ("after the activation window", valid, {"now": now + 4 * 86400}),
        ("garbage after the prefix", "CG1:not.a.jws!", {}),
        ("no parts", "CG1:abc", {}),
        ("a web address", "https://example.org/card/1", {}),
        ("empty", "", {}),
        ("blanks and a line end around it", "  " + valid + "\n", {}),
        ("lower-case prefix", "cg1:" + valid[4:], {}),
    ]
    # The rule of docs/checkpoint.md ("The verdict"); checkpoint/tests/test_parity.py holds the server to it too.
    expected = [
        "valid", "valid", "expired", "expired", "expired", "revoked", "revoked", "invalid", "foreign", "foreign",
        "invalid", "invalid", "unreadable", "invalid", "inactive", "inactive", "valid", "inactive", "inactive",
        "unreadable", "unreadable", "unreadable", "unreadable", "valid", "unreadable",
    ]  # fmt: skip
    answers = page.evaluate(
        """async ([bundle, cases, now]) => {
          const V = window.CommonGround.checkpointVerify;
          const prepared = await V.prepare(bundle);
          const out = [];
          for (const [name, text, options] of cases) {
            const answer = await V.verify(text, prepared, Object.assign({now: now}, options));
            out.push([name, answer.result, answer.claims && answer.result !== 'invalid' ? answer.claims.id : null]);
          }
          const valid = cases[0][1];
          const times = [];
          for (let i = 0; i < 200; i++) {
            const started = performance.now();
            await V.verify(valid, prepared, {now: now});
            times.push(performance.now() - started);
          }
          times.sort((a, b) => a - b);
          // A revocation list of 100,000 cards: the lookup is a Set's, whatever its length.
          const big = Object.assign({}, bundle, {revocations: [{kid: bundle.keys[0].kid, counter: 1,
            rids: Array.from({length: 100000}, (_, i) => i * 3)}]});
          let started = performance.now();
          const bigPrepared = await V.prepare(big);
          const prepareBig = performance.now() - started;
          started = performance.now();
          const bigAnswer = await V.verify(valid, bigPrepared, {now: now});
          const verifyBig = performance.now() - started;
          return {out, median: times[100], p95: times[190], prepareBig, verifyBig, bigResult: bigAnswer.result};
        }""",
        [test_bundle, [[name, text, options] for name, text, options in cases], now],
    )
    got = [result for _name, result, _id in answers["out"]]
    assert got == expected, [
        (case[0], g, e) for case, g, e in zip(cases, got, expected, strict=True) if g != e
    ]
    print(
        f"\nverify(): median {answers['median']:.2f} ms, 95th percentile {answers['p95']:.2f} ms (200 runs)"
    )
    assert answers["bigResult"] == "valid"  # rid 1 is not a multiple of 3
    print(
        f"100,000 revoked ids: prepared in {answers['prepareBig']:.1f} ms, "
        f"a card verified against them in {answers['verifyBig']:.2f} ms"
    )


def y4m_of(text: str, width: int = 640, height: int = 480) -> bytes:
    """A still video of the card's QR code (segno's matrix, 5 px a module, centred) for Chromium's fake camera."""
    import segno

    matrix = segno.make(text, error="m", micro=False).matrix
    scale, border = 5, 4
    size = (len(matrix) + 2 * border) * scale
    assert size <= min(width, height), size
    luma = bytearray([235]) * (width * height)
    left, top = (width - size) // 2, (height - size) // 2
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                for dy in range(scale):
                    start = (top + (row + border) * scale + dy) * width + left + (column + border) * scale
                    luma[start : start + scale] = bytes([16]) * scale
    chroma = bytes([128]) * (width * height // 2)
    frame = b"FRAME\n" + bytes(luma) + chroma
    return f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode() + frame * 3


def test_the_camera_reads_a_card(browser, app_server, tmp_path):
    """Chromium's fake camera films the valid card; the page reads it by itself and shows green."""
    video = tmp_path / "card.y4m"
    video.write_bytes(y4m_of(CARDS["valid"]))
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"],
        headless=True,
    )  # fmt: skip
    try:
        context = camera_browser.new_context(base_url=app_server.url, viewport=PHONE, permissions=["camera"])
        context.set_default_timeout(15_000)
        Endpoints().attach(context)
        page = context.new_page()
        open_checkpoint(page)
        page.get_by_text("Lists issued").wait_for()
        page.get_by_role("button", name="Scan with the camera").click()
        page.locator("#cp-video").wait_for()
        print(f"\ncamera card verified in {verdict(page, 'valid')} ms after decode")
        assert "Dana Whitfield" in page.locator("#cp-details").inner_text()
        page.get_by_role("button", name="Stop the camera").click()
        page.locator("#cp-video").wait_for(state="hidden")
    finally:
        camera_browser.close()
