"""What the scan service tells its listeners: codes, refused reads, preview frames, last reads.

Frozen dataclasses, safe to hand from a reader's thread to any other. Texts meant for a screen
(``label``, ``shown``) are shortened and NIK-masked here, once, so no screen can forget to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from devices.ports import Image
from kiosk.domain.nik import mask_nik_shaped

MAX_SHOWN_CHARS = 24


def shown_text(text: str) -> str:
    """A code as a technician may see it: NIK-shaped numbers masked, long codes shortened."""
    masked = mask_nik_shaped(text)
    if len(masked) > MAX_SHOWN_CHARS:
        return f"{masked[: MAX_SHOWN_CHARS - 8]}... ({len(text)})"
    return masked


@dataclass(frozen=True, slots=True)
class ScannedCode:
    """A code accepted from a reader: checked (printable ASCII, length) and debounced."""

    text: str
    format: str  # "qr", "code128", "pdf417" from the camera; "unknown" from a scanner
    reader: str  # "camera", or the scanner's device name


@dataclass(frozen=True, slots=True)
class ScanRefused:
    """A read that cannot be a code: the citizen is asked to scan again."""

    reader: str
    reason: str  # devices.ports.ScanProblemKind value: incomplete, too_long, control, ...


ScanEvent = ScannedCode | ScanRefused


@dataclass(frozen=True, slots=True)
class SeenCode:
    """A code in a preview frame, for drawing: its outline and a safe label."""

    format: str
    label: str  # shown_text of the code
    points: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class PreviewFrame:
    image: Image  # BGR uint8 (h, w, 3)
    codes: tuple[SeenCode, ...]


@dataclass(frozen=True, slots=True)
class LastRead:
    """A reader and what it read last (for the technician's code readers page)."""

    reader: str
    kind: str  # "camera" or "scanner"
    shown: str = ""  # shown_text of the last code; "" when refused or nothing yet
    format: str = ""
    refused: str | None = None  # the reason, when the last read was refused
    at: datetime | None = None  # when (UTC); None: nothing read since the kiosk started
