"""What a kiosk loads to start: nothing it needs only later (memory at rest, issue 15 item 6).

reportlab loads while a kiosk that prints documents starts (never for one that does not), segno
when a technician runs the closed loop: each costs megabytes that a kiosk at its attract screen
would otherwise hold all day without using them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

LATER = ("reportlab", "segno")

PROBE = """
import sys
from pathlib import Path
import kiosk.bootstrap, ui.app, ui.run_cmd
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_starting_a_kiosk_loads_no_document_renderer_or_technician_tools() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = set(done.stdout.split())
    assert "kiosk" in loaded and "PySide6" in loaded  # the probe imported what it says
    assert not loaded & set(LATER)


def test_a_kiosk_that_prints_documents_loads_its_fonts_while_it_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind the attract screen, not at a citizen's first print (the TrueType parsing stalled
    the GUI thread on the PRINTING screen for 80-120 ms)."""
    from fakes.kiosks import started_kiosk

    from printing.drawing import fonts

    monkeypatch.setattr(fonts, "_coverage", frozenset())  # as in a fresh process
    with started_kiosk(tmp_path / "state") as kiosk:
        assert kiosk.transaction.printers.printer_for("a4") is not None
        assert fonts._coverage  # registered: both faces parsed
