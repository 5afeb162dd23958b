"""A whole simulated kiosk (registry simulator over HTTP, simulated devices) per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.bootstrap import Kiosk, build_kiosk, with_page_delay
from kiosk.config import load_config
from kiosk.config.loader import repo_root
from kiosk.config.models import KioskConfig

SIM_PIN = "246810"  # the simulator config's technician PIN


def small_sim_config() -> KioskConfig:
    config = with_page_delay(load_config(repo_root() / "config" / "simulator.toml"), 0)
    simulator = config.simulator.model_copy(update={"families": 3})
    return config.model_copy(update={"simulator": simulator})


@pytest.fixture(scope="module")
def sim_kiosk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    state: Path = tmp_path_factory.mktemp("kiosk")
    kiosk = build_kiosk(small_sim_config(), simulate=True, state_dir=state, serve_metrics=False)
    kiosk.start(background=False)
    yield kiosk
    kiosk.stop()
