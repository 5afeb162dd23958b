"""The real serial scanner driver end to end on a pseudo-terminal: the test is the scanner.

The driver is built through the driver registry, as the kiosk builds it, and opens its port by a
stable symlink (as ``/dev/serial/by-id/...`` is one); unplugging closes the pty under it, and
plugging back in makes a new pty behind the same link, as udev does.
"""

from __future__ import annotations

import os
import threading
import time
import tty
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devices.drivers import DriverContext, DriverError, build_driver
from devices.model import DeviceKind, DeviceState
from devices.ports import ScannedText, ScannerRead, ScanProblem, ScanProblemKind
from devices.scanners.worker import ScannerWorker

NIK = "3201014508900001"
TOKEN = "ADM1.eyJ2IjoxfQ.c2lnbmF0dXJl"


class PtyScanner:
    """The scanner's side: a pty master behind a stable link."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master: int | None = None
        self.plug()

    def plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        path = os.ttyname(slave)
        os.close(slave)  # the driver opens it by name
        self.master = master
        if self.link.is_symlink():
            self.link.unlink()
        self.link.symlink_to(path)

    def send(self, data: bytes) -> None:
        assert self.master is not None
        os.write(self.master, data)

    def unplug(self) -> None:
        if self.master is not None:
            os.close(self.master)
            self.master = None


@pytest.fixture
def scanner_side(tmp_path: Path) -> Iterator[PtyScanner]:
    side = PtyScanner(tmp_path / "usb-Honeywell_Scanner-if00")
    yield side
    side.unplug()


@pytest.fixture
def driver(scanner_side: PtyScanner, tmp_path: Path) -> Iterator[object]:
    scanner = build_driver(
        DeviceKind.SCANNER,
        "counter_scanner",
        "serial",
        {"device": str(scanner_side.link), "suffix": "\r\n", "max_char_gap_ms": 80},
        DriverContext(state_dir=tmp_path / "state"),
        where="devices.scanners.counter_scanner",
    )
    scanner.open()
    yield scanner
    scanner.close()


class Collected:
    def __init__(self) -> None:
        self.reads: list[ScannerRead] = []
        self.arrived = threading.Condition()

    def __call__(self, read: ScannerRead) -> None:
        with self.arrived:
            self.reads.append(read)
            self.arrived.notify_all()

    def wait(self, count: int, timeout_s: float = 5.0) -> list[ScannerRead]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.reads) >= count, timeout_s), self.reads
            return list(self.reads)


@pytest.fixture
def reads(driver: object) -> Iterator[Collected]:
    collected = Collected()
    worker = ScannerWorker(driver, collected)  # type: ignore[arg-type]
    worker.start()
    yield collected
    worker.stop()


def test_codes_arrive_whole_and_a_held_voucher_counts_once(scanner_side, reads, driver) -> None:  # type: ignore[no-untyped-def]
    assert driver.status.state is DeviceState.IDLE
    scanner_side.send(TOKEN.encode() + b"\r\n")
    scanner_side.send(TOKEN.encode() + b"\r\n")  # presentation mode: read again at once
    scanner_side.send(NIK[:6].encode())
    scanner_side.send(NIK[6:].encode() + b"\r\n")  # one code in two USB packets
    assert reads.wait(2) == [ScannedText(TOKEN), ScannedText(NIK)]
    assert driver.statistics()["reads"] == 3  # the repeat was read, then debounced


def test_half_a_code_garbage_and_control_bytes_are_refused(scanner_side, reads, driver) -> None:  # type: ignore[no-untyped-def]
    scanner_side.send(NIK[:7].encode())  # the scanner stops halfway: silence
    got = reads.wait(1)
    scanner_side.send(b"\xff\xfe\x80garbage\r\n")
    scanner_side.send(b"ADM1.\x1b[2J\r\n")
    got = reads.wait(3)
    assert [r.kind for r in got if isinstance(r, ScanProblem)] == [
        ScanProblemKind.INCOMPLETE,
        ScanProblemKind.NOT_ASCII,
        ScanProblemKind.CONTROL,
    ]
    counters = driver.statistics()
    assert counters["refused_incomplete"] == counters["refused_not_ascii"] == 1


def test_unplug_goes_offline_and_plugging_back_in_reads_again(scanner_side, reads, driver) -> None:  # type: ignore[no-untyped-def]
    scanner_side.send(NIK.encode() + b"\r\n")
    assert reads.wait(1) == [ScannedText(NIK)]
    scanner_side.unplug()
    assert wait_until(lambda: driver.status.state is DeviceState.OFFLINE)
    assert driver.status.last_error.code == "SCANNER_UNPLUGGED"
    assert driver.statistics()["errors"] == 1
    scanner_side.plug()
    driver.open()  # what the device manager's supervisor does
    assert driver.status.state is DeviceState.IDLE
    scanner_side.send(TOKEN.encode() + b"\r\n")
    assert reads.wait(2)[-1] == ScannedText(TOKEN)


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> bool:
    done = threading.Event()
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        done.wait(0.01)
    return True


def test_the_port_is_opened_exclusively(scanner_side, driver, tmp_path) -> None:  # type: ignore[no-untyped-def]
    second = build_driver(
        DeviceKind.SCANNER, "second", "serial", {"device": str(scanner_side.link)},
        DriverContext(state_dir=tmp_path / "state2"),
    )  # fmt: skip
    second.open()
    assert second.status.state is DeviceState.OFFLINE
    assert second.status.last_error.code == "SCANNER_OFFLINE"


def test_a_missing_port_is_offline_not_an_exception(tmp_path: Path) -> None:
    scanner = build_driver(
        DeviceKind.SCANNER, "gone", "serial", {"device": "/dev/serial/by-id/usb-nothing-if00"},
        DriverContext(state_dir=tmp_path),
    )  # fmt: skip
    scanner.open()
    assert scanner.status.state is DeviceState.OFFLINE
    assert scanner.read(0.05) is None


def test_settings_are_checked_with_their_config_path(tmp_path: Path) -> None:
    with pytest.raises(DriverError) as caught:
        build_driver(
            DeviceKind.SCANNER, "s", "serial", {"device": "/dev/ttyACM0", "prefix": "é"},
            DriverContext(state_dir=tmp_path), where="devices.scanners.s",
        )  # fmt: skip
    assert caught.value.path == "devices.scanners.s.settings.prefix"
