"""Simulated kiosks for tests: the simulator config made fast, and a kiosk started and stopped.

Plain Python (no Qt), so engine, fuzz and security tests use it as the UI tests do.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from kiosk.bootstrap import Kiosk, build_kiosk, with_page_delay
from kiosk.config import KioskConfig, load_config, repo_root


def fast_sim_config(*, page_delay_ms: int = 0, families: int | None = None) -> KioskConfig:
    """config/simulator.toml with the simulated printers' time per page set (0: instant)."""
    config = with_page_delay(load_config(repo_root() / "config" / "simulator.toml"), page_delay_ms)
    if families is None:
        return config
    simulator = config.simulator.model_copy(update={"families": families})
    return config.model_copy(update={"simulator": simulator})


@contextlib.contextmanager
def started_kiosk(
    state: Path, *, registry_url: str | None = None, config: KioskConfig | None = None
) -> Iterator[Kiosk]:
    """A simulated kiosk (its own registry simulator unless ``registry_url``), then stopped."""
    kiosk = build_kiosk(
        config or fast_sim_config(),
        simulate=True,
        state_dir=state,
        registry_url=registry_url,
        serve_metrics=False,
    )
    kiosk.start(background=False)
    try:
        yield kiosk
    finally:
        kiosk.stop()
