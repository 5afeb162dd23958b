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
import importlib.util
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QHBoxLayout, QWidget

from kiosk.config.models import KioskConfig
from kiosk.scan import ScanService
from ui.camera_feed import CameraFeed
from ui.i18n.catalog import Catalog
from ui.lockdown import BreakoutFilter, apply_kiosk_window_flags
from ui.session_port import SessionPort
from ui.startup import StartingSession
from ui.theme import FONT_FAMILY, TouchMetrics, stylesheet
from ui.window import KioskWindow

log = logging.getLogger(__name__)

SIMULATOR_PANEL_MODULE = "ui.simulator.panel"
TECHNICIAN_MODULE = "ui.technician.entry"


class RunningKiosk(Protocol):
    """What the UI uses of kiosk.bootstrap.Kiosk."""

    @property
    def session(self) -> SessionPort: ...

    @property
    def scan(self) -> ScanService: ...


def create_application(argv: Sequence[str] = ()) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv) or ["kiosk"])
    app.setApplicationName("adm-kiosk")
    app.setFont(QFont(FONT_FAMILY, 24))
    app.setStyleSheet(stylesheet(screen_metrics(app)))
    return app


def screen_metrics(app: QApplication, scale: float = 1.0) -> TouchMetrics:
    screen = app.primaryScreen()
    dpi = screen.logicalDotsPerInch() if screen is not None else 96.0
    return TouchMetrics(dpi=dpi if dpi > 0 else 96.0, scale=scale)


def camera_feed_for(kiosk: RunningKiosk) -> CameraFeed | None:
    """The scan pages' feed of codes (any reader) and camera frames, from the scan service."""
    if not kiosk.scan.readers:
        log.warning("no camera, code reader or scanner configured: scanning is unavailable")
        return None
    return CameraFeed(kiosk.scan)


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
    breakout: BreakoutFilter
    config: KioskConfig
    simulate: bool
    kiosk: RunningKiosk | None = None
    feed: CameraFeed | None = None
    panel: QWidget | None = None
    starting: StartingSession | None = None

    def attach(self, kiosk: RunningKiosk) -> None:
        """The kiosk has started: the window follows its session from now on."""
        self.kiosk = kiosk
        self.feed = camera_feed_for(kiosk)
        self.window.attach(kiosk.session, self.feed)
        if self.starting is not None:
            for intent in self.starting.take_pending():
                kiosk.session.send(intent)  # a touch while starting still starts a session
            self.starting = None
        if self.simulate and self.panel is None:
            build_panel = _optional_hook(SIMULATOR_PANEL_MODULE, "build_panel")
            layout = self.top.layout()
            if build_panel is not None and layout is not None and self.top is not self.window:
                self.panel = build_panel(kiosk, self.config)
                layout.addWidget(self.panel)

    def technician(self) -> None:
        open_technician = _optional_hook(TECHNICIAN_MODULE, "open_technician")
        if open_technician is None or self.kiosk is None:
            log.info("technician gesture seen; technician mode is not available")
            return
        open_technician(self.window, self.kiosk, self.config)

    def shutdown(self) -> None:
        self.window.shutdown()
        if self.feed is not None:
            self.feed.close()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.breakout)


def build_ui(
    kiosk: RunningKiosk | None,
    config: KioskConfig,
    *,
    app: QApplication,
    simulate: bool,
    windowed: bool,
    catalog: Catalog | None = None,
    tick: bool = True,
) -> KioskUI:
    """The kiosk window for ``kiosk``; with ``kiosk=None`` it shows the attract loop until
    :meth:`KioskUI.attach` gives it the started kiosk."""
    fullscreen = config.ui.fullscreen and not windowed
    # Whether the panel exists, without importing it before the attract screen is up.
    with_panel = simulate and importlib.util.find_spec(SIMULATOR_PANEL_MODULE) is not None
    # A preview window on a developer's desktop shrinks to fit; full screen, and offscreen
    # rendering (demo, tests, benchmarks), always draw the panel at its real size.
    preview = not fullscreen and app.platformName() != "offscreen"
    scale = preview_scale(app, config.ui.orientation, with_panel) if preview else 1.0
    metrics = screen_metrics(app, scale)
    if scale != 1.0:
        app.setStyleSheet(stylesheet(metrics))
        app.setFont(QFont(FONT_FAMILY, metrics.pt(24)))
    starting = StartingSession(config.ui.languages[0]) if kiosk is None else None
    session: SessionPort = kiosk.session if kiosk is not None else starting  # type: ignore[assignment]
    window = KioskWindow(
        session,
        metrics=metrics,
        catalog=catalog or Catalog(),
        title=config.kiosk.name,
        languages=config.ui.languages,
        tick=tick,
        office_tz=config.kiosk.tz,
    )
    breakout = BreakoutFilter(app)
    app.installEventFilter(breakout)
    top: QWidget = window
    if with_panel:
        host = QWidget()
        host.setObjectName("simulator_host")
        host.setWindowTitle(f"{config.kiosk.name}: simulator")
        row = QHBoxLayout(host)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(window, 3)
        top = host
    ui = KioskUI(
        window=window,
        top=top,
        breakout=breakout,
        config=config,
        simulate=simulate,
        starting=starting,
    )
    window.technician_requested.connect(ui.technician)
    apply_kiosk_window_flags(top, fullscreen=fullscreen, hide_cursor=fullscreen)
    if not fullscreen:
        width, height = PANEL_SIZES[config.ui.orientation]
        top.resize(
            round(width * scale) + (SIDE_PANEL_PX if with_panel else 0), round(height * scale)
        )
    if kiosk is not None:
        ui.attach(kiosk)
    window.warm_up()
    return ui


PANEL_SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}  # the kiosk's panel, px
SIDE_PANEL_PX = 480  # the simulator panel beside it


def preview_scale(app: QApplication, orientation: str, with_panel: bool) -> float:
    """How much to shrink the kiosk so that a window of the panel's shape fits the desktop."""
    screen = app.primaryScreen()
    room = screen.availableGeometry() if screen is not None else None
    if room is None or room.width() <= 0 or room.height() <= 0:
        return 1.0
    width, height = PANEL_SIZES.get(orientation, PANEL_SIZES["landscape"])
    side = SIDE_PANEL_PX if with_panel else 0
    return max(0.4, min(1.0, (room.width() - side) / width, (room.height() - 40) / height))
