"""Signed print vouchers: ``ADM1.<base64url(JSON payload)>.<base64url(Ed25519 signature)>``.

The payload names the voucher (``vid``), the document type and the signing key, and carries no
NIK or name: anyone standing behind the citizen can read a QR code.

Verification is offline and cheap: the checks of :mod:`kiosk.domain.signed` (size, charset,
strict base64url, the signature before any JSON parsing, kid, version), then the schema, then
``iat``/``exp`` with a clock-skew allowance. A voucher lives at most :data:`MAX_LIFETIME`
(``exp - iat``, 90 days): a token that claims to be valid for longer is malformed, whoever
signed it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.domain.documents import DocumentType
from kiosk.domain.signed import (
    SignedTokenError,
    VoucherErrorCode,
    b64url_decode_strict,
    b64url_encode,
    open_compact,
    sign_compact,
)

__all__ = [
    "MAX_LIFETIME",
    "MAX_TOKEN_BYTES",
    "PREFIX",
    "VoucherError",
    "VoucherErrorCode",
    "VoucherPayload",
    "b64url_decode_strict",
    "b64url_encode",
    "looks_like_token",
    "mint_token",
    "public_key_from_text",
    "public_key_to_text",
    "verify_token",
]

PREFIX = "ADM1"
MAX_TOKEN_BYTES = 512
MAX_LIFETIME = timedelta(days=90)  # the registry issues vouchers for weeks, never years
_VID = re.compile(r"[A-Za-z0-9_\-]{1,40}")
_KID = re.compile(r"[A-Za-z0-9_\-.]{1,32}")


class VoucherError(SignedTokenError):
    """A token that must not be used; ``code`` is one of :class:`VoucherErrorCode`."""


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
    return sign_compact(PREFIX, payload.to_json_bytes(), private_key)


def looks_like_token(text: str) -> bool:
    """Cheap triage for the scanner: could this code be a voucher at all?"""
    return text.startswith(PREFIX + ".")


def _malformed(detail: str) -> VoucherError:
    return VoucherError(VoucherErrorCode.MALFORMED, detail)


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
    data, verified_kid = open_compact(
        token, prefix=PREFIX, max_bytes=MAX_TOKEN_BYTES, keys=keys, error=VoucherError
    )
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
    if exp - iat > MAX_LIFETIME:
        raise _malformed(f"valid for longer than {MAX_LIFETIME.days} days")
    now = now or datetime.now(UTC)
    if iat - clock_skew > now:
        raise VoucherError(VoucherErrorCode.NOT_YET_VALID, "issued in the future")
    if exp + clock_skew <= now:
        raise VoucherError(VoucherErrorCode.EXPIRED, "voucher has expired")
    return VoucherPayload(vid=vid, doc=doc_type, iat=iat, exp=exp, kid=verified_kid)
