"""`kiosk fleet-sim`: a small fleet against a registry simulator process on loopback, bounded;
a signed revision reaches every simulated kiosk, between sessions, and the registry sees it."""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fakes.kiosks import fast_sim_config

from kiosk.cli import main
from kiosk.domain.signed_config import mint_config
from kiosk.domain.sim_keys import SIM_CONFIG_KID, sim_config_private_key
from kiosk.fleet.simulation import (
    FleetSimSettings,
    NotLoopback,
    SimKiosk,
    check_loopback,
    run_fleet,
)
from kiosk.fleet.wiring import config_keys
from kiosk.registry_sim.fleet import fleet_kiosk_keys
from kiosk.registry_sim.server import SIM_OPERATORS, start_in_thread


def test_a_fleet_applies_a_push_between_sessions(tmp_path: Path) -> None:
    base = fast_sim_config()
    settings = FleetSimSettings(
        kiosks=40, rounds=1, speedup=300, session_share=0.5, settle_rounds=40, max_seconds=60
    )
    keys = fleet_kiosk_keys(40)
    with start_in_thread(
        db_path=tmp_path / "registry.sqlite", seed=1, families=1, kiosks=keys
    ) as registry:
        report = asyncio.run(
            run_fleet(
                registry.url,
                keys,
                base,
                config_keys(base),
                next(iter(SIM_OPERATORS.items())),
                settings,
            )
        )
    assert report.failed == 0 and not report.stopped_early
    assert report.heartbeats >= 80 and len(report.latencies_ms) == 40
    assert report.applied == 40 and report.registry_saw_all
    # with half the kiosks in sessions of 1-6 minutes, some applied only when theirs ended
    assert report.all_applied_after_s is not None and report.all_applied_after_s > 30
    assert report.fleet_summary["by_config_revision"] == {str(report.push_revision): 40}


def test_a_simulated_kiosk_defers_the_apply_to_the_end_of_its_session() -> None:
    base = fast_sim_config()
    rng = random.Random(1)
    kiosk = SimKiosk("FLEET-0001", "k", base, config_keys(base), rng, 1.0)
    kiosk.advance(0.0)  # session_share 1: a session starts now
    assert kiosk.session_until is not None
    token = mint_config(
        revision=3,
        kiosk="*",
        sections={"ui": {"session_cap_s": 300}},
        issued_at=datetime(2026, 1, 5, tzinfo=UTC),
        kid=SIM_CONFIG_KID,
        private_key=sim_config_private_key(),
    )
    kiosk.push.offer(token)
    assert kiosk.push.applied_revision == 0 and kiosk.push.status()["pending"] == 3
    end = kiosk.session_until
    kiosk.advance(end + 1)
    assert kiosk.push.applied_revision == 3 and kiosk.last_apply_s == end


def test_the_command_line_refuses_a_registry_that_is_not_loopback(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["fleet-sim", "--kiosks", "5", "--url", "http://192.0.2.10:8770"]) == 2
    assert "loopback" in capsys.readouterr().err
    assert main(["fleet-sim", "--kiosks", "50000"]) == 2
    with pytest.raises(NotLoopback):
        check_loopback("http://registry.example:80")


def test_the_command_line_runs_a_small_fleet() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "fleet-sim", "--kiosks", "12", "--rounds", "1",
         "--speedup", "300", "--json", "--max-seconds", "60"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["kiosks"] == 12 and result["registry_saw_all"] is True
