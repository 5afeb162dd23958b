"""`kiosk journal list/resolve` and `kiosk audit verify`, run through the real dispatcher."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from devices.ports import JobState
from kiosk.cli import main


@pytest.fixture
def suspect(engine: Any) -> str:
    engine.registry.add("V1")
    engine.printers.document.next_outcome = (JobState.UNKNOWN, None, None)
    result = engine.transaction.run(engine.registry._verified(engine.registry.vouchers["V1"]))
    return str(result.txid)


def test_journal_list_shows_the_suspect(
    engine: Any, suspect: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["journal", "list", "--state-dir", str(engine.state_dir), "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["txid"] == suspect and row["state"] == "suspect"
    assert "verification" not in row
    assert main(["journal", "list", "--state-dir", str(engine.state_dir), "--suspect"]) == 0
    assert suspect in capsys.readouterr().out


def test_journal_resolve_is_audited_and_queued(
    engine: Any, suspect: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = str(engine.state_dir)
    # the simulator config's registry (127.0.0.1:8770) is not running: the release is queued
    code = main(["journal", "resolve", suspect[:5], "--not-printed", "--state-dir", state])
    assert code == 0
    out = capsys.readouterr().out
    assert "releasing" in out and "next start" in out
    assert engine.journal.get(suspect).state.value == "releasing"
    assert main(["journal", "resolve", suspect, "--printed", "--state-dir", state]) == 1
    assert main(["audit", "verify", "--state-dir", state]) == 0
    entries = [e for e in engine.audit.entries() if e["event"] == "technician_decision"]
    assert entries[0]["decision"] == "not_printed"


def test_audit_verify_names_the_edited_line(
    engine: Any, suspect: str, capsys: pytest.CaptureFixture[str]
) -> None:
    log = engine.state_dir / "audit" / "audit.log"
    lines = log.read_text().splitlines(keepends=True)
    edited = lines[0].replace('"printing"', '"printed"', 1)  # the entry before the submit
    assert edited != lines[0]
    lines[0] = edited
    log.write_text("".join(lines))
    assert main(["audit", "verify", "--state-dir", str(engine.state_dir)]) == 1
    assert "line 1" in capsys.readouterr().err
