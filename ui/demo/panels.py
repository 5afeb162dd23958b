"""The demo's screenshots of the panels kiosks really use, in both text sizes.

1920x1080, 1366x768 and 1280x1024 landscape panels, 1080x1920 portrait, and a developer's
1280x720 desktop with the simulator panel beside the shrunken kiosk. The screens are the real
pages showing sample views (nothing here is a transaction); each is measured like every other
screenshot (ui.demo.measure), and the preview's fit is checked too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from kiosk.domain.documents import DocumentType
from kiosk.engine.view import DocumentSummary, Screen, ServiceView, SessionView
from ui.app import SIDE_PANEL_PX, preview_scale_for
from ui.demo.driver import DemoDriver
from ui.demo.gallery import SampleSession
from ui.demo.screen_checks import fit_problems
from ui.i18n.catalog import Catalog
from ui.theme import BODY_PT, FONT_FAMILY, TouchMetrics, stylesheet
from ui.window import KioskWindow

PANELS = ((1920, 1080), (1366, 768), (1280, 1024), (1080, 1920))
PREVIEW_DESKTOP = (1280, 720)


def _services() -> tuple[ServiceView, ...]:
    names = (
        ("A", "Perekaman KTP-el", "KTP-el recording"),
        ("B", "Perubahan Kartu Keluarga", "Family card changes"),
        ("C", "Pindah datang / keluar", "Moving in / out"),
        ("D", "Akta kelahiran dan kematian", "Birth and death registration"),
        ("E", "Konsultasi", "Consultation"),
    )
    return tuple(
        ServiceView(c, i, e, True, None, "08:00", "15:00", 4, 20, c != "E") for c, i, e in names
    )


def _family() -> tuple[DocumentSummary, ...]:
    holder = "BU** SAN***** WI*******"
    return (
        DocumentSummary("V-S2", DocumentType.KIA, holder, None, "TI*** MA***** WI*****", "ANAK",
                        2015),
        DocumentSummary("V-S3", DocumentType.AKTA_KELAHIRAN, holder, None,
                        "TI*** MA***** WI*****", "ANAK", 2015),
        DocumentSummary("V-S4", DocumentType.KTP, "SI** RA******", None, None, "ISTRI", 1984),
    )  # fmt: skip


def sample_screens() -> list[tuple[str, SessionView]]:
    kk = DocumentSummary("V-SAMPLE", DocumentType.KK, "BU** SAN***** WI*******")
    return [
        ("attract", SessionView(screen=Screen.ATTRACT)),
        ("pin", SessionView(screen=Screen.PIN)),
        ("service", SessionView(screen=Screen.SERVICE, services=_services())),
        ("done", SessionView(screen=Screen.DONE, document=kk, choices=_family())),
        ("choose_document", SessionView(screen=Screen.CHOOSE_DOCUMENT, choices=_family())),
        ("survey", SessionView(screen=Screen.SURVEY)),
        (
            "staff_call",
            SessionView(screen=Screen.CONFIRM, document=kk, staff_called_at=datetime.now(UTC)),
        ),
    ]


def _window(
    metrics: TouchMetrics, view: SessionView, title: str, tz: Any, speaker: Any = None
) -> KioskWindow:
    window = KioskWindow(
        SampleSession(view), metrics=metrics, catalog=Catalog(), title=title, tick=False,
        office_tz=tz,
    )  # fmt: skip
    window.set_speaker(speaker)  # "Dengarkan" as on the kiosk (the prompts are cached)
    window.show_view(view)
    return window


def panel_sizes(driver: DemoDriver, build_panel: Callable[[], QWidget] | None, tz: Any) -> None:
    """Shots of a few screens on every panel, normal and large text."""
    driver.scenario("The panels kiosks use, in both text sizes (sample screens)")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    sheet, font = app.styleSheet(), app.font()
    title = driver.window.windowTitle()
    problems: list[str] = []
    try:
        for width, height in PANELS:
            for large in (False, True):
                for name, view in sample_screens():
                    shown = SessionView(**{**_fields(view), "large_text": large})
                    window = _window(driver.window.metrics, shown, title, tz, driver.window.speaker)
                    try:
                        window.resize(width, height)
                        window.show()
                        driver.settle()
                        text = "large text" if large else "normal text"
                        driver.shot_of(window, f"{width}x{height}, {name}, {text}", name)
                    finally:
                        _close(window)
        problems += _preview(driver, build_panel, title, tz)
    finally:
        app.setStyleSheet(sheet)
        app.setFont(font)
    if problems:
        driver.current.ok = False
        driver.current.note = "; ".join(problems[:5])
    else:
        driver.current.note = "every screen measured; the preview's fit checked"


def _preview(
    driver: DemoDriver, build_panel: Callable[[], QWidget] | None, title: str, tz: Any
) -> list[str]:
    """The 1280x720 desktop: the kiosk shrunk beside the simulator panel, as `kiosk run
    --simulate` lays it out there."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    room_w, room_h = PREVIEW_DESKTOP
    scale = preview_scale_for(room_w, room_h, "landscape", with_panel=build_panel is not None)
    metrics = TouchMetrics(driver.window.metrics.dpi, scale)
    app.setStyleSheet(stylesheet(metrics))
    app.setFont(QFont(FONT_FAMILY, metrics.pt(BODY_PT)))
    problems: list[str] = []
    for large in (False, True):
        for name, view in sample_screens()[:3]:
            host = QWidget()
            row = QHBoxLayout(host)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(0)
            shown = SessionView(**{**_fields(view), "large_text": large})
            window = _window(metrics, shown, title, tz, driver.window.speaker)
            window.setFixedSize(round(1920 * scale), round(1080 * scale))
            row.addWidget(window)
            panel = build_panel() if build_panel is not None else None
            if panel is not None:
                panel.setFixedWidth(SIDE_PANEL_PX)
                row.addWidget(panel)
                faults = getattr(panel, "faults", None)  # not the voucher list: it lists NIKs
                tabs = getattr(panel, "tabs", None)
                if faults is not None and tabs is not None:
                    tabs.setCurrentWidget(faults)
            try:
                host.resize(room_w, room_h - 40)
                host.show()
                driver.settle()
                text = "large text" if large else "normal text"
                driver.shot_of(
                    host, f"1280x720 desktop with the simulator panel, {name}, {text}", name
                )
                problems += [f"preview {name}: {p}" for p in fit_problems(window)]
            finally:
                if panel is not None:
                    getattr(panel, "shutdown", lambda: None)()
                _close(window)
                host.close()
                host.deleteLater()
    return problems


def _fields(view: SessionView) -> dict[str, Any]:
    return {name: getattr(view, name) for name in view.__slots__}


def _close(window: KioskWindow) -> None:
    window.shutdown()
    window.close()
    window.deleteLater()
