"""The clock-shift hook of the test run (clock_shift/sitecustomize.py) reaches every process.

The file system keeps the real clock, so a fresh file's mtime against ``time.time()`` shows the
shift this process runs with: none in a normal run, KIOSK_TEST_CLOCK_SHIFT_DAYS days in
``make test-future``. A subprocess must see the same shift, or a test that compares what a child
wrote with what pytest reads would pass for the wrong reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

DAY = 86_400
_PROBE = (
    "import os, sys, time\n"
    "path = sys.argv[1]\n"
    "open(path, 'w').close()\n"
    "print(time.time() - os.stat(path).st_mtime)\n"
)


def expected_shift_s() -> float:
    return float(os.environ.get("KIOSK_TEST_CLOCK_SHIFT_DAYS", "").strip() or 0) * DAY


def test_this_process_runs_with_the_requested_shift(tmp_path: Path) -> None:
    probe = tmp_path / "probe"
    probe.touch()
    shift = time.time() - probe.stat().st_mtime
    assert abs(shift - expected_shift_s()) < 60
    now = datetime.now(UTC).timestamp() - probe.stat().st_mtime
    assert abs(now - expected_shift_s()) < 60


def test_a_python_subprocess_runs_with_the_same_shift(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(tmp_path / "child-probe")],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert abs(float(done.stdout) - expected_shift_s()) < 60
