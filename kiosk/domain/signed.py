"""Signed compact tokens: ``<PREFIX>.<base64url(JSON payload)>.<base64url(Ed25519 signature)>``.

Voucher tokens (``ADM1``) and document claims (``ADMDOC1``) share this shape and its checks, in
this order, so hostile input is rejected before it is parsed:

1. size and charset; three dot-separated parts with the expected prefix;
2. strict base64url (unpadded, canonical) for both parts;
3. the Ed25519 signature over the payload *bytes*, tried against every configured key, before
   any JSON parsing. The key id sits inside the signed payload, so a payload that no key
   verifies is only then parsed (it is size-bounded) to tell ``unknown_key`` from
   ``bad_signature``; nothing from such a payload is trusted;
4. ``kid`` matches the key that verified, and ``v`` is the integer 1.

The payload parser refuses duplicate keys (JSON's "last one wins" would let two readers see two
payloads) and non-finite numbers. Each caller then checks its own schema; integer fields are
ints, never ``true`` or ``1.0``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

_TOKEN_CHARSET = re.compile(r"[A-Za-z0-9_\-.]+")
_B64URL = re.compile(r"[A-Za-z0-9_\-]*")


class VoucherErrorCode(StrEnum):
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN_KEY = "unknown_key"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    UNSUPPORTED_VERSION = "unsupported_version"


class SignedTokenError(Exception):
    """A signed token that must not be trusted: a stable ``code`` and a technician ``detail``."""

    def __init__(self, code: VoucherErrorCode, detail: str) -> None:
        super().__init__(f"{code.value}: {detail}")
        self.code = code
        self.detail = detail


ErrorFactory = Callable[[VoucherErrorCode, str], Exception]


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


def sign_compact(prefix: str, body: bytes, private_key: Ed25519PrivateKey) -> str:
    return f"{prefix}.{b64url_encode(body)}.{b64url_encode(private_key.sign(body))}"


def _split(text: str, prefix: str, max_bytes: int, error: ErrorFactory) -> tuple[bytes, bytes]:
    def malformed(detail: str) -> Exception:
        return error(VoucherErrorCode.MALFORMED, detail)

    if not isinstance(text, str):
        raise malformed("not text")
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        raise malformed(f"longer than {max_bytes} bytes")
    if not _TOKEN_CHARSET.fullmatch(text):
        raise malformed("characters outside base64url")
    parts = text.split(".")
    if len(parts) != 3 or parts[0] != prefix:
        raise malformed(f"not {prefix}.<payload>.<signature>")
    try:
        body = b64url_decode_strict(parts[1])
        signature = b64url_decode_strict(parts[2])
    except ValueError as exc:
        raise malformed(f"bad base64url: {exc}") from None
    if len(signature) != 64 or not body:
        raise malformed("signature or payload has the wrong length")
    return body, signature


def open_compact(
    text: str,
    *,
    prefix: str,
    max_bytes: int,
    keys: Mapping[str, Ed25519PublicKey],
    error: ErrorFactory,
) -> tuple[dict[str, Any], str]:
    """Steps 1-4 above; returns the payload object and the kid of the key that verified it."""
    body, signature = _split(text, prefix, max_bytes, error)
    verified_kid: str | None = None
    for kid, key in keys.items():
        try:
            key.verify(signature, body)
        except InvalidSignature:
            continue
        verified_kid = kid
        break
    try:
        data = json.loads(
            body.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant
        )
    except _DuplicateKey as exc:
        raise error(VoucherErrorCode.MALFORMED, f"duplicate key {exc} in the payload") from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise error(VoucherErrorCode.MALFORMED, "payload is not JSON") from None
    if not isinstance(data, dict):
        raise error(VoucherErrorCode.MALFORMED, "payload is not a JSON object")
    claimed_kid = data.get("kid")
    if verified_kid is None:
        if isinstance(claimed_kid, str) and claimed_kid not in keys:
            raise error(VoucherErrorCode.UNKNOWN_KEY, "no configured key has this kid")
        raise error(VoucherErrorCode.BAD_SIGNATURE, "signature does not verify")
    if claimed_kid != verified_kid:
        raise error(VoucherErrorCode.BAD_SIGNATURE, "kid does not match the signing key")
    version = data.get("v")
    if type(version) is not int:  # bool is an int subclass, 1.0 == 1: both refused
        raise error(VoucherErrorCode.MALFORMED, "v must be an integer")
    if version != 1:
        raise error(VoucherErrorCode.UNSUPPORTED_VERSION, f"version {version!r}")
    return data, verified_kid


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKey(repr(key[:32]))
        data[key] = value
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
