"""A kiosk whose state dir sits on a small, full filesystem (a real tmpfs, filled).

The registry simulator keeps its database elsewhere, and the simulated printers' virtual paper
goes outside the small filesystem too (``paper`` is a symlink out of it), so every page that
came out is counted whatever the disk did. The kiosk itself meets a real ENOSPC in SQLite, the
audit log and its printer's job records. Then, for every voucher: at most one document came
out, nothing was printed without a durable journal row, and nothing is lost: it is printed and
committed, ready again, or SUSPECT and still held by the registry for the technician.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.kiosks import fast_sim_config
from fakes.small_fs import fill, small_tmpfs, unfill

from devices.sim.print_jobs import PrintJobStore
from kiosk.bootstrap import Kiosk, build_kiosk
from kiosk.config.models import KioskConfig
from kiosk.engine.journal import TxState
from kiosk.engine.recovery import resolve_suspect
from kiosk.engine.transaction import job_title
from kiosk.engine.view import Confirm, MenuOption, Touch
from kiosk.registry_sim.server import RunningSimulator, start_in_thread
from tests.integration.test_session_sim import KIOSKS, drive, to_confirm

pytestmark = pytest.mark.slow

# Boundaries at which the disk fills up, from before the reserve to after the printer answered.
STEPS = (
    "reserving",
    "reserved",
    "holding",
    "hold_answered",
    "submitting",
    "submit_answered",
    "submitted",
    "print_answered",
)
BEFORE_THE_SUBMIT = {"reserving", "reserved", "holding", "hold_answered"}


def config(page_delay_ms: int, floor_mib: float) -> KioskConfig:
    return fast_sim_config(page_delay_ms=page_delay_ms).model_copy(
        update={"state_min_free_mb": floor_mib}
    )


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[RunningSimulator]:
    running = start_in_thread(
        db_path=tmp_path / "registry.sqlite", seed=7, families=8, kiosks=KIOSKS
    )
    yield running
    running.stop()


@pytest.fixture
def state(tmp_path: Path) -> Iterator[Path]:
    """A 24 MiB tmpfs as the state dir; its ``paper`` lives outside it."""
    with small_tmpfs(tmp_path / "small", 24) as mounted:
        outside = tmp_path / "paper"
        outside.mkdir()
        (mounted / "paper").symlink_to(outside)
        yield mounted


def start(state: Path, sim: RunningSimulator, cfg: KioskConfig) -> Kiosk:
    kiosk = build_kiosk(
        cfg, simulate=True, state_dir=state, registry_url=sim.url, serve_metrics=False
    )
    kiosk.start(background=False)
    return kiosk


def copies(state: Path, txid: str) -> int:
    """Jobs of this transaction that put a page out (virtual paper, outside the full disk)."""
    store = PrintJobStore(state / "devices.sqlite", "document")
    try:
        count, job_no = 0, 1
        while (record := store.get(job_no)) is not None:
            if record.title == job_title(txid) and list(
                (state / "paper" / "documents").glob(f"job-{job_no:06d}-p*.pdf")
            ):
                count += 1
            job_no += 1
    finally:
        store.close()
    return count


def wait_for_the_printer(kiosk: Kiosk, txid: str) -> None:
    """Let a job the session left behind (a SUSPECT right after the submit) end first."""
    store = PrintJobStore(kiosk.state_dir / "devices.sqlite", "document")
    try:
        job_no = 1
        while (record := store.get(job_no)) is not None:
            if record.title == job_title(txid):
                kiosk.devices.get("document").wait(str(job_no), 10.0)  # type: ignore[union-attr]
            job_no += 1
    finally:
        store.close()


def fill_at(step: str, state: Path) -> Any:
    """A pause hook that fills the disk at ``step``."""

    def pause(name: str) -> None:
        if name == step:
            fill(state)

    return pause


def ready_vouchers(sim: RunningSimulator, n: int) -> list[dict[str, Any]]:
    a4 = ("kk", "biodata", "akta-kelahiran", "akta-kematian")  # the document printer's
    found = [v for v in sim.list_vouchers() if v["status"] == "ready" and v["doc"] in a4]
    assert len(found) >= n
    return found[:n]


def test_the_issue_reproduction_a_page_out_on_a_full_disk_is_never_released(
    state: Path, sim: RunningSimulator
) -> None:
    """The page comes out, the journal stays ``submitted``; after space is freed, recovery
    must not release it (it did: the printer had recorded "aborted, 0 pages")."""
    kiosk = start(state, sim, config(page_delay_ms=500, floor_mib=0))
    [voucher] = ready_vouchers(sim, 1)
    to_confirm(kiosk, voucher)
    original = kiosk.transaction.pause

    def full_once_the_sheet_is_fed(step: str) -> None:
        if step == "submitted":
            [record] = kiosk.journal.recent()
            deadline = time.monotonic() + 10
            while fed(state, record.job_id) < 1:  # counted before the sheet moves (500 ms)
                assert time.monotonic() < deadline, "the printer never fed the sheet"
            fill(state)
        original(step)

    kiosk.transaction.pause = full_once_the_sheet_is_fed
    view = drive(kiosk, Confirm())
    assert view.error is not None and view.error.code == "PRINT_OUTCOME_UNKNOWN"
    [record] = kiosk.journal.recent()
    assert record.state is TxState.SUBMITTED  # the SUSPECT could not be written either
    wait_for_the_printer(kiosk, record.txid)
    kiosk.stop()
    unfill(state)

    again = start(state, sim, config(page_delay_ms=0, floor_mib=0))  # `kiosk recover`
    try:
        assert again.recovery_report is not None
        assert again.recovery_report.suspect == [record.txid]
        assert again.recovery_report.released == []
        assert again.journal.get(record.txid).state is TxState.SUSPECT
        held = sim.voucher_state(voucher["vid"])
        assert held["status"] == "reserved" and held["lease"]["printing"] is True
        assert copies(state, record.txid) == 1
        resolve_suspect(again.journal, again.audit, record.txid, printed=True)
        assert again.outbox.flush(10.0)
    finally:
        again.stop()
    assert sim.voucher_state(voucher["vid"])["status"] == "printed"


def fed(state: Path, job_id: str | None) -> int:
    store = PrintJobStore(state / "devices.sqlite", "document")
    try:
        record = store.get(int(job_id or 0))
    finally:
        store.close()
    return 0 if record is None else record.pages_out


def test_sessions_on_a_disk_that_fills_at_every_step_print_once_and_lose_nothing(
    state: Path, sim: RunningSimulator
) -> None:
    vouchers = ready_vouchers(sim, len(STEPS))
    kiosk = start(state, sim, config(page_delay_ms=50, floor_mib=0))
    txids: dict[str, str] = {}
    try:
        for step, voucher in zip(STEPS, vouchers, strict=True):
            to_confirm(kiosk, voucher)
            kiosk.transaction.pause = fill_at(step, state)
            drive(kiosk, Confirm(), Confirm())
            unfill(state)
            [record] = [r for r in kiosk.journal.recent() if r.vid == voucher["vid"]]
            txids[step] = record.txid
            wait_for_the_printer(kiosk, record.txid)
    finally:
        kiosk.stop()
    kiosk = start(state, sim, config(page_delay_ms=0, floor_mib=0))  # recovery
    try:
        assert kiosk.outbox.flush(10.0)
        for step, voucher in zip(STEPS, vouchers, strict=True):
            txid, vid = txids[step], voucher["vid"]
            record = kiosk.journal.get(txid)
            out = copies(state, txid)
            status = sim.voucher_state(vid)
            context = f"{step}: journal {record.state.value} ({record.reason}), registry {status}"
            assert out <= 1, context
            if step in BEFORE_THE_SUBMIT:  # no print without a durable journal row
                assert out == 0, context
            if record.state is TxState.SUSPECT:  # held for the technician, never lost
                assert status["status"] == "reserved" and status["lease"]["printing"], context
                resolve_suspect(kiosk.journal, kiosk.audit, txid, printed=out == 1)
                continue
            assert record.state in (TxState.COMMITTED, TxState.RELEASED), context
            assert (status["status"] == "printed") == (out == 1), context
            assert status["status"] in ("printed", "ready"), context
        assert kiosk.outbox.flush(10.0)
        for step, voucher in zip(STEPS, vouchers, strict=True):
            status = sim.voucher_state(voucher["vid"])["status"]
            assert status == ("printed" if copies(state, txids[step]) else "ready"), step
    finally:
        kiosk.stop()


def test_below_the_free_space_floor_the_kiosk_starts_no_session(
    state: Path, sim: RunningSimulator
) -> None:
    kiosk = start(state, sim, config(page_delay_ms=0, floor_mib=8))
    try:
        fill(state, leave_bytes=4 * 2**20)
        view = drive(kiosk, Touch())
        assert view.menu[MenuOption.PRINT] is False and view.menu[MenuOption.QUEUE] is False
        scrape = kiosk.metrics.render().decode()
        assert "kiosk_state_space_low 1.0" in scrape
        assert kiosk.storage is not None and kiosk.storage.low
        unfill(state)
        kiosk.session.refresh()
        view = drive(kiosk, Confirm())  # any intent: the menu is re-read
        assert view.menu[MenuOption.PRINT] is True
        assert "kiosk_state_space_low 0.0" in kiosk.metrics.render().decode()
    finally:
        kiosk.stop()
