"""A config revision pushed by the registry: ``ADMCFG1.<b64url(JSON)>.<b64url(Ed25519 sig)>``.

Same shape and checks as vouchers (:mod:`kiosk.domain.signed`: size, charset, strict base64url,
the signature over the payload bytes before any JSON parsing, ``kid``, ``v``), signed with the
registry's config key; kiosks hold its public keys by kid (config ``fleet.config_keys``).

The payload::

    {"v": 1, "kid": "...", "rev": 7, "kiosk": "KIOSK-3201-0001" or "*", "iat": 1700000000,
     "sections": {"ui": {...}, "queue": {...}, "registry": {...}}}

``rev`` is the registry's revision number (one sequence for the whole fleet, so a newer
revision for one kiosk or for all always has a higher number); ``kiosk`` names the kiosk it is
for, or ``*`` for every kiosk. Which sections may be pushed, and how they are checked, is
:mod:`kiosk.fleet.pushable`'s business: here only the envelope is checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.domain.signed import SignedTokenError, VoucherErrorCode, open_compact, sign_compact

PREFIX = "ADMCFG1"
MAX_CONFIG_BYTES = 32 * 1024
ALL_KIOSKS = "*"
_KID = re.compile(r"[A-Za-z0-9_\-.]{1,32}")
_KIOSK = re.compile(r"[A-Za-z0-9_\-]{1,64}|\*")
_FIELDS = frozenset({"v", "kid", "rev", "kiosk", "iat", "sections"})
MAX_REVISION = 2**53  # exact in a JSON number anywhere


class ConfigTokenError(SignedTokenError):
    """A pushed config that must not be trusted; ``code`` uses the voucher's error codes."""


@dataclass(frozen=True, slots=True)
class SignedConfig:
    revision: int
    kiosk: str  # a kiosk id, or ALL_KIOSKS
    issued_at: datetime
    sections: Mapping[str, Any]
    kid: str

    def for_kiosk(self, kiosk_id: str) -> bool:
        return self.kiosk in (ALL_KIOSKS, kiosk_id)


def _malformed(detail: str) -> ConfigTokenError:
    return ConfigTokenError(VoucherErrorCode.MALFORMED, detail)


def mint_config(
    *,
    revision: int,
    kiosk: str,
    sections: Mapping[str, Any],
    issued_at: datetime,
    kid: str,
    private_key: Ed25519PrivateKey,
) -> str:
    """Sign a config revision (the registry's side); ``ValueError`` if it breaks the format."""
    if not 0 < revision < MAX_REVISION or not _KIOSK.fullmatch(kiosk) or not _KID.fullmatch(kid):
        raise ValueError("revision, kiosk or kid out of range")
    body = {
        "v": 1,
        "kid": kid,
        "rev": revision,
        "kiosk": kiosk,
        "iat": int(issued_at.timestamp()),
        "sections": dict(sections),
    }
    data = json.dumps(body, separators=(",", ":"), sort_keys=True, allow_nan=False).encode()
    text = sign_compact(PREFIX, data, private_key)
    if len(text) > MAX_CONFIG_BYTES:
        raise ValueError(f"config revision is {len(text)} bytes, more than {MAX_CONFIG_BYTES}")
    return text


def open_config(text: str, keys: Mapping[str, Ed25519PublicKey]) -> SignedConfig:
    """Verify a pushed config's envelope; raises :class:`ConfigTokenError`."""
    data, kid = open_compact(
        text, prefix=PREFIX, max_bytes=MAX_CONFIG_BYTES, keys=keys, error=ConfigTokenError
    )
    if set(data) != _FIELDS:
        raise _malformed("payload fields are not v, kid, rev, kiosk, iat, sections")
    revision, kiosk, iat, sections = data["rev"], data["kiosk"], data["iat"], data["sections"]
    if type(revision) is not int or not 0 < revision < MAX_REVISION:
        raise _malformed("rev must be a positive integer")
    if not isinstance(kiosk, str) or not _KIOSK.fullmatch(kiosk):
        raise _malformed("kiosk must be a kiosk id or *")
    if type(iat) is not int or not 0 < iat < 2**33:
        raise _malformed("iat must be a positive integer timestamp")
    if not isinstance(sections, dict):
        raise _malformed("sections must be an object")
    if not _KID.fullmatch(kid):
        raise _malformed("kid has the wrong form")
    return SignedConfig(
        revision=revision,
        kiosk=kiosk,
        issued_at=datetime.fromtimestamp(iat, UTC),
        sections=sections,
        kid=kid,
    )
