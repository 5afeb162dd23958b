"""The registry simulator's voucher signing key: derived from a public label, never a secret.

Real kiosks hold only public keys (config ``vouchers.keys``). This key exists so the simulator
and ``kiosk voucher mint`` can sign synthetic vouchers that the simulator config accepts.
"""

from __future__ import annotations

import hashlib
import hmac

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SIM_KID = "sim-1"
_LABEL = b"adm-kiosk registry simulator voucher key 1 (public, for tests only)"


def sim_voucher_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(_LABEL).digest())


def is_simulator_key(public_key: Ed25519PublicKey) -> bool:
    """True when ``public_key`` is the simulator's (whatever kid a config files it under)."""
    raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
    mine = sim_voucher_private_key().public_key().public_bytes(*raw)
    return hmac.compare_digest(public_key.public_bytes(*raw), mine)
