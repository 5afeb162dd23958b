from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.drivers import DriverContext
from devices.model import StatusEvent
from devices.printers.escpos import NetworkReceiptPrinter
from devices.sim.virtual_escpos.server import VirtualEscposPrinter

FAST = {"status_timeout_ms": 300, "reconnect_initial_s": 0.05, "reconnect_max_s": 0.2}


@pytest.fixture
def context(tmp_path: Path) -> DriverContext:
    return DriverContext(state_dir=tmp_path / "state", paper_dir=tmp_path / "paper")


@pytest.fixture
def virtual_printer(tmp_path: Path) -> Iterator[VirtualEscposPrinter]:
    printer = VirtualEscposPrinter(tmp_path / "tickets", width_mm=58, pty=True).start()
    try:
        yield printer
    finally:
        printer.stop()


@pytest.fixture
def network_printer(
    virtual_printer: VirtualEscposPrinter, context: DriverContext
) -> Iterator[NetworkReceiptPrinter]:
    host, port = virtual_printer.address
    settings = NetworkReceiptPrinter.Settings.model_validate(
        {"host": host, "port": port, "width_mm": 58, **FAST}
    )
    driver = NetworkReceiptPrinter("receipt", settings, context)
    driver.open()
    try:
        yield driver
    finally:
        driver.close()


class SilentServer:
    """Accepts connections and reads everything, never answering: a printer without DLE EOT."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.received = bytearray()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])

    def _serve(self) -> None:
        conns: list[socket.socket] = []
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
                conn.settimeout(0.05)
                conns.append(conn)
            except TimeoutError:
                pass
            for conn in conns:
                with contextlib.suppress(TimeoutError, OSError):
                    self.received += conn.recv(65536)
        for conn in conns:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    try:
        yield server
    finally:
        server.stop()


class EventRecorder:
    def __init__(self) -> None:
        self.events: list[StatusEvent] = []

    def __call__(self, event: StatusEvent) -> None:
        self.events.append(event)

    def kinds(self) -> list[Any]:
        return [e.kind for e in self.events]


@pytest.fixture
def recorder() -> EventRecorder:
    return EventRecorder()
