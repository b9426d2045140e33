"""Property-based tests of the server's verifier (verification.verify) on its own, beside the endpoint's
fuzzing in test_contract.py: it never raises, and it never answers "valid" for a text that is not a card the
community's key signed (docs/checkpoint.md, "The verdict")."""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonground.checkpoint.tests.parity_corpus import EDITS, one_edit, sign_raw
from commonground.credentials import services, signing
from commonground.credentials.choices import CheckResult
from commonground.credentials.verification import verify

from .builders import build_program

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=200)
STRANGER = signing.new_private_key()
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture
def world(table):
    built = build_program(table)
    built.table = table
    built.now = datetime.datetime.now(datetime.UTC)
    return built


def check(world, text) -> str:
    return verify(world.table.community, text, now=world.now).result


def test_the_genuine_card_is_valid(world):
    assert check(world, world.credential.code) == CheckResult.VALID


@FUZZ
@given(data=st.data())
def test_one_edit_to_a_card_is_never_valid(world, data):
    code = world.credential.code
    position = data.draw(st.integers(0, len(code) - 1))
    edit = data.draw(st.sampled_from(EDITS))
    character = data.draw(st.sampled_from(B64 + ".=+/ :é\x00"))
    edited = one_edit(code, position, edit, character)
    if edited.strip(" \t\r\n") != code:  # blanks around a card are not an edit of it
        assert check(world, edited) != CheckResult.VALID, (edit, position, character)


@FUZZ
@given(header=JSON_VALUES, claims=JSON_VALUES, our_kid=st.booleans(), deflate=st.booleans())
def test_anything_another_key_signs_is_never_valid(world, header, claims, our_kid, deflate):
    """Any header and any claims, even the card's own, signed by a key that is not the community's."""
    kid = world.credential.key.kid if our_kid else signing.kid_of(STRANGER.public_key())
    if isinstance(header, dict) and header:
        header = dict(header, alg="ES256", kid=kid, zip="DEF")
    if claims == {}:
        claims = services.claims_of(world.credential)
    payload = signing.compact_json(claims)
    code = sign_raw(STRANGER, json.dumps(header).encode(), signing.deflate(payload) if deflate else payload)
    assert check(world, code) != CheckResult.VALID


@FUZZ
@given(claims=st.dictionaries(st.sampled_from(list(signing.CLAIM_TYPES)), JSON_VALUES, max_size=10))
def test_claims_of_any_shape_signed_by_our_key_never_raise(world, claims):
    """Our key, any claims: a verdict, never an exception; valid only for claims of the contract's types."""
    key = services.signing_key_current(world.table.community)
    code = signing.sign_claims(signing.decrypt_private_key(key.private_key), key.kid, claims)
    result = check(world, code)
    if result == CheckResult.VALID:
        assert set(claims) == set(signing.CLAIM_TYPES)


@FUZZ
@given(
    text=st.one_of(
        st.text(max_size=400),
        st.text(B64 + ".", max_size=400).map(lambda t: "CG1:" + t),
        st.builds(
            lambda h, p, s: "CG1:" + ".".join(signing.b64url(x) for x in (h, p, s)),
            st.one_of(st.binary(max_size=120), JSON_VALUES.map(lambda v: json.dumps(v).encode())),
            st.binary(max_size=200),
            st.binary(min_size=60, max_size=70),
        ),
        # Deep nesting in the header once raised RecursionError (a 500 from the endpoint).
        st.integers(1, 3000).map(lambda n: f"CG1:{signing.b64url(b'[' * n)}.AA.AA"),
    )
)
def test_arbitrary_text_is_never_valid_and_never_raises(world, text):
    assert check(world, text) != CheckResult.VALID
