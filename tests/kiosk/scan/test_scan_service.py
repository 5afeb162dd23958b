"""The scan service over real readers: a serial scanner on a pty, the simulated camera + zxing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from devices.camera.sim import SimulatedCamera, SimulatedCameraSettings
from devices.codes.backends import make_reader
from devices.ports import CodeFormat
from devices.sim.serial_scanner import SimulatedSerialScanner, SimulatedSerialSettings
from kiosk.scan import (
    CAMERA,
    LastRead,
    PreviewFrame,
    ScanEvent,
    ScannedCode,
    ScanRefused,
    ScanService,
)

NIK = "3201014508900001"
TOKEN = "ADM1.eyJ2IjoxLCJ2aWQiOiJWLTEyMyJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
AT = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


class Events(list[ScanEvent]):
    def __call__(self, event: ScanEvent) -> None:
        self.append(event)


@pytest.fixture
def serial() -> Iterator[SimulatedSerialScanner]:
    scanner = SimulatedSerialScanner("counter", SimulatedSerialSettings(suffix="\r\n"))
    scanner.open()
    yield scanner
    scanner.close()


@pytest.fixture
def service(serial: SimulatedSerialScanner) -> Iterator[ScanService]:
    scan = ScanService(scanners={"counter": serial}, wallclock=lambda: AT)
    scan.start()
    yield scan
    scan.stop()


def test_scanner_codes_and_refusals_reach_subscribers_and_the_last_read(serial, service) -> None:  # type: ignore[no-untyped-def]
    events = Events()
    unsubscribe = service.subscribe(events)
    serial.scan(NIK)
    assert wait_until(lambda: len(events) == 1)
    assert events == [ScannedCode(NIK, "unknown", "counter")]
    assert service.last_reads() == [
        LastRead("counter", "scanner", "3201********0001", "unknown", None, AT)
    ]
    serial.send(NIK[:5].encode())  # half a code
    assert wait_until(lambda: len(events) == 2)
    assert events[1] == ScanRefused("counter", "incomplete")
    [last] = service.last_reads()
    assert last.refused == "incomplete" and last.shown == ""
    unsubscribe()
    serial.scan(TOKEN)
    assert wait_until(lambda: service.last_reads()[0].shown.startswith("ADM1."))
    assert len(events) == 2  # nobody subscribed: dropped, not queued for later
    assert service.last_reads()[0].shown == f"ADM1.eyJ2IjoxLCJ... ({len(TOKEN)})"


def test_a_voucher_held_under_the_scanner_is_one_scan(serial, service) -> None:  # type: ignore[no-untyped-def]
    events = Events()
    service.subscribe(events)
    for _ in range(5):
        serial.scan(TOKEN)
    serial.scan(NIK)
    assert wait_until(lambda: len(events) == 2)
    assert [e.text for e in events] == [TOKEN, NIK]  # type: ignore[union-attr]
    service.reset()  # a new session: the same voucher may be scanned again
    serial.scan(TOKEN)
    assert wait_until(lambda: len(events) == 3)


@pytest.fixture
def camera() -> Iterator[SimulatedCamera]:
    cam = SimulatedCamera("camera", SimulatedCameraSettings(width=640, height=480, fps=30, seed=3))
    cam.open()
    yield cam
    cam.close()


def test_the_camera_runs_while_watched_and_its_codes_are_checked_too(camera) -> None:  # type: ignore[no-untyped-def]
    scan = ScanService(camera=camera, decoder=make_reader("zxing"), wallclock=lambda: AT)
    events, frames = Events(), []
    scan.subscribe(events)
    assert not scan.camera_running
    first = scan.watch_camera(frames.append)
    second = scan.watch_camera()
    try:
        camera.present("ADM1.\x1b[2Jbell", CodeFormat.QR)  # a printed QR may hold anything
        assert wait_until(lambda: len(events) >= 1, 20.0)
        assert events[0] == ScanRefused(CAMERA, "control")
        camera.remove()
        camera.present(NIK, CodeFormat.CODE128)
        assert wait_until(lambda: ScannedCode(NIK, "code128", CAMERA) in events, 20.0)
        assert any(isinstance(f, PreviewFrame) and f.codes for f in frames)
        labels = {code.label for f in frames for code in f.codes}
        assert "3201********0001" in labels and NIK not in labels
        first()
        assert scan.camera_running  # still watched by the second
    finally:
        second()
        scan.join()
        camera.remove()
    assert not scan.camera_running
    assert not any(t.name == "scan-worker" for t in threading.enumerate())
    scan.stop()
