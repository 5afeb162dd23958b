"""The audit log against tampering: any edit is reported, no edit crashes the checker or the kiosk.

The log is tamper evidence: whoever can write the disk may also craft lines meant to make
``kiosk audit verify`` crash (so it reports nothing) or the kiosk fail at start. Property:
``verify_log`` never raises, and when it finds no problem the entries are exactly the ones
written (bytes may differ only where JSON says the same thing, e.g. ``\\u0041`` for ``A``).
Reopening the log (what the kiosk does at start) never raises either.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from fuzz.byte_mutations import mutations, outcome
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.audit import AuditLog, verify_log
from kiosk.audit.log import LOG_NAME
from kiosk.cli import main as kiosk_main


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("audit") / "audit"
    log = AuditLog(directory)
    log.append("print", txid="t1", vid="V0001", doc="kk", holder="B*** S***", outcome="printed")
    log.append("technician_session", who="technician", what="pin_ok", outcome="open")
    log.append("suspect", txid="t2", vid="V0002", doc="ktp", reason="job unknown (pages_out=1)")
    return directory


def _entries(directory: Path) -> list[dict[str, Any]]:
    lines = (directory / LOG_NAME).read_bytes().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _copy(pristine: Path, tmp_path: Path, log_bytes: bytes | None = None) -> Path:
    target = tmp_path / "copy" / "audit"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(pristine, target)
    if log_bytes is not None:
        (target / LOG_NAME).write_bytes(log_bytes)
    return target


def _check(directory: Path, original: list[dict[str, Any]]) -> list[Any]:
    result = outcome(5.0, lambda: verify_log(directory))
    assert isinstance(result, tuple), result
    _, problems = result
    if not problems:
        assert _entries(directory) == original, "an edit went unreported"
    reopened = outcome(5.0, lambda: AuditLog(directory))  # the kiosk starting up
    assert isinstance(reopened, AuditLog), reopened
    return list(problems)


def test_the_pristine_log_verifies(pristine: Path) -> None:
    assert verify_log(pristine) == (3, [])


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_logs_are_reported_never_crash(
    pristine: Path, tmp_path: Path, data: st.DataObject
) -> None:
    original_bytes = (pristine / LOG_NAME).read_bytes()
    mutated = data.draw(mutations(original_bytes, max_ops=3))
    directory = _copy(pristine, tmp_path, mutated)
    problems = _check(directory, _entries(pristine))
    if mutated.strip() != original_bytes.strip() and not problems:
        # Only a same-meaning re-encoding may pass (whitespace, escapes, key order).
        assert _entries(directory) == _entries(pristine)


CRAFTED = {
    "deep_nesting": b"[" * 100_000 + b"]" * 100_000,
    "infinite_seq": b'{"seq": Infinity, "hash": "00", "prev": "00"}',
    "nan_seq": b'{"seq": NaN, "hash": "00", "prev": "00"}',
    "huge_seq": b'{"seq": 1' + b"0" * 5000 + b', "hash": "00", "prev": "00"}',
    "list_line": b'[{"seq": 4}]',
    "hash_not_text": b'{"seq": 4, "hash": {"a": 1}, "prev": []}',
    "invalid_utf8": b'{"seq": 4, "hash": "\xff\xfe", "prev": "x"}',
    "nul_bytes": b"\x00" * 64,
}


@pytest.mark.parametrize("name", sorted(CRAFTED))
def test_crafted_last_lines_are_reported_and_the_kiosk_still_starts(
    pristine: Path, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    original = (pristine / LOG_NAME).read_bytes()
    directory = _copy(pristine, tmp_path, original + CRAFTED[name] + b"\n")
    problems = _check(directory, _entries(pristine))
    assert problems, "a crafted line went unreported"
    log = AuditLog(directory)  # still appends, continuing the chain from the head file
    log.append("print", txid="t3", vid="V0003", doc="kk", outcome="printed")
    state = directory.parent
    code = outcome(10.0, lambda: kiosk_main(["audit", "verify", "--state-dir", str(state)]))
    assert code == 1
    assert "Traceback" not in capsys.readouterr().err
