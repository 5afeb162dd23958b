"""The simulator's tools exist in a simulated kiosk only: fault panel, KIOSK_PAUSE_AT hook."""

from __future__ import annotations

from pathlib import Path

import certifi
import pytest
from fakes.kiosks import fast_sim_config

from kiosk.bootstrap import build_kiosk
from kiosk.config import KioskConfig, load_config, repo_root
from kiosk.engine.ports import no_pause


def production_config(tmp_path: Path) -> KioskConfig:
    """The production template, with a key file of its own and nothing to reach."""
    config = load_config(repo_root() / "config" / "kiosk.toml")
    key = tmp_path / "kiosk.key"
    key.write_text("a-production-kiosk-key-for-tests\n")
    tls = {"ca_file": certifi.where(), "client_cert": None, "client_key": None}
    registry = config.registry.model_copy(update={"key_file": key, **tls})
    chain_key = tmp_path / "audit.key"
    chain_key.write_bytes(b"k" * 32)
    chain_key.chmod(0o600)
    audit = config.audit.model_copy(update={"key_file": chain_key})
    return config.model_copy(
        update={"registry": registry, "audit": audit, "state_dir": tmp_path / "state"}
    )


def test_a_production_kiosk_ignores_the_pause_hook_and_has_no_fault_panel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_PAUSE_AT", "submitted")
    kiosk = build_kiosk(
        production_config(tmp_path), simulate=False, devices_only=(), serve_metrics=False
    )
    try:
        assert kiosk.faults is None
        for hooked in (kiosk.transaction, kiosk.outbox, kiosk.recovery):
            assert hooked.pause is no_pause, hooked
        assert not list(kiosk.state_dir.glob("paused-*"))
    finally:
        kiosk.stop()


def test_a_simulated_kiosk_honours_the_pause_hook_and_injects_faults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_PAUSE_AT", "submitted")
    kiosk = build_kiosk(
        fast_sim_config(families=1), simulate=True, state_dir=tmp_path, serve_metrics=False
    )
    try:
        assert kiosk.faults is not None
        assert set(kiosk.faults.injectable()) == {
            *("camera", "receipt", "document", "card"),
            *("wedge", "serial"),  # the simulated scanners of config/simulator.toml
        }
        assert kiosk.transaction.pause is not no_pause
        kiosk.transaction.pause("reserving")  # any other step passes straight through
        assert not (tmp_path / "paused-reserving").exists()
    finally:
        kiosk.stop()
