"""A registry simulator on 127.0.0.1:0 for the HTTP-level tests; stopped with no leaked threads."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.registry_sim.server import RunningSimulator, start_in_thread

KIOSKS = {"KIOSK-S1": "sim-test-key-1"}


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[RunningSimulator]:
    before = set(threading.enumerate())
    running = start_in_thread(
        db_path=tmp_path / "registry.sqlite", seed=3, families=2, kiosks=KIOSKS
    )
    yield running
    running.stop()
    deadline = time.monotonic() + 5
    while {t for t in threading.enumerate() if t not in before and t.is_alive()}:
        assert time.monotonic() < deadline, "the simulator leaked threads"
        time.sleep(0.01)


@pytest.fixture
def auth() -> dict[str, str]:
    return {"X-Kiosk-Id": "KIOSK-S1", "Authorization": "Bearer sim-test-key-1"}
