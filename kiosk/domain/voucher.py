"""Signed print vouchers: ``ADM1.<base64url(JSON payload)>.<base64url(Ed25519 signature)>``.

The payload names the voucher (``vid``), the document type and the signing key, and carries no
NIK or name: anyone standing behind the citizen can read a QR code.

Verification is offline and cheap, and runs in this order so that hostile input is rejected
before it is parsed:

1. size (at most 512 bytes) and charset; three dot-separated parts with prefix ``ADM1``;
2. strict base64url (unpadded, canonical) for both parts;
3. the Ed25519 signature over the payload *bytes*, tried against every configured key, before
   any JSON parsing. Because the key id sits inside the signed payload, a payload that no key
   verifies is only then parsed (it is at most 512 bytes) to tell ``unknown_key`` from
   ``bad_signature``; nothing from such a payload is trusted;
4. ``kid`` matches the key that verified, ``v == 1``, the schema, then ``iat``/``exp``
   with a clock-skew allowance.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.domain.documents import DocumentType

PREFIX = "ADM1"
MAX_TOKEN_BYTES = 512
_TOKEN_CHARSET = re.compile(r"[A-Za-z0-9_\-.]+")
_B64URL = re.compile(r"[A-Za-z0-9_\-]*")
_VID = re.compile(r"[A-Za-z0-9_\-]{1,40}")
_KID = re.compile(r"[A-Za-z0-9_\-.]{1,32}")


class VoucherErrorCode(StrEnum):
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNSUPPORTED_VERSION = "unsupported_version"


class VoucherError(Exception):
    """A token that must not be used; ``code`` is one of :class:`VoucherErrorCode`."""

    def __init__(self, code: VoucherErrorCode, detail: str) -> None:
        super().__init__(f"{code.value}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class VoucherPayload:
    vid: str
    doc: DocumentType
    iat: datetime
    exp: datetime
    kid: str
    v: int = 1

    def to_json_bytes(self) -> bytes:
        body = {
            "v": self.v,
            "vid": self.vid,
            "doc": self.doc.value,
            "iat": int(self.iat.timestamp()),
            "exp": int(self.exp.timestamp()),
            "kid": self.kid,
        }
        return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode_strict(text: str) -> bytes:
    """Decode unpadded base64url, rejecting padding, stray characters and non-canonical tails."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    padded = text + "=" * (-len(text) % 4)
    try:
        data = base64.b64decode(padded, altchars=b"-_", validate=True)
    except binascii.Error as exc:
        raise ValueError("not base64url") from exc
    if b64url_encode(data) != text:
        raise ValueError("non-canonical base64url")
    return data


def public_key_from_text(text: str) -> Ed25519PublicKey:
    """A public key written in config as base64url of its 32 raw bytes."""
    raw = b64url_decode_strict(text.strip())
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def public_key_to_text(key: Ed25519PublicKey) -> str:
    from cryptography.hazmat.primitives import serialization

    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return b64url_encode(raw)


def mint_token(payload: VoucherPayload, private_key: Ed25519PrivateKey) -> str:
    body = payload.to_json_bytes()
    signature = private_key.sign(body)
    return f"{PREFIX}.{b64url_encode(body)}.{b64url_encode(signature)}"


def looks_like_token(text: str) -> bool:
    """Cheap triage for the scanner: could this code be a voucher at all?"""
    return text.startswith(PREFIX + ".")


def _malformed(detail: str) -> VoucherError:
    return VoucherError(VoucherErrorCode.MALFORMED, detail)


def _split(token: str) -> tuple[bytes, bytes]:
    if not isinstance(token, str):
        raise _malformed("token is not text")
    if len(token.encode("utf-8", "surrogatepass")) > MAX_TOKEN_BYTES:
        raise _malformed(f"token longer than {MAX_TOKEN_BYTES} bytes")
    if not _TOKEN_CHARSET.fullmatch(token):
        raise _malformed("token has characters outside base64url")
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise _malformed("token is not ADM1.<payload>.<signature>")
    try:
        body = b64url_decode_strict(parts[1])
        signature = b64url_decode_strict(parts[2])
    except ValueError as exc:
        raise _malformed(f"bad base64url: {exc}") from None
    if len(signature) != 64 or not body:
        raise _malformed("signature or payload has the wrong length")
    return body, signature


def _parse_json(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _malformed("payload is not JSON") from None
    if not isinstance(data, dict):
        raise _malformed("payload is not a JSON object")
    return data


def _timestamp(data: Mapping[str, Any], name: str) -> datetime:
    value = data.get(name)
    if type(value) is not int or not 0 < value < 2**33:
        raise _malformed(f"{name} must be a positive integer timestamp")
    return datetime.fromtimestamp(value, UTC)


def verify_token(
    token: str,
    keys: Mapping[str, Ed25519PublicKey],
    *,
    now: datetime | None = None,
    clock_skew: timedelta = timedelta(seconds=120),
) -> VoucherPayload:
    """Check a scanned token offline; return its payload or raise :class:`VoucherError`."""
    body, signature = _split(token)
    verified_kid: str | None = None
    for kid, key in keys.items():
        try:
            key.verify(signature, body)
        except InvalidSignature:
            continue
        verified_kid = kid
        break
    data = _parse_json(body)
    claimed_kid = data.get("kid")
    if verified_kid is None:
        if isinstance(claimed_kid, str) and claimed_kid not in keys:
            raise VoucherError(VoucherErrorCode.UNKNOWN_KEY, "no configured key has this kid")
        raise VoucherError(VoucherErrorCode.BAD_SIGNATURE, "signature does not verify")
    if claimed_kid != verified_kid:
        raise VoucherError(VoucherErrorCode.BAD_SIGNATURE, "kid does not match the signing key")
    if data.get("v") != 1:
        raise VoucherError(VoucherErrorCode.UNSUPPORTED_VERSION, f"version {data.get('v')!r}")
    if set(data) != {"v", "vid", "doc", "iat", "exp", "kid"}:
        raise _malformed("payload fields are not v, vid, doc, iat, exp, kid")
    vid, doc = data["vid"], data["doc"]
    if not isinstance(vid, str) or not _VID.fullmatch(vid):
        raise _malformed("vid must be 1-40 characters of [A-Za-z0-9_-]")
    if not _KID.fullmatch(verified_kid):
        raise _malformed("kid has the wrong form")
    try:
        doc_type = DocumentType(doc)
    except ValueError:
        raise _malformed("unknown document type") from None
    iat, exp = _timestamp(data, "iat"), _timestamp(data, "exp")
    if exp <= iat:
        raise _malformed("exp is not after iat")
    now = now or datetime.now(UTC)
    if iat - clock_skew > now:
        raise VoucherError(VoucherErrorCode.NOT_YET_VALID, "issued in the future")
    if exp + clock_skew <= now:
        raise VoucherError(VoucherErrorCode.EXPIRED, "voucher has expired")
    return VoucherPayload(vid=vid, doc=doc_type, iat=iat, exp=exp, kid=verified_kid)
