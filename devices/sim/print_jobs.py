"""Job records of the simulated document and card printers, in SQLite (WAL, synchronous=FULL).

They make ``job_outcome`` work after a restart, as a real printer's job history does, and keep
job numbers (hence virtual-paper file names) from repeating. A job still pending when the
process died never started: it ends ABORTED with nothing out. A job that was printing ends
UNKNOWN: the printer stopped during it and cannot say what came out, so its count is never
offered as a trustworthy 0 (recovery would release the voucher on it).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from devices.model import DeviceFault
from devices.ports import JobOutcome, JobState
from devices.stats import open_db

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sim_print_jobs (
    device       TEXT    NOT NULL,
    job_no       INTEGER NOT NULL,
    title        TEXT    NOT NULL,
    pages        INTEGER NOT NULL,
    state        TEXT    NOT NULL,
    pages_out    INTEGER NOT NULL DEFAULT 0,
    fault_code   TEXT,
    fault_detail TEXT,
    submitted_at REAL    NOT NULL,
    PRIMARY KEY (device, job_no)
)
"""


@dataclass(frozen=True, slots=True)
class JobRecord:
    job_no: int
    title: str
    pages: int
    state: JobState
    pages_out: int
    fault: DeviceFault | None

    def outcome(self) -> JobOutcome:
        """What the printer can tell: page counts only for jobs that ended."""
        final = self.state in (JobState.COMPLETED, JobState.ABORTED, JobState.CANCELED)
        return JobOutcome(
            str(self.job_no),
            self.state,
            self.pages_out if final else None,
            self.fault,
            {"pages_expected": self.pages},
        )


class PrintJobStore:
    def __init__(self, db_path: Path | str, device: str) -> None:
        self.device = device
        self._lock = threading.Lock()
        self._conn = open_db(db_path)
        self._conn.execute(_SCHEMA)

    def recover_unfinished(self) -> int:
        """Jobs left by a previous process: pending ones end ABORTED (nothing out), printing
        ones UNKNOWN (stopped mid-job, pages out not known). Returns how many."""
        never_started = DeviceFault("PRINTER_POWER_LOST", "the printer stopped before the job")
        mid_job = DeviceFault(
            "PRINTER_POWER_LOST", "the printer stopped during the job; pages out unknown"
        )
        changed = 0
        with self._lock:
            for before, after, fault in (
                (JobState.PENDING, JobState.ABORTED, never_started),
                (JobState.PRINTING, JobState.UNKNOWN, mid_job),
            ):
                cursor = self._conn.execute(
                    "UPDATE sim_print_jobs SET state = ?, fault_code = ?, fault_detail = ? "
                    "WHERE device = ? AND state = ?",
                    (after.value, fault.code, fault.detail, self.device, before.value),
                )
                changed += cursor.rowcount
        return changed

    def add(self, title: str, pages: int) -> int:
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                (last,) = self._conn.execute(
                    "SELECT COALESCE(MAX(job_no), 0) FROM sim_print_jobs WHERE device = ?",
                    (self.device,),
                ).fetchone()
                job_no = int(last) + 1
                self._conn.execute(
                    "INSERT INTO sim_print_jobs (device, job_no, title, pages, state, "
                    "submitted_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (self.device, job_no, title, pages, JobState.PENDING.value, time.time()),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:  # a full disk may have rolled it back already
                    self._conn.execute("ROLLBACK")
                raise
        return job_no

    def update(
        self,
        job_no: int,
        *,
        state: JobState | None = None,
        pages_out: int | None = None,
        fault: DeviceFault | None = None,
    ) -> None:
        sets: list[str] = []
        args: list[object] = []
        if state is not None:
            sets.append("state = ?")
            args.append(state.value)
        if pages_out is not None:
            sets.append("pages_out = ?")
            args.append(pages_out)
        if fault is not None:
            sets += ["fault_code = ?", "fault_detail = ?"]
            args += [fault.code, fault.detail]
        if not sets:
            return
        with self._lock:
            self._conn.execute(
                f"UPDATE sim_print_jobs SET {', '.join(sets)} WHERE device = ? AND job_no = ?",  # noqa: S608 (fixed column names)
                (*args, self.device, job_no),
            )

    def get(self, job_no: int) -> JobRecord | None:
        with self._lock:
            row = self._conn.execute(
                "SELECT job_no, title, pages, state, pages_out, fault_code, fault_detail "
                "FROM sim_print_jobs WHERE device = ? AND job_no = ?",
                (self.device, job_no),
            ).fetchone()
        if row is None:
            return None
        fault = DeviceFault(row[5], row[6] or "") if row[5] else None
        return JobRecord(int(row[0]), row[1], int(row[2]), JobState(row[3]), int(row[4]), fault)

    def close(self) -> None:
        with self._lock:
            self._conn.close()
