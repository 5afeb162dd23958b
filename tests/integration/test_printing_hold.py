"""Issue 12's reproductions of a voucher printed twice, against the registry simulator over HTTP.

(a) a SUSPECT print, then 121 s later a second kiosk prints the same voucher;
(b) kill -9 while submitting, ``kiosk recover`` gives SUSPECT, 130 s later the same kiosk prints
    it again and ``kiosk journal resolve --printed`` commits it a second time;
(c) a 3 s lease under an 8 s page: a second kiosk takes the voucher mid-print.

Time is the simulator's clock, moved forward (``advance_clock``), never slept. Each test fails
without the printing hold: the registry handed the voucher to the next kiosk once the lease ran
out under a print, and the kiosk itself took a voucher its own journal held as SUSPECT.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.kiosks import fast_sim_config

from devices.faults import Fault
from kiosk.bootstrap import Kiosk
from kiosk.config.models import KioskConfig
from kiosk.engine.journal import TxState
from kiosk.engine.recovery import resolve_suspect
from kiosk.engine.view import Confirm, Screen
from kiosk.registry.client import RegistryClient
from kiosk.registry.errors import ReservedElsewhere
from kiosk.registry_sim.server import RunningSimulator, start_in_thread
from tests.integration.test_crash_kill9 import kiosk_cmd, run_killed_session, sim_config
from tests.integration.test_session_sim import (
    KIOSKS,
    LosingTransport,
    drive,
    make_kiosk,
    paper,
    ready,
    to_confirm,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base_config() -> KioskConfig:
    return fast_sim_config()


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[RunningSimulator]:
    running = start_in_thread(
        db_path=tmp_path / "registry.sqlite", seed=7, families=6, kiosks=KIOSKS
    )
    yield running
    running.stop()


@pytest.fixture
def two_kiosks(
    base_config: KioskConfig, sim: RunningSimulator, tmp_path: Path
) -> Iterator[tuple[Kiosk, Kiosk]]:
    first = make_kiosk(base_config, sim, tmp_path / "k1", "KIOSK-SIM-01")
    second = make_kiosk(base_config, sim, tmp_path / "k2", "KIOSK-SIM-02")
    yield first, second
    first.stop()
    second.stop()


def events(sim: RunningSimulator, vid: str) -> list[str]:
    return [h["event"] for h in sim.voucher_state(vid)["history"]]


def test_a_suspect_print_stays_held_long_after_the_lease(
    two_kiosks: tuple[Kiosk, Kiosk], sim: RunningSimulator
) -> None:
    """(a): document:unknown_outcome (a page really came out), then another kiosk, 121 s on."""
    first, second = two_kiosks
    voucher = ready(sim)
    to_confirm(first, voucher)
    first.transaction.print_timeout_s = 1.0
    first.faults.inject("document", Fault.UNKNOWN_OUTCOME)
    view = drive(first, Confirm())
    assert view.error is not None and view.error.code == "PRINT_OUTCOME_UNKNOWN"
    [record] = first.journal.recent()
    assert record.state is TxState.SUSPECT
    assert paper(first), "the page came out"

    sim.advance_clock(121)
    assert sim.voucher_state(voucher["vid"])["lease"]["printing"] is True
    to_confirm(second, voucher)
    view = drive(second, Confirm())
    assert view.error is not None and view.error.code == "VOUCHER_IN_USE"
    assert paper(second) == []

    to_confirm_error = drive(first, Confirm())  # back to the menu, then the same voucher again
    assert to_confirm_error.screen is Screen.MENU
    view = _scan_and_pin(first, voucher)
    assert view.error is not None and view.error.code == "VOUCHER_UNDER_REVIEW"

    resolve_suspect(first.journal, first.audit, record.txid, printed=True)
    assert first.outbox.flush(10.0)
    assert sim.voucher_state(voucher["vid"])["status"] == "printed"
    assert events(sim, voucher["vid"]).count("committed") == 1
    assert "lease_expired" not in events(sim, voucher["vid"])


def _scan_and_pin(kiosk: Kiosk, voucher: dict[str, Any]) -> Any:
    from kiosk.engine.view import ChooseMenu, CodeScanned, EnterPin, MenuOption

    return drive(
        kiosk,
        ChooseMenu(MenuOption.PRINT),
        CodeScanned(voucher["token"], "qr"),
        EnterPin(voucher["pin"]),
    )


@pytest.mark.parametrize("docs", [("kk", "biodata"), ("ktp", "kia")], ids=["a4", "card"])
def test_a_lease_shorter_than_the_page_never_lets_a_second_kiosk_in(
    two_kiosks: tuple[Kiosk, Kiosk], sim: RunningSimulator, docs: tuple[str, ...]
) -> None:
    """(c): a 3 s lease and an 8 s page (or card: the card printer's job timeout is longer than
    a lease); the other kiosk tries while the page comes out."""
    first, second = two_kiosks
    sim.set_lease_seconds(3)
    voucher = ready(sim, docs)
    to_confirm(first, voucher)
    to_confirm(second, voucher)
    original = first.transaction.pause
    seen: dict[str, Any] = {}

    def meanwhile(step: str) -> None:
        if step == "submitted":  # the page is on its way out
            sim.advance_clock(8)
            seen["second"] = drive(second, Confirm())
        original(step)

    first.transaction.pause = meanwhile
    assert drive(first, Confirm()).screen is Screen.DONE
    assert first.outbox.flush(10.0)
    refused = seen["second"]
    assert refused.error is not None and refused.error.code == "VOUCHER_IN_USE"
    assert paper(second) == []
    assert len(paper(first)) >= 1
    assert [r.state for r in first.journal.recent()] == [TxState.COMMITTED]
    assert [r.state for r in second.journal.recent()] == [TxState.RELEASED]
    assert events(sim, voucher["vid"]).count("committed") == 1


def test_a_registry_that_let_the_voucher_go_raises_a_double_print_alarm(
    two_kiosks: tuple[Kiosk, Kiosk], sim: RunningSimulator
) -> None:
    """If a registry hands the voucher over anyway (here: one that still expires held
    leases), the late commit's 409 already_printed is an alarm, never a silent COMMITTED."""
    first, second = two_kiosks
    voucher = ready(sim)
    to_confirm(first, voucher)
    to_confirm(second, voucher)
    original = first.transaction.pause

    def taken_away(step: str) -> None:
        if step == "submitted":
            with sim.store.transaction() as db:  # a registry from before the hold
                db.execute(
                    "UPDATE reservations SET status = 'expired' WHERE vid = ? AND status = "
                    "'active'",
                    (voucher["vid"],),
                )
            assert drive(second, Confirm()).screen is Screen.DONE
            assert second.outbox.flush(10.0)
        original(step)

    first.transaction.pause = taken_away
    assert drive(first, Confirm()).screen is Screen.DONE
    first.outbox.flush(10.0)
    [record] = first.journal.recent()
    assert record.state is TxState.CONFLICT
    assert [e["txid"] for e in first.audit.entries() if e["event"] == "double_print"] == [
        record.txid
    ]
    scrape = first.metrics.render().decode()
    assert 'kiosk_journal_transactions{state="conflict"} 1.0' in scrape


def test_kill9_while_submitting_then_the_same_kiosk_never_prints_it_again(
    tmp_path: Path, sim: RunningSimulator
) -> None:
    """(b), with real processes: kill -9 at ``submitting``, ``kiosk recover`` (SUSPECT), 130 s
    on a new session of the same voucher on the same kiosk, then the technician's decision."""
    state = tmp_path / "state"
    config = sim_config(tmp_path / "cfg", state)
    voucher = ready(sim)
    run_killed_session(config, state, sim.url, voucher, "submitting")
    common = ["--config", str(config), "--state-dir", str(state), "--registry", sim.url]
    recover = _kiosk(*["recover", *common, "--simulate", "--json"])
    assert recover.returncode == 0, recover.stderr
    assert len(json.loads(recover.stdout)["suspect"]) == 1

    sim.advance_clock(130)
    again = _kiosk(
        "session", *common, "--simulate", "--json",
        "--token", voucher["token"], "--pin", voucher["pin"],
    )  # fmt: skip
    assert again.returncode == 1
    assert json.loads(again.stdout)["error"] == "VOUCHER_UNDER_REVIEW"
    assert sim.voucher_state(voucher["vid"])["lease"]["printing"] is True

    listing = _kiosk("journal", "list", "--state-dir", str(state), "--json")
    [record] = json.loads(listing.stdout)
    assert record["state"] == "suspect"
    resolved = _kiosk("journal", "resolve", record["txid"], "--printed", *common, "--simulate")
    assert resolved.returncode == 0, resolved.stderr
    assert sim.voucher_state(voucher["vid"])["status"] == "printed"
    assert events(sim, voucher["vid"]).count("committed") == 1
    assert events(sim, voucher["vid"]).count("reserved") == 1


def test_the_registry_refuses_the_held_voucher_to_its_own_kiosk_too(
    two_kiosks: tuple[Kiosk, Kiosk], sim: RunningSimulator
) -> None:
    """Even a kiosk that lost its journal cannot reserve a voucher held under a print."""
    first, _ = two_kiosks
    voucher = ready(sim)
    to_confirm(first, voucher)
    first.transaction.print_timeout_s = 1.0
    first.faults.inject("document", Fault.UNKNOWN_OUTCOME)
    drive(first, Confirm())
    sim.advance_clock(3600)
    verified = first.registry.verify_voucher(voucher["token"], voucher["pin"])
    with pytest.raises(ReservedElsewhere):
        first.registry.reserve(verified.vid, verified.verification, "a-fresh-key-1")


def _kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kiosk_cmd(*args), capture_output=True, text=True, timeout=120)


def test_a_commit_repeated_after_its_answer_was_lost_settles_as_committed_not_conflict(
    two_kiosks: tuple[Kiosk, Kiosk], sim: RunningSimulator, base_config: KioskConfig
) -> None:
    """The simulator applied the commit and the answer was lost: the retry under the same key
    is answered 200 (the same commit again), so no false double-print alarm is raised."""
    first, _ = two_kiosks
    transport = LosingTransport()
    settings = base_config.registry.model_copy(update={"url": sim.url, "retries": 0})
    lossy = RegistryClient(settings, key=KIOSKS["KIOSK-SIM-01"], transport=transport)
    first.outbox.registry = lossy
    try:
        voucher = ready(sim)
        to_confirm(first, voucher)
        assert drive(first, Confirm()).screen is Screen.DONE
        assert first.outbox.flush(10.0)
    finally:
        lossy.close()
    assert transport.lost == 1 and len(set(transport.commit_keys)) == 1
    assert len(transport.commit_keys) >= 2
    [record] = first.journal.recent()
    assert record.state is TxState.COMMITTED
    assert [e for e in first.audit.entries() if e["event"] == "double_print"] == []
    assert events(sim, voucher["vid"]).count("committed") == 1
