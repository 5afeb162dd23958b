"""PII and secrets sweep after a run of real sessions (engine + registry simulator over HTTP).

One kiosk runs a morning's mix: prints by voucher and by NIK (scanned and typed), wrong PINs up
to the lock, an unknown NIK, a printer fault, a queue ticket, an authenticity check. Every log
record is captured raw (before the redaction filter: the code itself must not log personal
data; the filter is only the safety net) at DEBUG, the temporary directory is the sweep's own.
Then: no full NIK, KK number or full name in any log record, file name, state file (journal,
queue, audit, statistics; raw bytes, WAL included) or temporary file; no PDF outside the
simulated printer's paper; the kiosk's bearer key nowhere.
"""

from __future__ import annotations

import logging
import re
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fakes.kiosks import fast_sim_config

from devices.faults import Fault
from kiosk.bootstrap import Kiosk, build_kiosk
from kiosk.engine.view import (
    Back,
    Cancel,
    ChooseDocument,
    ChooseMenu,
    ChooseService,
    CodeScanned,
    Confirm,
    EnterNik,
    EnterPin,
    MenuOption,
    Screen,
    SessionView,
    StartManualNik,
    Touch,
)
from kiosk.registry_sim.server import RunningSimulator, start_in_thread

pytestmark = pytest.mark.slow
KIOSK_ID, KIOSK_KEY = "KIOSK-SIM-01", "sim-kiosk-key"
UNKNOWN_NIK = "3201016612990007"  # valid shape and date, in no family of the seed


_temp_made: list[str] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event in ("tempfile.mkdtemp", "tempfile.mkstemp") and args:
        _temp_made.append(str(args[0]))


sys.addaudithook(_audit)


class RawCapture(logging.Handler):
    """Formats each record as it arrives, before any other handler (or filter) touches it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = f"{record.name}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info))
        if record.stack_info:
            text += "\n" + record.stack_info
        self.lines.append(text)


@dataclass
class Sweep:
    kiosk: Kiosk
    tmp_dir: Path
    temp_made: list[str]  # temporary files and directories made during the run
    logs: list[str]
    niks: set[str]  # every NIK and KK number the registry holds
    names: set[str]  # every full name (two words or more) it holds
    views: dict[str, SessionView] = field(default_factory=dict)
    personal_after: list[str] = field(default_factory=list)


def _drive(kiosk: Kiosk, *intents: Any) -> SessionView:
    for intent in intents:
        kiosk.session.send(intent)
    assert kiosk.session.wait_idle(60)
    return kiosk.session.view


def _end(kiosk: Kiosk, label: str, sweep_after: list[str]) -> None:
    """Back to the attract screen; record if personal data outlived the session."""
    view = kiosk.session.view
    if view.screen in (Screen.DONE, Screen.CHECK_RESULT, Screen.TICKET):
        _drive(kiosk, Confirm() if view.screen is Screen.DONE else Back())
    if kiosk.session.view.screen is not Screen.ATTRACT:
        _drive(kiosk, Cancel())
    if kiosk.session.view.screen is not Screen.ATTRACT:
        _drive(kiosk, Back())
    if kiosk.session.holds_personal_data or kiosk.session.view.document is not None:
        sweep_after.append(label)


def _registry_people(sim: RunningSimulator) -> tuple[set[str], set[str]]:
    with sim.store.transaction() as db:
        rows = db.execute("SELECT nik, kk_number, name FROM citizens").fetchall()
    numbers = {r["nik"] for r in rows} | {r["kk_number"] for r in rows}
    names = {r["name"] for r in rows if " " in r["name"].strip() and len(r["name"]) >= 8}
    return numbers | {UNKNOWN_NIK}, names


def _run_sessions(kiosk: Kiosk, sim: RunningSimulator, sweep: Sweep) -> None:
    ready = [v for v in sim.list_vouchers() if v["status"] == "ready"]
    by_doc = {v["doc"]: v for v in reversed(ready)}
    printing_doc = next(d for d in ("kk", "biodata", "akta-kelahiran") if d in by_doc)
    print_voucher, card_voucher = by_doc[printing_doc], by_doc["ktp"]
    others = [v for v in ready if v["vid"] not in (print_voucher["vid"], card_voucher["vid"])]
    start = (Touch(), ChooseMenu(MenuOption.PRINT))
    after = sweep.personal_after

    # 1. Print by voucher QR (A4), 2. a card (KTP) by voucher QR.
    for label, voucher in (("voucher_a4", print_voucher), ("voucher_card", card_voucher)):
        view = _drive(kiosk, *start, CodeScanned(voucher["token"], "qr"), EnterPin(voucher["pin"]))
        sweep.views[label] = _drive(kiosk, Confirm()) if view.screen is Screen.CONFIRM else view
        _end(kiosk, label, after)
    # 3. Identify by a scanned NIK barcode and print.
    nik_voucher = others.pop()
    scanned = CodeScanned(nik_voucher["holder_nik"], "code128")
    view = _drive(kiosk, *start, scanned, EnterPin(nik_voucher["pin"]))
    if view.screen is Screen.CHOOSE_DOCUMENT:
        view = _drive(kiosk, ChooseDocument(view.choices[0].vid))
    sweep.views["nik_scanned"] = _drive(kiosk, Confirm()) if view.screen is Screen.CONFIRM else view
    _end(kiosk, "nik_scanned", after)
    # 4. NIK typed on the keypad, then the citizen walks away at the confirm screen.
    typed = others.pop()
    sweep.views["nik_typed"] = _drive(
        kiosk, *start, StartManualNik(), EnterNik(typed["holder_nik"]), EnterPin(typed["pin"])
    )
    _end(kiosk, "nik_typed", after)
    # 5. Three wrong PINs on a voucher (locks it), 6. on a NIK, 7. an unknown NIK.
    locked = others.pop()
    wrong = f"{(int(locked['pin']) + 1) % 10**6:06d}"
    _drive(kiosk, *start, CodeScanned(locked["token"], "qr"))
    sweep.views["voucher_lock"] = _drive(kiosk, EnterPin(wrong), EnterPin(wrong), EnterPin(wrong))
    _end(kiosk, "voucher_lock", after)
    nik_locked = next(v for v in others if v["holder_nik"] != typed["holder_nik"])
    _drive(kiosk, *start, CodeScanned(nik_locked["holder_nik"], "code128"))
    sweep.views["nik_lock"] = _drive(kiosk, *(EnterPin("000001"),) * 3)
    _end(kiosk, "nik_lock", after)
    sweep.views["unknown_nik"] = _drive(
        kiosk, *start, StartManualNik(), EnterNik(UNKNOWN_NIK), EnterPin("123456")
    )
    _end(kiosk, "unknown_nik", after)
    # 8. Paper out before the print: released, the citizen is sent to the counter.
    # (Another citizen's voucher: the PIN lock is per citizen, so the two locked above are out.)
    locked_out = {locked["holder_nik"], nik_locked["holder_nik"]}
    faulty = next(v for v in others if v["holder_nik"] not in locked_out)
    _drive(kiosk, *start, CodeScanned(faulty["token"], "qr"), EnterPin(faulty["pin"]))
    media = "card" if faulty["doc"] in ("ktp", "kia") else "document"
    kiosk.devices.inject(media, Fault.PAPER_OUT)
    sweep.views["paper_out"] = _drive(kiosk, Confirm())
    kiosk.devices.clear(media, Fault.PAPER_OUT)
    _end(kiosk, "paper_out", after)
    # 9. A queue ticket, 10. an authenticity check of a printed document's QR.
    view = _drive(kiosk, Touch(), ChooseMenu(MenuOption.QUEUE))
    sweep.views["queue"] = _drive(kiosk, ChooseService(view.services[0].code))
    _end(kiosk, "queue", after)
    with sim.store.transaction() as db:
        row = db.execute("SELECT envelope FROM vouchers WHERE vid = ?", (print_voucher["vid"],))
        claim = re.search(r'"verification_qr": "([^"]+)"', row.fetchone()[0])
    assert claim is not None
    sweep.views["check"] = _drive(
        kiosk, Touch(), ChooseMenu(MenuOption.CHECK), CodeScanned(claim.group(1), "qr")
    )
    _end(kiosk, "check", after)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Sweep:
    base = tmp_path_factory.mktemp("pii")
    tmp_dir = base / "tmp"
    tmp_dir.mkdir()
    capture = RawCapture()
    root = logging.getLogger()
    old_level = root.level
    root.handlers.insert(0, capture)
    root.setLevel(logging.DEBUG)
    sim = start_in_thread(
        db_path=base / "registry" / "registry.sqlite",
        seed=7,
        families=8,
        kiosks={KIOSK_ID: KIOSK_KEY},
    )
    niks, names = _registry_people(sim)
    config = fast_sim_config()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "tempdir", str(tmp_dir))
        patch.setenv("TMPDIR", str(tmp_dir))
        kiosk = build_kiosk(
            config, simulate=True, state_dir=base / "state", registry_url=sim.url,
            serve_metrics=False,
        )  # fmt: skip
        kiosk.start(background=False)
        _temp_made.clear()
        result = Sweep(kiosk, tmp_dir, _temp_made, capture.lines, niks, names)
        try:
            kiosk.heartbeat.beat()
            _run_sessions(kiosk, sim, result)
            assert kiosk.outbox.flush(10.0)
        finally:
            kiosk.stop()
            sim.stop()
            root.handlers.remove(capture)
            root.setLevel(old_level)
    return result


def _state_files(sweep: Sweep) -> list[Path]:
    """Everything the kiosk keeps, except the simulated printers' paper (the printed output)."""
    paper = sweep.kiosk.paper_dir
    return [p for p in sweep.kiosk.state_dir.rglob("*") if p.is_file() and paper not in p.parents]


def _personal_in(text: str, sweep: Sweep) -> list[str]:
    found = [f"NIK/KK {n[:4]}…{n[-4:]}" for n in sweep.niks if n in text]
    upper = text.upper()
    found += [f"name {name.split()[0]}…" for name in sweep.names if name.upper() in upper]
    return found


def test_the_run_did_what_it_claims(sweep: Sweep) -> None:
    """A sweep over nothing proves nothing: the sessions really ran and logged."""
    views = sweep.views
    assert views["voucher_a4"].screen is Screen.DONE
    assert views["voucher_card"].screen is Screen.DONE
    assert views["nik_scanned"].screen is Screen.DONE
    assert views["nik_typed"].screen in (Screen.CONFIRM, Screen.CHOOSE_DOCUMENT)
    assert views["voucher_lock"].error is not None
    assert views["nik_lock"].error is not None
    assert views["paper_out"].screen is Screen.ERROR
    assert views["queue"].screen is Screen.TICKET
    assert views["check"].authenticity is not None and views["check"].authenticity.valid
    assert len(sweep.logs) > 50
    assert any(line.startswith("kiosk.") for line in sweep.logs)
    assert len(sweep.niks) > 20 and len(sweep.names) > 10
    assert list(sweep.kiosk.paper_dir.rglob("*.pdf")), "nothing was printed"
    some_nik, some_name = sorted(sweep.niks)[0], sorted(sweep.names)[0]
    assert _personal_in(f"x={some_nik};", sweep) and _personal_in(some_name.lower(), sweep)


def test_temporary_files_were_made_in_the_swept_directory(sweep: Sweep) -> None:
    """The printers' work directories went where the sweep looks (and are checked below)."""
    assert sweep.temp_made
    assert all(Path(p).is_relative_to(sweep.tmp_dir) for p in sweep.temp_made), sweep.temp_made


def test_no_session_keeps_personal_data_after_it_ends(sweep: Sweep) -> None:
    assert sweep.personal_after == []


def test_no_personal_data_in_any_log_record(sweep: Sweep) -> None:
    leaks = [(line[:60], found) for line in sweep.logs if (found := _personal_in(line, sweep))]
    assert leaks == []


def test_no_personal_data_in_file_names(sweep: Sweep) -> None:
    every = [*sweep.kiosk.state_dir.rglob("*"), *sweep.tmp_dir.rglob("*")]
    assert every
    leaks = [str(p) for p in every if _personal_in(p.name, sweep) or re.search(r"\d{16}", p.name)]
    assert leaks == []


def test_no_personal_data_in_state_files(sweep: Sweep) -> None:
    """Journal, queue, audit log, statistics: raw bytes, WAL and free pages included."""
    files = _state_files(sweep)
    assert any(p.name == "journal.sqlite" for p in files)
    assert any(p.name == "audit.log" for p in files)
    leaks = []
    for path in files:
        text = path.read_bytes().decode("utf-8", errors="replace")
        leaks += [f"{path.name}: {found}" for found in _personal_in(text, sweep)]
    assert leaks == []


def test_audit_log_holds_masked_data_only(sweep: Sweep) -> None:
    text = (sweep.kiosk.state_dir / "audit" / "audit.log").read_text("utf-8")
    assert '"event": "print"' in text or '"event":"print"' in text
    # SHA-256 hex digests (the hash chain, document checksums) are not personal, but one in
    # 250 holds a run of exactly 16 decimal digits (a log has dozens): they are taken out first.
    without_digests = re.sub(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])", "<sha256>", text)
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", without_digests)


def test_rendered_pdfs_are_gone(sweep: Sweep) -> None:
    """Only the printer's paper holds documents: no PDF in the state or the temporary
    directory, none inside a state file, and the printers' work directories are removed."""
    leftovers = [p for p in sweep.tmp_dir.rglob("*")]
    assert leftovers == []
    pdfs = [p for p in _state_files(sweep) if p.suffix == ".pdf" or b"%PDF-" in p.read_bytes()]
    assert pdfs == []


def test_kiosk_key_is_in_no_log_and_no_file(sweep: Sweep) -> None:
    assert not [line for line in sweep.logs if KIOSK_KEY in line]
    holders = [p.name for p in _state_files(sweep) if KIOSK_KEY.encode() in p.read_bytes()]
    assert holders == []
