"""Simulated IPP printers (driver "sim-ipp"): the real CUPS drivers against a virtual printer."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen import canvas

from devices.drivers import DriverContext, build_driver
from devices.model import DeviceKind


def make_pdf(pages: int) -> bytes:
    buffer = io.BytesIO()
    doc = canvas.Canvas(buffer, invariant=True)
    for number in range(1, pages + 1):
        doc.drawString(72, 720, f"Halaman {number}")
        doc.showPage()
    doc.save()
    return buffer.getvalue()


@pytest.fixture
def context(tmp_path: Path) -> DriverContext:
    return DriverContext(state_dir=tmp_path / "state", paper_dir=tmp_path / "paper")


@pytest.fixture
def make_printer(context: DriverContext) -> Iterator[Callable[..., Any]]:
    """Build (through the driver registry) and open a sim-ipp printer; closed at teardown."""
    opened: list[Any] = []

    def factory(kind: DeviceKind = DeviceKind.DOCUMENT, **settings: Any) -> Any:
        values = {
            "page_delay_ms": 20,
            "png_dpi": 0,
            "poll_interval_ms": 20,
            "status_interval_s": 0,
            "request_timeout_s": 3,
            **settings,
        }
        name = "document" if kind is DeviceKind.DOCUMENT else "card"
        printer = build_driver(kind, name, "sim-ipp", values, context)
        printer.open()
        opened.append(printer)
        return printer

    yield factory
    for printer in opened:
        printer.close()
