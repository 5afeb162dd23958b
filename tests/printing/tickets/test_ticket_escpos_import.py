"""Importing python-escpos for tickets leaves no temp directories and no root log handler."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import json, logging, sys
from datetime import datetime
from zoneinfo import ZoneInfo
from printing.tickets import TicketData, compose_ticket

ticket = TicketData("20261123-A-001", "Kantor", "Layanan", "Service", "A", 1,
                    datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta")), 0)
data = compose_ticket(ticket, 80)
print(json.dumps({"handlers": len(logging.getLogger().handlers), "size": len(data)}))
"""


def test_escpos_import_is_contained(tmp_path: Path) -> None:
    cache, temp = tmp_path / "cache", tmp_path / "tmp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    env |= {"XDG_CACHE_HOME": str(cache), "TMPDIR": str(temp)}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[3])
    for _ in range(2):  # the second run reads the pickle the first one wrote
        out = subprocess.run(
            [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
        assert result["handlers"] == 0
        assert 0 < result["size"] <= 512
    assert list(temp.iterdir()) == []  # no mkdtemp() litter
    pickles = list((cache / "adm-kiosk" / "python-escpos").glob("*.capabilities.pickle"))
    assert len(pickles) == 1
