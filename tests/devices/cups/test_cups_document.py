"""The CUPS document driver against a real cupsd and a fault-simulating test backend."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from devices.drivers import DriverContext, DriverError, build_driver
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

pytestmark = pytest.mark.slow


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.02)


def test_a_printed_job_completes_and_the_backend_receives_the_pdf(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue)
    assert isinstance(printer, DocumentPrinter)
    assert printer.status.state is DeviceState.IDLE
    assert printer.status.paper is PaperLevel.OK

    job_id = printer.submit(two_page_pdf, title="ADM-KK-3f9a1c", pages=2)
    outcome = printer.wait(job_id, timeout_s=20)

    assert outcome.state is JobState.COMPLETED
    assert outcome.pages_out == 2
    assert outcome.fault is None
    assert cupsd.captured(queue)[int(job_id)] == two_page_pdf
    stats = printer.statistics()
    assert (stats["jobs"], stats["pages"], stats["jobs_completed"]) == (1, 2, 1)
    assert stats.get("errors", 0) == 0


def test_media_empty_is_a_paper_out_event_and_an_aborted_job_with_no_pages(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue)
    events: list[StatusEvent] = []
    printer.subscribe(events.append)
    cupsd.control(queue, "media-empty delay=1")

    outcome = printer.wait(printer.submit(two_page_pdf, title="ADM-KK-1", pages=2), 20)

    assert outcome.state is JobState.ABORTED
    assert outcome.pages_out == 0
    assert outcome.fault is not None
    assert outcome.fault.code == "PRINTER_PAPER_OUT"
    assert StatusEventKind.PAPER_OUT in [e.kind for e in events]
    assert printer.status.paper is PaperLevel.OUT
    assert printer.status.state is DeviceState.ERROR
    assert "media-empty-error" in printer.printer_state_reasons
    assert cupsd.captured(queue) == {}
    assert printer.check_health(HealthLevel.INTERNAL).ok is False

    # Paper refilled: the technician's test page clears the condition.
    cupsd.control(queue, "")
    assert printer.check_health(HealthLevel.EXTERNAL).ok
    assert printer.status.paper is PaperLevel.OK
    assert events[-1].status.paper is PaperLevel.OK
    assert StatusEventKind.PAPER_OK in [e.kind for e in events]


def test_a_backend_failure_aborts_the_job_with_zero_pages(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue)
    cupsd.control(queue, "fail")

    outcome = printer.wait(printer.submit(two_page_pdf, title="ADM-AKTA-9", pages=2), 20)

    assert outcome.state is JobState.ABORTED
    assert outcome.pages_out == 0
    assert outcome.fault is not None
    assert outcome.fault.code == "PRINTER_JOB_ABORTED"
    assert "not responding" in outcome.fault.detail
    assert printer.statistics()["errors"] == 1


def test_a_jam_after_the_first_page_reports_one_page_out(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue)
    events: list[StatusEvent] = []
    printer.subscribe(events.append)
    cupsd.control(queue, "pages-then-fail=1")

    outcome = printer.wait(printer.submit(two_page_pdf, title="ADM-KK-7", pages=2), 20)

    assert outcome.state is JobState.ABORTED
    assert outcome.pages_out == 1
    assert outcome.fault is not None
    assert outcome.fault.code == "PRINTER_JAM"
    assert printer.status.jam is Tristate.YES
    assert StatusEventKind.JAM in [e.kind for e in events]


def test_door_open_is_a_cover_open_event(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue)
    events: list[StatusEvent] = []
    printer.subscribe(events.append)
    cupsd.control(queue, "door-open")

    outcome = printer.wait(printer.submit(two_page_pdf, title="ADM-KK-8", pages=2), 20)

    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 0)
    assert printer.status.cover_open is Tristate.YES
    assert StatusEventKind.COVER_OPEN in [e.kind for e in events]


def test_a_job_not_final_in_time_is_unknown_and_wait_honours_its_timeout(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue)
    cupsd.control(queue, "delay=1.5")
    job_id = printer.submit(two_page_pdf, title="ADM-KK-5", pages=2)

    started = time.monotonic()
    outcome = printer.wait(job_id, timeout_s=0.5)
    elapsed = time.monotonic() - started

    assert outcome.state is JobState.UNKNOWN
    assert outcome.pages_out is None
    assert 0.4 <= elapsed < 1.5
    # The job goes on in CUPS; following it again finds it finished.
    assert printer.wait(job_id, timeout_s=20).state is JobState.COMPLETED


def test_a_stopped_queue_keeps_the_job_pending_until_enabled(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue)
    cupsd.control(queue, "stop")
    job_id = printer.submit(two_page_pdf, title="ADM-KK-6", pages=2)

    outcome = printer.wait(job_id, timeout_s=2)
    assert outcome.state is JobState.UNKNOWN
    assert outcome.details["last_state"] in ("pending", "printing")
    wait_until(lambda: printer.refresh_status().state is DeviceState.ERROR)
    assert printer.status.last_error is not None
    assert printer.status.last_error.code == "PRINTER_STOPPED"

    cupsd.control(queue, "")
    cupsd.enable(queue)
    assert printer.wait(job_id, timeout_s=20).state is JobState.COMPLETED
    assert printer.refresh_status().state is DeviceState.IDLE


def test_job_outcome_works_from_a_new_driver_after_a_restart(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    first = make_printer(queue)
    cupsd.control(queue, "delay=0.3")
    job_id = first.submit(two_page_pdf, title="ADM-KK-4", pages=2)
    first.close()  # the kiosk "crashes" while the job prints

    again = make_printer(queue)
    wait_until(lambda: again.job_outcome(job_id).state.final, timeout_s=20)
    outcome = again.job_outcome(job_id)
    assert (outcome.state, outcome.pages_out) == (JobState.COMPLETED, 2)
    assert again.statistics()["pages"] == 2  # counted once, by the driver that recovered it
    again.job_outcome(job_id)
    assert again.statistics()["pages"] == 2

    unknown = again.job_outcome("987654")
    assert unknown.state is JobState.UNKNOWN
    assert unknown.fault is not None
    assert unknown.fault.code == "JOB_UNKNOWN"


def test_cupsd_stopped_goes_offline_and_recovers_when_it_returns(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue, status_interval_s=0.1)
    events: list[StatusEvent] = []
    printer.subscribe(events.append)
    done = printer.submit(two_page_pdf, title="ADM-KK-10", pages=2)
    assert printer.wait(done, 20).state is JobState.COMPLETED

    cupsd.stop()
    try:
        wait_until(lambda: printer.status.state is DeviceState.OFFLINE)
        assert StatusEventKind.OFFLINE in [e.kind for e in events]
        assert printer.status.paper is PaperLevel.UNKNOWN
        with pytest.raises(DeviceError) as refused:
            printer.submit(two_page_pdf, title="ADM-KK-11", pages=2)
        assert refused.value.fault.code == "PRINTER_OFFLINE"
        lost = printer.job_outcome(done)
        assert lost.state is JobState.UNKNOWN
        assert printer.check_health(HealthLevel.INTERNAL).ok is False
    finally:
        cupsd.start()

    wait_until(lambda: printer.status.state is DeviceState.IDLE)
    assert StatusEventKind.RECONNECTED in [e.kind for e in events]
    # cupsd kept its job history across its own restart.
    assert printer.job_outcome(done).state is JobState.COMPLETED
    job_id = printer.submit(two_page_pdf, title="ADM-KK-12", pages=2)
    assert printer.wait(job_id, 20).state is JobState.COMPLETED


def test_a_missing_queue_is_offline_with_a_clear_reason(cupsd: Any, make_printer: Any) -> None:
    cupsd.start()
    printer = make_printer("no-such-queue")
    assert printer.status.state is DeviceState.OFFLINE
    assert printer.status.last_error is not None
    assert "does not exist" in printer.status.last_error.detail
    health = printer.check_health(HealthLevel.INTERNAL)
    assert not health.ok
    assert "no-such-queue" in health.text


def test_health_checks_internal_and_external_print_a_test_page(
    cupsd: Any, queue: str, make_printer: Any
) -> None:
    printer = make_printer(queue)
    internal = printer.check_health(HealthLevel.INTERNAL)
    assert internal.ok, internal.text
    assert queue in internal.text
    assert cupsd.captured(queue) == {}

    external = printer.check_health(HealthLevel.EXTERNAL)
    assert external.ok, external.text
    (page,) = cupsd.captured(queue).values()
    assert page.startswith(b"%PDF-")
    assert external.ms > 0


@pytest.mark.parametrize(
    "title", ["ADM KK BUDI SANTOSO", "ADM-KK-3201014508900003", "", "x" * 65, "ADM/KK"]
)
def test_titles_that_could_carry_personal_data_are_refused(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes, title: str
) -> None:
    printer = make_printer(queue)
    with pytest.raises(ValueError, match="title"):
        printer.submit(two_page_pdf, title=title, pages=2)
    assert printer.statistics().get("jobs", 0) == 0


def test_a_document_that_is_not_a_pdf_is_refused(cupsd: Any, queue: str, make_printer: Any) -> None:
    printer = make_printer(queue)
    with pytest.raises(ValueError, match="PDF"):
        printer.submit(b"<html>not a pdf</html>", title="ADM-KK-1", pages=1)


def test_a_printer_its_backend_reports_offline_is_offline_while_the_job_tries(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue)
    events: list[StatusEvent] = []
    printer.subscribe(events.append)
    cupsd.control(queue, "offline delay=1")
    job_id = printer.submit(two_page_pdf, title="ADM-KK-13", pages=2)
    wait_until(lambda: printer.refresh_status().state is DeviceState.OFFLINE)
    assert StatusEventKind.OFFLINE in [e.kind for e in events]
    assert printer.status.last_error is not None
    assert printer.status.last_error.code == "PRINTER_OFFLINE"

    outcome = printer.wait(job_id, 20)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 0)
    # CUPS drops "-report" conditions when the job ends: the queue is usable again.
    assert printer.refresh_status().state is DeviceState.IDLE
    assert StatusEventKind.RECONNECTED in [e.kind for e in events]


def test_the_driver_also_talks_to_cupsd_over_its_local_socket(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue, server=str(cupsd.socket_path))
    assert printer.status.state is DeviceState.IDLE
    outcome = printer.wait(printer.submit(two_page_pdf, title="ADM-KK-14", pages=2), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.COMPLETED, 2)
    assert cupsd.captured(queue)[int(outcome.job_id)] == two_page_pdf


@pytest.mark.parametrize(
    ("settings", "where"),
    [
        ({}, "queue"),
        ({"queue": "docs", "colour": True}, "colour"),
        ({"queue": "docs; rm -rf /"}, "queue"),
        ({"queue": "docs", "server": "http://evil"}, "server"),
        ({"queue": "docs", "poll_interval_ms": 0}, "poll_interval_ms"),
    ],
)
def test_settings_are_checked(tmp_path: Any, settings: dict[str, Any], where: str) -> None:
    context = DriverContext(state_dir=tmp_path)
    for kind, driver in ((DeviceKind.DOCUMENT, "cups"), (DeviceKind.CARD, "cups-card")):
        with pytest.raises(DriverError) as bad:
            build_driver(kind, kind.value, driver, settings, context)
        assert bad.value.path == f"devices.{kind.value}.settings.{where}"


def test_polling_starts_short_and_backs_off_to_the_configured_interval(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A job done within tens of ms is seen at once; a long one is polled no more often than
    ``poll_interval_ms`` (50 ms here) after the first few doublings."""
    from devices.printers import cups

    printer = make_printer(queue)
    cupsd.control(queue, "delay=0.5")
    pauses: list[float] = []
    real_sleep = time.sleep

    def pause(seconds: float) -> None:
        if threading.current_thread() is threading.main_thread():  # the wait's own pauses
            pauses.append(round(seconds, 3))
        real_sleep(seconds)

    monkeypatch.setattr(cups.time, "sleep", pause)
    job_id = printer.submit(two_page_pdf, title="ADM-KK-6", pages=2)
    assert printer.wait(job_id, timeout_s=20).state is JobState.COMPLETED
    assert pauses[:3] == [0.02, 0.04, 0.05]
    assert max(pauses) <= 0.05 and len(pauses) >= 4
