"""The office queue under a day's load: 20 kiosks and 30 counters against one ``kiosk
queue-server`` process, killed with SIGKILL 5 times, on PostgreSQL and on SQLite side by side.

A simulated day of 10,000 tickets (``--quick``: 200 tickets and 2 kills) over 10 services of 5
agencies: kiosks issue at an open-loop rate (each touch with its own Idempotency-Key); counters
call the next ticket, start, serve for a random moment and finish, and wait a moment when nobody
waits; a display listens to ``GET /v1/events``. Five times during the run the server process is
killed (kill -9) with requests in flight and started again on the same database; kiosks and
counters retry what lost its answer with the same key (a counter finds its called ticket in the
``counter_busy`` answer). The display reconnects by itself.

Figures per database: duplicate numbers, gaps, lost tickets (answered but not recorded, or a
touch never answered), issue and call-next p99 latency (answered requests, retries included),
display update p95 (from the counter's call-next request to the call on the display, live or
replayed after a reconnect; a call the display never saw counts as infinitely late), tickets
per second, and the restarts. Latencies are measured by the load generator, which shares the
machine with the server and the database; ``*_server_p99`` is the server's own share (its
``Server-Timing`` header: from the request's arrival to the answer's start); ``*_steady_p99``
leaves out requests sent from a kill until 5 s after the restart (the retries' burst against a
cold process), to tell the cost of restarts from the cost of a normal moment.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

# Run as a script, this folder is sys.path[0] and this file would shadow the stdlib's queue.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.office.local_postgres import LocalPostgres  # noqa: E402 (after the sys.path fix)
from kiosk.queue.store import QueueStore  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KIOSKS, COUNTERS = 20, 30
KILLS = 5
RATE_PER_S = 40.0  # tickets per second over all kiosks: a 7-hour day of 10,000 in ~4 minutes
SERVICE_S = (0.05, 0.5)  # a counter's simulated service time, seconds
SETTLE_S = 5.0  # after a restart: the retries' burst and a cold process ("steady" excludes it)
IDLE_S = 2.0  # a counter with nobody waiting looks again after this (staff, not a poller)
AGENCIES = {"Dukcapil": "ABCD", "Samsat": "EF", "Imigrasi": "G", "DPMPTSP": "H", "Bank": "J"}


def office_toml() -> str:
    lines = [
        '[office]\nname = "MPP Bench"\ntimezone = "Asia/Jakarta"\n\n[queue]\npriority_every_n = 3'
    ]
    for agency, codes in AGENCIES.items():
        for code in codes:
            lines.append(
                f'[[queue.services]]\ncode = "{code}"\nname_id = "Layanan {code}"\n'
                f'name_en = "Service {code}"\nagency = "{agency}"\nopens = 00:00:00\n'
                f"closes = 23:59:59\ndays = [1, 2, 3, 4, 5, 6, 7]\ndaily_quota = 9999"
            )
    codes = [(a, c) for a, cs in AGENCIES.items() for c in cs]
    for n in range(1, COUNTERS + 1):
        agency, code = codes[n % len(codes)]
        services = [c for c in AGENCIES[agency]][:2] if n % 3 == 0 else [code]
        lines.append(
            f'[[queue.counters]]\nid = "loket-{n}"\nnumber = {n}\nagency = "{agency}"\n'
            f"services = {json.dumps(services)}"
        )
    return "\n\n".join(lines) + "\n"


def clients() -> list[str]:
    args = [f"kiosk-{n}:kiosk:kiosk-key-{n:02d}" for n in range(KIOSKS)]
    args += [f"loket-{n}:counter:loket-key-{n:02d}" for n in range(1, COUNTERS + 1)]
    return [*args, "tv-1:display:display-key-1"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``kiosk queue-server`` as a process on a fixed port, so clients find it after restarts."""

    def __init__(self, db: str, config: Path) -> None:
        self.db, self.config, self.port = db, config, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        argv = [sys.executable, "-m", "kiosk", "queue-server", "--port", str(self.port),
                "--db", self.db, "--config", str(self.config)]  # fmt: skip
        for client in clients():
            argv += ["--client", client]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line.startswith("queue server listening"):
            raise RuntimeError(f"queue server did not start: {line!r}")

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(30)


@dataclass
class Record:
    issue_ms: list[float] = field(default_factory=list)
    call_ms: list[float] = field(default_factory=list)
    issue_server_ms: list[float] = field(default_factory=list)
    call_server_ms: list[float] = field(default_factory=list)
    issue_at: list[float] = field(default_factory=list)  # when each timed request was sent
    call_at: list[float] = field(default_factory=list)
    restarts: list[tuple[float, float]] = field(default_factory=list)  # kill .. back + settle
    answered: dict[str, str] = field(default_factory=dict)  # touch key -> ticket id
    call_sent: dict[str, float] = field(default_factory=dict)  # ticket id -> call-next sent
    seen: dict[str, float] = field(default_factory=dict)  # ticket id -> on the display
    lost_answers: int = 0
    issued: int = 0


class Down(Exception):
    """No answer: the server is gone (killed) or not up yet."""


@dataclass
class Answer:
    status_code: int
    body: bytes
    server_ms: float  # the server's own time (its Server-Timing header)

    def json(self) -> Any:
        return json.loads(self.body)


class Client:
    """A minimal keep-alive HTTP/1.1 client: httpx costs the load generator more CPU per request
    than the server spends answering it, and on a shared 2-core machine that would be measured
    as server latency."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.port = int(url.rsplit(":", 1)[1])
        self.head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(
        self, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Answer:
        data = b"" if body is None else json.dumps(body).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        request = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{self.head}{extra}"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        ).encode() + data
        try:
            if self.streams is None:
                self.streams = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = self.streams
            writer.write(request)
            status = int((await reader.readline()).split()[1])
            length, server_ms = 0, math.nan
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "server-timing":
                    server_ms = float(value.split("dur=")[1])
            return Answer(status, await reader.readexactly(length), server_ms)
        except (OSError, IndexError, ValueError, asyncio.IncompleteReadError) as exc:
            await self.close()
            raise Down(str(exc)) from None

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def until_answered(
    client: Client, record: Record, *args: Any, **kw: Any
) -> tuple[Answer, float]:
    """Send until an answer comes (the server may be restarting); the answered try's time."""
    lost = False
    while True:
        started = time.perf_counter()
        try:
            response = await client.post(*args, **kw)
        except Down:
            record.lost_answers += not lost  # once per request, however long the restart
            lost = True
            await asyncio.sleep(0.25)  # the server is restarting
            continue
        return response, (time.perf_counter() - started) * 1000


async def kiosk(n: int, url: str, record: Record, quota: int) -> None:
    rng = random.Random(n)
    client = Client(
        url, {"X-Client-Id": f"kiosk-{n}", "Authorization": f"Bearer kiosk-key-{n:02d}"}
    )
    codes = "".join(AGENCIES.values())
    touch = 0
    try:
        while record.issued < quota:
            await asyncio.sleep(rng.expovariate(RATE_PER_S / KIOSKS))
            if record.issued >= quota:
                return
            record.issued += 1
            touch += 1
            key = f"kiosk-{n}-touch-{touch:06d}"
            body: dict[str, Any] = {"service": rng.choice(codes)}
            if rng.random() < 0.1:
                body["priority"] = rng.choice(["lansia", "disabilitas", "ibu_hamil"])
            response, ms = await until_answered(
                client, record, "/v1/tickets", body, {"Idempotency-Key": key}
            )
            if response.status_code != 201:
                raise RuntimeError(f"issue refused: {response.body!r}")
            record.issue_ms.append(ms)
            record.issue_at.append(time.monotonic() - ms / 1000)
            record.issue_server_ms.append(response.server_ms)
            record.answered[key] = response.json()["id"]
    finally:
        await client.close()


async def counter(n: int, url: str, record: Record) -> None:
    rng = random.Random(1000 + n)
    client = Client(
        url, {"X-Client-Id": f"loket-{n}", "Authorization": f"Bearer loket-key-{n:02d}"}
    )
    try:
        while True:
            sent = time.monotonic()
            response, ms = await until_answered(client, record, f"/v1/counters/loket-{n}/call-next")
            if response.status_code in (200, 204):
                record.call_ms.append(ms)
                record.call_at.append(time.monotonic() - ms / 1000)
                record.call_server_ms.append(response.server_ms)
            if response.status_code == 204:
                await asyncio.sleep(IDLE_S)
                continue
            if response.status_code == 409:  # its call-next answer was lost: finish that one
                ticket = response.json()["error"]["ticket"]
            elif response.status_code == 200:
                ticket = response.json()["id"]
                record.call_sent.setdefault(ticket, sent)
            else:
                raise RuntimeError(f"call-next: {response.status_code} {response.body!r}")
            await until_answered(client, record, f"/v1/tickets/{ticket}/start")
            await asyncio.sleep(rng.uniform(*SERVICE_S))
            await until_answered(client, record, f"/v1/tickets/{ticket}/done")
    finally:
        await client.close()


async def display(url: str, record: Record) -> None:
    port = int(url.rsplit(":", 1)[1])
    request = (
        b"GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Client-Id: tv-1\r\n"
        b"Authorization: Bearer display-key-1\r\n\r\n"
    )
    while True:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.25)  # the server is restarting: reconnect
            continue
        try:
            writer.write(request)
            kind = ""
            while line := await reader.readline():  # chunked: chunk sizes are skipped lines
                if line.startswith(b"event: "):
                    kind = line[7:].strip().decode()
                elif line.startswith(b"data: ") and kind == "call":
                    ticket = json.loads(line[6:])["ticket"]
                    record.seen.setdefault(ticket, time.monotonic())
        except OSError:
            pass
        finally:
            writer.close()
        await asyncio.sleep(0.05)


async def drive(server: Server, tickets: int) -> tuple[Record, float]:
    record = Record()
    tasks = [asyncio.create_task(display(server.url, record))]
    tasks += [asyncio.create_task(counter(n, server.url, record)) for n in range(1, COUNTERS + 1)]
    kiosks = [asyncio.create_task(kiosk(n, server.url, record, tickets)) for n in range(KIOSKS)]
    started = time.monotonic()
    for kill in range(1, KILLS + 1):
        while len(record.answered) < tickets * kill / (KILLS + 1):
            await asyncio.sleep(0.01)
        killed = time.monotonic()
        server.kill()
        await asyncio.to_thread(server.start)
        record.restarts.append((killed, time.monotonic() + SETTLE_S))
    await asyncio.gather(*kiosks)
    took = time.monotonic() - started
    await asyncio.sleep(1.0)  # the last calls reach the display
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return record, took


def verify(store: QueueStore, record: Record) -> dict[str, int]:
    days = {date(int(t[:4]), int(t[4:6]), int(t[6:8])) for t in record.answered.values()}
    numbers: dict[tuple[str, date], list[int]] = defaultdict(list)
    recorded: set[str] = set()
    for day in days:
        for ticket in store.tickets_of_day(day):
            recorded.add(ticket.ticket_id)
            if ticket.hop == 0:
                numbers[(ticket.letter, day)].append(ticket.number)
    duplicates = sum(len(ns) - len(set(ns)) for ns in numbers.values())
    gaps = sum(max(ns) - len(set(ns)) for ns in numbers.values())
    lost = len(set(record.answered.values()) - recorded)
    orphans = len(recorded) - len(set(record.answered.values()) & recorded)
    return {"duplicates": duplicates, "gaps": gaps, "lost": lost, "orphans": orphans}


def pct(values: list[float], share: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def one_run(name: str, db: str, open_store: Any, tickets: int, tmp: Path) -> list[dict[str, Any]]:
    config = tmp / f"office-{name}.toml"
    config.write_text(office_toml())
    server = Server(db, config)
    server.start()
    try:
        record, took = asyncio.run(drive(server, tickets))
    finally:
        server.stop()
    store = open_store()
    try:
        checked = verify(store, record)
    finally:
        store.close()
    delays = [
        (record.seen[t] - sent) * 1000 if t in record.seen else math.inf
        for t, sent in record.call_sent.items()
    ]

    def steady(values: list[float], sent: list[float]) -> list[float]:
        return [
            v
            for v, at in zip(values, sent, strict=True)
            if not any(a <= at <= b for a, b in record.restarts)
        ]

    rows = [
        ("tickets", len(record.answered), "count", f">= {tickets}"),
        ("duplicates", checked["duplicates"], "count", "== 0"),
        ("gaps", checked["gaps"], "count", "== 0"),
        ("lost", checked["lost"] + checked["orphans"], "count", "== 0"),
        ("issue_p99", round(pct(record.issue_ms, 0.99), 1), "ms", "<= 50"),
        ("call_next_p99", round(pct(record.call_ms, 0.99), 1), "ms", "<= 50"),
        ("display_p95", round(pct(delays, 0.95), 1), "ms", "<= 1000"),
        ("issue_p50", round(pct(record.issue_ms, 0.5), 1), "ms", None),
        ("call_next_p50", round(pct(record.call_ms, 0.5), 1), "ms", None),
        (
            "issue_steady_p99",
            round(pct(steady(record.issue_ms, record.issue_at), 0.99), 1),
            "ms",
            None,
        ),
        (
            "call_next_steady_p99",
            round(pct(steady(record.call_ms, record.call_at), 0.99), 1),
            "ms",
            None,
        ),
        ("issue_server_p99", round(pct(record.issue_server_ms, 0.99), 1), "ms", None),
        ("call_next_server_p99", round(pct(record.call_server_ms, 0.99), 1), "ms", None),
        ("calls", len(record.call_sent), "count", None),
        ("answers_lost_to_kills", record.lost_answers, "count", None),
        ("restarts", KILLS, "count", f"== {KILLS}"),
        ("rate", round(len(record.answered) / took, 1), "tickets/s", None),
    ]
    return [
        {"name": f"queue_{name}_{key}", "value": value, "unit": unit, "target": target}
        for key, value, unit, target in rows
    ]


def run(quick: bool) -> list[dict[str, Any]]:
    global KILLS
    KILLS = 2 if quick else 5  # a restart costs ~3-5 s of a loaded 2-core machine
    tickets = 200 if quick else 10_000
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp, LocalPostgres(durable=True) as postgres:
        from kiosk.queue.postgres_store import PostgresQueueStore
        from kiosk.queue.sqlite_store import SqliteTicketStore

        url = postgres.new_database("bench")
        figures += one_run("pg", url, lambda: PostgresQueueStore(url), tickets, Path(tmp))
        path = Path(tmp) / "queue.sqlite"
        figures += one_run(
            "sqlite", f"sqlite:///{path}", lambda: SqliteTicketStore(path), tickets, Path(tmp)
        )
    return figures


if __name__ == "__main__":
    for figure in run("--quick" in sys.argv):
        print(
            f"{figure['name']:34} {figure['value']:>10} {figure['unit']:9} {figure['target'] or ''}"
        )
