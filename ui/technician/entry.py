"""The hook ``ui.app`` calls on the hidden gesture: ``open_technician(window, kiosk, config)``.

One :class:`TechnicianOverlay` (and so one technician session, with its lockout) per kiosk
window, made on the first gesture and shown again on later ones. When the technician leaves
the kiosk (allowed by ``technician.allow_exit``) the application exits with
:data:`EXIT_TECHNICIAN`, which the systemd unit lists in ``RestartPreventExitStatus=``.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtWidgets import QApplication, QWidget

from kiosk.config.models import KioskConfig
from ui.i18n.catalog import Catalog
from ui.technician.overlay import TechnicianOverlay
from ui.theme import TouchMetrics

log = logging.getLogger(__name__)

EXIT_TECHNICIAN = 4  # exit code: a technician closed the kiosk on purpose (no restart)


def _metrics(widget: QWidget) -> TouchMetrics:
    screen = widget.screen()
    dpi = screen.logicalDotsPerInch() if screen is not None else 96.0
    return TouchMetrics(dpi=dpi if dpi > 0 else 96.0)


def technician_overlay(window: QWidget, kiosk: Any, config: KioskConfig) -> TechnicianOverlay:
    """The window's overlay, made on first use."""
    existing = window.findChild(TechnicianOverlay, "technician_overlay")
    if existing is not None:
        return existing
    view = getattr(window, "current_view", None)
    language = getattr(view, "language", None) or (config.ui.languages or ["id"])[0]
    technician = kiosk.technician()  # composed by kiosk.bootstrap
    overlay = TechnicianOverlay(
        window,
        kiosk=kiosk,
        session=technician.session,
        actions=technician.actions,
        catalog=Catalog(),
        metrics=_metrics(window),
        language=language,
    )
    overlay.exit_approved.connect(_exit_application)

    def shutdown() -> None:
        overlay.shutdown()
        technician.close()

    window.destroyed.connect(shutdown)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(shutdown)
    return overlay


def open_technician(window: QWidget, kiosk: Any, config: KioskConfig) -> None:
    log.info("technician mode requested")
    technician_overlay(window, kiosk, config).open()


def _exit_application() -> None:
    log.warning("a technician closed the kiosk")
    app = QApplication.instance()
    if app is not None:
        app.exit(EXIT_TECHNICIAN)
