"""Technician screens over a whole simulated kiosk (registry simulator, simulated devices)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fakes.sim_kiosk import click, no_leaks, running_sim_kiosk
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.bootstrap import Kiosk, technician_actions
from kiosk.technician import TechnicianSession
from ui.i18n.catalog import Catalog
from ui.technician.overlay import TechnicianOverlay
from ui.theme import TouchMetrics, stylesheet


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _no_leaks(qapp: QApplication) -> Iterator[None]:
    with no_leaks():
        yield


@pytest.fixture(scope="module")
def sim_kiosk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    with running_sim_kiosk(tmp_path_factory.mktemp("kiosk")) as kiosk:
        yield kiosk


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def overlay(qtbot, qapp: QApplication, sim_kiosk: Kiosk, clock: Clock, metrics: TouchMetrics):  # type: ignore[no-untyped-def]
    qapp.setStyleSheet(stylesheet(metrics))
    host = QWidget()
    host.setObjectName("test_host")
    qtbot.addWidget(host)
    host.resize(1920, 1080)
    host.show()
    qtbot.waitExposed(host)
    session = TechnicianSession(sim_kiosk.config.technician, sim_kiosk.audit, clock=clock)
    layer = TechnicianOverlay(
        host,
        kiosk=sim_kiosk,
        session=session,
        actions=technician_actions(sim_kiosk, session),
        catalog=Catalog(strict=True),
        metrics=metrics,
        language="en",
    )
    layer.open()
    yield layer
    layer.shutdown()


def enter_pin(qtbot, overlay: TechnicianOverlay, pin: str) -> None:  # type: ignore[no-untyped-def]
    for digit in pin:
        click(qtbot, overlay, f"tech_pin_key_{digit}")
    click(qtbot, overlay, "tech_pin_ok")
