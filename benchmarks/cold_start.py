"""Cold start of `kiosk run --simulate`: process start to the attract screen shown, and memory.

Each run is a fresh process with a fresh state folder (the registry simulator seeds its
database, devices open, recovery runs), offscreen. `KIOSK_EXIT_ON_ATTRACT=ready` makes the
kiosk print `KIOSK_ATTRACT_SHOWN <s since process start> <peak RSS KiB> <CPU s>` when the
attract screen has been painted, then `KIOSK_READY <s> <RSS KiB>` once the kiosk behind it has
started, and exit.

Targets (issue "The kiosk UI"): cold start to the attract screen <= 1 s, with RSS <= 200 MB at
that point. The RSS once the whole simulated kiosk has started behind it (`rss_ready`) is
reported without a target: in simulator mode it holds the in-process registry simulator
(FastAPI, uvicorn, its SQLite store) and the virtual printers, which a real kiosk does not run.
The CPU seconds to the attract screen are reported too: unlike wall time they hardly move when
the machine is busy.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
KIOSK = Path(sys.executable).with_name("kiosk")


def one_run(state: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_EXIT_ON_ATTRACT": "ready",
    }
    command = [str(KIOSK), "run", "--simulate", "--windowed", "--state-dir", str(state)]
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    figures: dict[str, float] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        parts = line.split()
        if parts and parts[0] == "KIOSK_ATTRACT_SHOWN":
            figures["attract_s"] = float(parts[1])
            figures["attract_wall_s"] = time.perf_counter() - started
            figures["attract_rss_mb"] = int(parts[2]) / 1024
            figures["attract_cpu_s"] = float(parts[3])
        elif parts and parts[0] == "KIOSK_READY":
            figures["ready_s"] = float(parts[1])
            figures["ready_rss_mb"] = int(parts[2]) / 1024
    code = proc.wait(timeout=120)
    if code != 0 or "ready_s" not in figures:
        raise RuntimeError(f"kiosk run exited {code} with {figures}")
    return figures


def run(quick: bool) -> list[dict[str, Any]]:
    runs = 2 if quick else 5
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="cold-start-") as state:
            results.append(one_run(Path(state)))

    def median(key: str) -> float:
        return round(statistics.median(r[key] for r in results), 3)

    return [
        {"name": "cold_start_attract", "value": median("attract_s"), "unit": "s",
         "target": "<= 1"},
        {"name": "cold_start_attract_cpu", "value": median("attract_cpu_s"), "unit": "s",
         "target": None},
        {"name": "cold_start_attract_wall", "value": median("attract_wall_s"), "unit": "s",
         "target": None},
        {"name": "cold_start_ready", "value": median("ready_s"), "unit": "s", "target": None},
        {"name": "rss_at_attract", "value": round(median("attract_rss_mb"), 1), "unit": "MB",
         "target": "<= 200"},
        {"name": "rss_ready", "value": round(median("ready_rss_mb"), 1), "unit": "MB",
         "target": None},
    ]  # fmt: skip


if __name__ == "__main__":
    for figure in run("--quick" in sys.argv):
        print(
            f"{figure['name']:24} {figure['value']:>10} {figure['unit']:4} {figure['target'] or ''}"
        )
