"""Putting the citizen UI together around a running kiosk (see kiosk.bootstrap).

:func:`create_application` makes the QApplication (style, fonts, lockdown filter);
:func:`build_ui` makes the kiosk window with its camera feed and, in simulator mode, a place
beside it for the simulator panel. Two hooks are left for later helpers:

- ``ui.simulator.panel.build_panel(kiosk, config) -> QWidget``: shown beside the kiosk window
  with ``--simulate`` (when that module exists);
- ``ui.technician.entry.open_technician(window, kiosk, config) -> None``: called when the
  hidden gesture (five taps in the top-left corner within 3 s) asks for technician mode.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from kiosk.config.models import KioskConfig
from ui.camera_feed import CameraFeed
from ui.i18n.catalog import Catalog
from ui.lockdown import BreakoutFilter, apply_kiosk_window_flags
from ui.session_port import SessionPort
from ui.theme import FONT_FAMILY, TouchMetrics, stylesheet
from ui.window import KioskWindow

log = logging.getLogger(__name__)

SIMULATOR_PANEL_MODULE = "ui.simulator.panel"
TECHNICIAN_MODULE = "ui.technician.entry"


class DeviceLookup(Protocol):
    def get(self, name: str) -> Any: ...


class RunningKiosk(Protocol):
    """What the UI uses of kiosk.bootstrap.Kiosk."""

    @property
    def session(self) -> SessionPort: ...

    @property
    def devices(self) -> DeviceLookup: ...


def create_application(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv) or ["kiosk"])
    app.setApplicationName("adm-kiosk")
    app.setFont(QFont(FONT_FAMILY, 24))
    app.setStyleSheet(stylesheet(screen_metrics(app)))
    return app


def screen_metrics(app: QApplication) -> TouchMetrics:
    screen = app.primaryScreen()
    dpi = screen.logicalDotsPerInch() if screen is not None else 96.0
    return TouchMetrics(dpi=dpi if dpi > 0 else 96.0)


def camera_feed_for(kiosk: RunningKiosk) -> CameraFeed | None:
    devices = kiosk.devices
    camera = devices.get("camera")
    reader = getattr(devices, "code_reader", None) or devices.get("code_reader")
    if camera is None or reader is None:
        log.warning("no camera or code reader configured: scanning is unavailable")
        return None
    from ui.scan_source import ScanWorkerSource

    return CameraFeed(ScanWorkerSource(camera, reader))


def _optional_hook(module_name: str, attribute: str) -> Callable[..., Any] | None:
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        return None
    hook = getattr(module, attribute, None)
    return hook if callable(hook) else None


@dataclass
class KioskUI:
    window: KioskWindow
    top: QWidget  # what is shown: the window itself, or a host with the simulator panel
    feed: CameraFeed | None
    breakout: BreakoutFilter
    panel: QWidget | None = None
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def shutdown(self) -> None:
        self.window.shutdown()
        if self.feed is not None:
            self.feed.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.breakout)
        for close in self._closers:
            close()
        self._closers.clear()


def build_ui(
    kiosk: RunningKiosk,
    config: KioskConfig,
    *,
    app: QApplication,
    simulate: bool,
    windowed: bool,
    catalog: Catalog | None = None,
    tick: bool = True,
) -> KioskUI:
    metrics = screen_metrics(app)
    feed = camera_feed_for(kiosk)
    window = KioskWindow(
        kiosk.session,
        metrics=metrics,
        catalog=catalog or Catalog(),
        title=config.kiosk.name,
        languages=config.ui.languages,
        feed=feed,
        tick=tick,
    )
    breakout = BreakoutFilter(app)
    app.installEventFilter(breakout)
    top: QWidget = window
    panel: QWidget | None = None
    if simulate:
        build_panel = _optional_hook(SIMULATOR_PANEL_MODULE, "build_panel")
        if build_panel is not None:
            panel = build_panel(kiosk, config)
            host = QWidget()
            host.setObjectName("simulator_host")
            host.setWindowTitle(f"{config.kiosk.name}: simulator")
            row = QHBoxLayout(host)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(0)
            row.addWidget(window, 3)
            row.addWidget(panel, 1)
            top = host
    open_technician = _optional_hook(TECHNICIAN_MODULE, "open_technician")

    def technician() -> None:
        if open_technician is None:
            log.info("technician gesture seen; technician mode is not installed")
            return
        open_technician(window, kiosk, config)

    window.technician_requested.connect(technician)
    fullscreen = config.ui.fullscreen and not windowed
    apply_kiosk_window_flags(top, fullscreen=fullscreen, hide_cursor=fullscreen)
    if not fullscreen:
        landscape = config.ui.orientation == "landscape"
        size = (1280, 720) if landscape else (720, 1280)
        window.setMinimumSize(1, 1)
        top.resize(size[0] + (420 if panel is not None else 0), size[1])
    top.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    return KioskUI(window=window, top=top, feed=feed, breakout=breakout, panel=panel)
