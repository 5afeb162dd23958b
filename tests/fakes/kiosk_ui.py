"""A whole simulated kiosk with its window on screen (offscreen), for end-to-end UI tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.bootstrap import Kiosk, build_kiosk
from kiosk.config.models import KioskConfig
from ui.app import KioskUI, build_ui
from ui.i18n.catalog import Catalog


@contextlib.contextmanager
def kiosk_on_screen(
    qtbot: Any, qapp: Any, config: KioskConfig, state: Path, *, background: bool = True
) -> Iterator[tuple[Kiosk, KioskUI]]:
    """The kiosk built as ``kiosk run --simulate`` builds it, its window 1920x1080 and shown
    (every text from the strict catalog), then closed and stopped."""
    kiosk = build_kiosk(config, simulate=True, state_dir=state, serve_metrics=False)
    kiosk.start(background=background)
    ui = None
    try:
        ui = build_ui(
            kiosk, config, app=qapp, simulate=False, windowed=True, catalog=Catalog(strict=True)
        )
        ui.top.resize(1920, 1080)
        ui.top.show()
        qtbot.waitExposed(ui.top)
        yield kiosk, ui
    finally:
        if ui is not None:
            ui.shutdown()
            ui.top.close()
        kiosk.stop()
