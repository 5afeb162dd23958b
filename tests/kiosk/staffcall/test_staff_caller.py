"""Staff calls: delivered off the caller's thread to every sink, logged and audited, counted."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.audit import AuditLog
from kiosk.staffcall import (
    StaffCall,
    StaffCaller,
    StaffCallKind,
    StaffCallUndelivered,
    TechnicianLogSink,
)
from kiosk.telemetry.metrics import KioskMetrics

MOMENT = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)


class RecordingSink:
    def __init__(self, name: str = "recording", fail: Exception | None = None) -> None:
        self.name = name
        self.fail = fail
        self.calls: list[StaffCall] = []
        self.threads: list[str] = []
        self.gate = threading.Event()
        self.gate.set()

    def deliver(self, call: StaffCall) -> None:
        self.gate.wait(10)
        self.threads.append(threading.current_thread().name)
        self.calls.append(call)
        if self.fail is not None:
            raise self.fail


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make_caller(*sinks: RecordingSink | TechnicianLogSink, clock: Clock | None = None, **kw):  # type: ignore[no-untyped-def]
    return StaffCaller(
        sinks, kiosk_id="KIOSK-7", wallclock=lambda: MOMENT, monotonic=clock or Clock(), **kw
    )


def test_a_call_reaches_every_sink_on_the_worker_not_the_callers_thread() -> None:
    first, second = RecordingSink("a"), RecordingSink("b")
    first.gate.clear()  # the first sink hangs (an office server that does not answer)
    caller = make_caller(first, second)
    try:
        call = caller.request("pin")  # returns although delivery is blocked
        assert (call.kiosk, call.screen, call.kind, call.at) == (
            "KIOSK-7", "pin", StaffCallKind.HELP, MOMENT
        )  # fmt: skip
        assert second.calls == []
        first.gate.set()
        assert caller.wait_idle(5)
        assert first.calls == second.calls == [call]
        assert all(name.startswith("staff-call") for name in first.threads + second.threads)
    finally:
        caller.close()


def test_one_failing_sink_does_not_stop_the_others_and_is_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    outcomes: list[tuple[str, bool]] = []
    broken = RecordingSink("office", fail=StaffCallUndelivered("connection refused"))
    crashing = RecordingSink("buggy", fail=RuntimeError("bug"))
    log_sink = RecordingSink("technician_log")
    caller = make_caller(
        broken, crashing, log_sink, on_delivery=lambda s, ok: outcomes.append((s, ok))
    )
    with caplog.at_level(logging.ERROR, logger="kiosk.staffcall.caller"):
        call = caller.request("scan")
        caller.close()
    assert log_sink.calls == [call]
    assert outcomes == [("office", False), ("buggy", False), ("technician_log", True)]
    assert f"staff call {call.call_id} not delivered to office: connection refused" in caplog.text


def test_presses_within_a_minute_are_one_call() -> None:
    clock, sink, counted = Clock(), RecordingSink(), []
    caller = make_caller(sink, clock=clock, on_call=counted.append)
    try:
        first = caller.request("menu")
        clock.now += 59
        assert caller.request("pin") is first
        clock.now += 2
        second = caller.request("pin")
        assert second.call_id != first.call_id and second.screen == "pin"
        assert caller.wait_idle(5)
        assert sink.calls == counted == [first, second]
    finally:
        caller.close()


def test_the_technician_log_gets_a_precise_line_and_an_audit_entry_without_personal_data(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    audit = AuditLog(tmp_path / "audit")
    caller = make_caller(TechnicianLogSink(audit))
    with caplog.at_level(logging.WARNING, logger="kiosk.staffcall.log_sink"):
        call = caller.request("confirm")
        caller.close()
    line = (
        f"staff call {call.call_id}: a citizen asks for help at kiosk KIOSK-7 on screen confirm "
        "(2026-11-23T02:30:00+00:00)"
    )
    assert line in caplog.messages
    entries = [e for e in audit.entries() if e["event"] == "staff_call"]
    assert len(entries) == 1
    entry = entries[0]
    personal = set(entry) - {"seq", "ts", "event", "prev", "hash"}
    assert {k: entry[k] for k in personal} == {
        "call": call.call_id, "kind": "help", "kiosk": "KIOSK-7", "screen": "confirm"
    }  # fmt: skip


def test_an_audit_failure_is_reported_as_undelivered(tmp_path: Path) -> None:
    class FullDisk:
        def append(self, event: str, **fields: object) -> dict[str, object]:
            raise OSError(28, "No space left on device")

    outcomes: list[tuple[str, bool]] = []
    caller = make_caller(
        TechnicianLogSink(FullDisk()), on_delivery=lambda s, ok: outcomes.append((s, ok))
    )  # type: ignore[arg-type]
    caller.request("done")
    caller.close()
    assert outcomes == [("technician_log", False)]


def test_the_alert_body_is_the_office_servers_post_v1_alerts_shape() -> None:
    call = StaffCall("SC-1", StaffCallKind.HELP, "KIOSK-7", "error", MOMENT)
    assert call.alert_body() == {"kind": "help", "kiosk": "KIOSK-7", "screen": "error"}


def test_metrics_count_calls_and_deliveries_as_totals() -> None:
    metrics = KioskMetrics()
    caller = make_caller(
        RecordingSink("technician_log"),
        on_call=lambda c: metrics.staff_calls.labels(screen=c.screen).inc(),
        on_delivery=lambda s, ok: metrics.staff_call_deliveries.labels(
            sink=s, result="ok" if ok else "failed"
        ).inc(),
    )
    caller.request("scan")
    caller.close()
    text = metrics.render().decode()
    assert 'kiosk_staff_calls_total{screen="scan"} 1.0' in text
    assert 'kiosk_staff_call_deliveries_total{result="ok",sink="technician_log"} 1.0' in text


def test_no_sinks_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="at least one sink"):
        StaffCaller([], kiosk_id="K")
