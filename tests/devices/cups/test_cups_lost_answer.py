"""Print-Job answered by nobody: the driver finds out from cupsd whether the job exists.

A small HTTP relay stands between the driver and the real cupsd and loses answers on purpose:
the request reaches cupsd (so the job may exist), the answer never reaches the driver.
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from devices.model import DeviceError
from devices.ports import JobState
from devices.printers.ipp import PRINT_JOB, decode_message

pytestmark = pytest.mark.slow


class LossyRelay(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str) -> None:
        super().__init__(("127.0.0.1", 0), _RelayHandler)
        self.upstream = upstream
        # "print-job": lose Print-Job answers; "all": answer nothing; "swallow": Print-Job
        # never reaches cupsd (not yet read, as far as anyone can tell) and is never answered;
        # "garble": Print-Job reaches cupsd and its answer comes back as junk.
        self.lose = "nothing"
        self.released = threading.Event()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"


class _RelayHandler(BaseHTTPRequestHandler):
    server: LossyRelay

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        (operation,) = struct.unpack(">H", body[2:4])
        if self.server.lose == "all" or (self.server.lose == "swallow" and operation == PRINT_JOB):
            self.server.released.wait(10)
            return
        reply = httpx.post(
            f"http://{self.server.upstream}{self.path}",
            content=body,
            headers={"Content-Type": "application/ipp"},
            timeout=10,
        )
        print(
            "relay",
            operation,
            decode_message(reply.content).code,
            decode_message(reply.content).groups,
            flush=True,
        )
        if self.server.lose == "print-job" and operation == PRINT_JOB:
            self.server.released.wait(10)
            return
        if self.server.lose == "garble" and operation == PRINT_JOB:
            self.send_response(200)
            self.send_header("Content-Type", "application/ipp")
            self.send_header("Content-Length", "3")
            self.end_headers()
            self.wfile.write(b"\x02\x00\x00")  # truncated: not an IPP message
            return
        self.send_response(reply.status_code)
        self.send_header("Content-Type", "application/ipp")
        self.send_header("Content-Length", str(len(reply.content)))
        self.end_headers()
        self.wfile.write(reply.content)


@pytest.fixture
def relay(cupsd: Any) -> Iterator[LossyRelay]:
    server = LossyRelay(cupsd.server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.released.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_a_job_whose_answer_was_lost_is_found_by_its_title(
    cupsd: Any, queue: str, relay: LossyRelay, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue, server=relay.address, request_timeout_s=1)
    relay.lose = "print-job"
    job_id = printer.submit(two_page_pdf, title="ADM-KK-lost1", pages=2)
    relay.lose = "nothing"
    outcome = printer.wait(job_id, 20)
    assert (outcome.state, outcome.pages_out) == (JobState.COMPLETED, 2)
    assert cupsd.captured(queue)[int(job_id)] == two_page_pdf


def test_when_cupsd_cannot_say_the_submission_is_uncertain(
    cupsd: Any, queue: str, relay: LossyRelay, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue, server=relay.address, request_timeout_s=0.5)
    relay.lose = "all"
    with pytest.raises(DeviceError) as uncertain:
        printer.submit(two_page_pdf, title="ADM-KK-lost2", pages=2)
    assert uncertain.value.fault.code == "PRINTER_SUBMIT_UNCERTAIN"
    assert "check the queue" in uncertain.value.fault.consequence


def test_a_lost_answer_with_the_job_not_listed_is_uncertain_never_refused(
    cupsd: Any, queue: str, relay: LossyRelay, make_printer: Any, two_page_pdf: bytes
) -> None:
    """The request may still be on its way into cupsd: "not listed yet" is not "refused"."""
    printer = make_printer(queue, server=relay.address, request_timeout_s=0.5)
    relay.lose = "swallow"
    with pytest.raises(DeviceError) as uncertain:
        printer.submit(two_page_pdf, title="ADM-KK-lost3", pages=2)
    assert uncertain.value.fault.code == "PRINTER_SUBMIT_UNCERTAIN"
    assert uncertain.value.may_have_taken_effect


def test_a_garbled_answer_is_looked_up_like_a_lost_one(
    cupsd: Any, queue: str, relay: LossyRelay, make_printer: Any, two_page_pdf: bytes
) -> None:
    printer = make_printer(queue, server=relay.address, request_timeout_s=2)
    relay.lose = "garble"
    job_id = printer.submit(two_page_pdf, title="ADM-KK-lost4", pages=2)
    relay.lose = "nothing"
    outcome = printer.wait(job_id, 20)
    assert (outcome.state, outcome.pages_out) == (JobState.COMPLETED, 2)
    assert cupsd.captured(queue)[int(job_id)] == two_page_pdf
