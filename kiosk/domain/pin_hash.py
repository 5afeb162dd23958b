"""Salted scrypt hashes for the technician PIN: ``scrypt$n$r$p$<salt>$<hash>`` (base64url)."""

from __future__ import annotations

import hashlib
import hmac
import os
from itertools import pairwise

from kiosk.domain.voucher import b64url_decode_strict, b64url_encode

_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${b64url_encode(salt)}${b64url_encode(digest)}"


def trivial_pin(pin: str) -> str | None:
    """Why ``pin`` is too easy to guess, or None: one digit repeated (``000000``), or a run
    up or down by one (``123456``, ``987654``, ``345678``) - the first PINs anyone tries."""
    if len(set(pin)) == 1:
        return "one digit repeated"
    steps = {int(b) - int(a) for a, b in pairwise(pin)}
    if steps in ({1}, {-1}):
        return "a run of consecutive digits"
    return None


def verify_pin(pin: str, stored: str) -> bool:
    """Constant-time check of ``pin`` against a stored hash; a malformed hash never matches."""
    try:
        scheme, n, r, p, salt_text, hash_text = stored.split("$")
        if scheme != "scrypt":
            return False
        n_i, r_i, p_i = int(n), int(r), int(p)
        if not (2**10 <= n_i <= 2**20 and 1 <= r_i <= 32 and 1 <= p_i <= 16):
            return False
        salt, expected = b64url_decode_strict(salt_text), b64url_decode_strict(hash_text)
    except ValueError:
        return False
    digest = hashlib.scrypt(
        pin.encode(), salt=salt, n=n_i, r=r_i, p=p_i, dklen=len(expected), maxmem=2**26
    )
    return hmac.compare_digest(digest, expected)
