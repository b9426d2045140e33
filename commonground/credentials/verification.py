"""The validity rule, the same on the checkpoint page (in the browser) and here (the online check).

A code is valid when: it is signed by a published key of this community; its `iss` is the community's
slug; nbf <= now < exp; its rid is not revoked under its kid; and an activation is current now whose kinds
include its kind and (the kind is "all" or its facilities meet the activation's facilities).

The results, in the order they are decided: unreadable (not a CG1 code), foreign (a key this community does
not publish, or another issuer), invalid (the signature does not hold, or the signed content is malformed),
expired (outside nbf..exp), revoked, inactive (no current activation admits it), valid. Each edge of that
rule is written in docs/checkpoint.md ("The verdict"); the checkpoint page's checkpoint-verify.js follows the
same text, and checkpoint/tests/test_parity.py runs one corpus through both.
"""

from __future__ import annotations

import datetime
import json
import zlib
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from . import signing
from .choices import CheckResult, CredentialStatus
from .models import Credential
from .selectors import (
    activation_facility_ids,
    activations_current_and_upcoming,
    community_facilities,
    published_keys,
)


@dataclass
class Outcome:
    result: str
    reason: str
    claims: dict | None = None

    def credential(self) -> dict | None:
        if not self.claims:
            return None
        c = self.claims
        return {
            "id": c["id"],
            "holder": c["n"],
            "organization": c["o"],
            "facility": c["f"],
            "facilities": c["fac"],
            "kind": c["k"],
            "valid_from": datetime.datetime.fromtimestamp(c["nbf"], datetime.UTC).isoformat(),
            "valid_until": datetime.datetime.fromtimestamp(c["exp"], datetime.UTC).isoformat(),
        }


def admits(activation_kinds, activation_facilities, kind: str, facilities) -> bool:
    return kind in activation_kinds and (kind == "all" or bool(set(facilities) & set(activation_facilities)))


# The largest integer a browser holds exactly: a larger rid, nbf or exp would be read otherwise there.
SAFE_INTEGER = 2**53 - 1
EDGES = " \t\r\n"


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def _strict_json(data: bytes | str):
    """Read JSON as the browser's JSON.parse does: no NaN or Infinity (Python's json takes them)."""
    return json.loads(data, parse_constant=_refuse_constant)


def parse(code) -> signing.ParsedCode:
    """Split a code as `signing.parse_code` does, its header read as the browser reads it (UTF-8, strict
    JSON), surrounding blanks aside; raise `signing.Unreadable` for anything else, however deep or odd."""
    if isinstance(code, str):
        code = code.strip(EDGES)
    try:
        parsed = signing.parse_code(code)
        _strict_json(signing.b64url_decode(code[len(signing.PREFIX) :].split(".")[0]).decode("utf-8-sig"))
    except (ValueError, RecursionError):  # Unreadable, UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise signing.Unreadable("not a CG1 code") from None
    return parsed


def claims_of(parsed: signing.ParsedCode) -> dict:
    """Return the claims as `signing.read_claims` does, refusing what the browser cannot read alike: data
    after the DEFLATE stream, NaN or Infinity, integers beyond 2**53 - 1 (raises ValueError)."""
    try:
        claims = signing.read_claims(parsed)
        inflater = zlib.decompressobj(-15)
        _strict_json(inflater.decompress(parsed.payload, signing.MAX_CLAIMS_BYTES).decode("utf-8"))
    except RecursionError:
        raise ValueError("claims nested too deep") from None
    if inflater.unused_data:
        raise ValueError("data after the claims")
    if any(abs(n) > SAFE_INTEGER for n in [claims["rid"], claims["nbf"], claims["exp"], *claims["fac"]]):
        raise ValueError("an integer beyond what a browser holds exactly")
    return claims


def verify(community, code, *, activation_id: int | None = None, now=None) -> Outcome:
    """Check one QR content against the community's keys, revocations and activations. Never raises on
    bad content."""
    now = now or timezone.now()
    try:
        parsed = parse(code)
    except signing.Unreadable:
        return Outcome(CheckResult.UNREADABLE, _("This is not a Common Ground credential."))
    keys = {key.kid: key for key in published_keys(community)}
    key = keys.get(parsed.kid)
    if key is None:
        return Outcome(
            CheckResult.FOREIGN, _("Not a credential of this community (or its key was withdrawn).")
        )
    try:
        public_key = signing.public_key_of(key.public_jwk)
    except (ValueError, KeyError):
        return Outcome(CheckResult.INVALID, _("The community's key cannot be read."))
    if not signing.signature_valid(public_key, parsed):
        return Outcome(CheckResult.INVALID, _("The signature is invalid: the card was altered or forged."))
    try:
        claims = claims_of(parsed)
    except ValueError:
        return Outcome(CheckResult.INVALID, _("The signed content cannot be read."))
    if claims["iss"] != community.slug:
        return Outcome(CheckResult.FOREIGN, _("Not a credential of this community."))
    stamp = int(now.timestamp())
    if not claims["nbf"] <= stamp < claims["exp"]:
        return Outcome(CheckResult.EXPIRED, _("The credential is expired or not yet valid."), claims)
    # Admitted only while an active credential holds the id: one revoked, superseded, or deleted with its
    # holder or organization is refused.
    if not Credential.objects.filter(key=key, rid=claims["rid"], status=CredentialStatus.ACTIVE).exists():
        return Outcome(CheckResult.REVOKED, _("The credential was revoked."), claims)
    activations = [
        a for a in activations_current_and_upcoming(community, now)
        if a.starts_at <= now < a.ends_at and (activation_id is None or a.pk == activation_id)
    ]  # fmt: skip
    facilities = community_facilities(community) if activations and claims["k"] != "all" else []
    for activation in activations:
        if admits(
            activation.kinds, activation_facility_ids(activation, facilities), claims["k"], claims["fac"]
        ):
            return Outcome(
                CheckResult.VALID,
                _("Valid: admitted by the activation “%(name)s”.") % {"name": activation.name},
                claims,
            )
    return Outcome(CheckResult.INACTIVE, _("Not active for this area or time."), claims)
