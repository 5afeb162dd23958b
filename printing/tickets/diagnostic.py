"""The technician's test ticket: a title, a line of text and a native QR code, then a cut.

Raw ESC/POS on purpose: it is the smallest job that exercises text, native QR and the cutter,
and it needs nothing from python-escpos.
"""

from __future__ import annotations

ESC, GS = b"\x1b", b"\x1d"


def _qr(data: bytes, module_size: int = 6) -> bytes:
    store = len(data) + 3
    return b"".join(
        [
            GS + b"(k\x04\x001A2\x00",  # model 2
            GS + b"(k\x03\x001C" + bytes([module_size]),
            GS + b"(k\x03\x001E1",  # error correction M
            GS + b"(k" + bytes([store & 0xFF, store >> 8]) + b"1P0" + data,
            GS + b"(k\x03\x001Q0",  # print
        ]
    )


def diagnostic_ticket(title: str, line: str, qr_text: str) -> bytes:
    """Bytes of a test ticket. Text must be printable ASCII (it is technician-made)."""
    for text in (title, line, qr_text):
        if not text.isascii() or not text.isprintable():
            raise ValueError("diagnostic ticket text must be printable ASCII")
    return b"".join(
        [
            ESC + b"@",
            ESC + b"a\x01",  # centre
            ESC + b"E\x01" + title.encode() + b"\n" + ESC + b"E\x00",
            line.encode() + b"\n\n",
            _qr(qr_text.encode()),
            b"\n\n\n",
            GS + b"V\x41\x03",  # feed and partial cut
        ]
    )
