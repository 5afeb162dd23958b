from __future__ import annotations

import json
from datetime import date

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.document_claim import (
    MAX_CLAIM_BYTES,
    DocumentClaim,
    DocumentClaimError,
    mask_name,
    mint_document_claim,
    verify_document_claim,
)
from kiosk.domain.documents import DocumentType
from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
from kiosk.domain.voucher import VoucherErrorCode, b64url_encode

KEY = sim_voucher_private_key()
KEYS = {SIM_KID: KEY.public_key()}


def _claim(**changes: object) -> DocumentClaim:
    fields: dict[str, object] = {
        "document_id": "DOC-3F2A9C01B7D4E5F6A1B2",
        "doc": DocumentType.AKTA_KELAHIRAN,
        "issued_on": date(2026, 9, 30),
        "holder_masked": mask_name("Siti Rahmawati Nurhaliza"),
        "kid": SIM_KID,
    }
    fields.update(changes)
    return DocumentClaim(**fields)  # type: ignore[arg-type]


def test_round_trip_and_size() -> None:
    claim = _claim()
    text = mint_document_claim(claim, KEY)
    assert text.startswith("ADMDOC1.")
    assert len(text) <= MAX_CLAIM_BYTES
    assert verify_document_claim(text, KEYS) == claim


def test_longest_fields_still_fit() -> None:
    longest = max(DocumentType, key=lambda d: len(d.value))
    claim = _claim(document_id="D" * 24, holder_masked="A" + "*" * 31, kid="k" * 16, doc=longest)
    assert len(mint_document_claim(claim, KEY)) <= MAX_CLAIM_BYTES
    long_name = mask_name("Muhammad Abdurrahman Wahyudiningrat Kusumawardhani")
    assert len(long_name) <= 32
    assert verify_document_claim(mint_document_claim(_claim(holder_masked=long_name), KEY), KEYS)


def test_mint_refuses_fields_out_of_form() -> None:
    with pytest.raises(ValueError, match="document id"):
        mint_document_claim(_claim(document_id="D" * 25), KEY)
    with pytest.raises(ValueError, match="masked"):
        mint_document_claim(_claim(holder_masked="Budi Santoso"), KEY)


def test_no_full_name_in_claim() -> None:
    text = mint_document_claim(_claim(holder_masked=mask_name("Budi Santoso")), KEY)
    assert "BUDI" not in json.dumps(verify_document_claim(text, KEYS).holder_masked)
    assert verify_document_claim(text, KEYS).holder_masked == "B*** S******"


def test_mask_name_handles_odd_input() -> None:
    assert mask_name("  ni  made   ayu ") == "N* M*** A**"
    assert mask_name("") == "*"
    assert mask_name("Ñoño O'Brien") == "**** O******"


def test_forged_signature() -> None:
    text = mint_document_claim(_claim(), Ed25519PrivateKey.generate())
    with pytest.raises(DocumentClaimError) as info:
        verify_document_claim(text, KEYS)
    assert info.value.code is VoucherErrorCode.BAD_SIGNATURE


def test_unknown_key() -> None:
    text = mint_document_claim(_claim(kid="other-9"), Ed25519PrivateKey.generate())
    with pytest.raises(DocumentClaimError) as info:
        verify_document_claim(text, KEYS)
    assert info.value.code is VoucherErrorCode.UNKNOWN_KEY


def _signed(body: dict[str, object]) -> str:
    raw = json.dumps(body).encode()
    return f"ADMDOC1.{b64url_encode(raw)}.{b64url_encode(KEY.sign(raw))}"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (
            {"v": 2, "did": "D1", "doc": "kk", "iss": "2026-01-01", "hm": "A*", "kid": SIM_KID},
            VoucherErrorCode.UNSUPPORTED_VERSION,
        ),
        (
            {"v": 1, "did": "D1", "doc": "kk", "iss": "2026-02-30", "hm": "A*", "kid": SIM_KID},
            VoucherErrorCode.MALFORMED,
        ),
        (
            {"v": 1, "did": "D1", "doc": "pizza", "iss": "2026-01-01", "hm": "A*", "kid": SIM_KID},
            VoucherErrorCode.MALFORMED,
        ),
        (
            {"v": 1, "did": "D1", "doc": "kk", "iss": "2026-01-01", "hm": "Budi", "kid": SIM_KID},
            VoucherErrorCode.MALFORMED,
        ),
        (
            {
                "v": 1,
                "did": "D1",
                "doc": "kk",
                "iss": "2026-01-01",
                "hm": "A*",
                "kid": SIM_KID,
                "nik": "3201010101010001",
            },
            VoucherErrorCode.MALFORMED,
        ),
        (
            {"v": 1, "did": 5, "doc": "kk", "iss": "2026-01-01", "hm": "A*", "kid": SIM_KID},
            VoucherErrorCode.MALFORMED,
        ),
    ],
)
def test_signed_but_invalid_payloads(body: dict[str, object], code: VoucherErrorCode) -> None:
    with pytest.raises(DocumentClaimError) as info:
        verify_document_claim(_signed(body), KEYS)
    assert info.value.code is code


@pytest.mark.parametrize(
    "text",
    ["", "ADMDOC1", "ADM1.a.b", "ADMDOC1.!!.xx", "ADMDOC1.YQ==.YQ", "x" * 400, "ADMDOC1.YQ.YQ"],
)
def test_malformed_text(text: str) -> None:
    with pytest.raises(DocumentClaimError) as info:
        verify_document_claim(text, KEYS)
    assert info.value.code is VoucherErrorCode.MALFORMED


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=350))
def test_junk_only_raises_claim_errors(text: str) -> None:
    with pytest.raises(DocumentClaimError):
        verify_document_claim(text, KEYS)
