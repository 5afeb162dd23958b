"""The registry's side of the graph: its client (or the in-process simulator), the keys
scanned codes are checked against, and the audit log whose chain head the heartbeat reports."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from kiosk.audit import AuditKeyError, AuditLog
from kiosk.audit.chain_key import read_key
from kiosk.config import ConfigError
from kiosk.config.models import KioskConfig
from kiosk.domain.voucher import public_key_from_text
from kiosk.registry.client import RegistryClient

if TYPE_CHECKING:
    from kiosk.registry_sim.server import RunningSimulator


def start_registry_simulator(config: KioskConfig, state_dir: Path) -> RunningSimulator:
    """The registry simulator of ``config`` on a free loopback port (simulate mode only)."""
    from kiosk.registry_sim.server import start_in_thread

    return start_in_thread(
        db_path=state_dir / "registry-sim.sqlite",
        seed=config.simulator.seed,
        families=config.simulator.families,
        kiosks={config.registry.kiosk_id: config.simulator.kiosk_key},
        port=0,
    )


def registry_client(
    config: KioskConfig, *, simulate: bool, url: str | None = None
) -> RegistryClient:
    """The registry client of ``config`` (at ``url`` if given); a simulated kiosk uses the
    simulator's kiosk key, a production one its key file."""
    settings = config.registry
    if url is not None:
        settings = settings.model_copy(update={"url": url.rstrip("/")})
    return RegistryClient(settings, key=config.simulator.kiosk_key if simulate else None)


def audit_log(config: KioskConfig | None, state: Path) -> AuditLog:
    """The kiosk's audit log in ``<state>/audit``, chained with the key ``audit.key_file``
    names; without one (simulator mode, where the production rules allow it) the key generated
    in the audit directory. An unusable key file is a :class:`~kiosk.config.ConfigError`."""
    key_file = config.audit.key_file if config is not None else None
    if key_file is None:
        return AuditLog(state / "audit")
    try:
        key = read_key(key_file)
    except AuditKeyError as exc:
        source = str(config.source) if config is not None and config.source else "<config>"
        raise ConfigError(source, [("audit.key_file", str(exc))]) from None
    return AuditLog(state / "audit", key=key)


def trusted_keys(
    config: KioskConfig, *, simulate: bool
) -> tuple[dict[str, Ed25519PublicKey], dict[str, Ed25519PublicKey]]:
    """The voucher keys and the document-claim keys the session checks codes against.

    Claim keys come from ``vouchers.claim_keys``; only in simulator mode does an empty table
    fall back to the voucher keys (the registry simulator signs both with its one key)."""
    vouchers = config.vouchers
    keys = {kid: public_key_from_text(text) for kid, text in vouchers.keys.items()}
    claims = {kid: public_key_from_text(text) for kid, text in vouchers.claim_keys.items()}
    return keys, claims if claims or not simulate else dict(keys)
