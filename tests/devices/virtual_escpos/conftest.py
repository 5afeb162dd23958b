from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devices.printers.escpos_link import escpos_printer_module
from devices.sim.virtual_escpos.server import VirtualEscposPrinter


@pytest.fixture
def virtual_printer(tmp_path: Path) -> Iterator[VirtualEscposPrinter]:
    printer = VirtualEscposPrinter(tmp_path / "paper", width_mm=80, pty=True).start()
    try:
        yield printer
    finally:
        printer.stop()


@pytest.fixture
def dummy() -> Any:
    """python-escpos's Dummy printer: records the bytes the library would send."""
    return escpos_printer_module().Dummy()


@pytest.fixture
def raw_client(virtual_printer: VirtualEscposPrinter) -> Iterator[socket.socket]:
    sock = socket.create_connection(virtual_printer.address, timeout=2)
    try:
        yield sock
    finally:
        sock.close()
