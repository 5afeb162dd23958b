"""Keyboard-wedge scanners end to end without /dev/uinput: recorded input_event bytes replayed
through the driver's own read loop, decoder and parser; faults through the device manager.

``data/wedge-two-scans.events`` holds what a USB HID scanner's event device delivers for a
voucher QR and a NIK barcode (EV_MSC scan codes, key events, SYN reports; 4 ms per key, 3.4 s
between the scans), as 24-byte ``struct input_event`` records. It was made with
:func:`devices.scanners.keymap.keystrokes` (no real scanner was at hand to record).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.drivers import DriverContext, DriverError, build_driver
from devices.faults import Fault
from devices.manager import DeviceManager
from devices.model import DeviceKind, DeviceState, StatusEventKind
from devices.ports import ScannedText, ScannerRead, ScanProblem, ScanProblemKind
from devices.scanners.hid_wedge import HidWedgeScanner, HidWedgeSettings
from devices.scanners.input_events import RECORD
from devices.scanners.streams import EvdevStream, ScannerOpenError
from devices.scanners.worker import ScannerWorker
from devices.sim.fault_panel import FaultPanel
from devices.sim.wedge import SimulatedWedgeScanner

RECORDING = Path(__file__).with_name("data") / "wedge-two-scans.events"
TOKEN = (
    "ADM1.eyJ2IjoxLCJ2aWQiOiJWLTAwMDEyMyIsImRvYyI6ImtrIn0.U0lHTkFUVVJFLXNpZ25hdHVyZS0wMTIzNDU2Nzg5"
)
NIK = "3201014508900001"


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


class Collected(list[ScannerRead]):
    def __call__(self, read: ScannerRead) -> None:
        self.append(read)


@pytest.fixture
def wedge(tmp_path: Path) -> Iterator[SimulatedWedgeScanner]:
    scanner = build_driver(
        DeviceKind.SCANNER, "wedge", "sim-wedge", {"transport": "replay"},
        DriverContext(state_dir=tmp_path),
    )  # fmt: skip
    scanner.open()
    yield scanner
    scanner.close()


@pytest.fixture
def reads(wedge: SimulatedWedgeScanner) -> Iterator[Collected]:
    collected = Collected()
    worker = ScannerWorker(wedge, collected)
    worker.start()
    yield collected
    worker.stop()


def test_a_recording_replays_to_its_codes(wedge: SimulatedWedgeScanner, reads: Collected) -> None:
    data = RECORDING.read_bytes()
    assert wedge.transport == "replay" and len(data) % RECORD.size == 0
    for start in range(0, len(data), 1000):  # as the kernel hands them over: in pieces
        wedge.send_records(data[start : start + 1000])
    assert wait_until(lambda: len(reads) == 2)
    assert reads == [ScannedText(TOKEN), ScannedText(NIK)]
    assert wedge.statistics()["reads"] == 2


def test_a_recording_cut_in_the_middle_is_half_a_code(wedge, reads) -> None:  # type: ignore[no-untyped-def]
    data = RECORDING.read_bytes()
    wedge.send_records(data[: RECORD.size * 200 + 7])  # mid-token, mid-record
    assert wait_until(lambda: len(reads) == 1)
    [result] = reads
    assert isinstance(result, ScanProblem) and result.kind is ScanProblemKind.INCOMPLETE


def test_faults_half_code_garbage_unplug_through_the_fault_panel(tmp_path: Path) -> None:
    wedge = build_driver(
        DeviceKind.SCANNER, "wedge", "sim-wedge", {"transport": "replay"},
        DriverContext(state_dir=tmp_path),
    )  # fmt: skip
    manager = DeviceManager({"wedge": wedge}, supervise_interval_s=0.05, max_backoff_s=0.1)
    reads = Collected()
    worker = ScannerWorker(wedge, reads)
    manager.start()
    worker.start()
    try:
        assert manager.wait_opened()
        faults = FaultPanel(manager)
        faults.inject("wedge", Fault.HALF_CODE)
        wedge.scan(NIK)
        assert wait_until(lambda: len(reads) == 1)
        faults.clear("wedge", Fault.HALF_CODE)
        faults.inject("wedge", Fault.GARBAGE)
        wedge.scan(NIK)
        assert wait_until(lambda: len(reads) == 2)
        faults.clear("wedge", Fault.GARBAGE)
        assert [r.kind for r in reads] == [ScanProblemKind.INCOMPLETE, ScanProblemKind.GARBAGE]  # type: ignore[union-attr]

        offline: list[str] = []  # each OFFLINE event's fault code, in order
        unsubscribe = wedge.subscribe(
            lambda event: (
                offline.append(event.status.last_error.code)  # type: ignore[union-attr]
                if event.kind is StatusEventKind.OFFLINE
                else None
            )
        )
        faults.inject("wedge", Fault.UNPLUGGED)
        assert wait_until(lambda: len(offline) > 0)  # listeners run just after the change
        assert wedge.status.state is DeviceState.OFFLINE
        # The pulled cable is reported as such; the supervisor's reopen attempts that follow
        # (every 0.05 s here) fail as SCANNER_OFFLINE, so only the first event is certain.
        assert offline[0] == "SCANNER_UNPLUGGED"
        unsubscribe()
        wedge.scan(NIK)  # nobody is listening on a pulled cable
        faults.clear("wedge", Fault.UNPLUGGED)
        assert wait_until(lambda: wedge.status.state is DeviceState.IDLE)  # the supervisor
        wedge.scan(NIK)
        assert wait_until(lambda: len(reads) == 3)
        assert reads[-1] == ScannedText(NIK)
    finally:
        worker.stop()
        manager.stop()


def test_the_real_driver_needs_a_stable_path_and_goes_offline_without_its_device() -> None:
    with pytest.raises(DriverError) as caught:
        build_driver(DeviceKind.SCANNER, "w", "hid-wedge", {"device": "/dev/input/event3"},
                     DriverContext(state_dir=Path("/nonexistent")))  # fmt: skip
    assert caught.value.path == "devices.w.settings.device"
    settings = HidWedgeSettings(device="/dev/input/by-id/usb-Zebra_Symbol_Scanner-event-kbd")
    scanner = HidWedgeScanner("w", settings)
    scanner.open()
    assert scanner.status.state is DeviceState.OFFLINE
    assert scanner.status.last_error is not None
    assert scanner.status.last_error.code == "SCANNER_OFFLINE"
    assert scanner.read(0.05) is None
    scanner.close()


def test_a_node_that_is_not_an_event_device_is_not_read() -> None:
    """/dev/null stands in for a by-id link to the wrong node: evdev's ioctls fail."""
    with pytest.raises(ScannerOpenError) as caught:
        EvdevStream("/dev/null")
    assert caught.value.fault.code == "SCANNER_OFFLINE"


def test_a_stuck_reader_never_hangs_the_simulated_scanner(tmp_path: Path) -> None:
    """Nobody reads: the wire fills (1 MiB) and a write gives up instead of blocking."""
    wedge = build_driver(
        DeviceKind.SCANNER, "wedge", "sim-wedge", {"transport": "replay", "wire_timeout_ms": 100},
        DriverContext(state_dir=tmp_path),
    )  # fmt: skip
    wedge.open()
    done = threading.Event()

    def flood() -> None:
        try:
            for _ in range(100):
                wedge.send_records(b"\0" * RECORD.size * 4096)
        except TimeoutError:
            done.set()

    thread = threading.Thread(target=flood)
    thread.start()
    thread.join(30)
    wedge.close()
    assert done.is_set()
