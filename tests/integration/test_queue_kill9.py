"""kill -9 during issuance, again and again: the numbers stay continuous.

Worker processes issue tickets in a tight loop through the real QueueBook and SQLite store and
report each number on stdout once ``issue`` has returned. The test kills them with SIGKILL at
arbitrary moments (inside transactions, between them, during start-up), several rounds, three
workers at a time on the same file. Afterwards the recorded numbers of each day are exactly
1..N (no duplicate, no gap), and every number a worker reported is recorded.

Each worker issues at most ``limit`` tickets, then waits to be killed. Unbounded, the run depended
on the machine's speed: a worker issues about 3,000 tickets a second, and one that is not yet
being killed (its sibling or the early worker is) kept issuing, so a fast or lightly loaded
machine filled the day's quota of 9,999 and the next issue failed with ``queue_quota``.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import defaultdict
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

WORKER = r"""
import sys
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from kiosk.config.models import QueueService
from kiosk.queue import QueueBook, SqliteTicketStore

tz = ZoneInfo("Asia/Jayapura")
service = QueueService(
    code="A", name_id="Perekaman KTP-el", name_en="KTP-el recording",
    opens=time(0, 0), closes=time(23, 59, 59), days=[1, 2, 3, 4, 5, 6, 7], daily_quota=9999,
)
book = QueueBook([service], SqliteTicketStore(Path(sys.argv[1])), tz)
print("ready", flush=True)
left = int(sys.argv[2])
while left > 0:
    now = datetime.now(tz)
    if now.time() >= time(23, 59, 59):
        continue  # the service closes for one second before midnight
    ticket = book.issue("A", priority=False, now=now)
    print(ticket.ticket_id, flush=True)
    left -= 1
sys.stdin.read()  # enough issued: wait for the kill
"""

ROUNDS = 6
WORKERS = 2
MARGIN = 100  # tickets a worker may issue past the count it is killed after (~30 ms of work)


class Worker:
    """One issuing process; a reader thread collects the ticket ids it reports."""

    def __init__(self, db: Path, limit: int) -> None:
        paths = [str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))
        self.process = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), str(limit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        self.reported: list[str] = []
        self.enough = threading.Event()
        self.target = 1 << 30
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            line = raw.decode().strip()
            if line == "ready":
                continue
            self.reported.append(line)
            if len(self.reported) >= self.target:
                self.enough.set()

    def kill_within(self, seconds: float) -> None:
        """SIGKILL at a random moment, wherever the worker is (start-up, schema, issuing)."""
        try:
            self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
        self._reap()

    def kill_after(self, tickets: int, rng: random.Random) -> None:
        """SIGKILL once ``tickets`` numbers were reported (then a random few microseconds)."""
        self.target = tickets
        if len(self.reported) >= tickets:
            self.enough.set()
        assert self.enough.wait(timeout=60), self.process.stderr.read().decode()  # type: ignore[union-attr]
        for _ in range(rng.randrange(0, 2000)):
            pass  # move the kill to an arbitrary point of the next transaction
        os.kill(self.process.pid, signal.SIGKILL)
        self._reap()
        assert self.process.returncode == -signal.SIGKILL

    def _reap(self) -> None:
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        assert self.process.stdin is not None
        self.process.stdin.close()


def recorded(db: Path) -> dict[str, list[int]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT day, number FROM queue_tickets WHERE service = 'A'").fetchall()
    by_day: dict[str, list[int]] = defaultdict(list)
    for day, number in rows:
        by_day[day].append(number)
    return by_day


def test_kill_minus_nine_leaves_numbers_continuous(tmp_path: Path) -> None:
    db = tmp_path / "queue.sqlite"
    rng = random.Random(20261123)
    reported: list[str] = []
    for _ in range(ROUNDS):
        targets = [rng.randrange(3, 30) for _ in range(WORKERS)]
        workers = [Worker(db, target + MARGIN) for target in targets]
        early = Worker(db, MARGIN)  # killed at any point, often before or during its first issue
        early.kill_within(rng.uniform(0.0, 0.6))
        reported += early.reported
        for worker, target in zip(workers, targets, strict=True):
            worker.kill_after(target, rng)
            reported += worker.reported
    # bounded by the limits, far below the day's quota of 9,999, however fast the machine
    assert len(reported) <= ROUNDS * (WORKERS * (30 + MARGIN) + MARGIN)
    by_day = recorded(db)
    assert by_day, "nothing was issued"
    for day, numbers in by_day.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), f"gap or duplicate on {day}"
    assert len(reported) == len(set(reported)), "a number was reported twice"
    recorded_ids = {f"{day.replace('-', '')}-A-{n:03d}" for day, ns in by_day.items() for n in ns}
    assert set(reported) <= recorded_ids, "a reported number was not recorded"
    # the store still works after all that, and continues where the crashes left it
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kiosk.queue import SqliteTicketStore

    store = SqliteTicketStore(db)
    now = datetime.now(ZoneInfo("Asia/Jayapura"))
    day = now.date()
    before = store.issued_count("A", day)
    assert store.issue("A", day, priority=False, quota=9999, at=now).number == before + 1
    store.close()
