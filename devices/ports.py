"""Ports: the small protocols every driver, real or simulated, implements.

Code above the HAL talks only to these. Blocking calls here may block up to their timeout;
callers run them on the device's worker (see :mod:`devices.worker`), never on a GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from devices.model import (
    Capabilities,
    DeviceFault,
    DeviceKind,
    DeviceStatus,
    HealthLevel,
    HealthResult,
    StatusListener,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Image = npt.NDArray[np.uint8]
else:
    Image = Any


@runtime_checkable
class Device(Protocol):
    """What every device has. ``name`` is its config slot (camera, receipt, document, card)."""

    name: str
    kind: DeviceKind
    driver: str

    def open(self) -> None:
        """Connect; on failure the device goes OFFLINE (not an exception) and is retried."""

    def close(self) -> None: ...

    @property
    def status(self) -> DeviceStatus: ...

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        """Deliver status events to ``listener``; returns the unsubscribe function."""
        ...

    @property
    def capabilities(self) -> Capabilities: ...

    def check_health(self, level: HealthLevel) -> HealthResult: ...

    def statistics(self) -> dict[str, float]: ...


@dataclass(frozen=True, slots=True)
class Frame:
    image: Image  # BGR uint8, shape (h, w, 3)
    seq: int  # increasing per camera
    at: float  # time.monotonic() when captured


class Camera(Device, Protocol):
    def read(self, timeout_s: float) -> Frame | None:
        """The next frame, or None if none came within ``timeout_s``."""
        ...


class CodeFormat(StrEnum):
    QR = "qr"
    CODE128 = "code128"
    PDF417 = "pdf417"


@dataclass(frozen=True, slots=True)
class DecodedCode:
    format: CodeFormat
    text: str
    points: tuple[tuple[int, int], ...] = ()  # corners in the frame's pixel coordinates


class CodeReader(Protocol):
    """Decodes frames; stateless and thread-safe, so any worker may call it."""

    backend: str  # "zxing" or "zbar"

    def decode(self, image: Image) -> list[DecodedCode]: ...


class ScanProblemKind(StrEnum):
    """Why a scanner's read was refused. Every scanned input is hostile until checked."""

    TOO_LONG = "too_long"  # longer than the reader's max_length
    CONTROL = "control"  # control bytes or modifier keys (Ctrl, Alt) inside a code
    NOT_ASCII = "not_ascii"  # bytes outside printable ASCII (line noise, wrong baud rate)
    GARBAGE = "garbage"  # keys that are no characters, bytes before the prefix, lost events
    INCOMPLETE = "incomplete"  # a code that stopped before its terminator (half a code)


@dataclass(frozen=True, slots=True)
class ScannedText:
    """A whole code from a scanner: printable ASCII, within the reader's length limit."""

    text: str


@dataclass(frozen=True, slots=True)
class ScanProblem:
    """A read refused. ``detail`` is for the technician's log and never holds the code."""

    kind: ScanProblemKind
    detail: str


ScannerRead = ScannedText | ScanProblem


class CodeScanner(Device, Protocol):
    """A code reader that delivers whole codes: a HID keyboard wedge or a serial scanner.

    The camera's :class:`CodeReader` decodes frames; a scanner decodes inside itself and sends
    text. Both feed the same debounce and reach the session as the same scanned code.
    """

    repeat_hold_s: float  # the same code again within this time is the same scan (debounce)

    def read(self, timeout_s: float) -> ScannerRead | None:
        """The next code or refused read, or None if none came within ``timeout_s``.

        Never raises for device trouble: an unplugged scanner goes OFFLINE and returns None
        (after waiting out the timeout) until it is opened again.
        """
        ...


class JobState(StrEnum):
    PENDING = "pending"
    PRINTING = "printing"
    COMPLETED = "completed"
    ABORTED = "aborted"
    CANCELED = "canceled"
    UNKNOWN = "unknown"

    @property
    def final(self) -> bool:
        return self in (JobState.COMPLETED, JobState.ABORTED, JobState.CANCELED)


@dataclass(frozen=True, slots=True)
class JobOutcome:
    """How a print job ended.

    ``pages_out`` is how many sheets/cards left the printer, and only when the driver knows it:
    a driver that cannot tell (no count reported, a job it did not see end) says None, never a
    guess, and a 0 means "seen to end with nothing out". The engine commits on COMPLETED with
    every page counted, releases on ABORTED/CANCELED with ``pages_out == 0`` (nothing reached
    paper), and marks everything else SUSPECT (never reprinted, never released automatically).
    """

    job_id: str
    state: JobState
    pages_out: int | None = None
    fault: DeviceFault | None = None
    details: dict[str, Any] = field(default_factory=dict)


class ReceiptPrinter(Device, Protocol):
    def print_raw(self, data: bytes, timeout_s: float) -> JobOutcome:
        """Send one job (ESC/POS bytes, ending with a cut) and wait until written."""
        ...

    def query_status(self, timeout_s: float) -> DeviceStatus:
        """Ask the printer (DLE EOT); silence gives PaperLevel.UNKNOWN, never OUT."""
        ...


class DocumentPrinter(Device, Protocol):
    """A4 documents (CUPS) or cards (card printer on CR80 blanko): both take a PDF."""

    def submit(self, pdf: bytes, *, title: str, pages: int) -> str:
        """Queue a PDF; returns the job id. ``title`` must never contain personal data."""
        ...

    def wait(self, job_id: str, timeout_s: float) -> JobOutcome:
        """Follow a job to a final state; UNKNOWN if it is not final within the timeout."""
        ...

    def job_outcome(self, job_id: str) -> JobOutcome:
        """What is known now of a job submitted earlier (also after a restart)."""
        ...


class CardStock(Protocol):
    """Card printers count blanko cards (stock set by the technician)."""

    def blanko(self) -> tuple[int, int]:
        """(cards left, low threshold)."""
        ...

    def refill_blanko(self, stock: int) -> None: ...
