"""The hash chain detects an edited, removed or truncated line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.audit import AuditError, AuditLog, verify_log


def write(directory: Path, n: int = 5) -> AuditLog:
    log = AuditLog(directory)
    for i in range(n):
        log.append("print", vid=f"V{i}", doc="kk", outcome="printed", holder="B*** S******")
    return log


def lines(directory: Path) -> list[str]:
    return (directory / "audit.log").read_text().splitlines(keepends=True)


def test_an_intact_log_verifies(tmp_path: Path) -> None:
    write(tmp_path)
    count, problems = verify_log(tmp_path)
    assert count == 5
    assert problems == []


def test_reopening_continues_the_chain(tmp_path: Path) -> None:
    write(tmp_path, 2)
    write(tmp_path, 2)
    count, problems = verify_log(tmp_path)
    assert (count, problems) == (4, [])


def test_an_edited_line_is_named(tmp_path: Path) -> None:
    write(tmp_path)
    content = lines(tmp_path)
    content[2] = content[2].replace('"printed"', '"released"')
    (tmp_path / "audit.log").write_text("".join(content))
    _, problems = verify_log(tmp_path)
    assert [p.line for p in problems] == [3]
    assert "edited" in problems[0].message


def test_an_edited_line_with_a_recomputed_hash_breaks_the_next_line(tmp_path: Path) -> None:
    from kiosk.audit.log import line_hash

    write(tmp_path)
    content = lines(tmp_path)
    entry = json.loads(content[1])
    entry["outcome"] = "released"
    del entry["hash"]
    entry["hash"] = line_hash(entry)
    content[1] = json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n"
    (tmp_path / "audit.log").write_text("".join(content))
    _, problems = verify_log(tmp_path)
    assert [p.line for p in problems] == [3]


def test_a_removed_line_is_named(tmp_path: Path) -> None:
    write(tmp_path)
    content = lines(tmp_path)
    del content[1]
    (tmp_path / "audit.log").write_text("".join(content))
    _, problems = verify_log(tmp_path)
    assert problems and problems[0].line == 2


def test_a_removed_tail_is_caught_by_the_head(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "audit.log").write_text("".join(lines(tmp_path)[:-1]))
    _, problems = verify_log(tmp_path)
    assert [p.line for p in problems] == [0]


def test_an_unmasked_nik_is_refused(tmp_path: Path) -> None:
    log = AuditLog(tmp_path)
    with pytest.raises(AuditError):
        log.append("print", holder="3201010101900001")
    assert verify_log(tmp_path) == (0, [])
