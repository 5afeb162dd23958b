"""A small IPP/1.1-2.0 client (RFC 8010/8011) over HTTP, enough to drive a CUPS queue.

Only what the kiosk needs: Print-Job, Get-Job-Attributes, Get-Printer-Attributes, Cancel-Job.
Messages are encoded and decoded here; the transport is httpx over TCP (``host:port``) or a
local socket (an absolute path). Replies are hostile input: every length is checked and a
malformed message raises :class:`IppDecodeError`, never ``IndexError`` or a hang.
"""

from __future__ import annotations

import itertools
import logging
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger(__name__)

# Operations (RFC 8011 5.2, CUPS extensions not needed).
PRINT_JOB = 0x0002
CANCEL_JOB = 0x0008
GET_JOB_ATTRIBUTES = 0x0009
GET_JOBS = 0x000A
GET_PRINTER_ATTRIBUTES = 0x000B

# Delimiter tags.
OPERATION_GROUP = 0x01
JOB_GROUP = 0x02
END_OF_ATTRIBUTES = 0x03
PRINTER_GROUP = 0x04

# Value tags.
TAG_INTEGER = 0x21
TAG_BOOLEAN = 0x22
TAG_ENUM = 0x23
TAG_DATETIME = 0x31
TAG_RESOLUTION = 0x32
TAG_RANGE = 0x33
TAG_BEGIN_COLLECTION = 0x34
TAG_END_COLLECTION = 0x37
TAG_MEMBER_NAME = 0x4A
TAG_NAME = 0x42
TAG_KEYWORD = 0x44
TAG_URI = 0x45
TAG_CHARSET = 0x47
TAG_LANGUAGE = 0x48
TAG_MIME = 0x49
TAG_TEXT_WITH_LANGUAGE = 0x35
TAG_NAME_WITH_LANGUAGE = 0x36

STATUS_NOT_FOUND = 0x0406

MAX_MESSAGE_BYTES = 1_000_000
_MAX_NESTING = 8

_request_ids = itertools.count(1)
_request_ids_lock = threading.Lock()


class IppError(Exception):
    """Base class of IPP client errors."""


class IppUnavailable(IppError):
    """The server could not be reached or did not answer in time."""


class IppNoAnswer(IppUnavailable):
    """The request went out but no answer came back: the server may have acted on it."""


class IppDecodeError(IppError):
    """A reply that is not a well-formed IPP message."""


class IppStatusError(IppError):
    """The server answered with an IPP error status."""

    def __init__(self, status: int, message: str = "") -> None:
        super().__init__(f"IPP status 0x{status:04x}" + (f": {message}" if message else ""))
        self.status = status

    @property
    def not_found(self) -> bool:
        return self.status == STATUS_NOT_FOUND


@dataclass(frozen=True, slots=True)
class IppAttribute:
    tag: int
    name: str
    values: tuple[Any, ...]


@dataclass
class IppMessage:
    """A decoded message: ``groups`` is a list of (delimiter tag, {name: [values]})."""

    version: tuple[int, int]
    code: int  # operation id (request) or status code (response)
    request_id: int
    groups: list[tuple[int, dict[str, list[Any]]]] = field(default_factory=list)
    data: bytes = b""

    def group(self, tag: int) -> dict[str, list[Any]]:
        """The first group with ``tag`` (empty if none)."""
        for group_tag, attrs in self.groups:
            if group_tag == tag:
                return attrs
        return {}

    def first(self, tag: int, name: str, default: Any = None) -> Any:
        values = self.group(tag).get(name)
        return values[0] if values else default


def _encode_value(tag: int, value: Any) -> bytes:
    if tag in (TAG_INTEGER, TAG_ENUM):
        return struct.pack(">i", int(value))
    if tag == TAG_BOOLEAN:
        return b"\x01" if value else b"\x00"
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8")


def encode_request(
    operation: int,
    groups: list[tuple[int, list[IppAttribute]]],
    data: bytes = b"",
    request_id: int | None = None,
) -> bytes:
    if request_id is None:
        with _request_ids_lock:
            request_id = next(_request_ids)
    out = bytearray(struct.pack(">BBHI", 2, 0, operation, request_id))
    for group_tag, attrs in groups:
        out.append(group_tag)
        for attr in attrs:
            for index, value in enumerate(attr.values):
                name = attr.name.encode("ascii") if index == 0 else b""
                raw = _encode_value(attr.tag, value)
                if len(raw) > 0xFFFF:
                    raise ValueError(f"IPP value of {attr.name} too long")
                out += struct.pack(">BH", attr.tag, len(name)) + name
                out += struct.pack(">H", len(raw)) + raw
    out.append(END_OF_ATTRIBUTES)
    return bytes(out) + data


def _decode_value(tag: int, raw: bytes) -> Any:
    if tag in (TAG_INTEGER, TAG_ENUM):
        if len(raw) != 4:
            raise IppDecodeError(f"integer of {len(raw)} bytes")
        return struct.unpack(">i", raw)[0]
    if tag == TAG_BOOLEAN:
        if len(raw) != 1:
            raise IppDecodeError("boolean of wrong length")
        return raw != b"\x00"
    if tag == TAG_RANGE and len(raw) == 8:
        return struct.unpack(">ii", raw)
    if tag == TAG_RESOLUTION and len(raw) == 9:
        return struct.unpack(">iib", raw)
    if tag in (TAG_TEXT_WITH_LANGUAGE, TAG_NAME_WITH_LANGUAGE):
        return _decode_with_language(raw)
    if 0x40 <= tag <= 0x5F:
        return raw.decode("utf-8", errors="replace")
    return raw  # octetString, dateTime, out-of-band and unknown tags stay bytes


def _decode_with_language(raw: bytes) -> str:
    try:
        (lang_len,) = struct.unpack_from(">H", raw, 0)
        (text_len,) = struct.unpack_from(">H", raw, 2 + lang_len)
    except struct.error:
        raise IppDecodeError("malformed text-with-language") from None
    start = 4 + lang_len
    if start + text_len > len(raw):
        raise IppDecodeError("text-with-language overruns its value")
    return raw[start : start + text_len].decode("utf-8", errors="replace")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, count: int) -> bytes:
        if count < 0 or self.pos + count > len(self.data):
            raise IppDecodeError("message truncated")
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]

    def short(self) -> int:
        return int(struct.unpack(">H", self.take(2))[0])

    def peek(self) -> int:
        if self.pos >= len(self.data):
            raise IppDecodeError("message truncated")
        return self.data[self.pos]


def _read_value(reader: _Reader, tag: int, depth: int) -> Any:
    raw = reader.take(reader.short())
    if tag == TAG_BEGIN_COLLECTION:
        return _read_collection(reader, depth + 1)
    return _decode_value(tag, raw)


def _read_collection(reader: _Reader, depth: int) -> dict[str, list[Any]]:
    if depth > _MAX_NESTING:
        raise IppDecodeError("collections nested too deep")
    members: dict[str, list[Any]] = {}
    current: str | None = None
    while True:
        tag = reader.byte()
        reader.take(reader.short())  # member values carry no name
        if tag == TAG_END_COLLECTION:
            reader.take(reader.short())
            return members
        if tag == TAG_MEMBER_NAME:
            current = reader.take(reader.short()).decode("utf-8", errors="replace")
            members.setdefault(current, [])
            continue
        if current is None:
            raise IppDecodeError("collection value without a member name")
        members[current].append(_read_value(reader, tag, depth))


def decode_message(data: bytes, max_bytes: int = MAX_MESSAGE_BYTES) -> IppMessage:
    """Decode one message; ``max_bytes`` bounds it whole (a Print-Job request carries its PDF)."""
    if len(data) > max_bytes:
        raise IppDecodeError("message too large")
    reader = _Reader(data)
    major, minor = reader.byte(), reader.byte()
    code = reader.short()
    (request_id,) = struct.unpack(">I", reader.take(4))
    message = IppMessage((major, minor), code, request_id)
    current: dict[str, list[Any]] | None = None
    last_name: str | None = None
    while True:
        tag = reader.byte()
        if tag == END_OF_ATTRIBUTES:
            break
        if tag < 0x10:  # a new attribute group
            current = {}
            message.groups.append((tag, current))
            last_name = None
            continue
        if current is None:
            raise IppDecodeError("attribute outside any group")
        name = reader.take(reader.short()).decode("utf-8", errors="replace")
        value = _read_value(reader, tag, 0)
        if name:
            last_name = name
            current.setdefault(name, []).append(value)
        elif last_name is None:
            raise IppDecodeError("additional value without an attribute")
        else:
            current[last_name].append(value)
    message.data = data[reader.pos :]
    return message


class IppClient:
    """Talks IPP to one CUPS server. ``server`` is ``host:port`` or a socket path."""

    def __init__(self, server: str, timeout_s: float = 5.0, user: str = "kiosk") -> None:
        self.server = server
        self.user = user
        self.timeout_s = timeout_s
        if server.startswith("/"):
            transport = httpx.HTTPTransport(uds=server)
            self._base = "http://localhost"
            self._uri_host = "localhost"
        else:
            transport = httpx.HTTPTransport()
            self._base = f"http://{server}"
            self._uri_host = server
        # trust_env=False: no proxy or TLS setting from the environment reaches the print path
        self._http = httpx.Client(transport=transport, timeout=timeout_s, trust_env=False)

    def close(self) -> None:
        self._http.close()

    def printer_uri(self, queue: str) -> str:
        return f"ipp://{self._uri_host}/printers/{queue}"

    def _operation_attrs(self, uri: str) -> list[IppAttribute]:
        return [
            IppAttribute(TAG_CHARSET, "attributes-charset", ("utf-8",)),
            IppAttribute(TAG_LANGUAGE, "attributes-natural-language", ("en",)),
            IppAttribute(TAG_URI, "printer-uri", (uri,)),
            IppAttribute(TAG_NAME, "requesting-user-name", (self.user,)),
        ]

    def request(
        self,
        path: str,
        operation: int,
        attrs: list[IppAttribute],
        data: bytes = b"",
        timeout_s: float | None = None,
    ) -> IppMessage:
        body = encode_request(operation, [(OPERATION_GROUP, attrs)], data)
        timeout = self.timeout_s if timeout_s is None else max(0.05, timeout_s)
        try:
            response = self._http.post(
                self._base + path,
                content=body,
                headers={"Content-Type": "application/ipp"},
                timeout=timeout,
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise IppUnavailable(f"{self.server}: {type(exc).__name__}: {exc}") from exc
        except httpx.HTTPError as exc:
            raise IppNoAnswer(f"{self.server}: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise IppUnavailable(f"{self.server}: HTTP {response.status_code}")
        message = decode_message(response.content)
        if message.code >= 0x0400:
            text = message.first(OPERATION_GROUP, "status-message", "")
            raise IppStatusError(message.code, str(text))
        return message

    def print_job(self, queue: str, pdf: bytes, *, title: str, timeout_s: float) -> int:
        attrs = [
            *self._operation_attrs(self.printer_uri(queue)),
            IppAttribute(TAG_NAME, "job-name", (title,)),
            IppAttribute(TAG_MIME, "document-format", ("application/pdf",)),
        ]
        reply = self.request(f"/printers/{queue}", PRINT_JOB, attrs, pdf, timeout_s=timeout_s)
        job_id = reply.first(JOB_GROUP, "job-id")
        if not isinstance(job_id, int) or job_id <= 0:
            raise IppDecodeError("Print-Job reply without a job-id")
        return job_id

    def job_attributes(
        self, queue: str, job_id: int, names: list[str], timeout_s: float | None = None
    ) -> dict[str, list[Any]]:
        attrs = [
            *self._operation_attrs(self.printer_uri(queue)),
            IppAttribute(TAG_INTEGER, "job-id", (job_id,)),
            IppAttribute(TAG_KEYWORD, "requested-attributes", tuple(names)),
        ]
        reply = self.request("/jobs", GET_JOB_ATTRIBUTES, attrs, timeout_s=timeout_s)
        return reply.group(JOB_GROUP)

    def printer_attributes(
        self, queue: str, names: list[str], timeout_s: float | None = None
    ) -> dict[str, list[Any]]:
        attrs = [
            *self._operation_attrs(self.printer_uri(queue)),
            IppAttribute(TAG_KEYWORD, "requested-attributes", tuple(names)),
        ]
        reply = self.request(
            f"/printers/{queue}", GET_PRINTER_ATTRIBUTES, attrs, timeout_s=timeout_s
        )
        return reply.group(PRINTER_GROUP)

    def job_ids(self, queue: str, timeout_s: float | None = None) -> list[int]:
        """Ids of this user's jobs on ``queue``, in any state, newest first.

        Only ids: cupsd answers other attributes of a finished job from Get-Jobs only while
        it holds them in memory, so read them per job with Get-Job-Attributes.
        """
        attrs = [
            *self._operation_attrs(self.printer_uri(queue)),
            IppAttribute(TAG_KEYWORD, "which-jobs", ("all",)),
            IppAttribute(TAG_BOOLEAN, "my-jobs", (True,)),
            IppAttribute(TAG_KEYWORD, "requested-attributes", ("job-id",)),
        ]
        reply = self.request(f"/printers/{queue}", GET_JOBS, attrs, timeout_s=timeout_s)
        found = []
        for tag, group in reply.groups:
            job_id = group.get("job-id", [None])[0] if tag == JOB_GROUP else None
            if isinstance(job_id, int) and not isinstance(job_id, bool):
                found.append(job_id)
        return sorted(found, reverse=True)

    def cancel_job(self, queue: str, job_id: int) -> None:
        attrs = [
            *self._operation_attrs(self.printer_uri(queue)),
            IppAttribute(TAG_INTEGER, "job-id", (job_id,)),
        ]
        self.request("/jobs", CANCEL_JOB, attrs)
