"""`kiosk session` against `kiosk registry-sim`, both as separate processes, as the issue writes.

Also `--simulate` without `--registry`: the simulator then runs in-process on the state
directory's own database, whose vouchers `kiosk registry-sim --list-vouchers` can show.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config.loader import repo_root

pytestmark = pytest.mark.slow
CONFIG = str(repo_root() / "config" / "simulator.toml")


def kiosk(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def ready_vouchers(db: Path, families: int) -> list[dict[str, Any]]:
    listed = kiosk("registry-sim", "--db", str(db), "--families", str(families), "--list-vouchers")
    assert listed.returncode == 0, listed.stderr
    return [v for v in json.loads(listed.stdout) if v["status"] == "ready"]


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "registry.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "registry-sim", "--port", "0", "--db", str(db),
         "--families", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "listening on" in line, line + (proc.stderr.read() if proc.stderr else "")
        yield line.rsplit(" ", 1)[-1].strip(), db
    finally:
        proc.terminate()
        proc.wait(15)


def test_session_against_a_registry_sim_process(registry: tuple[str, Path], tmp_path: Path) -> None:
    url, db = registry
    voucher = next(v for v in ready_vouchers(db, 3) if v["doc"] in ("kk", "biodata"))
    state = tmp_path / "state"
    args = ("session", "--config", CONFIG, "--registry", url, "--state-dir", str(state),
            "--token", voucher["token"], "--simulate")  # fmt: skip
    first = kiosk(*args, "--pin", voucher["pin"])
    assert (first.returncode, first.stdout.strip()) == (0, "printed"), first.stderr
    assert list((state / "paper").rglob("*.pdf"))
    again = kiosk(*args, "--pin", voucher["pin"], "--json")
    assert again.returncode == 1
    assert json.loads(again.stdout)["outcome"] == "VOUCHER_ALREADY_PRINTED"
    wrong = kiosk(*args, "--pin", "000000")
    assert wrong.returncode == 1
    audit = kiosk("audit", "verify", "--state-dir", str(state))
    assert audit.returncode == 0, audit.stdout + audit.stderr
    listing = kiosk("journal", "list", "--state-dir", str(state), "--json")
    assert [r["state"] for r in json.loads(listing.stdout)] == ["committed"]


def test_simulate_without_registry_uses_the_state_dirs_own_simulator(tmp_path: Path) -> None:
    state = tmp_path / "state"
    # the in-process simulator seeds <state>/registry-sim.sqlite from the config (24 families)
    vouchers = ready_vouchers(state / "registry-sim.sqlite", 24)
    voucher = next(v for v in vouchers if v["doc"] in ("ktp", "kia"))
    done = kiosk(
        "session", "--config", CONFIG, "--state-dir", str(state), "--token", voucher["token"],
        "--pin", voucher["pin"], "--simulate", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "printed"
    assert list((state / "paper" / "cards").glob("*.png"))
    recovered = kiosk("recover", "--config", CONFIG, "--state-dir", str(state), "--simulate")
    assert recovered.returncode == 0, recovered.stderr
