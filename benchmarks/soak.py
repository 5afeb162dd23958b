"""Soak: many print sessions in one process; memory must not grow.

10,000 sessions (``--quick``: 300) through the whole kiosk in one process: the session state
machine, the registry client, the renderer, the simulated printers (no per-page delay; virtual
paper as PDF pages without pictures), journal, outbox and audit log. The registry simulator runs
as its own process on loopback (`kiosk registry-sim`), as a registry is a remote server: its
store then neither grows the kiosk's RSS nor shares the kiosk's core.
Every 10th session takes a queue ticket instead. RSS is read after a warm-up (the first 5 %)
and at the end: growth must stay under 10 %. The state folder is on tmpfs (/dev/shm) when there
is one: a soak measures memory and CPU per session, and every journal step's fsync would
otherwise make it a disk benchmark (the session benchmark keeps a real disk). Also: sessions
per minute and machine time per session.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def machine_seconds() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def soak_config(count: int) -> Any:
    from devices.printers.blanko import MAX_STOCK
    from kiosk.bootstrap import with_page_delay
    from kiosk.config import load_config

    config = with_page_delay(load_config(REPO / "config" / "simulator.toml"), 0)
    devices = config.devices
    changes = {}
    for slot in ("document", "card"):
        cfg = getattr(devices, slot)
        settings = {**cfg.settings, "png_dpi": 0}  # PDF pages only: no page pictures
        if slot == "card":  # enough blanko for the whole run (a technician would refill)
            settings["blanko_stock"] = min(MAX_STOCK, count)
        changes[slot] = cfg.model_copy(update={"settings": settings})
    families = min(10_000, count // 7 + 20)
    return config.model_copy(
        update={
            "devices": devices.model_copy(update=changes),
            "simulator": config.simulator.model_copy(update={"families": families}),
        }
    )


@contextlib.contextmanager
def registry_process(state: Path, seed: int, families: int) -> Iterator[tuple[str, list[Any]]]:
    """`kiosk registry-sim` on a free loopback port; yields its URL and its voucher list."""
    import httpx

    db = str(state / "registry-sim.sqlite")
    cmd = [sys.executable, "-m", "kiosk", "registry-sim", "--port", "0", "--db", db,
           "--seed", str(seed), "--families", str(families)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        if not first.startswith("registry simulator listening on "):
            raise RuntimeError(f"registry simulator did not start: {first!r}")
        url = first.rsplit(" ", 1)[1]
        vouchers = httpx.get(f"{url}/sim/vouchers", timeout=60).json()
        yield url, vouchers
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def queue_ticket(kiosk: Any) -> bool:
    from kiosk.engine.view import Cancel, ChooseMenu, ChooseService, MenuOption, Screen, Touch

    session = kiosk.session
    for intent in (Touch(), ChooseMenu(MenuOption.QUEUE)):
        session.send(intent)
    session.wait_idle(60)
    services = [s for s in session.view.services if s.available]
    if services:
        session.send(ChooseService(services[0].code))
        session.wait_idle(60)
    ok = session.view.screen is Screen.TICKET
    session.send(Cancel())
    session.wait_idle(60)
    return ok


def run(quick: bool, sessions: int | None = None) -> list[dict[str, Any]]:
    import logging

    from kiosk.bootstrap import build_kiosk
    from kiosk.engine.headless import run_print_session

    logging.disable(logging.WARNING)
    count = sessions or (300 if quick else 10_000)
    warmup = max(50, count // 20)
    shm = Path("/dev/shm")
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    config = soak_config(count)
    with (
        tempfile.TemporaryDirectory(prefix="adm-bench-soak-", dir=where) as tmp,
        registry_process(Path(tmp), config.simulator.seed, config.simulator.families) as (
            url,
            listed,
        ),
    ):
        kiosk = build_kiosk(
            config,
            simulate=True,
            state_dir=Path(tmp) / "kiosk",
            registry_url=url,
            devices_only=("document", "card", "receipt"),
            serve_metrics=False,
        )
        kiosk.start(background=False)
        try:
            vouchers = iter([v for v in listed if v["status"] == "ready"])
            printed = tickets = failed = done = 0
            rss_start = 0
            started = time.perf_counter()
            machine = machine_seconds()
            for n in range(count):
                if n == warmup:
                    rss_start = rss_kib()
                    started, machine, measured_from = time.perf_counter(), machine_seconds(), n
                if n % 10 == 9:
                    tickets += queue_ticket(kiosk)
                else:
                    voucher = next(vouchers, None)
                    if voucher is None:
                        break
                    outcome = run_print_session(kiosk.session, voucher["token"], voucher["pin"])
                    printed += outcome.printed
                    failed += not outcome.printed
                done = n + 1
            elapsed = time.perf_counter() - started
            machine = machine_seconds() - machine
            rss_end = rss_kib()
            personal_left = kiosk.session.holds_personal_data
        finally:
            kiosk.stop()
    measured = max(1, done - measured_from)
    growth = (rss_end - rss_start) / rss_start * 100
    return [
        {"name": "soak_sessions", "value": done, "unit": "count", "target": f">= {count}"},
        {"name": "soak_printed", "value": printed, "unit": "count", "target": None},
        {"name": "soak_tickets", "value": tickets, "unit": "count", "target": None},
        {"name": "soak_failed", "value": failed, "unit": "count", "target": "== 0"},
        {"name": "soak_rss_growth", "value": round(growth, 2), "unit": "%", "target": "< 10"},
        {"name": "soak_rss_end", "value": round(rss_end / 1024, 1), "unit": "MiB", "target": None},
        {"name": "soak_session_machine_time", "value": round(machine / measured * 1000, 1),
         "unit": "ms", "target": "<= 1000"},
        {"name": "soak_sessions_per_minute", "value": round(measured / elapsed * 60, 1),
         "unit": "1/min", "target": None},
        {"name": "soak_personal_data_left", "value": int(personal_left), "unit": "bool",
         "target": "== 0"},
    ]  # fmt: skip


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="300 sessions")
    parser.add_argument("--sessions", type=int, default=None, help="how many sessions")
    args = parser.parse_args()
    for figure in run(args.quick, args.sessions):
        print(
            f"{figure['name']:28} {figure['value']:>10} {figure['unit']:6} {figure['target'] or ''}"
        )
