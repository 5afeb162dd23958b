"""An append-only audit log with a keyed hash chain (one JSON object per line).

Each line carries ``seq`` (1, 2, 3, ...), ``prev`` (the hash of the line before it, or 64 zeros
for the first) and ``hash`` = HMAC-SHA256 with the kiosk's chain key (:mod:`.chain_key`) over
the canonical JSON of the line without ``hash``. An edited line breaks its own hash; a removed
line breaks the next line's ``prev`` and ``seq``; without the key nobody can write a chain that
verifies. A removed *tail* is caught by the head file (``audit.head``: the last seq and hash),
rewritten atomically after every append, and, from outside the machine, by the head the kiosk
sends in every heartbeat and the registry keeps (:meth:`AuditLog.head`, ``recorded`` in
:func:`verify_log`). A missing or emptied log is a failure, never "intact: 0 entries"; a log
that went missing is continued from the head file, so the gap stays visible.

Entries hold masked data only: masked NIK, voucher id, document type, outcome, durations,
technician decisions. :meth:`AuditLog.append` refuses anything shaped like a whole NIK.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.audit.chain_key import KEY_NAME, AuditKeyError, generated_key, read_key

GENESIS = "0" * 64
_NIK_SHAPED = re.compile(r"(?<![0-9])[0-9]{16}(?![0-9])")
LOG_NAME = "audit.log"
HEAD_NAME = "audit.head"


class AuditError(Exception):
    """An entry that may not be written (personal data, not JSON-serialisable)."""


HEAD, LOG, REGISTRY = 0, -1, -2  # AuditProblem.line for problems not on one line
_WHERE = {HEAD: "head", LOG: "log", REGISTRY: "registry"}


@dataclass(frozen=True, slots=True)
class AuditProblem:
    line: int  # 1-based line number in the file; HEAD, LOG or REGISTRY otherwise
    message: str

    def __str__(self) -> str:
        return f"{_WHERE.get(self.line, f'line {self.line}')}: {self.message}"


@dataclass(frozen=True, slots=True)
class AuditHead:
    """How far the chain goes: ``entries`` lines, the last one's ``head`` hash."""

    entries: int
    head: str

    def to_wire(self) -> dict[str, Any]:
        return {"entries": self.entries, "head": self.head}


def _canonical(entry: Mapping[str, Any]) -> bytes:
    return json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def line_hash(entry_without_hash: Mapping[str, Any], key: bytes) -> str:
    return hmac.new(key, _canonical(entry_without_hash), hashlib.sha256).hexdigest()


class AuditLog:
    """Appends events to ``<dir>/audit.log``; safe for several threads of one process.

    ``key`` is the chain key (production: from ``audit.key_file``); None makes or reads the
    simulator's key in ``directory``."""

    def __init__(self, directory: Path | str, key: bytes | None = None) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._key = key if key is not None else generated_key(self.directory)
        self.path = self.directory / LOG_NAME
        self.head_path = self.directory / HEAD_NAME
        self._lock = threading.Lock()
        self._seq, self._last = self._read_tail()

    def head(self) -> AuditHead:
        """The chain's current head (sent in every heartbeat)."""
        with self._lock:
            return AuditHead(self._seq, self._last)

    def _read_tail(self) -> tuple[int, str]:
        last_line = b""
        if self.path.exists():
            with self.path.open("rb") as handle:
                for line in handle:
                    if line.strip():
                        last_line = line
        if not last_line:
            # No log, or an emptied one: continue from the head file if there is one, so the
            # missing entries stay a visible gap instead of a fresh, innocent-looking chain.
            head = _read_head(self.head_path)
            return head if head is not None else (0, GENESIS)
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
                entry["hash"] = line_hash(entry, self._key)
            except (TypeError, ValueError) as exc:
                raise AuditError(f"entry is not JSON-serialisable: {exc}") from None
            data = _canonical(entry) + b"\n"
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
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
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, f"{seq} {digest}\n".encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _read_head(path: Path) -> tuple[int, str] | None:
    try:
        seq_text, digest = path.read_text(encoding="ascii").split()
        return int(seq_text), digest
    except (OSError, ValueError):
        return None


def verify_log(
    directory: Path | str, key: bytes | None = None, *, recorded: AuditHead | None = None
) -> tuple[int, list[AuditProblem]]:
    """Check the chain in ``directory``; returns (entries checked, problems found).

    ``key`` defaults to the simulator's key file in ``directory``. ``recorded`` is the head the
    registry last received from this kiosk: the log must still hold that entry, unchanged.
    """
    directory = Path(directory)
    path = directory / LOG_NAME
    problems: list[AuditProblem] = []
    if key is None:
        try:
            key = read_key(directory / KEY_NAME)
        except AuditKeyError as exc:
            problems.append(AuditProblem(LOG, f"no chain key, hashes not checked ({exc})"))
    count = 0
    prev, expected_seq = GENESIS, 1
    recorded_hash: str | None = None
    if not path.exists():
        problems.append(AuditProblem(LOG, "the log is missing (deleted or never written)"))
    else:
        with path.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    problems.append(AuditProblem(number, "empty line"))
                    continue
                count += 1
                problem = _check_line(raw, prev, expected_seq, key)
                if problem is not None:
                    problems.append(AuditProblem(number, problem))
                try:
                    entry = json.loads(raw)
                    prev, expected_seq = str(entry["hash"]), int(entry["seq"]) + 1
                except (ValueError, KeyError, TypeError, OverflowError, RecursionError):
                    expected_seq += 1
                if recorded is not None and expected_seq - 1 == recorded.entries:
                    recorded_hash = prev
        if count == 0:
            problems.append(AuditProblem(LOG, "the log is empty (emptied or never written)"))
    head = _read_head(directory / HEAD_NAME)
    if head is not None and head != (expected_seq - 1, prev):
        problems.append(
            AuditProblem(
                HEAD,
                f"the log ends at seq {expected_seq - 1} but the head records seq {head[0]}"
                " (lines removed from the end, or the head was edited)",
            )
        )
    elif head is None and count:
        problems.append(AuditProblem(HEAD, "the head file is missing"))
    if recorded is not None:
        problem = _against_recorded(recorded, recorded_hash, expected_seq - 1)
        if problem is not None:
            problems.append(AuditProblem(REGISTRY, problem))
    return count, problems


def _against_recorded(recorded: AuditHead, found: str | None, last_seq: int) -> str | None:
    if recorded.entries == 0:
        return None
    where = f"the registry recorded {recorded.entries} entries ending in {recorded.head[:12]}"
    if last_seq < recorded.entries:
        return f"{where}, the log ends at seq {last_seq} (entries removed or the log replaced)"
    if not _same_hash(found, recorded.head):
        return f"{where}, the log's entry {recorded.entries} differs (the log was rewritten)"
    return None


def _same_hash(claimed: object, expected: str) -> bool:
    """Constant-time equality of a hash read from the file (anything at all) and a real one."""
    if not isinstance(claimed, str):
        return False
    return hmac.compare_digest(claimed.encode("utf-8", "surrogatepass"), expected.encode())


def _check_line(raw: bytes, prev: str, expected_seq: int, key: bytes | None) -> str | None:
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
    if key is not None and not _same_hash(claimed, line_hash(entry, key)):
        return "hash does not match the content (the line was edited)"
    return None
