"""The community's signing keys and the QR content they sign (the contract the checkpoint page reads).

QR content: `CG1:` + a JWS compact serialization `header.payload.signature` (base64url, no padding).
The header is {"alg":"ES256","kid":...,"zip":"DEF"}; the payload is the raw DEFLATE (as SMART Health Cards
do) of the compact JSON claims {"iss","id","rid","n","o","f","fac","k","nbf","exp"}; the signature is
ES256 over ASCII(header_b64 + "." + payload_b64) in the JWS form, r || s (64 bytes), what Web Crypto reads.

Private keys are kept encrypted at rest with Fernet, under a key derived from `CREDENTIALS_KEY_SECRET`
(the `SECRET_KEY` when unset).
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from django.conf import settings

PREFIX = "CG1:"
# A QR code holds a few kilobytes at most; anything longer is not ours and is not parsed.
MAX_CODE_LENGTH = 4096
MAX_CLAIMS_BYTES = 8192


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or any(c not in _B64URL for c in text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    # Only the canonical spelling: the unused low bits of the last character must be zero, or one card
    # would have several QR contents (and a changed character would still verify).
    if b64url(data) != text:
        raise ValueError("not canonical base64url")
    return data


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _fernet() -> Fernet:
    secret = getattr(settings, "CREDENTIALS_KEY_SECRET", "") or settings.SECRET_KEY
    digest = hashlib.sha256(b"commonground.credentials:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def new_private_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def encrypt_private_key(key: ec.EllipticCurvePrivateKey) -> str:
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return _fernet().encrypt(pem).decode("ascii")


def decrypt_private_key(token: str) -> ec.EllipticCurvePrivateKey:
    return serialization.load_pem_private_key(_fernet().decrypt(token.encode("ascii")), password=None)


def public_jwk(public_key: ec.EllipticCurvePublicKey, kid: str) -> dict:
    numbers = public_key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": b64url(numbers.x.to_bytes(32, "big")),
        "y": b64url(numbers.y.to_bytes(32, "big")),
        "kid": kid,
        "alg": "ES256",
        "use": "sig",
    }


def kid_of(public_key: ec.EllipticCurvePublicKey) -> str:
    """The RFC 7638 thumbprint of the key (as SMART Health Cards name their keys)."""
    jwk = public_jwk(public_key, "")
    canonical = json.dumps(
        {k: jwk[k] for k in ("crv", "kty", "x", "y")}, separators=(",", ":"), sort_keys=True
    )
    return b64url(hashlib.sha256(canonical.encode()).digest())


def public_key_of(jwk: dict) -> ec.EllipticCurvePublicKey:
    x = int.from_bytes(b64url_decode(jwk["x"]), "big")
    y = int.from_bytes(b64url_decode(jwk["y"]), "big")
    return ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()


def compact_json(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def inflate(data: bytes) -> bytes:
    decompressor = zlib.decompressobj(-15)
    out = decompressor.decompress(data, MAX_CLAIMS_BYTES)
    if decompressor.unconsumed_tail or not decompressor.eof:
        raise ValueError("payload too large or truncated")
    return out


def sign_claims(private_key: ec.EllipticCurvePrivateKey, kid: str, claims: dict) -> str:
    """Return the QR content for the claims, signed by the key."""
    header = b64url(compact_json({"alg": "ES256", "kid": kid, "zip": "DEF"}))
    payload = b64url(deflate(compact_json(claims)))
    signing_input = f"{header}.{payload}".encode("ascii")
    r, s = decode_dss_signature(private_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
    return f"{PREFIX}{header}.{payload}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


class Unreadable(ValueError):
    """The content is not a CG1 code at all."""


@dataclass(frozen=True)
class ParsedCode:
    kid: str
    signing_input: bytes
    signature: bytes
    payload: bytes  # deflated claims, not yet trusted


def parse_code(code) -> ParsedCode:
    """Split a CG1 code into its parts, checking only its form (raises Unreadable)."""
    if not isinstance(code, str) or len(code) > MAX_CODE_LENGTH or not code.startswith(PREFIX):
        raise Unreadable("not a CG1 code")
    parts = code[len(PREFIX) :].split(".")
    if len(parts) != 3:
        raise Unreadable("not three parts")
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload = b64url_decode(parts[1])
        signature = b64url_decode(parts[2])
    except (ValueError, UnicodeDecodeError) as error:
        raise Unreadable(str(error)) from None
    if (
        not isinstance(header, dict)
        or header.get("alg") != "ES256"
        or header.get("zip") != "DEF"
        or not isinstance(header.get("kid"), str)
    ):
        raise Unreadable("unexpected header")
    return ParsedCode(
        kid=header["kid"],
        signing_input=f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature=signature,
        payload=payload,
    )


def signature_valid(public_key: ec.EllipticCurvePublicKey, parsed: ParsedCode) -> bool:
    if len(parsed.signature) != 64:
        return False
    r = int.from_bytes(parsed.signature[:32], "big")
    s = int.from_bytes(parsed.signature[32:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), parsed.signing_input, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True


CLAIM_TYPES = {
    "iss": str, "id": str, "rid": int, "n": str, "o": str, "f": str, "fac": list, "k": str, "nbf": int, "exp": int,
}  # fmt: skip


def read_claims(parsed: ParsedCode) -> dict:
    """Return the claims of a code whose signature was checked (raises ValueError when malformed)."""
    try:
        claims = json.loads(inflate(parsed.payload).decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(str(error)) from None
    if not isinstance(claims, dict):
        raise ValueError("claims are not an object")
    for name, kind in CLAIM_TYPES.items():
        value = claims.get(name)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueError(f"claim {name} missing or of the wrong type")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in claims["fac"]):
        raise ValueError("facility ids are not integers")
    return claims
