"""A whole simulated kiosk (registry simulator over HTTP, simulated devices) per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.kiosks import fast_sim_config, started_kiosk

from kiosk.bootstrap import Kiosk
from kiosk.config.models import KioskConfig

SIM_PIN = "246810"  # the simulator config's technician PIN


def small_sim_config() -> KioskConfig:
    return fast_sim_config(families=3)


@pytest.fixture(scope="module")
def sim_kiosk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    state: Path = tmp_path_factory.mktemp("kiosk")
    with started_kiosk(state, config=small_sim_config()) as kiosk:
        yield kiosk
