"""Registry client <-> simulator over loopback HTTP, and the client's deadline under a slow body.

Figures: simulator start (seeding 24 families into SQLite, uvicorn up), median round trips of
health, verify and a whole verify -> reserve -> commit, and how far past its deadline a call
returns when the server drips its body then stalls. Baseline for the last one, in the same run:
plain httpx with the same timeout (a per-read timeout), which keeps waiting.
"""

from __future__ import annotations

import contextlib
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from kiosk.config.models import RegistrySettings
from kiosk.registry import RegistryClient, Timeout
from kiosk.registry_sim.server import start_in_thread

KIOSK_ID, KIOSK_KEY = "KIOSK-BENCH", "bench-key-0001"
DEADLINE_MS = 1000


def _median_ms(action: Callable[[], object], repeats: int) -> float:
    action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _drip_then_stall_server(stop: threading.Event) -> tuple[str, threading.Thread]:
    """Answers once: headers, a byte every 0.2 s until just before the deadline, then nothing."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)

    def answer(conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
            for _ in range(4):
                if stop.wait(0.2):
                    return
                conn.sendall(b"{")
            stop.wait(DEADLINE_MS / 1000 * 3)

    def serve() -> None:
        with listener:
            for _ in range(2):  # the client under test, then the baseline
                conn, _ = listener.accept()
                threading.Thread(target=answer, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return f"http://127.0.0.1:{listener.getsockname()[1]}", thread


def _overshoot_ms() -> tuple[float, float]:
    stop = threading.Event()
    url, thread = _drip_then_stall_server(stop)
    settings = RegistrySettings(
        url=url, kiosk_id=KIOSK_ID, key_file=Path("/unused"), timeout_ms=DEADLINE_MS, retries=0
    )
    with RegistryClient(settings, key=KIOSK_KEY) as client:
        started = time.perf_counter()
        with contextlib.suppress(Timeout):
            client.health()
        ours = (time.perf_counter() - started) * 1000 - DEADLINE_MS
    started = time.perf_counter()
    with contextlib.suppress(httpx.HTTPError):
        httpx.get(f"{url}/v1/health", timeout=DEADLINE_MS / 1000)
    plain = (time.perf_counter() - started) * 1000 - DEADLINE_MS
    stop.set()
    thread.join(5)
    return ours, plain


def _flows_per_second(url: str, vouchers: list[dict[str, Any]], kiosks: int) -> float:
    """``kiosks`` clients (one thread each) doing verify -> reserve -> commit at once."""
    share = [vouchers[i::kiosks] for i in range(kiosks)]
    settings = [
        RegistrySettings(url=url, kiosk_id=f"{KIOSK_ID}-{i}", key_file=Path("/unused"))
        for i in range(kiosks)
    ]
    start = threading.Barrier(kiosks + 1)
    failures: list[BaseException] = []

    def work(index: int) -> None:
        with RegistryClient(settings[index], key=KIOSK_KEY) as client:
            start.wait()
            try:
                flows(client, share[index])
            except BaseException as exc:
                failures.append(exc)

    def flows(client: RegistryClient, mine: list[dict[str, Any]]) -> None:
        for voucher in mine:
            verified = client.verify_voucher(voucher["token"], voucher["pin"])
            lease = client.reserve(verified.vid, verified.verification, "t-" + voucher["vid"])
            client.commit(
                lease.rid,
                pdf_sha256="1" * 64,
                pages=1,
                printer="bench",
                idempotency_key="u-" + voucher["vid"],
            )

    threads = [threading.Thread(target=work, args=(i,)) for i in range(kiosks)]
    for thread in threads:
        thread.start()
    start.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"a kiosk thread failed: {failures[0]!r}")
    return len(vouchers) / elapsed


def run(quick: bool) -> list[dict[str, Any]]:
    repeats = 15 if quick else 60
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        kiosks = {KIOSK_ID: KIOSK_KEY} | {f"{KIOSK_ID}-{i}": KIOSK_KEY for i in range(4)}
        sim = start_in_thread(
            db_path=Path(tmp) / "registry.sqlite", seed=7, families=24, kiosks=kiosks
        )
        start_ms = (time.perf_counter() - started) * 1000
        try:
            settings = RegistrySettings(url=sim.url, kiosk_id=KIOSK_ID, key_file=Path("/unused"))
            ready = [v for v in sim.list_vouchers() if v["status"] == "ready"]
            with RegistryClient(settings, key=KIOSK_KEY) as client:
                health_ms = _median_ms(client.health, repeats)
                first = ready[0]
                verify_ms = _median_ms(
                    lambda: client.verify_voucher(first["token"], first["pin"]), repeats
                )
                flows = iter(ready[1 : repeats + 2])

                def flow() -> None:
                    voucher = next(flows)
                    verified = client.verify_voucher(voucher["token"], voucher["pin"])
                    lease = client.reserve(
                        verified.vid, verified.verification, "b-" + voucher["vid"]
                    )
                    client.commit(
                        lease.rid,
                        pdf_sha256="0" * 64,
                        pages=1,
                        printer="bench",
                        idempotency_key="c-" + voucher["vid"],
                    )

                flow_ms = _median_ms(flow, min(repeats, len(ready) - 2))
            rest = ready[repeats + 3 :][: 40 if quick else 120]
            per_second = _flows_per_second(sim.url, rest, 4)
        finally:
            sim.stop()
    ours, plain = _overshoot_ms()
    return [
        {
            "name": "registry_sim_start",
            "value": round(start_ms, 1),
            "unit": "ms",
            "target": "<= 3000",
        },
        {
            "name": "registry_health_roundtrip",
            "value": round(health_ms, 2),
            "unit": "ms",
            "target": "<= 20",
        },
        {
            "name": "registry_verify_roundtrip",
            "value": round(verify_ms, 2),
            "unit": "ms",
            "target": "<= 50",
        },
        {
            "name": "registry_verify_reserve_commit",
            "value": round(flow_ms, 2),
            "unit": "ms",
            "target": "<= 150",
        },
        {
            "name": "registry_flows_per_s_4_kiosks",
            "value": round(per_second, 1),
            "unit": "flows/s",
            "target": ">= 20",
        },
        {
            "name": "registry_deadline_overshoot_drip",
            "value": round(ours, 1),
            "unit": "ms",
            "target": "<= 150",
            "baseline": round(plain, 1),
            "ratio": round(plain / ours, 1) if ours > 0 else None,
        },
    ]


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(figure)
