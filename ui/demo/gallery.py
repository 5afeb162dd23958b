"""Screens the walk-through could not reach with the simulator's data, rendered from a sample
view so that the demo's page still shows every screen (each is labelled as such).

For instance the "choose a document" screen needs one NIK with several ready documents under
one PIN, and the simulator gives every voucher its own PIN.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kiosk.domain.documents import DocumentType
from kiosk.engine.view import DocumentSummary, Intent, Screen, SessionView
from ui.demo.driver import DemoDriver
from ui.i18n.catalog import Catalog
from ui.window import KioskWindow

SAMPLES: dict[Screen, SessionView] = {
    Screen.CHOOSE_DOCUMENT: SessionView(
        screen=Screen.CHOOSE_DOCUMENT,
        choices=(
            DocumentSummary("V-SAMPLE-1", DocumentType.KK, "BU** SAN*****"),
            DocumentSummary("V-SAMPLE-2", DocumentType.AKTA_KELAHIRAN, "AN** SAN*****"),
            DocumentSummary("V-SAMPLE-3", DocumentType.KIA, "PU** SAN*****"),
        ),
    ),
}


class SampleSession:
    """Shows one fixed view; intents go nowhere (nothing here is a transaction)."""

    def __init__(self, view: SessionView) -> None:
        self._view = view

    @property
    def view(self) -> SessionView:
        return self._view

    def send(self, intent: Intent) -> None:
        return None

    def subscribe(self, listener: Callable[[SessionView], None]) -> Callable[[], None]:
        return lambda: None


def render_missing(driver: DemoDriver, seen: Iterable[str]) -> None:
    """Screenshots of every screen not in ``seen`` (Screen values), from sample views."""
    missing = [screen for screen in Screen if screen.value not in set(seen)]
    if not missing:
        return
    driver.scenario("Screens not reached with the simulator's data (sample views)")
    metrics = driver.window.pages[Screen.ATTRACT].context.metrics
    for screen in missing:
        view = SAMPLES.get(screen, SessionView(screen=screen))
        window = KioskWindow(
            SampleSession(view),
            metrics=metrics,
            catalog=Catalog(),
            title=driver.window.windowTitle(),
            tick=False,
        )
        try:
            window.resize(1920, 1080)
            window.show()
            driver.settle()
            driver.shot_of(window, f"{screen.value} (sample view)", screen.value)
        finally:
            window.shutdown()
            window.close()
            window.deleteLater()
    driver.current.note = "rendered by the real screens from sample data, not by the engine"
