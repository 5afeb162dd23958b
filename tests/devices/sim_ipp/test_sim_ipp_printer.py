"""The real CUPS drivers print on the virtual IPP printer; its faults reach them as CUPS's do."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from devices.drivers import DriverContext, build_driver
from devices.faults import Fault
from devices.model import CardLevel, DeviceKind, DeviceState, PaperLevel, Tristate
from devices.ports import JobState
from devices.printers.cups import CupsDocumentPrinter
from devices.sim.print_jobs import PrintJobStore
from tests.devices.sim_ipp.conftest import make_pdf

MakePrinter = Callable[..., Any]


def pages_on_paper(context: DriverContext, folder: str = "documents") -> list[str]:
    assert context.paper_dir is not None
    out = context.paper_dir / folder
    return sorted(p.name for p in out.glob("*.pdf")) if out.exists() else []


def wait_for(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_a_two_page_job_goes_through_the_real_cups_driver(
    make_printer: MakePrinter, context: DriverContext
) -> None:
    printer = make_printer()
    assert printer.driver == "sim-ipp" and printer.status.state is DeviceState.IDLE
    job_id = printer.submit(make_pdf(2), title="ADM-T1", pages=2)
    outcome = printer.wait(job_id, 10)
    assert outcome.state is JobState.COMPLETED and outcome.pages_out == 2
    # the answer came over IPP: CUPS's own job-state enum, as the driver read it
    assert outcome.details["cups_job_state"] == 9
    assert pages_on_paper(context) == ["job-000001-p01.pdf", "job-000001-p02.pdf"]
    assert printer.statistics()["pages"] == 2
    assert printer.job_outcome(job_id).pages_out == 2  # asked again: the job history


def test_paper_out_mid_job_puts_out_page_one_and_not_page_two(
    make_printer: MakePrinter, context: DriverContext
) -> None:
    printer = make_printer()
    printer.inject(Fault.PAPER_OUT_MID_JOB)
    assert printer.status.paper is PaperLevel.OK  # nothing to see until it runs out
    job_id = printer.submit(make_pdf(2), title="ADM-T2", pages=2)
    outcome = printer.wait(job_id, 10)
    assert outcome.state is JobState.ABORTED and outcome.pages_out == 1
    assert outcome.fault is not None and outcome.fault.code == "PRINTER_PAPER_OUT"
    assert pages_on_paper(context) == ["job-000001-p01.pdf"]
    assert printer.status.paper is PaperLevel.OUT  # out until refilled
    printer.clear(Fault.PAPER_OUT_MID_JOB)
    assert printer.status.paper is PaperLevel.OK and printer.status.state is DeviceState.IDLE
    again = printer.submit(make_pdf(2), title="ADM-T3", pages=2)
    assert printer.wait(again, 10).pages_out == 2


@pytest.mark.parametrize(
    ("fault", "code", "shows"),
    [
        (Fault.PAPER_OUT, "PRINTER_PAPER_OUT", lambda s: s.paper is PaperLevel.OUT),
        (Fault.JAM, "PRINTER_JAM", lambda s: s.jam is Tristate.YES),
        (Fault.COVER_OPEN, "PRINTER_COVER_OPEN", lambda s: s.cover_open is Tristate.YES),
        (Fault.OFFLINE, "PRINTER_OFFLINE", lambda s: s.state is DeviceState.OFFLINE),
    ],
)
def test_a_condition_shows_in_the_status_and_stops_a_job_before_its_first_page(
    make_printer: MakePrinter, context: DriverContext, fault: Fault, code: str, shows: Any
) -> None:
    printer = make_printer()
    printer.inject(fault)
    assert shows(printer.status), printer.status
    assert printer.status.last_error is not None and printer.status.last_error.code == code
    job_id = printer.submit(make_pdf(1), title="ADM-T4", pages=1)
    outcome = printer.wait(job_id, 10)
    assert outcome.state is JobState.ABORTED and outcome.pages_out == 0
    assert outcome.fault is not None and outcome.fault.code == code
    assert pages_on_paper(context) == []
    printer.clear(fault)
    assert printer.status.state is DeviceState.IDLE and printer.status.last_error is None


def test_a_jam_during_page_two_stops_that_sheet_and_counts_it(
    make_printer: MakePrinter, context: DriverContext
) -> None:
    printer = make_printer(page_delay_ms=300)
    job_id = printer.submit(make_pdf(3), title="ADM-T5", pages=3)
    wait_for(lambda: pages_on_paper(context) == ["job-000001-p01.pdf"])  # page 2 is moving
    printer.inject(Fault.JAM)
    outcome = printer.wait(job_id, 10)
    # the jammed sheet may be half printed: it counts, so the print is never "nothing out"
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 2)
    assert outcome.fault is not None and outcome.fault.code == "PRINTER_JAM"
    assert pages_on_paper(context) == ["job-000001-p01.pdf"]


def test_a_lost_print_job_answer_is_found_by_its_title_not_printed_twice(
    make_printer: MakePrinter, context: DriverContext
) -> None:
    printer = make_printer()
    printer.inject(Fault.LOST_ANSWER)
    job_id = printer.submit(make_pdf(1), title="ADM-T6", pages=1)
    printer.clear(Fault.LOST_ANSWER)
    assert printer.wait(job_id, 10).state is JobState.COMPLETED
    assert printer.printer.engine.recent() == [1]  # one job, found after the lost answer
    assert pages_on_paper(context) == ["job-000001-p01.pdf"]


def test_a_job_completed_without_a_page_count_says_so(make_printer: MakePrinter) -> None:
    printer = make_printer()
    printer.inject(Fault.PAGES_UNKNOWN)
    job_id = printer.submit(make_pdf(2), title="ADM-T7", pages=2)
    outcome = printer.wait(job_id, 10)
    assert outcome.state is JobState.COMPLETED and outcome.pages_out is None  # unknown, not 0


def test_an_unknown_outcome_never_becomes_final(
    make_printer: MakePrinter, context: DriverContext
) -> None:
    printer = make_printer()
    printer.inject(Fault.UNKNOWN_OUTCOME)
    job_id = printer.submit(make_pdf(1), title="ADM-T8", pages=1)
    wait_for(lambda: pages_on_paper(context) == ["job-000001-p01.pdf"])  # the page came out
    outcome = printer.wait(job_id, 0.3)
    assert outcome.state is JobState.UNKNOWN and outcome.pages_out is None
    assert not printer.job_outcome(job_id).state.final


def test_a_canceled_job_keeps_the_pages_already_out(
    make_printer: MakePrinter, context: DriverContext
) -> None:
    printer = make_printer(page_delay_ms=300)
    job_id = printer.submit(make_pdf(3), title="ADM-T9", pages=3)
    wait_for(lambda: bool(pages_on_paper(context)))  # page 1 is out
    printer.cancel(job_id)
    outcome = printer.wait(job_id, 10)
    assert outcome.state is JobState.CANCELED and outcome.pages_out in (2, 3)


def test_the_job_history_survives_a_restart_and_a_cut_job_ends_aborted(
    context: DriverContext,
) -> None:
    settings = {"page_delay_ms": 0, "png_dpi": 0, "poll_interval_ms": 20, "status_interval_s": 0}
    first = build_driver(DeviceKind.DOCUMENT, "document", "sim-ipp", settings, context)
    first.open()
    done = first.submit(make_pdf(2), title="ADM-T10", pages=2)
    assert first.wait(done, 10).state is JobState.COMPLETED
    first.close()
    # jobs the last process left (killed mid-page, and before starting), as its store holds them
    store = PrintJobStore(context.state_dir / "devices.sqlite", "document")
    cut = store.add("ADM-T11", 3)
    store.update(cut, state=JobState.PRINTING, pages_out=1)
    waiting = store.add("ADM-T12", 1)
    store.close()
    second = build_driver(DeviceKind.DOCUMENT, "document", "sim-ipp", settings, context)
    second.open()
    try:
        assert second.job_outcome(done).pages_out == 2
        outcome = second.job_outcome(str(cut))
        assert outcome.state is not JobState.COMPLETED
        assert outcome.pages_out != 0  # a job cut mid-page never reads as "nothing came out"
        never = second.job_outcome(str(waiting))
        assert (never.state, never.pages_out) == (JobState.ABORTED, 0)
    finally:
        second.close()


def test_the_card_printer_counts_blanko_through_the_cups_card_driver(
    make_printer: MakePrinter, context: DriverContext
) -> None:
    card = make_printer(DeviceKind.CARD, blanko_stock=5, blanko_low=1)
    job_id = card.submit(make_pdf(1), title="ADM-T12", pages=1)
    assert card.wait(job_id, 10).state is JobState.COMPLETED
    assert card.blanko() == (4, 1)
    assert pages_on_paper(context, "cards") == ["job-000001-p01.pdf"]
    card.inject(Fault.BLANKO_OUT)
    assert card.status.cards is CardLevel.OUT or card.status.paper is PaperLevel.OUT
    assert card.status.last_error is not None and card.status.last_error.code == "CARDS_OUT"


def test_the_simulated_printer_is_the_production_driver_behind_http(
    make_printer: MakePrinter, tmp_path: Path
) -> None:
    """A second, plain CUPS driver on the same print server sees the same queue and jobs."""
    printer = make_printer()
    job_id = printer.submit(make_pdf(1), title="ADM-T13", pages=1)
    assert printer.wait(job_id, 10).state is JobState.COMPLETED
    plain = build_driver(
        DeviceKind.DOCUMENT,
        "document",
        "cups",
        {"queue": "sim", "server": printer.printer.server, "status_interval_s": 0},
        DriverContext(state_dir=tmp_path / "other"),
    )
    assert isinstance(plain, CupsDocumentPrinter)
    try:
        plain.open()
        assert plain.job_outcome(job_id).state is JobState.COMPLETED
    finally:
        plain.close()
