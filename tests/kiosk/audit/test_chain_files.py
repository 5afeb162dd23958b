"""Rotation and retention keep the audit chain verifiable across files."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import time_machine

from kiosk.audit import AuditLog, verify_log
from kiosk.audit.chain import ANCHOR_NAME, chain_files, prune, rotate


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2030, 1, day, hour, tzinfo=UTC)


def append_on(log: AuditLog, day: int, n: int) -> None:
    with time_machine.travel(at(day), tick=False):
        for i in range(n):
            log.append("session", outcome="printed", seconds=float(i))


def three_days(directory: Path) -> AuditLog:
    """Entries on 1, 2 and 3 January, rotated at each day's start: two files and the live one."""
    log = AuditLog(directory)
    append_on(log, 1, 3)  # seq 1-3
    assert rotate(directory, before=at(2, 0).timestamp()) == directory / "audit-000000000001.log"
    append_on(log, 2, 2)  # seq 4-5
    assert rotate(directory, before=at(3, 0).timestamp()) == directory / "audit-000000000004.log"
    append_on(log, 3, 1)  # seq 6
    return log


def test_rotated_files_and_the_live_one_are_one_chain(tmp_path: Path) -> None:
    three_days(tmp_path)
    assert [p.name for p in chain_files(tmp_path)] == [
        "audit-000000000001.log",
        "audit-000000000004.log",
        "audit.log",
    ]
    assert verify_log(tmp_path) == (6, [])


def test_a_file_is_rotated_only_once_its_first_entry_is_from_an_earlier_day(
    tmp_path: Path,
) -> None:
    log = AuditLog(tmp_path)
    append_on(log, 1, 2)
    assert rotate(tmp_path, before=at(1, 0).timestamp()) is None  # today's file stays live
    assert rotate(tmp_path / "nothing-here", before=at(9).timestamp()) is None


def test_a_restart_after_rotation_continues_the_chain(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    append_on(log, 1, 3)
    rotate(tmp_path, before=at(2, 0).timestamp())
    restarted = AuditLog(tmp_path)  # audit.log is gone: the head says where the chain is
    append_on(restarted, 2, 1)
    assert [e["seq"] for e in restarted.entries()] == [4]
    assert verify_log(tmp_path) == (4, [])


def test_a_removed_rotated_file_is_detected(tmp_path: Path) -> None:
    three_days(tmp_path)
    (tmp_path / "audit-000000000004.log").unlink()
    _, problems = verify_log(tmp_path)
    assert problems and problems[0].file == "audit.log" and "removed" in problems[0].message


def test_an_edited_rotated_file_is_named(tmp_path: Path) -> None:
    three_days(tmp_path)
    path = tmp_path / "audit-000000000001.log"
    path.write_text(path.read_text().replace('"printed"', '"released"', 1))
    _, problems = verify_log(tmp_path)
    assert (problems[0].file, problems[0].line) == ("audit-000000000001.log", 1)


def test_pruning_old_files_keeps_the_rest_verifiable(tmp_path: Path) -> None:
    three_days(tmp_path)
    assert prune(tmp_path, before=at(2, 0).timestamp()) == (1, 3)  # 1 January's file
    assert not (tmp_path / "audit-000000000001.log").exists()
    assert (tmp_path / ANCHOR_NAME).read_text().startswith("3 ")
    assert verify_log(tmp_path) == (3, [])
    assert prune(tmp_path, before=at(2, 0).timestamp()) is None  # nothing else is that old
    # Removing the next file by hand, without the anchor that pruning writes, is detected.
    (tmp_path / "audit-000000000004.log").unlink()
    assert verify_log(tmp_path)[1]


def test_pruning_cut_short_after_the_anchor_is_still_verifiable(tmp_path: Path) -> None:
    three_days(tmp_path)
    keep = tmp_path.parent / "copy.log"
    shutil.copy(tmp_path / "audit-000000000001.log", keep)
    prune(tmp_path, before=at(3, 0).timestamp())  # both rotated files
    shutil.copy(keep, tmp_path / "audit-000000000001.log")  # as if the unlink never happened
    assert [p.name for p in chain_files(tmp_path)] == ["audit.log"]
    assert verify_log(tmp_path) == (1, [])


def test_the_live_file_is_never_pruned(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    append_on(log, 1, 2)
    assert prune(tmp_path, before=at(20).timestamp()) is None
    assert verify_log(tmp_path) == (2, [])
