"""A test signer that makes re-entry cards exactly as the credentials contract says (docs/checkpoint.md).

QR content: "CG1:" + a compact JWS header.payload.signature (base64url, no padding); header
{"alg": "ES256", "kid": ..., "zip": "DEF"}; payload the raw DEFLATE (wbits=-15) of the UTF-8 JSON claims;
signature ES256 over ASCII(header_b64 + "." + payload_b64) as raw r||s (32 bytes each).
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import io
import json
import zlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


class Signer:
    """One community key: its JWK and the cards it signs."""

    def __init__(self, kid: str | None = None):
        self.key = ec.generate_private_key(ec.SECP256R1())
        numbers = self.key.public_key().public_numbers()
        self.x, self.y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
        self.kid = kid or b64url(hashlib.sha256(self.x + self.y).digest()[:12])

    def jwk(self) -> dict:
        return {"kty": "EC", "crv": "P-256", "x": b64url(self.x), "y": b64url(self.y), "kid": self.kid, "alg": "ES256", "use": "sig"}  # fmt: skip

    def card(self, claims: dict, *, kid: str | None = None) -> str:
        header = b64url(
            json.dumps({"alg": "ES256", "kid": kid or self.kid, "zip": "DEF"}, separators=(",", ":")).encode()
        )
        payload = b64url(
            deflate_raw(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        )
        der = self.key.sign(f"{header}.{payload}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return f"CG1:{header}.{payload}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"

    def verifies(self, card: str) -> bool:
        """Check a card as the browser does (for the signer's own test)."""
        header, payload, signature = card.removeprefix("CG1:").split(".")
        raw = unb64url(signature)
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        try:
            self.key.public_key().verify(
                der, f"{header}.{payload}".encode("ascii"), ec.ECDSA(hashes.SHA256())
            )
        except Exception:
            return False
        return True


def claims_of(card: str) -> dict:
    payload = card.removeprefix("CG1:").split(".")[1]
    return json.loads(zlib.decompress(unb64url(payload), -15))


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def claims(slug: str, now: datetime.datetime, **changes) -> dict:
    """A standard card of one holder at facility 11, valid from a day ago for a year."""
    base = {
        "iss": slug, "id": "cred-7Q2K", "rid": 1, "n": "Dana Whitfield", "o": "Harbor Grocers",
        "f": "Harbor Grocers distribution centre", "fac": [11], "k": "standard",
        "nbf": int((now - datetime.timedelta(days=1)).timestamp()),
        "exp": int((now + datetime.timedelta(days=365)).timestamp()),
    }  # fmt: skip
    base.update(changes)
    return base


def bundle(
    slug: str, now: datetime.datetime, signers: list[Signer], *, revoked: dict | None = None, activations=None
) -> dict:
    """The public checkpoint bundle: keys, a revocation list per key, the activations."""
    revoked = revoked or {}
    if activations is None:
        activations = [{
            "id": 5, "name": "Storm re-entry, Zone A", "kinds": ["standard", "multi", "all"],
            "starts_at": iso(now - datetime.timedelta(hours=6)), "ends_at": iso(now + datetime.timedelta(days=3)),
            "facilities": [11, 12],
        }]  # fmt: skip
    return {
        "community": slug,
        "generated_at": iso(now - datetime.timedelta(minutes=3)),
        "keys": [signer.jwk() for signer in signers],
        "revocations": [
            {"kid": kid, "counter": len(rids), "rids": sorted(rids)} for kid, rids in revoked.items()
        ],
        "activations": activations,
    }


def one_byte_changed(card: str) -> str:
    """The card with one character of its payload changed (still valid base64url)."""
    header, payload, signature = card.split(".")
    middle = len(payload) // 2
    swapped = "A" if payload[middle] != "A" else "B"
    return f"{header}.{payload[:middle]}{swapped}{payload[middle + 1 :]}.{signature}"


def qr_png(text: str) -> bytes:
    """The card's QR code as a PNG, made with segno as the cards are."""
    import segno

    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=6, border=4)
    return out.getvalue()
