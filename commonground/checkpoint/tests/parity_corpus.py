"""The parity corpus: QR contents made in Python, one for each edge of the verdict (docs/checkpoint.md, "The
verdict"), that the server's verifier (credentials/verification.py) and the checkpoint's
(checkpoint-verify.js, in Chromium) must answer alike. `test_parity.py` runs both.

Each case is (name, text, options, expected); options are {"activation": id or None, "later": seconds after
the corpus's moment}. The expected verdict is written down too, so a case that both verifiers get wrong the
same way still fails.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import random
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from django.utils import timezone

from commonground.credentials import services, signing
from commonground.registry.models import Person

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass
class Case:
    name: str
    text: object
    expected: str | None  # None: any verdict but "valid", so long as both verifiers give it
    activation: int | None = None
    later: int = 0
    extra: dict = field(default_factory=dict)


def sign_raw(private_key, header, payload: bytes) -> str:
    """A code with any header (a dict, or bytes as they are) and any payload bytes, truly signed."""
    header_bytes = header if isinstance(header, bytes) else signing.compact_json(header)
    head, body = signing.b64url(header_bytes), signing.b64url(payload)
    r, s = decode_dss_signature(private_key.sign(f"{head}.{body}".encode("ascii"), ec.ECDSA(hashes.SHA256())))
    return f"CG1:{head}.{body}.{signing.b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def respelt(part: str) -> str:
    """The same bytes with the last character's unused low bits set: a non-canonical spelling."""
    last = ALPHABET.index(part[-1])
    return part[:-1] + ALPHABET[last | 1]


def flip_byte(part: str, index: int) -> str:
    data = bytearray(signing.b64url_decode(part))
    data[index] ^= 0x01
    return signing.b64url(bytes(data))


def second_credential(world):
    """A second holder (the private organization's admin) with an active card, approved by both sides."""
    table = world.table
    person = Person.objects.get(user=table.admin)
    nomination = services.nomination_create(
        actor=table.admin, community=table.community, organization=table.private_org, person=person,
        kind="standard", facilities=[world.facility], reason="shutdown", reason_detail="Shuts the plant down.",
        job_role="Plant manager",
    )  # fmt: skip
    services.nomination_acknowledge(actor=table.admin, nomination=nomination)
    services.nomination_approve(actor=table.cochair, nomination=nomination)
    return services.nomination_approve(actor=table.other_admin, nomination=nomination)


def build(world) -> tuple[list[Case], datetime.datetime]:
    """The corpus for a world of `credentials.tests.builders.build_program` (a current activation), and the
    moment it is to be verified at (after the cards were issued: a card is valid from the second it is)."""
    table, community = world.table, world.table.community
    revoked_code = world.credential.code
    services.credential_revoke(actor=table.admin, credential=world.credential, reason="Card lost")
    credential = second_credential(world)
    now = timezone.now()
    valid = credential.code
    key = services.signing_key_current(community)
    private = signing.decrypt_private_key(key.private_key)
    claims = services.claims_of(credential)
    stamp = int(now.timestamp())
    later = services.activation_create(
        actor=table.cochair, community=community, name="Tomorrow", area=world.area, kinds=["standard"],
        starts_at=now + datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=2),
    )  # fmt: skip
    far = services.activation_create(
        actor=table.cochair, community=community, name="Far", area=world.far, kinds=["standard", "all"],
        starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=5),
    )  # fmt: skip
    header = {"alg": "ES256", "kid": key.kid, "zip": "DEF"}

    def ours(**changes) -> str:
        return signing.sign_claims(private, key.kid, dict(claims, **changes))

    def raw_claims(text: bytes | str, head=None) -> str:
        data = text.encode("utf-8") if isinstance(text, str) else text
        return sign_raw(private, head or header, signing.deflate(data))

    stranger = signing.new_private_key()
    head, body, signature = valid[4:].split(".")
    compact = signing.compact_json(claims).decode()
    # A name deflate cannot shrink much (hex digits), long enough to pass the 4,096 characters a code may have.
    huge_name = ours(n="".join(hashlib.sha256(str(i).encode()).hexdigest() for i in range(110)))
    assert len(huge_name) > signing.MAX_CODE_LENGTH
    cases = [
        # What a card is.
        Case("valid", valid, "valid"),
        Case("valid, the activation chosen", valid, "valid", activation=world.activation.pk),
        Case("valid, blanks and a line end around it", "  " + valid + "\r\n", "valid"),
        Case("expired", ours(nbf=stamp - 10**8, exp=stamp - 10), "expired"),
        Case("expired at the second it ends", ours(exp=stamp), "expired"),
        Case("not valid yet", ours(nbf=stamp + 60), "expired"),
        Case("revoked", revoked_code, "revoked"),
        Case("revoked and expired: expired first", ours(rid=world.credential.rid, exp=stamp - 1), "expired"),
        # Area and window.
        Case("facility outside the area", ours(fac=[world.facility.pk + 1000]), "inactive"),
        Case("kind the activation does not admit", ours(k="placard"), "inactive"),
        Case("all areas, not admitted by the kinds in force", ours(k="all", fac=[]), "valid"),
        Case("all areas, the chosen activation not admitting it", ours(k="all", fac=[]), "inactive",
             activation=world.activation.pk),
        Case("chosen activation elsewhere", valid, "inactive", activation=far.pk),
        Case("chosen activation not begun", valid, "inactive", activation=later.pk),
        Case("chosen activation unknown", valid, "inactive", activation=987654),
        Case("after every window", valid, "inactive", later=3 * 86400),
        Case("tomorrow's activation, tomorrow", valid, "valid", later=86400 + 60),
        # Whose card.
        Case("another community's key", signing.sign_claims(stranger, signing.kid_of(stranger.public_key()), claims),
             "foreign"),
        Case("our kid, another key (forged)", signing.sign_claims(stranger, key.kid, claims), "invalid"),
        Case("our key, another community", ours(iss="elsewhere"), "foreign"),
        Case("our key, issuer of another case", ours(iss=community.slug.upper()), "foreign"),
        # One byte changed.
        Case("one byte changed in the signature", f"CG1:{head}.{body}.{flip_byte(signature, 10)}", "invalid"),
        Case("one byte changed in the payload", f"CG1:{head}.{flip_byte(body, len(body) // 4)}.{signature}",
             "invalid"),
        Case("one character changed in the kid", sign_raw(private, dict(header, kid=key.kid[:-1] + "A"),
                                                          signing.deflate(signing.compact_json(claims))),
             "foreign" if not key.kid.endswith("A") else "valid"),
        Case("signature of another card", f"CG1:{head}.{body}.{revoked_code.split('.')[2]}", "invalid"),
        Case("signature cut to 63 bytes", valid[:-2], "invalid"),
        Case("signature of 65 bytes", f"CG1:{head}.{body}.{signing.b64url(signing.b64url_decode(signature) + b'0')}",
             "invalid"),
        Case("no signature", f"CG1:{head}.{body}.", "invalid"),
        # The prefix and the spelling.
        Case("lower-case prefix", "cg1:" + valid[4:], "unreadable"),
        Case("mixed-case prefix", "Cg1:" + valid[4:], "unreadable"),
        Case("no prefix", valid[4:], "unreadable"),
        Case("a blank inside", valid[:40] + " " + valid[40:], "unreadable"),
        Case("non-canonical signature", f"CG1:{head}.{body}.{respelt(signature)}", "unreadable"),
        Case("non-canonical header", f"CG1:{respelt(head)}.{body}.{signature}", "unreadable")
        if len(head) % 4 else Case("header padded", f"CG1:{head}=.{body}.{signature}", "unreadable"),
        Case("padding", f"CG1:{head}.{body}.{signature}==", "unreadable"),
        Case("standard base64 alphabet", f"CG1:{head}.{body}.{signature.replace('-', '+').replace('_', '/')}",
             "unreadable" if ("-" in signature or "_" in signature) else "valid"),
        Case("a length no base64 has", f"CG1:{head}.{body}.{signature}AAA", "unreadable"),
        # The header.
        Case("no zip header", sign_raw(private, {"alg": "ES256", "kid": key.kid}, compact.encode()), "unreadable"),
        Case("no zip header, deflated payload",
             sign_raw(private, {"alg": "ES256", "kid": key.kid}, signing.deflate(compact.encode())), "unreadable"),
        Case("zip GZIP", raw_claims(compact, dict(header, zip="GZIP")), "unreadable"),
        Case("zip in lower case", raw_claims(compact, dict(header, zip="def")), "unreadable"),
        Case("zip null", raw_claims(compact, dict(header, zip=None)), "unreadable"),
        Case("alg ES384", raw_claims(compact, dict(header, alg="ES384")), "unreadable"),
        Case("alg none", f"CG1:{signing.b64url(signing.compact_json(dict(header, alg='none')))}.{body}.", "unreadable"),
        Case("kid a number", raw_claims(compact, dict(header, kid=7)), "unreadable"),
        Case("no kid", raw_claims(compact, {"alg": "ES256", "zip": "DEF"}), "unreadable"),
        Case("header an array", raw_claims(compact, b'["ES256"]'), "unreadable"),
        Case("header with NaN", raw_claims(compact, signing.compact_json(header)[:-1] + b',"x":NaN}'), "unreadable"),
        Case("header in UTF-16", raw_claims(compact, json.dumps(header).encode("utf-16")), "unreadable"),
        Case("header with a byte-order mark", raw_claims(compact, b"\xef\xbb\xbf" + signing.compact_json(header)),
             "valid"),
        Case("header with an extra member", raw_claims(compact, dict(header, typ="JWT")), "valid"),
        Case("header nested 3,000 deep", f"CG1:{signing.b64url(b'[' * 3000)}.{body}.{signature}", "unreadable"),
        Case("header not JSON", f"CG1:{signing.b64url(b'alg=ES256')}.{body}.{signature}", "unreadable"),
        # Claims signed by our key, of the wrong form.
        Case("claims not deflated", sign_raw(private, header, compact.encode()), "invalid"),
        Case("claims deflated, then junk", raw_claims(signing.deflate(compact.encode()) + b"junk"), "invalid"),
        Case("claims cut short", sign_raw(private, header, signing.deflate(compact.encode())[:-3]), "invalid"),
        Case("claims over 8,192 bytes", raw_claims(compact[:-1] + ',"pad":"' + " " * 9000 + '"}'), "invalid"),
        Case("claims with a byte-order mark", raw_claims(b"\xef\xbb\xbf" + compact.encode()), "invalid"),
        Case("claims not UTF-8", raw_claims(compact.encode().replace(b'"k":"', b'"k":"\xff')), "invalid"),
        Case("claims an array", raw_claims(f"[{compact}]"), "invalid"),
        Case("claims with NaN", raw_claims(compact[:-1] + ',"x":NaN}'), "invalid"),
        Case("claims nested 3,500 deep", raw_claims(compact[:-1] + ',"x":' + "[" * 3500 + "]" * 3500 + "}"),
             "invalid"),
        Case("claims with an extra member", raw_claims(compact[:-1] + ',"x":1.5}'), "valid"),
        Case("exp a string", ours(exp=str(claims["exp"])), "invalid"),
        Case("nbf a string", ours(nbf=str(claims["nbf"])), "invalid"),
        Case("rid a string", ours(rid=str(claims["rid"])), "invalid"),
        Case("rid true", ours(rid=True), "invalid"),
        Case("rid null", ours(rid=None), "invalid"),
        Case("rid written 1.0", raw_claims(compact.replace(f'"rid":{claims["rid"]}', f'"rid":{claims["rid"]}.0')),
             "invalid"),
        Case("exp written with an exponent", raw_claims(compact.replace(f'"exp":{claims["exp"]}', '"exp":4e9')),
             "invalid"),
        Case("rid beyond 2**53", ours(rid=2**60 + claims["rid"]), "invalid"),
        Case("exp beyond 2**53", ours(exp=2**53), "invalid"),
        Case("exp at 2**53 - 1", ours(exp=2**53 - 1), "valid"),
        Case("fac a number", ours(fac=world.facility.pk), "invalid"),
        Case("fac of strings", ours(fac=[str(world.facility.pk)]), "invalid"),
        Case("iss a number", ours(iss=7), "invalid"),
        Case("k null", ours(k=None), "invalid"),
        Case("holder missing", signing.sign_claims(private, key.kid, {k: v for k, v in claims.items() if k != "n"}),
             "invalid"),
        # Size and garbage.
        Case("a card too long to be ours (a 7,040-character name)", huge_name, "unreadable"),
        Case("a megabyte after the prefix", "CG1:" + "A" * 1_000_000, "unreadable"),
        Case("empty", "", "unreadable"),
        Case("only blanks", " \n\t", "unreadable"),
        Case("only the prefix", "CG1:", "unreadable"),
        Case("three empty parts", "CG1:..", "unreadable"),
        Case("two parts", f"CG1:{head}.{body}", "unreadable"),
        Case("four parts", f"{valid}.{signature}", "unreadable"),
        Case("garbage", "not a credential at all", "unreadable"),
        Case("a web address", "https://example.org/card/1", "unreadable"),
        Case("garbage after the prefix", "CG1:not.a.jws!", "unreadable"),
        Case("non-ASCII after the prefix", "CG1:é.é.é", "unreadable"),
        Case("a NUL", "CG1:\x00.\x00.\x00", "unreadable"),
    ]  # fmt: skip
    return cases, now


EDITS = ["replace", "insert", "delete", "truncate", "swap case"]


def one_edit(code: str, position: int, edit: str, character: str) -> str:
    """The card's code with one edit (one of EDITS) at `position`, as a mistyped or tampered card."""
    return {
        "replace": lambda: code[:position] + character + code[position + 1 :],
        "insert": lambda: code[:position] + character + code[position:],
        "delete": lambda: code[:position] + code[position + 1 :],
        "truncate": lambda: code[:position],
        "swap case": lambda: code[:position] + code[position].swapcase() + code[position + 1 :],
    }[edit]()


def mutations(code: str, *, count: int, seed: int = 19) -> list[Case]:
    """Random one-character edits of a valid card (the same ones every run): never valid, the same verdict
    on both sides."""
    chance = random.Random(seed)
    characters = ALPHABET + ".=+/ :é\x00"
    cases = []
    for number in range(count):
        position = chance.randrange(len(code))
        character = chance.choice(characters)
        edit = chance.choice(EDITS)
        edited = one_edit(code, position, edit, character)
        if edited.strip(" \t\r\n") != code:
            cases.append(Case(f"edit {number}: {edit} at {position} ({character!r})", edited, None))
    return cases
