"""The checkpoint page and its service worker: open to anyone, no inline script, the contract's addresses in
data- attributes; the test signer makes cards exactly as the contract says."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from .signer import Signer, bundle, claims, claims_of, one_byte_changed, qr_png

NOW = datetime.datetime(2026, 9, 1, 12, tzinfo=datetime.UTC)


def page_url(table):
    return reverse("checkpoint:page", kwargs={"slug": table.community.slug})


@pytest.mark.parametrize("role", [None, "outsider", "member", "cochair"])
def test_anyone_opens_the_checkpoint(client, table, role):
    if role:
        client.force_login(getattr(table, role) if role == "outsider" else table.user(role))
    response = client.get(page_url(table))
    assert response.status_code == 200
    body = response.content.decode()
    slug = table.community.slug
    assert f'data-bundle-url="/c/{slug}/credentials/checkpoint.json"' in body
    assert 'data-upload-url="/api/v1/credential-checks/"' in body
    assert f'data-service-worker-url="/c/{slug}/checkpoint/sw.js"' in body
    assert f'data-signed-in="{1 if role else 0}"' in body
    assert "vendor/jsqr/jsQR.js" in body and "commonground/checkpoint.js" in body
    # No inline script or style (the Content-Security-Policy refuses them).
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", body)
    assert " style=" not in body and "<style" not in body
    assert "csrftoken" in response.cookies


def test_an_unknown_community_is_a_404(client, table):
    assert client.get("/c/no-such-place/checkpoint/").status_code == 404
    assert client.get("/c/no-such-place/checkpoint/sw.js").status_code == 404


def test_the_service_worker_covers_the_page_and_keeps_its_files(client, table):
    slug = table.community.slug
    response = client.get(f"/c/{slug}/checkpoint/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == f"/c/{slug}/checkpoint/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    settings = json.loads(re.search(r"self\.CHECKPOINT = (\{.*\});", body).group(1))
    assert settings["page"] == f"/c/{slug}/checkpoint/"
    assert settings["bundle"] == f"/c/{slug}/credentials/checkpoint.json"
    assert "/jsi18n/" in settings["assets"]
    assert any(asset.endswith("checkpoint-verify.js") for asset in settings["assets"])
    assert "importScripts(" in body and "checkpoint-sw.js" in body
    assert client.post(f"/c/{slug}/checkpoint/sw.js").status_code == 405


def test_the_dashboard_links_to_the_checkpoint(client, table):
    client.force_login(table.member)
    body = client.get(
        reverse("communities:dashboard", kwargs={"slug": table.community.slug})
    ).content.decode()
    assert page_url(table) in body


def test_the_test_signer_follows_the_contract():
    signer, other = Signer(), Signer()
    card = signer.card(claims("riverbend", NOW))
    assert card.startswith("CG1:") and "=" not in card and card.count(".") == 2
    header = json.loads(__import__("base64").urlsafe_b64decode(card[4:].split(".")[0] + "=="))
    assert header == {"alg": "ES256", "kid": signer.kid, "zip": "DEF"}
    assert claims_of(card)["iss"] == "riverbend"
    assert signer.verifies(card) and not other.verifies(card)
    assert not signer.verifies(one_byte_changed(card))
    made = bundle("riverbend", NOW, [signer], revoked={signer.kid: [3, 1]})
    assert made["revocations"] == [{"kid": signer.kid, "counter": 2, "rids": [1, 3]}]
    assert qr_png(card).startswith(b"\x89PNG")


def test_who_does_not_sit_at_the_table_gets_no_menu_of_closed_links(client, table):
    client.force_login(table.outsider)
    body = client.get(page_url(table)).content.decode()
    assert f"/c/{table.community.slug}/organizations/" not in body
    assert table.community.name in body
    client.force_login(table.member)
    assert f"/c/{table.community.slug}/organizations/" in client.get(page_url(table)).content.decode()
