"""Queue tickets: bytes per ticket, compose time, time on the wire, and issuing latency.

Baseline in the same run: the same ticket with its QR sent as a raster image (python-escpos
``qr(..., native=False)``, ``GS v 0``), the way printers without ``GS ( k`` need it. Wire time is
bytes x 10 bits (8N1) / baud. Issuing latency is one number recorded in SQLite (WAL,
synchronous=FULL, one fsync per ticket) on this machine's disk.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.queue.sqlite_store import SqliteTicketStore
from printing.tickets import MAX_TICKET_BYTES, TicketData, compose_ticket

BAUDS = (9600, 115200)


def sample_ticket() -> TicketData:
    """A typical ticket: regular service, people ahead and an estimate, no priority band."""
    return TicketData(
        ticket_id="20261123-A-042",
        office="Kantor Kecamatan Cibinong",
        service_name_id="Perekaman KTP-el",
        service_name_en="KTP-el recording",
        code="A",
        number=42,
        issued_at=datetime(2026, 11, 23, 14, 5, tzinfo=ZoneInfo("Asia/Jakarta")),
        people_ahead=12,
        estimate_minutes=18,
        agency="Dukcapil",
    )


def _median_ms(action: Any, repeats: int) -> float:
    action()  # warm: imports, code-page tables
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _wire_ms(size: int, baud: int) -> float:
    return size * 10 / baud * 1000


def _issue_ms(repeats: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteTicketStore(Path(tmp) / "queue.sqlite")
        at = datetime.now(UTC)
        day = date(2026, 11, 23)
        try:
            return _median_ms(
                lambda: store.issue("A", day, priority=False, quota=1_000_000, at=at), repeats
            )
        finally:
            store.close()


def run(quick: bool) -> list[dict[str, Any]]:
    ticket = sample_ticket()
    repeats = 30 if quick else 300
    figures: list[dict[str, Any]] = []
    for width in (58, 80):
        native = compose_ticket(ticket, width)  # type: ignore[arg-type]
        raster = compose_ticket(ticket, width, native_qr=False)  # type: ignore[arg-type]
        figures.append(
            {
                "name": f"ticket_bytes_{width}mm",
                "value": len(native),
                "unit": "B",
                "target": f"<= {MAX_TICKET_BYTES}",
                "baseline": len(raster),
                "ratio": round(len(raster) / len(native), 2),
            }
        )
        figures.append(
            {
                "name": f"ticket_compose_{width}mm",
                "value": round(_median_ms(lambda w=width: compose_ticket(ticket, w), repeats), 3),
                "unit": "ms",
                "target": "<= 5 ms",
                "baseline": round(
                    _median_ms(
                        lambda w=width: compose_ticket(ticket, w, native_qr=False), repeats // 3
                    ),
                    3,
                ),
            }
        )
        for baud in BAUDS:
            figures.append(
                {
                    "name": f"ticket_send_{width}mm_{baud}baud",
                    "value": round(_wire_ms(len(native), baud), 1),
                    "unit": "ms",
                    "target": "<= 1000 ms" if baud == 9600 else "<= 100 ms",
                    "baseline": round(_wire_ms(len(raster), baud), 1),
                    "ratio": round(len(raster) / len(native), 2),
                }
            )
    figures.append(
        {
            "name": "queue_issue_sqlite_full_sync",
            "value": round(_issue_ms(20 if quick else 200), 2),
            "unit": "ms",
            "target": "<= 50 ms",
        }
    )
    return figures


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        extra = ""
        if figure.get("baseline") is not None:
            extra = f"  (raster-QR baseline {figure['baseline']}"
            extra += f", ratio {figure['ratio']})" if figure.get("ratio") else ")"
        print(f"{figure['name']:<34} {figure['value']:>9} {figure['unit']:<3}{extra}")
