"""The audit chain across files: rotation, retention, and a check that spans them.

The live file is ``audit.log``. :func:`rotate` closes it once its first entry is older than the
cut (the start of the office day): it is renamed ``audit-<first seq, 12 digits>.log`` and the
next entry starts a new ``audit.log``. Nothing in an entry changes: the chain simply continues
(the first entry of the new file carries the last hash of the old one as its ``prev``), so the
files in name order are one chain.

:func:`prune` deletes the oldest rotated files once their last entry is older than the
retention, whole files only, oldest first. Before it deletes anything it writes the chain's new
start to ``audit.anchor`` (the seq and hash of the last entry it removes), so
:func:`kiosk.audit.log.verify_log` starts there instead of at seq 1 with 64 zeros. A crash
between the two steps leaves files the anchor already covers: :func:`chain_files` skips them.

Nothing here knows how a line is hashed (the chain key stays in kiosk/audit/log.py): rotation
renames whole files, pruning deletes whole files and copies the last hash it removes.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from kiosk.audit.log import LOG_NAME, _read_head

ANCHOR_NAME = "audit.anchor"
_ROTATED = re.compile(r"^audit-([0-9]{12})\.log$")


def rotated_files(directory: Path) -> list[tuple[int, Path]]:
    """``(first seq, path)`` of the rotated files, oldest first."""
    found = []
    for path in directory.glob("audit-*.log"):
        match = _ROTATED.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def read_anchor(directory: Path) -> tuple[int, str] | None:
    """The last pruned entry's ``(seq, hash)``, or None when nothing was ever pruned."""
    return _read_head(directory / ANCHOR_NAME)


def _edge_entry(path: Path, last: bool) -> dict[str, object] | None:
    """The first (or last) entry of a file that parses, else None."""
    found = None
    with path.open("rb") as handle:
        for raw in handle:
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw)
            except (ValueError, RecursionError):
                continue
            if isinstance(entry, dict):
                found = entry
                if not last:
                    break
    return found


def rotate(directory: Path, *, before: float) -> Path | None:
    """Rename the live file when its first entry is older than ``before`` (a Unix time);
    returns the rotated file's path, or None when there was nothing to rotate."""
    live = directory / LOG_NAME
    if not live.exists():
        return None
    first = _edge_entry(live, last=False)
    if first is None:
        return None
    seq, stamp = first.get("seq"), first.get("ts")
    if not isinstance(seq, int) or not isinstance(stamp, (int, float)) or stamp >= before:
        return None
    target = directory / f"audit-{seq:012d}.log"
    if target.exists():
        return None  # never overwrite: a check will report the odd file
    os.replace(live, target)  # an append in flight lands in the renamed file, whole
    return target


def prune(directory: Path, *, before: float) -> tuple[int, int] | None:
    """Delete rotated files whose last entry is older than ``before``; returns
    ``(files deleted, last seq deleted)``, or None when none was old enough."""
    files = rotated_files(directory)
    doomed: list[Path] = []
    anchor: tuple[int, str] | None = None
    for _, path in files:
        last = _edge_entry(path, last=True) or {}
        seq, stamp, digest = last.get("seq"), last.get("ts"), last.get("hash")
        if not (isinstance(seq, int) and isinstance(stamp, (int, float))):
            break  # a damaged file is kept for the check to report
        if stamp >= before or not isinstance(digest, str):
            break
        doomed.append(path)
        anchor = (seq, digest)
    if anchor is None:
        return None
    tmp = directory / (ANCHOR_NAME + ".tmp")
    with tmp.open("w", encoding="ascii") as handle:
        handle.write(f"{anchor[0]} {anchor[1]}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, directory / ANCHOR_NAME)
    for path in doomed:
        path.unlink()
    return len(doomed), anchor[0]


def chain_files(directory: Path) -> list[Path]:
    """The files of the chain in order, without those a pruning's anchor already covers."""
    rotated = rotated_files(directory)
    live = directory / LOG_NAME
    live_files = [live] if live.exists() else []
    anchor = read_anchor(directory)
    if anchor is None:
        return [path for _, path in rotated] + live_files
    starts = [seq for seq, _ in rotated]
    first_live = (_edge_entry(live, last=False) or {}) if live_files else {}
    live_seq = first_live.get("seq")
    if isinstance(live_seq, int):
        starts.append(live_seq)
    kept = []
    for index, (_, path) in enumerate(rotated):
        following = starts[index + 1] if index + 1 < len(starts) else None
        if following is not None and following <= anchor[0] + 1:
            continue  # wholly before the anchor: pruned, its deletion was cut short
        kept.append(path)
    return kept + live_files
