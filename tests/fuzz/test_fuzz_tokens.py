"""Voucher tokens and document-claim QRs: mutated, random, huge and wrongly typed input.

Whatever the scanner hands over, the outcome is a payload that really verifies under a
configured key, or the parser's own error type, quickly; never another exception.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fuzz.byte_mutations import mutations, within
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.domain.document_claim import (
    MAX_CLAIM_BYTES,
    DocumentClaim,
    DocumentClaimError,
    mint_document_claim,
    verify_document_claim,
)
from kiosk.domain.documents import DocumentType
from kiosk.domain.voucher import (
    MAX_TOKEN_BYTES,
    VoucherError,
    VoucherPayload,
    b64url_encode,
    mint_token,
    verify_token,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(3, 35)))
KEYS = {"k1": KEY.public_key(), "k2": OTHER.public_key()}
TOKEN = mint_token(
    VoucherPayload(
        vid="V0001",
        doc=DocumentType.KK,
        iat=NOW - timedelta(hours=1),
        exp=NOW + timedelta(days=3),
        kid="k1",
    ),
    KEY,
)
CLAIM = mint_document_claim(
    DocumentClaim(
        document_id="DOC-0123456789ABCDEF0123",
        doc=DocumentType.AKTA_KELAHIRAN,
        issued_on=date(2026, 11, 1),
        holder_masked="B*** S******",
        kid="k1",
    ),
    KEY,
)
FAST = 0.5  # seconds: a kiosk verifies a scanned code on every stable frame


def _voucher(text: Any) -> VoucherPayload | VoucherError:
    try:
        return within(FAST, lambda: verify_token(text, KEYS, now=NOW))
    except VoucherError as error:
        outcome = error
    assert outcome.code.value in outcome.args[0]
    return outcome


def _claim(text: Any) -> DocumentClaim | DocumentClaimError:
    try:
        return within(FAST, lambda: verify_document_claim(text, KEYS))
    except DocumentClaimError as error:
        return error


def test_the_seeds_verify() -> None:
    assert isinstance(_voucher(TOKEN), VoucherPayload)
    assert isinstance(_claim(CLAIM), DocumentClaim)


def _as_text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="surrogateescape")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=mutations(TOKEN.encode()))
def test_mutated_voucher_tokens(raw: bytes) -> None:
    outcome = _voucher(_as_text(raw))
    if isinstance(outcome, VoucherPayload):
        # Only a token whose signed part is intact may pass: same payload bytes as the seed.
        assert _as_text(raw).split(".")[1] == TOKEN.split(".")[1]
        assert outcome.vid == "V0001" and outcome.kid == "k1"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=mutations(CLAIM.encode()))
def test_mutated_document_claims(raw: bytes) -> None:
    outcome = _claim(_as_text(raw))
    if isinstance(outcome, DocumentClaim):
        assert _as_text(raw).split(".")[1] == CLAIM.split(".")[1]


_json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
)
_json = st.recursive(
    _json_leaf,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=12,
)
_near_payload = st.fixed_dictionaries(
    {},
    optional={
        "v": st.sampled_from([1, 1.0, True, "1", 2, None]),
        "vid": st.sampled_from(["V1", "", "a" * 41, "V 1", "V\u00e91"]) | st.text(max_size=50),
        "doc": st.sampled_from([d.value for d in DocumentType] + ["KK", "x", 1]),
        "iat": st.sampled_from([0, -1, 1, 2**33, 1.5, "1", True]) | st.integers(-5, 2**40),
        "exp": st.sampled_from([0, 2**33 - 1, 2**33, 1e300, None]) | st.integers(-5, 2**40),
        "kid": st.sampled_from(["k1", "k2", "k3", "", "k1 "]) | st.text(max_size=40),
        "did": st.text(max_size=30),
        "iss": st.sampled_from(["2026-02-30", "2026-11-01", "0000-01-01", "+2026-1-1"]),
        "hm": st.sampled_from(["B*** S******", "", "b***", "Ä"]) | st.text(max_size=40),
        "extra": _json,
    },
)


@settings(max_examples=300, deadline=None)
@given(body=_near_payload | _json, key=st.sampled_from([KEY, OTHER]), claim=st.booleans())
def test_signed_but_wrong_payloads(body: Any, key: Ed25519PrivateKey, claim: bool) -> None:
    """Properly signed junk: the checks after the signature must hold on their own."""
    raw = json.dumps(body).encode()
    prefix = "ADMDOC1" if claim else "ADM1"
    text = f"{prefix}.{b64url_encode(raw)}.{b64url_encode(key.sign(raw))}"
    outcome = _claim(text) if claim else _voucher(text)
    if isinstance(outcome, VoucherPayload):
        assert len(text) <= MAX_TOKEN_BYTES
        assert outcome.iat < outcome.exp and outcome.kid == {KEY: "k1", OTHER: "k2"}[key]
        assert outcome.iat - timedelta(seconds=120) <= NOW < outcome.exp + timedelta(seconds=120)
    if isinstance(outcome, DocumentClaim):
        assert len(text) <= MAX_CLAIM_BYTES


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=700) | st.binary(max_size=700).map(_as_text))
def test_random_text(text: str) -> None:
    assert not isinstance(_voucher(text), VoucherPayload)
    assert not isinstance(_claim(text), DocumentClaim)


@pytest.mark.parametrize(
    "value", [None, 7, 1.5, b"ADM1.a.b", ["ADM1"], {"t": 1}, object(), bytearray(b"x")]
)
def test_wrongly_typed_input(value: Any) -> None:
    assert isinstance(_voucher(value), VoucherError)
    assert isinstance(_claim(value), DocumentClaimError)


@pytest.mark.parametrize(
    "make",
    [
        lambda: "ADM1." + "A" * 10_000_000 + ".x",  # 10 MB of valid base64url
        lambda: "ADMDOC1." + "A" * 10_000_000 + ".x",
        lambda: "\udcff" * 2_000_000,  # lone surrogates (what a broken decoder hands over)
        lambda: "." * 5_000_000,
        lambda: "ADM1." + "é" * 3_000_000,
    ],
)
def test_huge_input_is_refused_by_size_first(make: Any) -> None:
    text = make()
    started = time.perf_counter()
    assert isinstance(_voucher(text), VoucherError)
    assert isinstance(_claim(text), DocumentClaimError)
    assert time.perf_counter() - started < 1.0
