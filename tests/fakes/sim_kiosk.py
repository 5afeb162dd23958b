"""A whole simulated kiosk for UI tests (registry simulator, simulated devices), and the leak
check that goes with it. Shared by the technician and simulator-panel conftests."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from fakes.kiosks import fast_sim_config, started_kiosk
from kiosk.bootstrap import Kiosk

# The in-process registry simulator (FastAPI) runs its handlers on AnyIO's worker threads,
# started on demand and kept for a while after; they belong to the module's simulator, which
# is stopped with the module, not to any one test.
SIMULATOR_POOL_THREAD = "AnyIO worker thread"


@contextlib.contextmanager
def no_leaks() -> Iterator[None]:
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


@contextlib.contextmanager
def running_sim_kiosk(state: Path) -> Iterator[Kiosk]:
    """The simulator config with 0 ms per page and 3 families, started, then stopped."""
    with started_kiosk(state, config=fast_sim_config(families=3)) as kiosk:
        yield kiosk


def click(qtbot, root: QWidget, name: str) -> None:  # type: ignore[no-untyped-def]
    """Click the visible, enabled button called ``name`` (fails if there is none)."""
    matches = [w for w in root.findChildren(QPushButton, name) if w.isVisible() and w.isEnabled()]
    assert matches, f"no visible enabled button {name!r}"
    qtbot.mouseClick(matches[0], Qt.MouseButton.LeftButton)
