"""The longest GUI-thread stall while a citizen prints a document and takes a queue ticket.

The real kiosk in simulator mode (registry simulator over HTTP, simulated printers and camera,
real decoder) is driven through the real window by clicks, as in `kiosk demo` but without
screenshots. A 5 ms precise QTimer heartbeat runs on the GUI thread all along; a stall is how
late a beat came (gap minus 5 ms). Registry calls, rendering, printing and decoding all run off
the GUI thread, so the GUI should never wait for them.

Target: longest stall <= 50 ms.
"""

from __future__ import annotations

import itertools
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

BEAT_MS = 5


def run(quick: bool) -> list[dict[str, Any]]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    logging.disable(logging.WARNING)
    from PySide6.QtCore import Qt, QTimer

    from kiosk.bootstrap import build_kiosk
    from kiosk.config import load_config
    from ui.app import build_ui, create_application
    from ui.demo.driver import DemoDriver
    from ui.demo.script import Walkthrough

    config = load_config(REPO / "config" / "simulator.toml")
    rounds = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="gui-stall-") as folder:
        state, out = Path(folder) / "state", Path(folder) / "out"
        out.mkdir()
        app = create_application()
        kiosk = build_kiosk(config, simulate=True, state_dir=state, serve_metrics=False)
        kiosk.start()
        ui = build_ui(kiosk, config, app=app, simulate=False, windowed=True)
        try:
            ui.top.resize(1920, 1080)
            ui.top.show()
            driver = DemoDriver(app, ui.window, ui.top, out, capture=False)
            walk = Walkthrough(driver, kiosk, out)
            driver.wait_until(lambda: not ui.window.warming, 30.0, "page warm-up")
            driver.pump(100)
            beats: list[float] = []
            timer = QTimer()
            timer.setTimerType(Qt.TimerType.PreciseTimer)
            timer.setInterval(BEAT_MS)
            timer.timeout.connect(lambda: beats.append(time.perf_counter()))
            timer.start()
            started = time.perf_counter()
            for round_ in range(rounds):
                walk.print_document("biodata", f"print {round_ + 1}")
                walk.queue_ticket()
            elapsed = time.perf_counter() - started
            timer.stop()
        finally:
            ui.shutdown()
            ui.top.close()
            kiosk.stop()
    gaps_ms = [(b - a) * 1000 for a, b in itertools.pairwise(beats)]
    stalls = [max(0.0, gap - BEAT_MS) for gap in gaps_ms]
    ordered = sorted(stalls)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return [
        {"name": "gui_longest_stall", "value": round(max(stalls), 1), "unit": "ms",
         "target": "<= 50"},
        {"name": "gui_stall_p99", "value": round(p99, 1), "unit": "ms", "target": None},
        {"name": "gui_stall_median", "value": round(statistics.median(stalls), 2), "unit": "ms",
         "target": None},
        {"name": "gui_stall_transactions", "value": rounds * 2, "unit": "count", "target": None},
        {"name": "gui_stall_run_time", "value": round(elapsed, 1), "unit": "s", "target": None},
    ]  # fmt: skip


if __name__ == "__main__":
    for figure in run("--quick" in sys.argv):
        target = figure["target"] or ""
        print(f"{figure['name']:24} {figure['value']:>10} {figure['unit']:5} {target}")
