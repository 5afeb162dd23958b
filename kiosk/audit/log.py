"""An append-only, hash-chained audit log (one JSON object per line).

Each line carries ``seq`` (1, 2, 3, ...), ``prev`` (the hash of the line before it, or 64 zeros
for the first) and ``hash`` = SHA-256 over the canonical JSON of the line without ``hash``.
An edited line breaks its own hash; a removed line breaks the next line's ``prev`` and ``seq``.
A removed *tail* is caught by the head file (``audit.head``: the last seq and hash), which is
rewritten atomically after every append.

Entries hold masked data only: masked NIK, voucher id, document type, outcome, durations,
technician decisions. :meth:`AuditLog.append` refuses anything shaped like a whole NIK.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
_NIK_SHAPED = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
LOG_NAME = "audit.log"
HEAD_NAME = "audit.head"


class AuditError(Exception):
    """An entry that may not be written (personal data, not JSON-serialisable)."""


@dataclass(frozen=True, slots=True)
class AuditProblem:
    line: int  # 1-based line number in the file (0: the head file)
    message: str
    file: str = LOG_NAME  # which file of the chain (kiosk/audit/chain.py rotates them)

    def __str__(self) -> str:
        where = "head" if self.line == 0 else f"line {self.line}"
        return f"{where}: {self.message}"


def _canonical(entry: Mapping[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def line_hash(entry_without_hash: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(entry_without_hash)).hexdigest()


class AuditLog:
    """Appends events to ``<dir>/audit.log``; safe for several threads of one process."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.path = self.directory / LOG_NAME
        self.head_path = self.directory / HEAD_NAME
        self._lock = threading.Lock()
        self._seq, self._last = self._read_tail()

    def _read_tail(self) -> tuple[int, str]:
        if not self.path.exists():  # new, or just rotated: the chain goes on from the head
            return _read_head(self.head_path) or (0, GENESIS)
        last_line = b""
        with self.path.open("rb") as handle:
            for line in handle:
                if line.strip():
                    last_line = line
        if not last_line:
            return _read_head(self.head_path) or (0, GENESIS)
        try:
            entry = json.loads(last_line)
            return int(entry["seq"]), str(entry["hash"])
        except (ValueError, KeyError, TypeError, OverflowError, RecursionError):
            # A torn last line (power cut mid-write) is left for `verify` to report; the chain
            # continues from the head file, which is only written after a complete line.
            head = _read_head(self.head_path)
            return head if head is not None else (0, GENESIS)

    def append(self, event: str, **fields: Any) -> dict[str, Any]:
        """Write one entry; returns it (with seq, prev and hash). Durable when it returns."""
        for key, value in fields.items():
            if isinstance(value, str) and _NIK_SHAPED.search(value):
                raise AuditError(f"field {key!r} holds an unmasked 16-digit number")
        with self._lock:
            entry: dict[str, Any] = {
                "seq": self._seq + 1,
                "ts": round(time.time(), 3),
                "event": event,
                **fields,
                "prev": self._last,
            }
            try:
                entry["hash"] = line_hash(entry)
            except (TypeError, ValueError) as exc:
                raise AuditError(f"entry is not JSON-serialisable: {exc}") from None
            data = _canonical(entry) + b"\n"
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            self._seq, self._last = entry["seq"], entry["hash"]
            _write_head(self.head_path, self._seq, self._last)
        return entry

    def entries(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open("rb") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


def _write_head(path: Path, seq: int, digest: str) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="ascii") as handle:
        handle.write(f"{seq} {digest}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _read_head(path: Path) -> tuple[int, str] | None:
    try:
        seq_text, digest = path.read_text(encoding="ascii").split()
        return int(seq_text), digest
    except (OSError, ValueError):
        return None


def verify_log(directory: Path | str) -> tuple[int, list[AuditProblem]]:
    """Check the chain in ``directory`` (all its files, see kiosk/audit/chain.py); returns
    (entries checked, problems found)."""
    from kiosk.audit.chain import verify_chain

    return verify_chain(directory)


def _check_line(raw: bytes, prev: str, expected_seq: int) -> str | None:
    try:
        entry = json.loads(raw)
    except (ValueError, RecursionError):  # a crafted line must be reported, not crash the check
        return "not JSON (torn or edited)"
    if not isinstance(entry, dict) or "hash" not in entry:
        return "not an audit entry"
    claimed = entry.pop("hash")
    if entry.get("seq") != expected_seq:
        return f"seq {entry.get('seq')!r} where {expected_seq} was expected (a line was removed)"
    if entry.get("prev") != prev:
        return "prev does not match the previous line's hash (a line was removed or edited)"
    if line_hash(entry) != claimed:
        return "hash does not match the content (the line was edited)"
    return None
