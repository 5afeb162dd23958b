"""kill -9 of ``kiosk queue-server`` in the middle of issuing, on SQLite and on PostgreSQL.

Four kiosk threads issue tickets as fast as the server answers, each touch with its own
Idempotency-Key. The server process is killed with SIGKILL while requests are in flight, then
started again on the same database; the kiosks retry every touch whose answer was lost, with
the same key. Afterwards: the numbers of each service and day are exactly 1..N (no duplicate,
no gap), every answered ticket is recorded, every touch has exactly one ticket, and no ticket
exists that no touch asked for.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import httpx
import pytest

from kiosk.queue.models import Ticket

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
KIOSKS = 4
ROUNDS = 4
OFFICE = """
[office]
name = "Kantor Uji"
timezone = "Asia/Jayapura"

[queue]
[[queue.services]]
code = "A"
name_id = "Perekaman KTP-el"
name_en = "KTP-el recording"
opens = 00:00:00
closes = 23:59:59
days = [1, 2, 3, 4, 5, 6, 7]
daily_quota = 9999

[[queue.services]]
code = "B"
name_id = "Kartu Keluarga"
name_en = "Family card"
opens = 00:00:00
closes = 23:59:59
days = [1, 2, 3, 4, 5, 6, 7]
daily_quota = 9999
"""


class _Lazy:
    """The store, opened only for the final check (the server owns the database until then)."""

    def __init__(self, opener) -> None:  # type: ignore[no-untyped-def]
        self._opener = opener

    def tickets_of_day(self, day):  # type: ignore[no-untyped-def]
        store = self._opener()
        try:
            return store.tickets_of_day(day)
        finally:
            store.close()


class QueueServerProcess:
    def __init__(self, db: str, config: Path) -> None:
        clients = [
            arg for n in range(KIOSKS) for arg in ("--client", f"kiosk-{n}:kiosk:key-{n}-abcdef")
        ]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "queue-server", "--port", "0", "--db", db,
             "--config", str(config), *clients],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ, PYTHONPATH=str(ROOT)),
            text=True,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        assert line.startswith("queue server listening on http://"), (
            line + self.process.stderr.read()  # type: ignore[union-attr]
        )
        self.url = line.rsplit(" ", 1)[-1]

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL


class Kiosk:
    """Issues until its server goes away; a touch whose answer never came stays in
    ``in_doubt`` until retried with the same key."""

    def __init__(self, n: int, rng: random.Random) -> None:
        self.n = n
        self.rng = rng
        self.answered: dict[str, str] = {}  # key -> ticket id
        self.in_doubt: dict[str, str] = {}  # key -> service
        self.touch = 0

    def client(self, url: str) -> httpx.Client:
        headers = {"X-Client-Id": f"kiosk-{self.n}", "Authorization": f"Bearer key-{self.n}-abcdef"}
        return httpx.Client(base_url=url, headers=headers, timeout=10)

    def issue(self, client: httpx.Client, key: str, service: str) -> bool:
        try:
            answer = client.post(
                "/v1/tickets", json={"service": service}, headers={"Idempotency-Key": key}
            )
        except httpx.HTTPError:
            self.in_doubt[key] = service
            return False
        assert answer.status_code == 201, answer.text
        self.answered[key] = answer.json()["id"]
        self.in_doubt.pop(key, None)
        return True

    def run(self, url: str) -> None:
        with self.client(url) as client:
            while True:
                self.touch += 1
                key = f"k{self.n}-touch-{self.touch:06d}"
                if not self.issue(client, key, self.rng.choice("AB")):
                    return  # the server is gone

    def retry(self, url: str) -> int:
        lost = len(self.in_doubt)
        with self.client(url) as client:
            for key, service in list(self.in_doubt.items()):
                assert self.issue(client, key, service), "a retry after the restart failed"
        return lost


def run_with_kills(db: str, tmp_path: Path, store: _Lazy) -> None:
    config = tmp_path / "office.toml"
    config.write_text(OFFICE)
    rng = random.Random(1311)
    kiosks = [Kiosk(n, random.Random(rng.random())) for n in range(KIOSKS)]
    lost_answers = 0
    for _ in range(ROUNDS):
        server = QueueServerProcess(db, config)
        lost_answers += sum(kiosk.retry(server.url) for kiosk in kiosks)
        threads = [threading.Thread(target=k.run, args=(server.url,), daemon=True) for k in kiosks]
        for thread in threads:
            thread.start()
        target = sum(len(k.answered) for k in kiosks) + rng.randrange(20, 60)
        deadline = time.monotonic() + 60
        while sum(len(k.answered) for k in kiosks) < target:
            assert time.monotonic() < deadline, "the server stopped answering"
            time.sleep(0.001)
        server.kill()  # with requests in flight
        for thread in threads:
            thread.join(timeout=30)
    final = QueueServerProcess(db, config)
    try:
        lost_answers += sum(kiosk.retry(final.url) for kiosk in kiosks)
    finally:
        final.kill()
    answered = {key: tid for k in kiosks for key, tid in k.answered.items()}
    recorded: list[Ticket] = []
    for day in {tid[:8] for tid in answered.values()}:
        recorded += store.tickets_of_day(date(int(day[:4]), int(day[4:6]), int(day[6:])))
    by_line: dict[tuple[str, date], list[int]] = defaultdict(list)
    for ticket in recorded:
        by_line[(ticket.service, ticket.day)].append(ticket.number)
    for line, numbers in by_line.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"gap or duplicate in {line}"
    assert {t.ticket_id for t in recorded} == set(answered.values()), "lost or orphan tickets"
    assert len(set(answered.values())) == len(answered), "two touches got one ticket"
    print(f"{len(answered)} tickets, {lost_answers} answers lost to kill -9 and retried")


def test_kill_minus_nine_of_the_server_on_sqlite(tmp_path: Path) -> None:
    from kiosk.queue.sqlite_store import SqliteTicketStore

    path = tmp_path / "queue.sqlite"
    run_with_kills(f"sqlite:///{path}", tmp_path, _Lazy(lambda: SqliteTicketStore(path)))


def test_kill_minus_nine_of_the_server_on_postgresql(tmp_path: Path, local_postgres) -> None:  # type: ignore[no-untyped-def]
    from kiosk.queue.postgres_store import PostgresQueueStore

    url = local_postgres.new_database("kill9")
    run_with_kills(url, tmp_path, _Lazy(lambda: PostgresQueueStore(url)))
