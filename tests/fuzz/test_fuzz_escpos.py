"""The virtual ESC/POS printer against mutated real jobs, length-field bombs and a real socket.

Seeds are what the kiosk really sends (queue tickets from python-escpos, native and raster QR,
images in every python-escpos implementation, the technician's test ticket), so mutations land
inside real commands. The parser never raises for input bytes; the renderer's paper stays
bounded; the TCP printer survives any byte stream and still prints the next job.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from fuzz.byte_mutations import mutations, peak_rss_growth, within
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from devices.sim.virtual_escpos.commands import Skipped
from devices.sim.virtual_escpos.parser import EscposParser
from devices.sim.virtual_escpos.render import MAX_JOB_DOTS, paper_dots, render_escpos
from devices.sim.virtual_escpos.server import VirtualEscposPrinter
from printing.tickets import TicketData, compose_ticket
from printing.tickets.diagnostic import diagnostic_ticket
from printing.tickets.escpos_recorder import new_recorder

WIB = timezone(timedelta(hours=7), "WIB")
TICKET = TicketData(
    ticket_id="A-20261123-042",
    office="Kantor Kecamatan Cibinong",
    service_name_id="Perekaman KTP-el",
    service_name_en="KTP-el recording",
    code="A",
    number=42,
    issued_at=datetime(2026, 11, 23, 9, 15, tzinfo=WIB),
    people_ahead=7,
    priority="lansia",
    estimate_minutes=25,
)


def _images() -> bytes:
    picture = Image.new("1", (96, 40), 1)
    ImageDraw.Draw(picture).rectangle((4, 4, 60, 30), fill=0)
    printer = new_recorder(paper_dots(80))
    for impl in ("bitImageRaster", "graphics", "bitImageColumn"):
        printer.image(picture, impl=impl)
    printer.barcode("{BADM0042", "CODE128", function_type="B")
    printer.cut()
    return bytes(printer.output)


SEEDS = {
    "ticket_80_native_qr": compose_ticket(TICKET, 80),
    "ticket_58_raster_qr": compose_ticket(TICKET, 58, native_qr=False),
    "diagnostic": diagnostic_ticket("TEST", "line", "ADM-DIAG-1"),
    "images": _images(),
}
MAX_PAGE_HEIGHT = MAX_JOB_DOTS + 4000  # the cut job plus the command that overran it


def _render(data: bytes, width_mm: int) -> list[Image.Image]:
    pages = within(5.0, lambda: render_escpos(data, width_mm))
    for page in pages:
        assert page.width == paper_dots(width_mm)
        assert 0 < page.height <= MAX_PAGE_HEIGHT
    return pages


def test_the_seeds_print() -> None:
    for name, data in SEEDS.items():
        assert _render(data, 80), name


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.sampled_from(sorted(SEEDS)).flatmap(lambda name: mutations(SEEDS[name], max_ops=5)),
    width=st.sampled_from([58, 80]),
    chunk=st.integers(1, 4096),
)
def test_mutated_jobs_parse_and_render(data: bytes, width: int, chunk: int) -> None:
    parser = EscposParser()

    def parse_in_chunks() -> int:
        count = 0
        for start in range(0, len(data), chunk):
            count += len(parser.feed(data[start : start + chunk]))
        return count + len(parser.finish())

    assert within(5.0, parse_in_chunks) > 0 or not data
    assert parser.pending == 0
    _render(data, width)


GS, ESC = b"\x1d", b"\x1b"
BOMBS = {
    "raster_65535x65535": GS + b"v0\x00\xff\xff\xff\xff" + b"\xff" * 1000,
    "raster_255x65535_full": GS + b"v0\x00\xff\x00\xff\x0f" + b"\xaa" * (255 * 4095),
    "graphics_store_64k": GS + b"(L\xff\xff0p0\x01\x01\x31\xff\xff\xff\xff" + b"\x55" * 65000,
    "gs8_4gb": GS + b"8L\xff\xff\xff\xff0p0\x01\x01\x31\x00\x10\x00\x10",
    "bit_image_wide": ESC + b"*\x21\xff\xff" + b"\x00" * 100,
    "qr_store_64k": GS + b"(k\xff\xff1P0" + b"Q" * 65532 + GS + b"(k\x03\x001Q0",
    "qr_size_16": GS + b"(k\x03\x001C\x10" + GS + b"(k\x08\x001P0AAAAA" + GS + b"(k\x03\x001Q0",
    "barcode_no_end": GS + b"kI\xff{B" + b"9" * 255,
    "tabs_forever": ESC + b"D" + b"\x01" * 100_000,
    "feed_forever": (ESC + b"d\xff") * 2000 + b"x" + (ESC + b"J\xff") * 2000,
    "double_size_flood": GS + b"!\x77" + b"W" * 3000,  # 8x size, no line feed: 16 m of paper
    "line_spacing_max": ESC + b"3\xff" + b"a\n" * 5000,
    "user_chars": ESC + b"&\x03\x20\x7e" + b"\x0c" * 5000,
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_length_field_bombs_cost_bounded_memory_and_time(name: str) -> None:
    pages, peak = peak_rss_growth(lambda: _render(BOMBS[name], 80))
    # Nothing beyond the paper itself (each page is cut at MAX_JOB_DOTS): no hidden blow-up.
    paper = sum(page.width * page.height for page in pages)
    assert peak < 128 * 1024 * 1024 + 2 * paper, f"{name}: peak {peak / 2**20:.0f} MiB"


def test_every_input_byte_is_accounted_for() -> None:
    """Junk is skipped visibly (the skipped-byte counter), never swallowed silently."""
    parser = EscposParser()
    commands = parser.feed(b"\x01\x02\x03" + GS + b"\xee" + SEEDS["diagnostic"]) + parser.finish()
    skipped = [c for c in commands if isinstance(c, Skipped)]
    assert len(skipped) == 4 and parser.skipped_bytes == 5


@pytest.fixture(scope="module")
def printer() -> Iterator[VirtualEscposPrinter]:
    running = VirtualEscposPrinter(None, width_mm=80).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def thread_errors() -> Iterator[list[str]]:
    """Exceptions that killed any thread (a printer connection thread, say) while fuzzing."""
    seen: list[str] = []
    previous = threading.excepthook

    def hook(args: Any) -> None:
        seen.append(f"{args.thread.name}: {args.exc_type.__name__}: {args.exc_value}")
        previous(args)

    threading.excepthook = hook
    try:
        yield seen
    finally:
        threading.excepthook = previous


def _send(printer: VirtualEscposPrinter, data: bytes) -> None:
    with socket.create_connection(printer.address, timeout=5) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        # The printer answers status requests; read until it closes or goes quiet.
        sock.settimeout(2.0)
        try:
            while sock.recv(65536):
                pass
        except (TimeoutError, ConnectionResetError):
            pass


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.sampled_from(sorted(SEEDS)).flatmap(lambda name: mutations(SEEDS[name], max_ops=8))
    | st.binary(max_size=4096)
    | st.sampled_from(sorted(BOMBS)).map(BOMBS.__getitem__)
)
def test_tcp_printer_survives_any_stream_and_prints_the_next_job(
    printer: VirtualEscposPrinter, thread_errors: list[str], data: bytes
) -> None:
    within(15.0, lambda: _send(printer, data))
    after_hostile = _last_seq(printer)
    within(15.0, lambda: _send(printer, SEEDS["diagnostic"]))
    assert _wait_for_diagnostic(printer, after_hostile), "no job printed after hostile input"
    assert printer.running
    assert thread_errors == []


def _last_seq(printer: VirtualEscposPrinter) -> int:
    jobs = printer.jobs()
    return jobs[-1].seq if jobs else 0


def _wait_for_diagnostic(printer: VirtualEscposPrinter, after: int) -> bool:
    """The diagnostic ticket came out whole (cut, every byte) after job ``after``."""
    size = len(SEEDS["diagnostic"])
    for count in range(after + 1, after + 10):
        if not printer.wait_for_jobs(count, 10.0):
            return False
        if any(j.seq > after and j.complete and j.bytes_received == size for j in printer.jobs()):
            return True
    return False
