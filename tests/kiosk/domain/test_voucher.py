import base64
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.documents import DocumentType
from kiosk.domain.voucher import (
    MAX_TOKEN_BYTES,
    VoucherError,
    VoucherErrorCode,
    VoucherPayload,
    b64url_decode_strict,
    b64url_encode,
    mint_token,
    verify_token,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
KEYS = {"k1": KEY.public_key()}


def payload(**changes: object) -> VoucherPayload:
    base: dict[str, object] = {
        "vid": "V0001",
        "doc": DocumentType.KK,
        "iat": NOW - timedelta(hours=1),
        "exp": NOW + timedelta(days=3),
        "kid": "k1",
    }
    base.update(changes)
    return VoucherPayload(**base)  # type: ignore[arg-type]


def sign_raw(body: dict[str, object], key: Ed25519PrivateKey = KEY) -> str:
    raw = json.dumps(body).encode()
    return f"ADM1.{b64url_encode(raw)}.{b64url_encode(key.sign(raw))}"


def code_of(token: str, **kwargs: object) -> VoucherErrorCode:
    with pytest.raises(VoucherError) as err:
        verify_token(token, KEYS, now=NOW, **kwargs)  # type: ignore[arg-type]
    return err.value.code


def test_round_trip() -> None:
    token = mint_token(payload(), KEY)
    assert len(token) < MAX_TOKEN_BYTES
    got = verify_token(token, KEYS, now=NOW)
    assert got.vid == "V0001" and got.doc is DocumentType.KK and got.kid == "k1"


def test_payload_has_no_personal_data() -> None:
    body = json.loads(b64url_decode_strict(mint_token(payload(), KEY).split(".")[1]))
    assert set(body) == {"v", "vid", "doc", "iat", "exp", "kid"}


def test_bad_signature_and_unknown_key() -> None:
    assert code_of(mint_token(payload(), OTHER)) is VoucherErrorCode.BAD_SIGNATURE
    assert code_of(mint_token(payload(kid="k9"), OTHER)) is VoucherErrorCode.UNKNOWN_KEY
    # a valid signature by k1 over a payload that claims another kid is still refused
    assert code_of(mint_token(payload(kid="k9"), KEY)) is VoucherErrorCode.BAD_SIGNATURE
    token = mint_token(payload(), KEY)
    head, body, sig = token.split(".")
    tampered = b64url_encode(b64url_decode_strict(body).replace(b"V0001", b"V0002"))
    assert code_of(f"{head}.{tampered}.{sig}") is VoucherErrorCode.BAD_SIGNATURE


def test_expiry_and_skew() -> None:
    expired = mint_token(payload(exp=NOW - timedelta(seconds=200)), KEY)
    assert code_of(expired) is VoucherErrorCode.EXPIRED
    within_skew = mint_token(payload(exp=NOW - timedelta(seconds=60)), KEY)
    assert verify_token(within_skew, KEYS, now=NOW).vid == "V0001"
    future = mint_token(payload(iat=NOW + timedelta(hours=1)), KEY)
    assert code_of(future) is VoucherErrorCode.NOT_YET_VALID
    assert code_of(within_skew, clock_skew=timedelta(0)) is VoucherErrorCode.EXPIRED


def test_version_and_schema() -> None:
    base = json.loads(payload().to_json_bytes())
    assert code_of(sign_raw({**base, "v": 2})) is VoucherErrorCode.UNSUPPORTED_VERSION
    assert code_of(sign_raw({**base, "nik": "3201051708900001"})) is VoucherErrorCode.MALFORMED
    assert code_of(sign_raw({**base, "doc": "passport"})) is VoucherErrorCode.MALFORMED
    assert code_of(sign_raw({**base, "iat": "yesterday"})) is VoucherErrorCode.MALFORMED
    assert code_of(sign_raw({**base, "vid": "<script>"})) is VoucherErrorCode.MALFORMED
    assert code_of(sign_raw({**base, "exp": base["iat"]})) is VoucherErrorCode.MALFORMED


def sign_bytes(raw: bytes) -> str:
    return f"ADM1.{b64url_encode(raw)}.{b64url_encode(KEY.sign(raw))}"


@pytest.mark.parametrize("field", ["v", "iat", "exp"])
@pytest.mark.parametrize("kind", ["bool", "float", "text"])
def test_integer_fields_are_ints_not_bools_or_floats(field: str, kind: str) -> None:
    base = json.loads(payload().to_json_bytes())
    value = {"bool": True, "float": float(base[field]), "text": str(base[field])}[kind]
    assert code_of(sign_raw({**base, field: value})) is VoucherErrorCode.MALFORMED


def test_duplicate_keys_are_refused() -> None:
    """JSON lets the last of two equal keys win; a signed payload must mean one thing only."""
    body = payload().to_json_bytes()
    doubled = body[:-1] + b',"vid":"V9999"}'
    assert code_of(sign_bytes(doubled)) is VoucherErrorCode.MALFORMED
    with pytest.raises(VoucherError, match="duplicate key 'vid'"):
        verify_token(sign_bytes(doubled), KEYS, now=NOW)
    assert code_of(sign_bytes(body[:-1] + b',"exp":NaN}')) is VoucherErrorCode.MALFORMED


def test_lifetime_has_a_maximum() -> None:
    from kiosk.domain.voucher import MAX_LIFETIME

    assert MAX_LIFETIME.days == 90
    iat = NOW - timedelta(hours=1)
    longest = mint_token(payload(iat=iat, exp=iat + MAX_LIFETIME), KEY)
    assert verify_token(longest, KEYS, now=NOW).exp == iat + MAX_LIFETIME
    too_long = mint_token(payload(iat=iat, exp=iat + MAX_LIFETIME + timedelta(seconds=1)), KEY)
    assert code_of(too_long) is VoucherErrorCode.MALFORMED
    year_2242 = mint_token(payload(exp=datetime(2242, 1, 1, tzinfo=UTC)), KEY)
    assert code_of(year_2242) is VoucherErrorCode.MALFORMED


@pytest.mark.parametrize(
    "token",
    [
        "",
        "ADM1",
        "ADM2.aaaa.bbbb",
        "ADM1.a.b.c",
        "ADM1.aaaa.bbbb=",
        "ADM1.aa+a.bbbb",
        "ADM1.\u00e9.x",
        "ADM1." + "A" * 600 + ".x",
        "ADM1.e30.short",
    ],
)
def test_malformed(token: str) -> None:
    assert code_of(token) is VoucherErrorCode.MALFORMED


def test_non_canonical_base64_is_refused() -> None:
    token = mint_token(payload(), KEY)
    head, body, sig = token.split(".")
    # flip the unused low bits of the last character: decodes to the same bytes, different text
    last = sig[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    twin = alphabet[alphabet.index(last) ^ 1]
    assert base64.urlsafe_b64decode(sig + "==") == base64.urlsafe_b64decode(sig[:-1] + twin + "==")
    assert code_of(f"{head}.{body}.{sig[:-1]}{twin}") is VoucherErrorCode.MALFORMED


@given(st.text(max_size=700))
def test_random_text_only_raises_voucher_error(token: str) -> None:
    with pytest.raises(VoucherError):
        verify_token(token, KEYS, now=NOW)


@given(st.binary(max_size=300))
def test_signed_junk_payloads_raise_voucher_error(body: bytes) -> None:
    token = f"ADM1.{b64url_encode(body)}.{b64url_encode(KEY.sign(body))}" if body else "ADM1.."
    try:
        verify_token(token, KEYS, now=NOW)
    except VoucherError:
        return
    raise AssertionError("junk payload accepted")


def test_mint_refuses_a_lifetime_over_the_maximum(capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.cli import main as kiosk_main

    assert kiosk_main(["voucher", "mint", "--valid-hours", "2161"]) == 2
    assert kiosk_main(["voucher", "mint", "--valid-hours", "nan"]) == 2
    assert kiosk_main(["voucher", "mint", "--valid-hours", "2160"]) == 0
    assert capsys.readouterr().out.startswith("ADM1.")
