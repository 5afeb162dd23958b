"""The simulated A4 printer: virtual paper, timing, every fault, job records across restarts."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from devices.drivers import DriverContext, DriverError, build_driver
from devices.faults import Fault, FaultError, FaultInjectable
from devices.model import (
    DeviceError,
    DeviceKind,
    DeviceState,
    HealthLevel,
    PaperLevel,
    StatusEvent,
    StatusEventKind,
    Tristate,
)
from devices.ports import DocumentPrinter, JobState
from devices.sim.print_jobs import PrintJobStore


def paper(context: DriverContext) -> list[str]:
    assert context.paper_dir is not None
    folder = context.paper_dir / "documents"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_png_dpi_zero_prints_pdf_pages_only(
    make_printer: Any, make_pdf: Any, context: DriverContext
) -> None:
    printer = make_printer(page_delay_ms=0, png_dpi=0)
    job_id = printer.submit(make_pdf(2), title="ADM-KK-3f9a1d", pages=2)
    outcome = printer.wait(job_id, timeout_s=20)
    assert (outcome.state, outcome.pages_out) == (JobState.COMPLETED, 2)
    assert paper(context) == ["job-000001-p01.pdf", "job-000001-p02.pdf"]


def test_a_job_prints_every_page_as_pdf_and_png(
    make_printer: Any, make_pdf: Any, context: DriverContext
) -> None:
    printer = make_printer(page_delay_ms=50, png_dpi=72)
    assert isinstance(printer, DocumentPrinter)
    assert isinstance(printer, FaultInjectable)
    assert printer.status.state is DeviceState.IDLE

    job_id = printer.submit(make_pdf(2), title="ADM-KK-3f9a1c", pages=2)
    outcome = printer.wait(job_id, timeout_s=20)

    assert (outcome.state, outcome.pages_out, outcome.fault) == (JobState.COMPLETED, 2, None)
    assert paper(context) == [
        "job-000001-p01.pdf",
        "job-000001-p01.png",
        "job-000001-p02.pdf",
        "job-000001-p02.png",
    ]
    assert context.paper_dir is not None
    folder = context.paper_dir / "documents"
    assert (folder / "job-000001-p02.pdf").read_bytes().startswith(b"%PDF-")
    with Image.open(folder / "job-000001-p01.png") as image:
        assert abs(image.size[0] - 595) <= 1  # A4 at 72 dpi
        assert abs(image.size[1] - 842) <= 1
    stats = printer.statistics()
    assert (stats["jobs"], stats["pages"], stats["jobs_completed"]) == (1, 2, 1)
    assert printer.status.state is DeviceState.IDLE


def test_pages_take_their_configured_time(make_printer: Any, make_pdf: Any) -> None:
    printer = make_printer(page_delay_ms=300)
    started = time.monotonic()
    outcome = printer.wait(printer.submit(make_pdf(2), title="ADM-KK-1", pages=2), 20)
    elapsed = time.monotonic() - started
    assert outcome.state is JobState.COMPLETED
    assert 0.6 <= elapsed < 3.0


def test_slow_multiplies_the_page_time(make_printer: Any, make_pdf: Any) -> None:
    printer = make_printer(page_delay_ms=100, slow_factor=4)
    printer.inject(Fault.SLOW)
    started = time.monotonic()
    printer.wait(printer.submit(make_pdf(2), title="ADM-KK-1", pages=2), 20)
    assert time.monotonic() - started >= 0.8


def test_wait_honours_its_timeout_and_the_job_goes_on(make_printer: Any, make_pdf: Any) -> None:
    printer = make_printer(page_delay_ms=800)
    job_id = printer.submit(make_pdf(2), title="ADM-KK-1", pages=2)
    started = time.monotonic()
    outcome = printer.wait(job_id, timeout_s=0.2)
    assert time.monotonic() - started < 0.6
    assert (outcome.state, outcome.pages_out) == (JobState.UNKNOWN, None)
    assert printer.status.state is DeviceState.BUSY
    assert printer.wait(job_id, timeout_s=20).state is JobState.COMPLETED


def test_paper_out_refuses_the_job_before_any_page(
    make_printer: Any, make_pdf: Any, context: DriverContext
) -> None:
    printer = make_printer()
    events: list[StatusEvent] = []
    printer.subscribe(events.append)
    printer.inject(Fault.PAPER_OUT)
    assert printer.status.paper is PaperLevel.OUT
    assert printer.status.state is DeviceState.ERROR
    assert events[-1].kind is StatusEventKind.PAPER_OUT or StatusEventKind.PAPER_OUT in [
        e.kind for e in events
    ]

    outcome = printer.wait(printer.submit(make_pdf(2), title="ADM-KK-1", pages=2), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 0)
    assert outcome.fault is not None
    assert outcome.fault.code == "PRINTER_PAPER_OUT"
    assert paper(context) == []
    assert not printer.check_health(HealthLevel.INTERNAL).ok

    printer.clear(Fault.PAPER_OUT)
    assert StatusEventKind.PAPER_OK in [e.kind for e in events]
    assert printer.wait(printer.submit(make_pdf(1), title="ADM-KK-2", pages=1), 20).pages_out == 1


def test_paper_out_mid_job_stops_after_the_first_page(
    make_printer: Any, make_pdf: Any, context: DriverContext
) -> None:
    printer = make_printer()
    events: list[StatusEvent] = []
    printer.subscribe(events.append)
    printer.inject(Fault.PAPER_OUT_MID_JOB)

    outcome = printer.wait(printer.submit(make_pdf(3), title="ADM-KK-1", pages=3), 20)

    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 1)
    assert outcome.fault is not None
    assert outcome.fault.code == "PRINTER_PAPER_OUT"
    assert paper(context) == ["job-000001-p01.pdf", "job-000001-p01.png"]
    assert printer.status.paper is PaperLevel.OUT
    assert StatusEventKind.PAPER_OUT in [e.kind for e in events]
    printer.clear(Fault.PAPER_OUT_MID_JOB)
    assert printer.status.paper is PaperLevel.OK
    assert printer.status.state is DeviceState.IDLE


@pytest.mark.parametrize(
    ("fault", "code", "event"),
    [
        (Fault.JAM, "PRINTER_JAM", StatusEventKind.JAM),
        (Fault.COVER_OPEN, "PRINTER_COVER_OPEN", StatusEventKind.COVER_OPEN),
    ],
)
def test_jam_and_cover_open_abort_with_nothing_out(
    make_printer: Any, make_pdf: Any, fault: Fault, code: str, event: StatusEventKind
) -> None:
    printer = make_printer()
    events: list[StatusEvent] = []
    printer.subscribe(events.append)
    printer.inject(fault)
    assert event in [e.kind for e in events]
    assert Tristate.YES in (printer.status.jam, printer.status.cover_open)

    outcome = printer.wait(printer.submit(make_pdf(2), title="ADM-KK-1", pages=2), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 0)
    assert outcome.fault is not None
    assert outcome.fault.code == code
    assert printer.statistics()["errors"] == 1


def fed(context: DriverContext, job_no: int = 1) -> int:
    """Sheets the simulated printer has fed for a job so far (its own job record)."""
    store = PrintJobStore(context.state_dir / "devices.sqlite", "document")
    try:
        record = store.get(job_no)
    finally:
        store.close()
    return 0 if record is None else record.pages_out


def test_a_fault_injected_mid_job_stops_it_at_the_next_page(
    make_printer: Any, make_pdf: Any, context: DriverContext, until: Any
) -> None:
    printer = make_printer(page_delay_ms=300)
    job_id = printer.submit(make_pdf(3), title="ADM-KK-1", pages=3)
    until(lambda: fed(context) == 2)
    printer.inject(Fault.COVER_OPEN)  # page 2 is on its way: it stops in the printer
    outcome = printer.wait(job_id, 20)
    # The sheet that was moving counts (it may be half printed): nothing is released on it.
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 2)
    assert paper(context) == ["job-000001-p01.pdf", "job-000001-p01.png"]


def test_a_fault_between_pages_reports_the_pages_already_out(
    make_printer: Any, make_pdf: Any, context: DriverContext
) -> None:
    printer = make_printer(page_delay_ms=0)
    printer.inject(Fault.PAPER_OUT_MID_JOB)  # decided before page 2 is fed
    outcome = printer.wait(printer.submit(make_pdf(3), title="ADM-KK-1", pages=3), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 1)
    assert fed(context) == 1


def test_offline_refuses_jobs_and_reconnects_when_cleared(make_printer: Any, make_pdf: Any) -> None:
    printer = make_printer()
    events: list[StatusEvent] = []
    printer.subscribe(events.append)
    printer.inject(Fault.OFFLINE)
    assert printer.status.state is DeviceState.OFFLINE
    assert StatusEventKind.OFFLINE in [e.kind for e in events]
    with pytest.raises(DeviceError) as refused:
        printer.submit(make_pdf(1), title="ADM-KK-1", pages=1)
    assert refused.value.fault.code == "PRINTER_OFFLINE"

    printer.clear(Fault.OFFLINE)
    assert printer.status.state is DeviceState.IDLE
    assert events[-1].kind is StatusEventKind.RECONNECTED or StatusEventKind.RECONNECTED in [
        e.kind for e in events
    ]


def test_unknown_outcome_leaves_the_job_unknown(
    make_printer: Any, make_pdf: Any, context: DriverContext
) -> None:
    printer = make_printer()
    printer.inject(Fault.UNKNOWN_OUTCOME)
    job_id = printer.submit(make_pdf(1), title="ADM-KK-1", pages=1)
    started = time.monotonic()
    outcome = printer.wait(job_id, timeout_s=0.5)
    assert 0.45 <= time.monotonic() - started < 2.0
    assert (outcome.state, outcome.pages_out) == (JobState.UNKNOWN, None)
    printer.clear(Fault.UNKNOWN_OUTCOME)
    assert printer.job_outcome(job_id).state is JobState.UNKNOWN
    assert paper(context) != []  # it may well have printed: that is the point


def test_job_outcome_after_a_restart_and_numbers_never_repeat(
    make_printer: Any, make_pdf: Any, context: DriverContext
) -> None:
    first = make_printer()
    job_id = first.submit(make_pdf(2), title="ADM-KK-1", pages=2)
    assert first.wait(job_id, 20).state is JobState.COMPLETED
    first.close()

    again = make_printer()
    outcome = again.job_outcome(job_id)
    assert (outcome.state, outcome.pages_out) == (JobState.COMPLETED, 2)
    assert again.submit(make_pdf(1), title="ADM-KK-2", pages=1) == "2"
    unknown = again.job_outcome("77")
    assert unknown.state is JobState.UNKNOWN
    assert unknown.fault is not None
    assert unknown.fault.code == "JOB_UNKNOWN"


@pytest.mark.parametrize("fed_before", [0, 1])
def test_a_job_cut_short_by_a_crash_is_unknown_never_aborted_with_a_count(
    make_printer: Any, context: DriverContext, fed_before: int
) -> None:
    store = PrintJobStore(context.state_dir / "devices.sqlite", "document")
    printing = store.add("ADM-KK-1", 3)
    store.update(printing, state=JobState.PRINTING, pages_out=fed_before)
    pending = store.add("ADM-KK-2", 1)  # queued, never started
    store.close()

    printer = make_printer()
    outcome = printer.job_outcome(str(printing))
    # Whatever the record said, the printer stopped mid-job: 0 would be released on.
    assert (outcome.state, outcome.pages_out) == (JobState.UNKNOWN, None)
    assert outcome.fault is not None
    assert outcome.fault.code == "PRINTER_POWER_LOST"
    never = printer.job_outcome(str(pending))
    assert (never.state, never.pages_out) == (JobState.ABORTED, 0)


def test_close_during_a_job_aborts_it_with_the_pages_out_so_far(
    make_printer: Any, make_pdf: Any, context: DriverContext, until: Any
) -> None:
    printer = make_printer(page_delay_ms=400)
    job_id = printer.submit(make_pdf(3), title="ADM-KK-1", pages=3)
    until(lambda: fed(context) == 2)
    printer.close()  # page 2 is on its way out: it counts
    outcome = printer.job_outcome(job_id)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 2)


def test_hostile_documents_and_titles(make_printer: Any, make_pdf: Any) -> None:
    printer = make_printer()
    outcome = printer.wait(printer.submit(b"%PDF-1.4\ngarbage", title="ADM-KK-1", pages=1), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 0)
    assert outcome.fault is not None
    assert outcome.fault.code == "PRINTER_BAD_DOCUMENT"
    with pytest.raises(ValueError, match="PDF"):
        printer.submit(b"GIF89a", title="ADM-KK-1", pages=1)
    with pytest.raises(ValueError, match="title"):
        printer.submit(make_pdf(1), title="KK 3201014508900003", pages=1)
    too_long = make_printer(max_pages=2)
    outcome = too_long.wait(too_long.submit(make_pdf(3), title="ADM-KK-1", pages=3), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 0)


def test_health_checks(make_printer: Any, context: DriverContext) -> None:
    printer = make_printer()
    assert printer.check_health(HealthLevel.INTERNAL).ok
    external = printer.check_health(HealthLevel.EXTERNAL)
    assert external.ok, external.text
    assert "job-000001-p01.png" in paper(context)
    printer.inject(Fault.JAM)
    assert not printer.check_health(HealthLevel.EXTERNAL).ok


def test_faults_it_does_not_simulate_are_refused(make_printer: Any) -> None:
    printer = make_printer()
    with pytest.raises(FaultError):
        printer.inject(Fault.BLANKO_OUT)
    with pytest.raises(FaultError):
        printer.inject(Fault.CAMERA_LOST)


def test_a_closed_printer_refuses_jobs(make_printer: Any, make_pdf: Any, tmp_path: Path) -> None:
    printer = make_printer()
    printer.close()
    assert printer.status.state is DeviceState.CLOSED
    with pytest.raises(DeviceError):
        printer.submit(make_pdf(1), title="ADM-KK-1", pages=1)


@pytest.mark.parametrize(
    "settings", [{"page_delay_ms": -1}, {"colour": True}, {"png_dpi": 5000}, {"max_pages": 0}]
)
def test_settings_are_checked(tmp_path: Path, settings: dict[str, Any]) -> None:
    context = DriverContext(state_dir=tmp_path)
    for kind in (DeviceKind.DOCUMENT, DeviceKind.CARD):
        with pytest.raises(DriverError):
            build_driver(kind, kind.value, "sim", settings, context)


def test_the_simulator_config_builds_both_printers(tmp_path: Path) -> None:
    context = DriverContext(state_dir=tmp_path)
    card = build_driver(
        DeviceKind.CARD,
        "card",
        "sim",
        {"page_delay_ms": 800, "blanko_stock": 50, "blanko_low": 10},
        context,
    )
    assert card.blanko() == (50, 10)
    assert card.capabilities.media == ("cr80",)
    document = build_driver(DeviceKind.DOCUMENT, "document", "sim", {"page_delay_ms": 400}, context)
    assert document.capabilities.media == ("a4",)


def test_a_job_the_simulator_fails_mid_way_is_unknown_never_aborted_with_0(
    make_printer: Any, make_pdf: Any, context: DriverContext
) -> None:
    """The sheet is fed, then the simulator itself fails (its virtual paper cannot be written):
    what came out is not known, so the outcome says so instead of "aborted, 0 pages"."""
    assert context.paper_dir is not None
    context.paper_dir.mkdir(parents=True, exist_ok=True)
    (context.paper_dir / "documents").write_text("not a folder")
    printer = make_printer()
    outcome = printer.wait(printer.submit(make_pdf(1), title="ADM-KK-1", pages=1), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.UNKNOWN, None)
    assert outcome.fault is not None and outcome.fault.code == "PRINTER_INTERNAL"
    assert fed(context) == 1
