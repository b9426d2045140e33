"""The contract the checkpoint page relies on: the QR content, the public documents, the online check and
the check-log upload."""

from __future__ import annotations

import base64
import datetime
import json
import uuid
import zlib

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.core.testing import api_client
from commonground.credentials import services, signing
from commonground.credentials.models import CredentialCheck, SigningKey
from commonground.credentials.verification import verify

from .builders import build_program

pytestmark = pytest.mark.django_db
# Fixed once, so that the strategies below draw from the same ranges in every example.
NOW = int(timezone.now().timestamp())


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def world(table):
    built = build_program(table)
    built.table = table
    return built


def test_the_qr_content_follows_the_contract(world):
    code = world.credential.code
    assert code.startswith("CG1:")
    header_b64, payload_b64, signature_b64 = code[4:].split(".")
    assert "=" not in code
    header = json.loads(b64d(header_b64))
    assert header == {"alg": "ES256", "kid": world.credential.key.kid, "zip": "DEF"}
    claims = json.loads(zlib.decompress(b64d(payload_b64), -15))
    assert set(claims) == {"iss", "id", "rid", "n", "o", "f", "fac", "k", "nbf", "exp"}
    assert claims["iss"] == "riverbend"
    assert claims["id"] == world.credential.public_id
    assert claims["fac"] == [world.facility.pk]
    assert claims["k"] == "standard"
    assert claims["exp"] - claims["nbf"] == 730 * 86400
    # The signature is r || s (64 bytes), over the ASCII of header.payload, with the published key.
    signature = b64d(signature_b64)
    assert len(signature) == 64
    jwk = world.credential.key.public_jwk
    public = signing.public_key_of(jwk)
    public.verify(
        encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")),
        f"{header_b64}.{payload_b64}".encode("ascii"),
        ec.ECDSA(hashes.SHA256()),
    )


def test_private_keys_are_encrypted_at_rest(world):
    key = SigningKey.objects.get(community=world.table.community)
    assert "PRIVATE KEY" not in key.private_key
    assert signing.decrypt_private_key(key.private_key).public_key().public_numbers().x == (
        signing.public_key_of(key.public_jwk).public_numbers().x
    )


def test_jwks_is_public_and_cached(world, client):
    response = client.get("/c/riverbend/credentials/jwks.json")
    assert response.status_code == 200
    body = response.json()
    assert body["keys"][0]["kty"] == "EC" and body["keys"][0]["crv"] == "P-256"
    assert set(body["keys"][0]) == {"kty", "crv", "x", "y", "kid", "alg", "use"}
    assert "max-age" in response["Cache-Control"]
    again = client.get("/c/riverbend/credentials/jwks.json", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert client.get("/c/elsewhere/credentials/jwks.json").status_code == 404


def test_checkpoint_bundle(world, client):
    response = client.get("/c/riverbend/credentials/checkpoint.json")
    assert response.status_code == 200
    body = response.json()
    assert body["community"] == "riverbend"
    assert body["keys"][0]["kid"] == world.credential.key.kid
    assert body["revocations"] == [{"kid": world.credential.key.kid, "counter": 0, "rids": []}]
    (activation,) = body["activations"]
    assert activation["id"] == world.activation.pk
    assert activation["kinds"] == ["standard", "multi"]
    assert activation["facilities"] == [world.facility.pk]
    datetime.datetime.fromisoformat(activation["starts_at"])
    etag = response["ETag"]
    assert client.get("/c/riverbend/credentials/checkpoint.json", HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.credential_revoke(
        actor=world.table.cochair, credential=world.credential, reason="Left the company"
    )
    changed = client.get("/c/riverbend/credentials/checkpoint.json", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["revocations"] == [
        {"kid": world.credential.key.kid, "counter": 1, "rids": [world.credential.rid]}
    ]


def verify_api(world, code, activation=None, user=None):
    client = api_client(user or world.table.member)
    response = client.post(
        "/api/v1/credential-verifications/",
        {"community": "riverbend", "code": code, "activation": activation},
        format="json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_a_valid_card_is_valid(world):
    answer = verify_api(world, world.credential.code)
    assert answer["result"] == "valid", answer
    assert answer["credential"]["id"] == world.credential.public_id
    assert verify_api(world, world.credential.code, activation=world.activation.pk)["result"] == "valid"
    assert CredentialCheck.objects.filter(credential_id=world.credential.public_id, note="online").exists()


def sign_with_community_key(community, claims: dict) -> str:
    key = services.signing_key_current(community)
    return signing.sign_claims(signing.decrypt_private_key(key.private_key), key.kid, claims)


def test_expired_revoked_and_inactive(world):
    claims = services.claims_of(world.credential)
    old = dict(claims, nbf=claims["nbf"] - 10**8, exp=claims["nbf"] - 10)
    assert verify_api(world, sign_with_community_key(world.table.community, old))["result"] == "expired"
    outside = dict(claims, fac=[world.facility.pk + 1000])
    assert verify_api(world, sign_with_community_key(world.table.community, outside))["result"] == "inactive"
    placard = dict(claims, k="placard")
    assert verify_api(world, sign_with_community_key(world.table.community, placard))["result"] == "inactive"
    everywhere = dict(claims, k="all", fac=[])
    assert (
        verify_api(world, sign_with_community_key(world.table.community, everywhere))["result"] == "inactive"
    )
    services.credential_revoke(actor=world.table.admin, credential=world.credential, reason="Lost card")
    assert verify_api(world, world.credential.code)["result"] == "revoked"


def test_no_activation_now_is_inactive(table):
    built = build_program(table, activate=False)
    assert verify(table.community, built.credential.code).result == "inactive"
    now = timezone.now()
    later = services.activation_create(
        actor=table.cochair, community=table.community, name="Tomorrow", area=built.area, kinds=["standard"],
        starts_at=now + datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=2),
    )  # fmt: skip
    assert verify(table.community, built.credential.code).result == "inactive"
    assert verify(table.community, built.credential.code, now=later.starts_at).result == "valid"
    wrong_area = services.activation_create(
        actor=table.cochair, community=table.community, name="Far", area=built.far, kinds=["standard"],
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=1),
    )  # fmt: skip
    assert verify(table.community, built.credential.code, activation_id=wrong_area.pk).result == "inactive"


def test_another_communitys_key_is_foreign(world):
    other = signing.new_private_key()
    forged = signing.sign_claims(
        other, signing.kid_of(other.public_key()), services.claims_of(world.credential)
    )
    assert verify_api(world, forged)["result"] == "foreign"
    # The same key id as ours, another key: the signature does not hold.
    forged = signing.sign_claims(other, world.credential.key.kid, services.claims_of(world.credential))
    assert verify_api(world, forged)["result"] == "invalid"
    # Signed by our key but for another issuer.
    claims = dict(services.claims_of(world.credential), iss="elsewhere")
    assert verify_api(world, sign_with_community_key(world.table.community, claims))["result"] == "foreign"


def test_a_withdrawn_key_no_longer_admits(world):
    old = world.credential.key
    services.key_rotate(actor=world.table.cochair, community=world.table.community)
    assert verify_api(world, world.credential.code)["result"] == "valid"
    services.key_withdraw(actor=world.table.cochair, key=old)
    assert verify_api(world, world.credential.code)["result"] == "foreign"


def test_one_changed_byte_is_never_valid(world):
    code = world.credential.code
    for position in range(4, len(code)):
        for replacement in ("A", "_"):
            if code[position] in (replacement, "."):
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            assert verify(world.table.community, changed).result != "valid", position


@settings(max_examples=150)
@given(
    code=st.one_of(
        st.text(max_size=300),
        st.builds(
            lambda a, b, c: f"CG1:{a}.{b}.{c}",
            st.text("ABCabc012-_", max_size=60),
            st.text("ABCabc012-_", max_size=80),
            st.text("ABCabc012-_", max_size=90),
        ),
        st.binary(max_size=200).map(lambda b: "CG1:" + base64.urlsafe_b64encode(b).decode()),
    ),
    activation=st.one_of(st.none(), st.integers(min_value=0, max_value=2**31 - 1)),
)
def test_fuzz_the_verification_endpoint(world, code, activation):
    client = api_client(world.table.member)
    response = client.post(
        "/api/v1/credential-verifications/",
        {"community": "riverbend", "code": code, "activation": activation},
        format="json",
    )
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["result"] != "valid"


@settings(max_examples=60)
@given(data=st.data())
def test_fuzz_a_signed_card_with_wrong_claims(world, data):
    """Signed by the community's key, yet outside its window or the activation's area: never valid."""
    claims = services.claims_of(world.credential)
    now = NOW
    claims["nbf"], claims["exp"] = data.draw(
        st.one_of(
            st.tuples(st.integers(now + 1, now + 10**8), st.integers(now + 2, now + 10**9)),
            st.tuples(st.integers(0, now), st.integers(0, now)),
        )
    )
    if data.draw(st.booleans()):
        claims["fac"] = data.draw(
            st.lists(st.integers(-(2**31), 2**31).filter(lambda i: i != world.facility.pk))
        )
        claims["nbf"], claims["exp"] = now - 10, now + 1000
    code = sign_with_community_key(world.table.community, claims)
    at = datetime.datetime.fromtimestamp(NOW, datetime.UTC)
    assert verify(world.table.community, code, now=at).result != "valid"


def upload(user, payload):
    return api_client(user).post("/api/v1/credential-checks/", payload, format="json")


def test_check_upload_is_idempotent(world):
    check = {
        "client_id": str(uuid.uuid4()), "checked_at": "2026-09-01T12:00:00Z", "credential_id": world.credential.public_id,
        "result": "valid", "activation": world.activation.pk, "note": "",
    }  # fmt: skip
    denial = dict(
        check, client_id=str(uuid.uuid4()), result="revoked", credential_id=None, note="Turned back"
    )
    response = upload(world.table.member, {"community": "riverbend", "checks": [check, denial]})
    assert response.status_code == 201, response.content
    assert response.json() == {"stored": 2, "duplicates": 0}
    response = upload(world.table.member, {"community": "riverbend", "checks": [check, denial, check]})
    assert response.json() == {"stored": 0, "duplicates": 3}
    assert CredentialCheck.objects.filter(note="Turned back", credential_id="").count() == 1


def test_check_upload_refusals(world):
    check = {
        "client_id": str(uuid.uuid4()),
        "checked_at": "2026-09-01T12:00:00Z",
        "result": "valid",
        "note": "",
    }
    before = CredentialCheck.objects.count()
    assert upload(world.table.outsider, {"community": "riverbend", "checks": [check]}).status_code == 404
    assert (
        upload(
            world.table.member, {"community": "riverbend", "checks": [dict(check, result="green")]}
        ).status_code
        == 400
    )
    assert (
        upload(
            world.table.member, {"community": "riverbend", "checks": [dict(check, client_id="x")]}
        ).status_code
        == 400
    )
    assert CredentialCheck.objects.count() == before


def test_a_credential_deleted_with_its_holder_stays_refused_online_and_offline(world):
    """Regression (attacker review): deleting the holder cascaded to the credential row, its id left the
    revocation list, and the card verified again until it expired."""
    from commonground.credentials.selectors import checkpoint_bundle

    credential = world.credential
    code, rid, kid = credential.code, credential.rid, credential.key.kid
    assert verify_api(world, code)["result"] == "valid"
    credential.nomination.person.delete()
    assert not type(credential).objects.filter(pk=credential.pk).exists()
    assert verify_api(world, code)["result"] == "revoked"
    revocations = {r["kid"]: r["rids"] for r in checkpoint_bundle(world.table.community)["revocations"]}
    assert rid in revocations[kid]


def test_the_audit_log_keeps_neither_the_card_nor_the_signing_key(world):
    """Regression (attacker review): the log, which co-chairs of other tables read for a shared organization,
    held each credential's QR content and the community's encrypted private key."""
    from commonground.core.models import AuditEntry

    logged = json.dumps([[entry.object_repr, entry.changes] for entry in AuditEntry.objects.all()])
    assert world.credential.code not in logged
    assert world.credential.code.split(".")[2] not in logged
    assert SigningKey.objects.get(pk=world.credential.key_id).private_key not in logged
