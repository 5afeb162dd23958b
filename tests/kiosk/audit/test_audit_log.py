"""The hash chain detects an edited, removed or truncated line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.audit import AuditError, AuditHead, AuditKeyError, AuditLog, verify_log
from kiosk.audit.chain_key import read_key
from kiosk.audit.log import REGISTRY


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


def _rehashed(tmp_path: Path, key: bytes) -> list[str]:
    from kiosk.audit.log import line_hash

    content = lines(tmp_path)
    entry = json.loads(content[1])
    entry["outcome"] = "released"
    del entry["hash"]
    entry["hash"] = line_hash(entry, key)
    content[1] = json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n"
    return content


def test_an_edited_line_with_a_recomputed_hash_breaks_the_next_line(tmp_path: Path) -> None:
    write(tmp_path)
    key = (tmp_path / "chain.key").read_bytes()  # whoever holds the key can rehash a line ...
    (tmp_path / "audit.log").write_text("".join(_rehashed(tmp_path, key)))
    _, problems = verify_log(tmp_path)
    assert [p.line for p in problems] == [3]  # ... but not the rest of the chain after it


def test_without_the_key_a_rehashed_line_is_caught_at_once(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "audit.log").write_text("".join(_rehashed(tmp_path, b"k" * 32)))
    _, problems = verify_log(tmp_path)
    assert problems[0].line == 2
    assert "edited" in problems[0].message


def test_a_plain_sha256_chain_does_not_verify(tmp_path: Path) -> None:
    """The chain is keyed: rebuilding every line with plain SHA-256 (no key) is caught."""
    import hashlib

    write(tmp_path)
    prev, rebuilt = "0" * 64, []
    for line in lines(tmp_path):
        entry = json.loads(line)
        entry["prev"] = prev
        del entry["hash"]
        body = json.dumps(entry, sort_keys=True, separators=(",", ":"))
        entry["hash"] = prev = hashlib.sha256(body.encode()).hexdigest()
        rebuilt.append(json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n")
    (tmp_path / "audit.log").write_text("".join(rebuilt))
    (tmp_path / "audit.head").write_text(f"5 {prev}\n")
    _, problems = verify_log(tmp_path)
    assert [p.line for p in problems] == [1, 2, 3, 4, 5]


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
    log.append("kiosk_started")
    with pytest.raises(AuditError):
        log.append("print", holder="3201010101900001")
    assert verify_log(tmp_path) == (1, [])


def test_a_missing_or_emptied_log_is_a_failure(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "audit.log").write_text("")
    (tmp_path / "audit.head").unlink()  # the head gone too: still not "intact: 0 entries"
    count, problems = verify_log(tmp_path)
    assert count == 0 and [str(p) for p in problems] == [
        "log: the log is empty (emptied or never written)"
    ]
    (tmp_path / "audit.log").unlink()
    _, problems = verify_log(tmp_path)
    assert [str(p) for p in problems] == ["log: the log is missing (deleted or never written)"]


def test_a_lost_log_is_continued_from_the_head_so_the_gap_shows(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "audit.log").unlink()
    log = AuditLog(tmp_path)  # the kiosk starting again
    assert log.head().entries == 5
    log.append("kiosk_started")
    count, problems = verify_log(tmp_path)
    assert count == 1
    assert [p.line for p in problems] == [1]
    assert "seq 6 where 1 was expected" in problems[0].message


def test_the_registry_head_catches_a_replaced_log(tmp_path: Path) -> None:
    """Log and head file deleted: only the head the registry kept can tell."""
    recorded = write(tmp_path).head()
    assert recorded == AuditHead(5, json.loads(lines(tmp_path)[-1])["hash"])
    for name in ("audit.log", "audit.head"):
        (tmp_path / name).unlink()
    write(tmp_path, 2)  # a fresh, self-consistent chain
    assert verify_log(tmp_path) == (2, [])
    _, problems = verify_log(tmp_path, recorded=recorded)
    assert [str(p) for p in problems] == [
        f"registry: the registry recorded 5 entries ending in {recorded.head[:12]}, the log ends"
        " at seq 2 (entries removed or the log replaced)"
    ]


def test_the_registry_head_catches_a_rewritten_log_and_accepts_a_grown_one(
    tmp_path: Path,
) -> None:
    log = write(tmp_path, 3)
    recorded = log.head()
    log.append("print", vid="V9", doc="kk", outcome="printed")
    assert verify_log(tmp_path, recorded=recorded) == (4, [])  # it grew since: fine
    assert verify_log(tmp_path, recorded=AuditHead(0, "0" * 64)) == (4, [])  # nothing recorded
    other = AuditHead(3, "ab" * 32)
    _, problems = verify_log(tmp_path, recorded=other)
    assert [p.line for p in problems] == [REGISTRY]
    assert "entry 3 differs" in problems[0].message


def test_files_are_private_and_a_loose_key_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "audit", 1)
    for name in ("audit.log", "audit.head", "chain.key"):
        assert (tmp_path / "audit" / name).stat().st_mode & 0o777 == 0o600, name
    assert (tmp_path / "audit").stat().st_mode & 0o777 == 0o700
    key = tmp_path / "audit.key"
    key.write_bytes(b"k" * 32)
    key.chmod(0o644)
    with pytest.raises(AuditKeyError, match="other users"):
        read_key(key)
    key.chmod(0o640)
    assert read_key(key) == b"k" * 32
    key.write_bytes(b"short")
    with pytest.raises(AuditKeyError, match="32-4096 bytes"):
        read_key(key)
    with pytest.raises(AuditKeyError, match="No such file"):
        read_key(tmp_path / "none.key")


def test_another_key_does_not_verify(tmp_path: Path) -> None:
    AuditLog(tmp_path, key=b"a" * 32).append("kiosk_started")
    assert verify_log(tmp_path, b"a" * 32) == (1, [])
    _, problems = verify_log(tmp_path, b"b" * 32)
    assert [p.line for p in problems] == [1]
