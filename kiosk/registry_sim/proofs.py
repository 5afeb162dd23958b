"""Verification proofs: what a successful verify/identify hands out and reserve demands.

``VP1.<b64url(JSON {"k": kiosk, "v": vid, "e": expiry})>.<b64url(HMAC-SHA256)>``. Opaque to the
kiosk; bound to one kiosk and one voucher and valid for a few minutes, so a kiosk key alone
(without the citizen's PIN) cannot reserve, and so cannot print, anyone's voucher.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math

from kiosk.domain.voucher import b64url_decode_strict, b64url_encode

PREFIX = "VP1"
DEFAULT_PROOF_SECONDS = 300.0


class ProofError(ValueError):
    """The proof is missing, forged, stale, or bound to another kiosk or voucher."""


class ProofMaker:
    def __init__(self, secret: bytes, *, valid_seconds: float = DEFAULT_PROOF_SECONDS) -> None:
        if len(secret) < 16:
            raise ValueError("proof secret must be at least 16 bytes")
        self._secret = secret
        self.valid_seconds = valid_seconds

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._secret, b"proof\x00" + body, hashlib.sha256).digest()

    def mint(self, kiosk_id: str, vid: str, now: float) -> str:
        expiry = math.floor(now + self.valid_seconds)
        body = json.dumps({"k": kiosk_id, "v": vid, "e": expiry}, separators=(",", ":")).encode()
        return f"{PREFIX}.{b64url_encode(body)}.{b64url_encode(self._mac(body))}"

    def check(self, proof: str, *, kiosk_id: str, vid: str, now: float) -> None:
        """Raise :class:`ProofError` unless ``proof`` is ours, fresh, and for this kiosk+voucher."""
        parts = proof.split(".")
        if len(parts) != 3 or parts[0] != PREFIX:
            raise ProofError("not a verification proof")
        try:
            body, mac = b64url_decode_strict(parts[1]), b64url_decode_strict(parts[2])
        except ValueError:
            raise ProofError("not a verification proof") from None
        if not hmac.compare_digest(mac, self._mac(body)):
            raise ProofError("verification proof is forged")
        data = json.loads(body)  # our own signed bytes
        if data.get("k") != kiosk_id:
            raise ProofError("verification proof belongs to another kiosk")
        if data.get("v") != vid:
            raise ProofError("verification proof is for another voucher")
        if not isinstance(data.get("e"), int) or data["e"] <= now:
            raise ProofError("verification proof has expired; verify the PIN again")
