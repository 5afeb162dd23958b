"""Simulated document and card printers built through the driver registry, closed after use."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfgen import canvas

from devices.drivers import DriverContext, build_driver
from devices.model import DeviceKind


def reportlab_pdf(pages: int, size: tuple[float, float] = (595.27, 841.89)) -> bytes:
    buffer = io.BytesIO()
    doc = canvas.Canvas(buffer, pagesize=size, invariant=True)
    for number in range(1, pages + 1):
        doc.drawString(20, size[1] - 40, f"Halaman {number}")
        doc.showPage()
    doc.save()
    return buffer.getvalue()


@pytest.fixture
def make_pdf() -> Callable[..., bytes]:
    return reportlab_pdf


@pytest.fixture
def context(tmp_path: Path) -> DriverContext:
    return DriverContext(state_dir=tmp_path / "state", paper_dir=tmp_path / "paper")


@pytest.fixture
def make_printer(context: DriverContext) -> Iterator[Callable[..., Any]]:
    opened: list[Any] = []

    def factory(kind: DeviceKind = DeviceKind.DOCUMENT, **settings: Any) -> Any:
        values = {"page_delay_ms": 20, "png_dpi": 50, **settings}
        name = "document" if kind is DeviceKind.DOCUMENT else "card"
        printer = build_driver(kind, name, "sim", values, context)
        printer.open()
        opened.append(printer)
        return printer

    yield factory
    for printer in opened:
        printer.close()


def wait_until(condition: Callable[[], bool], timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)


@pytest.fixture
def until() -> Callable[..., None]:
    return wait_until
