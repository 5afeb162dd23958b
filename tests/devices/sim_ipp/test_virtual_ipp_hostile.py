"""The virtual IPP print server meets requests no driver sends: errors, never a crash or a hang."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.printers.ipp import (
    GET_PRINTER_ATTRIBUTES,
    OPERATION_GROUP,
    TAG_CHARSET,
    TAG_URI,
    IppAttribute,
    IppClient,
    IppStatusError,
    decode_message,
    encode_request,
)
from devices.sim.print_jobs import PrintJobStore
from devices.sim.virtual_ipp.engine import EngineSettings, PrintEngine
from devices.sim.virtual_ipp.operations import IppOperations
from devices.sim.virtual_ipp.server import VirtualIppPrinter


@pytest.fixture
def printer(tmp_path: Path) -> Iterator[VirtualIppPrinter]:
    store = PrintJobStore(tmp_path / "devices.sqlite", "document")
    with VirtualIppPrinter(store, None, EngineSettings(page_delay_s=0, png_dpi=0)) as running:
        yield running
    store.close()


def post(printer: VirtualIppPrinter, body: bytes, **headers: str) -> httpx.Response:
    headers = {"Content-Type": "application/ipp", **headers}
    return httpx.post(f"http://{printer.server}/printers/sim", content=body, headers=headers)


def request(operation: int, uri: str = "ipp://localhost/printers/sim") -> bytes:
    attrs = [
        IppAttribute(TAG_CHARSET, "attributes-charset", ("utf-8",)),
        IppAttribute(TAG_URI, "printer-uri", (uri,)),
    ]
    return encode_request(operation, [(OPERATION_GROUP, attrs)], request_id=7)


def still_answers(printer: VirtualIppPrinter) -> bool:
    client = IppClient(printer.server, timeout_s=3)
    try:
        return "printer-state" in client.printer_attributes("sim", ["printer-state"])
    finally:
        client.close()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"\x02\x00", 0x0400),  # truncated header
        (b"\x02\x00\x00\x0b\x00\x00\x00\x07\x01\x47\xff\xff", 0x0400),  # length overruns
        (struct.pack(">BBHI", 9, 0, GET_PRINTER_ATTRIBUTES, 7) + b"\x03", 0x0503),  # IPP 9.0
        (struct.pack(">BBHI", 2, 0, GET_PRINTER_ATTRIBUTES, 7) + b"\x03", 0x0400),  # no attrs
        (request(0x4242), 0x0501),  # an operation nobody implements
        (request(GET_PRINTER_ATTRIBUTES, "ipp://localhost/printers/other"), 0x0406),
    ],
)
def test_a_bad_request_gets_an_ipp_error_status(
    printer: VirtualIppPrinter, body: bytes, status: int
) -> None:
    answer = post(printer, body)
    assert answer.status_code == 200
    assert decode_message(answer.content).code == status
    assert still_answers(printer)


def test_http_it_does_not_speak_is_refused(printer: VirtualIppPrinter) -> None:
    assert post(printer, b"x", **{"Content-Type": "text/plain"}).status_code == 415
    assert httpx.get(f"http://{printer.server}/").status_code == 405
    host, port = printer.server.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(
            b"POST /printers/sim HTTP/1.1\r\nHost: x\r\nContent-Type: application/ipp\r\n"
            b"Content-Length: 999999999999\r\n\r\n"
        )
        assert raw.recv(64).startswith(b"HTTP/1.1 413")
    assert still_answers(printer)


def test_a_client_that_stops_mid_request_does_not_stop_the_server(
    printer: VirtualIppPrinter,
) -> None:
    host, port = printer.server.split(":")
    with socket.create_connection((host, int(port)), timeout=5) as raw:
        raw.sendall(
            b"POST /printers/sim HTTP/1.1\r\nHost: x\r\nContent-Type: application/ipp\r\n"
            b"Content-Length: 100\r\n\r\n\x02\x00"
        )
        assert still_answers(printer)  # served meanwhile by another thread


def test_an_unknown_queue_is_not_found_through_the_driver_client(
    printer: VirtualIppPrinter,
) -> None:
    client = IppClient(printer.server, timeout_s=3)
    try:
        with pytest.raises(IppStatusError) as info:
            client.printer_attributes("nosuchqueue", ["printer-state"])
        assert info.value.not_found
    finally:
        client.close()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=300),
        st.binary(max_size=40).map(lambda tail: request(GET_PRINTER_ATTRIBUTES)[:-1] + tail),
    )
)
def test_random_bytes_always_get_a_well_formed_answer(tmp_path_factory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(tmp_path_factory)
    answer = IppOperations(engine, "sim").handle(data)
    assert answer.body is not None
    assert decode_message(answer.body).code in (0x0000, 0x0400, 0x0406, 0x0501, 0x0503)


_ENGINES: dict[int, PrintEngine] = {}


def _engine(tmp_path_factory: pytest.TempPathFactory) -> PrintEngine:
    """One engine (not started: no job is printed) for all examples of the property test."""
    key = id(tmp_path_factory)
    if key not in _ENGINES:
        store = PrintJobStore(tmp_path_factory.mktemp("ipp") / "devices.sqlite", "fuzz")
        _ENGINES[key] = PrintEngine(store, None, EngineSettings(page_delay_s=0, png_dpi=0))
    return _ENGINES[key]
