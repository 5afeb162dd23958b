"""Technician screens over a whole simulated kiosk (registry simulator, simulated devices)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.bootstrap import Kiosk, build_kiosk, with_page_delay
from kiosk.config import load_config
from kiosk.config.loader import repo_root
from kiosk.technician import TechnicianSession
from ui.i18n.catalog import Catalog
from ui.technician.overlay import TechnicianOverlay
from ui.theme import TouchMetrics, stylesheet


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


# The in-process registry simulator (FastAPI) runs its handlers on AnyIO's worker threads,
# started on demand and kept for a while after; they belong to the module's simulator, which
# is stopped with the module, not to any one test.
SIMULATOR_POOL_THREAD = "AnyIO worker thread"


@pytest.fixture(autouse=True)
def _no_leaks(qapp: QApplication) -> Iterator[None]:
    """tests/ui/conftest.py's check, minus the registry simulator's own thread pool."""
    threads_before = {t.ident for t in threading.enumerate()}
    widgets_before = set(map(id, QApplication.topLevelWidgets()))
    yield
    for widget in QApplication.topLevelWidgets():
        if id(widget) not in widgets_before and widget.isVisible():
            widget.close()
    QApplication.processEvents()
    leaked = [
        t.name
        for t in threading.enumerate()
        if t.ident not in threads_before and t.is_alive() and t.name != SIMULATOR_POOL_THREAD
    ]
    assert not leaked, f"leaked threads: {leaked}"
    visible = [
        w.objectName() or type(w).__name__
        for w in QApplication.topLevelWidgets()
        if id(w) not in widgets_before and w.isVisible()
    ]
    assert not visible, f"leaked visible windows: {visible}"


@pytest.fixture(scope="module")
def sim_kiosk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kiosk]:
    config = with_page_delay(load_config(repo_root() / "config" / "simulator.toml"), 0)
    config = config.model_copy(
        update={"simulator": config.simulator.model_copy(update={"families": 3})}
    )
    state: Path = tmp_path_factory.mktemp("kiosk")
    kiosk = build_kiosk(config, simulate=True, state_dir=state, serve_metrics=False)
    kiosk.start(background=False)
    yield kiosk
    kiosk.stop()


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
        catalog=Catalog(strict=True),
        metrics=metrics,
        language="en",
    )
    layer.open()
    yield layer
    layer.shutdown()


def click(qtbot, root: QWidget, name: str) -> None:  # type: ignore[no-untyped-def]
    """Click the visible, enabled button called ``name`` (fails if there is none)."""
    matches = [w for w in root.findChildren(QPushButton, name) if w.isVisible() and w.isEnabled()]
    assert matches, f"no visible enabled button {name!r}"
    qtbot.mouseClick(matches[0], Qt.MouseButton.LeftButton)


def enter_pin(qtbot, overlay: TechnicianOverlay, pin: str) -> None:  # type: ignore[no-untyped-def]
    for digit in pin:
        click(qtbot, overlay, f"tech_pin_key_{digit}")
    click(qtbot, overlay, "tech_pin_ok")
