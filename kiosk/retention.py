"""Housekeeping: what the kiosk keeps, for how long (``[retention]`` in the config, in days).

Once when the kiosk starts and then every hour, on its own thread:

- the audit log is rotated at the start of the office day (one file per day at most) and
  rotated files older than ``audit_days`` are deleted, oldest first, whole files only, with the
  chain's new start kept in ``audit.anchor`` (kiosk/audit/chain.py: the chain stays verifiable);
- finished transactions (committed or released, nothing owed to the registry) older than
  ``journal_days`` are deleted from the journal; SUSPECT and unfinished ones stay until resolved;
- queue tickets of office days older than ``queue_days`` are deleted.

Each pruning is itself an audit entry (``retention``, with what was deleted).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from kiosk.audit import AuditLog
from kiosk.audit.chain import prune, rotate
from kiosk.config.models import RetentionSettings
from kiosk.engine.journal import Journal

log = logging.getLogger(__name__)

DAY_S = 86_400
QUEUE_FILE = "queue.sqlite"


@dataclass(frozen=True, slots=True)
class RetentionReport:
    rotated: str | None  # the audit file closed, if any
    audit_files: int  # rotated audit files deleted
    audit_through_seq: int | None  # the last audit entry deleted
    transactions: int  # finished transactions deleted
    tickets: int  # queue tickets deleted

    @property
    def pruned(self) -> bool:
        return bool(self.audit_files or self.transactions or self.tickets)


class Housekeeping:
    def __init__(
        self,
        settings: RetentionSettings,
        *,
        state_dir: Path,
        audit: AuditLog,
        journal: Journal,
        tz: tzinfo,
        clock: Callable[[], float] = time.time,
        interval_s: float = 3600.0,
    ) -> None:
        self.settings = settings
        self.state_dir = state_dir
        self.audit = audit
        self.journal = journal
        self.tz = tz
        self.clock = clock
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> RetentionReport:
        now = self.clock()
        today = datetime.fromtimestamp(now, self.tz).date()
        day_start = datetime(today.year, today.month, today.day, tzinfo=self.tz).timestamp()
        rotated = rotate(self.audit.directory, before=day_start)
        if rotated is not None:  # the new live file starts at once, continuing the chain
            self.audit.append("audit_rotated", closed=rotated.name)
        pruned = prune(self.audit.directory, before=now - self.settings.audit_days * DAY_S)
        transactions = self.journal.prune_finished(now - self.settings.journal_days * DAY_S)
        tickets = self._prune_queue(today - timedelta(days=self.settings.queue_days))
        report = RetentionReport(
            rotated=rotated.name if rotated else None,
            audit_files=pruned[0] if pruned else 0,
            audit_through_seq=pruned[1] if pruned else None,
            transactions=transactions,
            tickets=tickets,
        )
        if report.pruned:
            self.audit.append(
                "retention",
                audit_files=report.audit_files,
                audit_through_seq=report.audit_through_seq,
                transactions=report.transactions,
                tickets=report.tickets,
            )
            log.info("retention: %s", report)
        return report

    def _prune_queue(self, before: date) -> int:
        path = self.state_dir / QUEUE_FILE
        if not path.exists():
            return 0
        from kiosk.queue import SqliteTicketStore

        store = SqliteTicketStore(path)
        try:
            return store.prune_days_before(before)
        finally:
            store.close()

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._loop, name="housekeeping", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:  # once at start, then every interval until stopped
            try:
                self.run_once()
            except Exception:  # a full disk or a damaged file must not stop the kiosk
                log.exception("housekeeping failed; trying again in %.0f s", self.interval_s)
            if self._stop.wait(self.interval_s):
                return

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10.0)
            self._thread = None
