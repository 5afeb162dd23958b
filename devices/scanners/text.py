"""The one check every scanned text passes, whichever reader it came from.

A code the kiosk accepts is printable ASCII (0x20-0x7E) and at most ``max_length`` characters:
voucher tokens, document claims and NIK barcodes all are. Anything else is refused with the
reason, and the log line names the reason and the length, never the text (it may be a NIK).
"""

from __future__ import annotations

from devices.ports import ScanProblem, ScanProblemKind

DEFAULT_MAX_LENGTH = 512  # characters; a voucher token is at most 512 bytes
MAX_MAX_LENGTH = 4096  # the largest limit a config may set


def is_printable_ascii(code: int) -> bool:
    return 0x20 <= code <= 0x7E


def check_text(text: str, max_length: int) -> ScanProblem | None:
    """None when ``text`` may be used as a code; otherwise why not."""
    if len(text) > max_length:
        return ScanProblem(
            ScanProblemKind.TOO_LONG, f"{len(text)} characters, more than {max_length}"
        )
    for index, char in enumerate(text):
        code = ord(char)
        if is_printable_ascii(code):
            continue
        if code < 0x20 or code == 0x7F:
            return ScanProblem(
                ScanProblemKind.CONTROL, f"control character 0x{code:02x} at {index}"
            )
        return ScanProblem(ScanProblemKind.NOT_ASCII, f"non-ASCII character at {index}")
    return None
