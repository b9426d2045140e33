"""The set-up page's QR code is drawn once for each pending secret (`twofactor.views._QR_CODES`), shown again
as it was drawn, each user's their own, and forgotten once the secret is confirmed."""

import re

import pytest
import segno

from commonground.accounts.twofactor import views

from .twofactor_helpers import code_for

pytestmark = pytest.mark.django_db

ENROL = "/accounts/two-step/set-up/"


def qr_svg(body: str) -> str:
    return re.search(r"<svg.*?</svg>", body, re.S).group(0)


@pytest.fixture(autouse=True)
def _fresh():
    views._QR_CODES.clear()
    yield
    views._QR_CODES.clear()


def test_a_pending_secret_s_qr_code_is_drawn_once_and_is_the_secret_s(client, table, monkeypatch):
    client.force_login(table.member)
    first = qr_svg(client.get(ENROL).content.decode())
    key = client.session["twofactor_pending_key"]
    url = views.TOTPDevice(user=table.member, key=key).config_url
    assert first == segno.make(url, error="m").svg_inline(
        scale=5, dark="#1b1b1b", light="#ffffff", title="QR code of the secret"
    )

    def drawn_again(*args, **kwargs):
        raise AssertionError("the QR code was drawn again")

    with monkeypatch.context() as patched:
        patched.setattr(views.segno, "make", drawn_again)
        assert qr_svg(client.get(ENROL).content.decode()) == first

    other = client.__class__()
    other.force_login(table.admin)
    theirs = qr_svg(other.get(ENROL).content.decode())
    assert theirs != first and other.session["twofactor_pending_key"] != key
    assert len(views._QR_CODES) == 2


def test_a_confirmed_secret_s_qr_code_is_forgotten(client, table):
    client.force_login(table.member)
    client.get(ENROL)
    with_spanish = client.get(ENROL, HTTP_ACCEPT_LANGUAGE="es")
    assert with_spanish.status_code == 200
    key = client.session["twofactor_pending_key"]
    assert len(views._QR_CODES) == 2  # its title in English and in Spanish
    done = client.post(ENROL, {"code": code_for(key)})
    assert done.status_code == 302
    assert len(views._QR_CODES) == 0
