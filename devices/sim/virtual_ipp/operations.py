"""IPP operations of the virtual printer: a request's bytes in, the answer's bytes out.

The subset a CUPS queue answers for the kiosk's driver (RFC 8011): Print-Job, Get-Job-Attributes,
Get-Jobs, Get-Printer-Attributes and Cancel-Job, with the attributes CUPS fills in
(``job-media-sheets-completed``, ``job-printer-state-reasons``, ``printer-state-reasons``, ...).
Requests are hostile input: a malformed one gets ``client-error-bad-request``, never a crash.
Messages are encoded and decoded with the driver's own codec (:mod:`devices.printers.ipp`), so
the wire format is checked from both ends by the interop tests against a real cupsd.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from devices.faults import Fault
from devices.ports import JobState
from devices.printers.ipp import (
    CANCEL_JOB,
    GET_JOB_ATTRIBUTES,
    GET_JOBS,
    GET_PRINTER_ATTRIBUTES,
    JOB_GROUP,
    OPERATION_GROUP,
    PRINT_JOB,
    PRINTER_GROUP,
    TAG_BOOLEAN,
    TAG_CHARSET,
    TAG_ENUM,
    TAG_INTEGER,
    TAG_KEYWORD,
    TAG_LANGUAGE,
    TAG_NAME,
    TAG_URI,
    IppAttribute,
    IppDecodeError,
    IppMessage,
    decode_message,
    encode_request,
)
from devices.printers.job_input import MAX_PDF_BYTES
from devices.sim.print_jobs import JobRecord
from devices.sim.virtual_ipp.engine import FAULT_REASONS, PAGES_NOT_REPORTED, PrintEngine

log = logging.getLogger(__name__)

TAG_TEXT = 0x41  # textWithoutLanguage
MAX_REQUEST_BYTES = MAX_PDF_BYTES + 65_536  # a PDF and its attributes

OK = 0x0000
BAD_REQUEST = 0x0400
NOT_FOUND = 0x0406
NOT_POSSIBLE = 0x040C
DOCUMENT_FORMAT_NOT_SUPPORTED = 0x040A
OPERATION_NOT_SUPPORTED = 0x0501
VERSION_NOT_SUPPORTED = 0x0503

_IPP_JOB_STATE = {
    JobState.PENDING: 3,
    JobState.PRINTING: 5,
    JobState.UNKNOWN: 6,  # processing-stopped: never final, no count
    JobState.CANCELED: 7,
    JobState.ABORTED: 8,
    JobState.COMPLETED: 9,
}
_JOB_STATE_REASON = {
    JobState.PENDING: "none",
    JobState.PRINTING: "job-printing",
    JobState.UNKNOWN: "job-stopped",
    JobState.CANCELED: "job-canceled-by-user",
    JobState.ABORTED: "aborted-by-system",
    JobState.COMPLETED: "job-completed-successfully",
}
_FINAL = (JobState.COMPLETED, JobState.ABORTED, JobState.CANCELED)


@dataclass(frozen=True, slots=True)
class Answer:
    """``body`` to send, or ``None``: the answer is lost (the connection closes unanswered)."""

    body: bytes | None


def _reply(
    status: int, request_id: int, message: str = "", groups: list[Any] | None = None
) -> bytes:
    operation = [
        IppAttribute(TAG_CHARSET, "attributes-charset", ("utf-8",)),
        IppAttribute(TAG_LANGUAGE, "attributes-natural-language", ("en",)),
    ]
    if message:
        operation.append(IppAttribute(TAG_TEXT, "status-message", (message[:255],)))
    # A response has the shape of a request with a status code where the operation was.
    return encode_request(status, [(OPERATION_GROUP, operation), *(groups or [])], b"", request_id)


class IppOperations:
    """Answers IPP requests for one queue of ``engine``."""

    def __init__(self, engine: PrintEngine, queue: str) -> None:
        self.engine = engine
        self.queue = queue

    def handle(self, body: bytes) -> Answer:
        try:
            request = decode_message(body, max_bytes=MAX_REQUEST_BYTES)
        except IppDecodeError as exc:
            log.info("virtual IPP printer: bad request (%s)", exc)
            return Answer(_reply(BAD_REQUEST, _request_id(body), str(exc)))
        rid = request.request_id
        if request.version[0] not in (1, 2):
            return Answer(_reply(VERSION_NOT_SUPPORTED, rid, "IPP 1.x or 2.x only"))
        op = request.group(OPERATION_GROUP)
        if _text(op, "attributes-charset") is None or _text(op, "printer-uri") is None:
            return Answer(_reply(BAD_REQUEST, rid, "missing operation attributes"))
        if _text(op, "printer-uri", "").rstrip("/").rsplit("/", 1)[-1] != self.queue:
            return Answer(_reply(NOT_FOUND, rid, "no such queue"))
        handler = {
            PRINT_JOB: self._print_job,
            GET_JOB_ATTRIBUTES: self._get_job,
            GET_JOBS: self._get_jobs,
            GET_PRINTER_ATTRIBUTES: self._get_printer,
            CANCEL_JOB: self._cancel_job,
        }.get(request.code)
        if handler is None:
            return Answer(_reply(OPERATION_NOT_SUPPORTED, rid, "operation not supported"))
        return handler(request)

    # -- operations -----------------------------------------------------------------------

    def _print_job(self, request: IppMessage) -> Answer:
        rid, op = request.request_id, request.group(OPERATION_GROUP)
        if _text(op, "document-format", "application/pdf") != "application/pdf":
            return Answer(_reply(DOCUMENT_FORMAT_NOT_SUPPORTED, rid, "PDF only"))
        title = _text(op, "job-name", "untitled")[:127]
        number = self.engine.submit(request.data, title)
        if Fault.LOST_ANSWER in self.engine.faults:
            log.info("virtual IPP printer: answer to Print-Job %d lost (fault)", number)
            return Answer(None)
        job = [
            IppAttribute(TAG_INTEGER, "job-id", (number,)),
            IppAttribute(TAG_URI, "job-uri", (f"ipp://localhost/jobs/{number}",)),
            IppAttribute(TAG_ENUM, "job-state", (3,)),
            IppAttribute(TAG_KEYWORD, "job-state-reasons", ("none",)),
        ]
        return Answer(_reply(OK, rid, "successful-ok", [(JOB_GROUP, job)]))

    def _get_job(self, request: IppMessage) -> Answer:
        rid = request.request_id
        number = _job_id(request)
        record = self.engine.job(number) if number is not None else None
        if record is None:
            return Answer(_reply(NOT_FOUND, rid, "no such job"))
        return Answer(_reply(OK, rid, "", [(JOB_GROUP, self._job_attributes(record))]))

    def _get_jobs(self, request: IppMessage) -> Answer:
        groups = [
            (JOB_GROUP, [IppAttribute(TAG_INTEGER, "job-id", (number,))])
            for number in self.engine.recent()
        ]
        return Answer(_reply(OK, request.request_id, "", groups))

    def _get_printer(self, request: IppMessage) -> Answer:
        engine = self.engine
        reasons = engine.printer_reasons()
        printer = [
            IppAttribute(TAG_NAME, "printer-name", (self.queue,)),
            IppAttribute(TAG_ENUM, "printer-state", (4 if engine.printing else 3,)),
            IppAttribute(TAG_KEYWORD, "printer-state-reasons", tuple(reasons or ["none"])),
            IppAttribute(TAG_BOOLEAN, "printer-is-accepting-jobs", (True,)),
            IppAttribute(TAG_TEXT, "printer-state-message", (", ".join(reasons),)),
        ]
        return Answer(_reply(OK, request.request_id, "", [(PRINTER_GROUP, printer)]))

    def _cancel_job(self, request: IppMessage) -> Answer:
        rid = request.request_id
        number = _job_id(request)
        if number is None or self.engine.job(number) is None:
            return Answer(_reply(NOT_FOUND, rid, "no such job"))
        if not self.engine.cancel(number):
            return Answer(_reply(NOT_POSSIBLE, rid, "the job is already finished"))
        return Answer(_reply(OK, rid))

    # -- attributes -----------------------------------------------------------------------

    def _job_attributes(self, record: JobRecord) -> list[IppAttribute]:
        state = record.state
        fault = record.fault
        attrs = [
            IppAttribute(TAG_INTEGER, "job-id", (record.job_no,)),
            IppAttribute(TAG_NAME, "job-name", (record.title,)),
            IppAttribute(TAG_ENUM, "job-state", (_IPP_JOB_STATE[state],)),
            IppAttribute(TAG_KEYWORD, "job-state-reasons", (_JOB_STATE_REASON[state],)),
        ]
        unreported = fault is not None and fault.code == PAGES_NOT_REPORTED
        if state in (*_FINAL, JobState.PRINTING) and not unreported:
            sheets = max(0, record.pages_out or 0)
            attrs.append(IppAttribute(TAG_INTEGER, "job-media-sheets-completed", (sheets,)))
            attrs.append(IppAttribute(TAG_INTEGER, "job-impressions-completed", (sheets,)))
        if state in _FINAL:
            reason = FAULT_REASONS.get(fault.code) if fault is not None else None
            reasons = [reason] if reason else []
            message = fault.detail if fault is not None and not unreported else ""
        else:
            reasons, message = self.engine.printer_reasons(), ""
        attrs.append(
            IppAttribute(TAG_KEYWORD, "job-printer-state-reasons", tuple(reasons or ["none"]))
        )
        attrs.append(IppAttribute(TAG_TEXT, "job-printer-state-message", (message,)))
        return attrs


def _text(group: dict[str, list[Any]], name: str, default: Any = None) -> Any:
    values = group.get(name)
    value = values[0] if values else default
    return value if isinstance(value, str) or value is default else default


def _job_id(request: IppMessage) -> int | None:
    value = request.first(OPERATION_GROUP, "job-id")
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _request_id(body: bytes) -> int:
    return int.from_bytes(body[4:8], "big") if len(body) >= 8 else 0
