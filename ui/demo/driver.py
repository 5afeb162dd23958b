"""Driving the real kiosk window like a citizen would, for the scripted demo.

Clicks go through QTest onto buttons found by object name (and are counted: the journeys'
taps); waits run the Qt event loop (no sleeps on the GUI thread) until the engine's view says
what we expect. Every screen the window shows is grabbed to a PNG with its time since the demo
started, measured (ui.demo.measure) and refused if its texts hold a whole NIK.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.engine.view import Screen, SessionView
from ui.demo.measure import Measurements, nik_runs, texts_of
from ui.window import KioskWindow

log = logging.getLogger(__name__)


class DemoError(RuntimeError):
    """The kiosk did not do what the script expected (the report still gets written)."""


@dataclass
class Shot:
    scenario: str
    caption: str
    screen: str
    png: str  # file name inside the output folder
    at_s: float  # seconds since the demo started


@dataclass
class Scenario:
    title: str
    started_s: float
    ended_s: float = 0.0
    ok: bool = True
    note: str = ""
    artefacts: list[tuple[str, str]] = field(default_factory=list)  # (caption, file name)


class DemoDriver:
    def __init__(
        self,
        app: QApplication,
        window: KioskWindow,
        top: QWidget,
        out: Path,
        *,
        capture: bool = True,
    ) -> None:
        self.app = app
        self.capture = capture  # False: no screenshots (the GUI-stall benchmark)
        self.window = window
        self.top = top
        self.out = out
        self.shots: list[Shot] = []
        self.scenarios: list[Scenario] = []
        self.t0 = time.monotonic()
        self._count = 0
        self.taps = 0  # every click so far (journeys count the difference)
        self.measure = Measurements()

    # -- timing and scenarios ---------------------------------------------------------------

    def now(self) -> float:
        return time.monotonic() - self.t0

    def scenario(self, title: str) -> Scenario:
        current = Scenario(title=title, started_s=self.now())
        self.scenarios.append(current)
        log.info("demo: %s", title)
        return current

    @property
    def current(self) -> Scenario:
        return self.scenarios[-1]

    # -- waiting ----------------------------------------------------------------------------

    def pump(self, ms: int = 10) -> None:
        """Run the event loop for about ``ms`` milliseconds."""
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def settle(self, rounds: int = 6) -> None:
        """Let layouts finish (wrapped texts ask for their height over a few passes)."""
        for _ in range(rounds):
            QApplication.sendPostedEvents()
            QApplication.processEvents()
        self.pump(20)

    def wait_until(self, predicate: Callable[[], bool], timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while not predicate():
            if time.monotonic() > deadline:
                view = self.window.current_view
                screen = view.screen.value if view else "?"
                raise DemoError(f"timed out waiting for {what} (screen {screen})")
            self.pump(10)

    def view(self) -> SessionView:
        view = self.window.current_view
        if view is None:
            raise DemoError("the window shows no view")
        return view

    def wait_screen(self, screen: Screen, timeout_s: float = 20.0) -> SessionView:
        self.wait_until(
            lambda: self.window.current_screen is screen and not self.view().busy,
            timeout_s,
            f"screen {screen.value}",
        )
        self.settle()  # let wrapped labels settle before a screenshot
        return self.view()

    # -- acting -----------------------------------------------------------------------------

    def button(self, name: str) -> QPushButton:
        for widget in self.window.findChildren(QPushButton, name):
            if widget.isVisible() and widget.isEnabled():
                return widget
        raise DemoError(f"no visible, enabled button {name!r}")

    def click(self, *names: str) -> None:
        for name in names:
            QTest.mouseClick(self.button(name), Qt.MouseButton.LeftButton)
            self.taps += 1
            self.pump(1)

    def tap(self, widget: QWidget) -> None:
        """A touch on ``widget`` (not a button: the attract screen beside its tiles)."""
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.taps += 1
        self.pump(1)

    def type_digits(self, prefix: str, digits: str) -> None:
        self.click(*(f"{prefix}_key_{d}" for d in digits))

    # -- evidence ---------------------------------------------------------------------------

    def shot(self, caption: str, screen: str | None = None) -> Shot:
        """Save the window as it is now; ``screen`` names what is shown (default: the view's)."""
        view = self.window.current_view
        return self.shot_of(self.window, caption, screen or (view.screen.value if view else "none"))

    def shot_of(self, widget: QWidget, caption: str, screen: str) -> Shot:
        self._count += 1
        name = f"{self._count:03d}-{screen}.png"
        if self.capture:
            self.settle()
            widget.grab().save(str(self.out / name))
            self._check(widget, name)
        shot = Shot(self.current.title, caption, screen, name, round(self.now(), 2))
        self.shots.append(shot)
        return shot

    def _check(self, widget: QWidget, name: str) -> None:
        """No whole NIK on any screenshot; the citizen window's goals measured."""
        if isinstance(widget, KioskWindow) and not _technician_up(widget):
            problems = self.measure.shot(widget, name)  # the NIK check, and the goals
        else:
            problems = [f"{name}: a whole NIK on screen" for _ in nik_runs(texts_of(widget))]
            self.measure.nik_leaks += problems
        if problems:
            log.error("demo: %s", "; ".join(problems[:5]))
            self.current.ok = False
            self.current.note = (self.current.note + " " + "; ".join(problems[:3])).strip()


def _technician_up(window: QWidget) -> bool:
    overlay = window.findChild(QWidget, "technician_overlay")
    return overlay is not None and overlay.isVisible()
