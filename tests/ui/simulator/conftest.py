"""The simulator panel over a whole simulated kiosk (registry simulator, simulated devices)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes.sim_kiosk import no_leaks, running_sim_kiosk
from PySide6.QtWidgets import QApplication

from kiosk.bootstrap import Kiosk


@pytest.fixture(autouse=True)
def _no_leaks(qapp: QApplication) -> Iterator[None]:
    with no_leaks():
        yield


@pytest.fixture(scope="module")
def sim_kiosk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    with running_sim_kiosk(tmp_path_factory.mktemp("kiosk")) as kiosk:
        yield kiosk


@pytest.fixture
def panel(qtbot, sim_kiosk: Kiosk):  # type: ignore[no-untyped-def]
    from ui.simulator.panel import build_panel

    widget = build_panel(sim_kiosk, sim_kiosk.config)
    qtbot.addWidget(widget)
    widget.resize(700, 1000)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()
