"""The REAL python-escpos connectors (Network over TCP, Serial over the pty) print on the virtual
printer; the rendered PNG is decoded back with zxing-cpp to prove the codes are scannable."""

from __future__ import annotations

from typing import Any

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw

from devices.printers.escpos_link import escpos_printer_module
from devices.sim.virtual_escpos.server import VirtualEscposPrinter

QR_TEXT = "ADM1.eyJ2IjoxLCJ2aWQiOiJWLTAwMDEyMyJ9.c2ltLXNpZ25hdHVyZQ"


def _ticket(printer: Any) -> None:
    printer.hw("INIT")
    printer.set(align="center", bold=True, double_height=True, double_width=True)
    printer.textln("A-017")
    printer.set_with_default()
    printer.textln("Perekaman KTP-el")
    printer.qr(QR_TEXT, native=True, size=5, ec=1)
    printer.barcode("{BA-017", "CODE128", function_type="B")
    logo = Image.new("1", (96, 48), 1)
    ImageDraw.Draw(logo).rectangle((8, 8, 88, 40), fill=0)
    printer.image(logo)
    printer.cut()


def _check(job_image: Image.Image) -> None:
    found = {(r.format.name, r.text) for r in zxingcpp.read_barcodes(job_image)}
    assert ("QRCode", QR_TEXT) in found
    assert ("Code128", "A-017") in found
    assert (np.asarray(job_image) < 128).sum() > 5000  # text and the logo are there


def test_network_connector_prints_a_ticket(virtual_printer: VirtualEscposPrinter) -> None:
    host, port = virtual_printer.address
    printer = escpos_printer_module().Network(host, port, timeout=5)
    printer.open()
    try:
        _ticket(printer)
        assert printer.is_online()
        assert printer.paper_status() == 2
    finally:
        printer.close()
    assert virtual_printer.wait_for_jobs(1, 5)
    job = virtual_printer.jobs()[0]
    assert job.complete and job.path is not None and job.path.exists()
    _check(Image.open(job.path))


def test_serial_connector_prints_over_the_pty(virtual_printer: VirtualEscposPrinter) -> None:
    printer = escpos_printer_module().Serial(virtual_printer.pty_path, baudrate=115200, timeout=0.3)
    printer.open()
    try:
        _ticket(printer)
        assert printer.is_online()
    finally:
        printer.close()
    assert virtual_printer.wait_for_jobs(1, 5)
    job = virtual_printer.jobs()[0]
    assert job.source == "pty"
    _check(job.image)
