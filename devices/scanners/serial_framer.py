"""Bytes from a serial (USB-COM) scanner to whole codes, or to refused reads.

A serial scanner sends each code as ``prefix + code + suffix`` (the prefix is often empty, the
suffix CR or CR LF; both are set in the scanner and in config). The framer cuts the byte stream
at the suffix and checks each frame:

- a frame that does not start with the configured prefix is GARBAGE;
- the code must be printable ASCII (NOT_ASCII for bytes >= 0x80, as line noise or a wrong baud
  rate gives; CONTROL for control bytes) and at most ``max_length`` characters (TOO_LONG; the
  excess is never kept, so memory stays bounded whatever arrives);
- bytes that stop without a suffix for ``max_gap_s`` are half a code (INCOMPLETE), or what
  they are if they are not even clean (:meth:`idle`; bytes after such a pause start a new frame);
- CR and LF at the start of a frame are skipped (a scanner sending CR LF under a CR suffix).

Plain Python: the driver passes its clock's time with each read.
"""

from __future__ import annotations

from devices.ports import ScannedText, ScannerRead, ScanProblem, ScanProblemKind
from devices.scanners.text import check_text

_LINE_ENDS = b"\r\n"


class SerialFramer:
    def __init__(
        self,
        *,
        prefix: bytes = b"",
        suffix: bytes = b"\r",
        max_length: int = 512,
        max_gap_s: float = 0.1,
    ) -> None:
        if not suffix:
            raise ValueError("a serial scanner needs a suffix to end each code")
        self.prefix, self.suffix = prefix, suffix
        self.max_length = max_length
        self.max_gap_s = max_gap_s
        self._buffer = bytearray()
        self._count = 0  # bytes in this frame, including those not kept
        self._last: float | None = None  # when the frame's last bytes came

    @property
    def pending(self) -> bool:
        return self._count > 0

    @property
    def held(self) -> int:
        """Bytes held now (bounded by prefix + max_length + suffix)."""
        return len(self._buffer)

    def feed(self, data: bytes, now: float) -> list[ScannerRead]:
        out: list[ScannerRead] = []
        if self._last is not None and self.pending and now - self._last > self.max_gap_s:
            out += self._end(f"then {now - self._last:.2f} s until more bytes, no suffix")
        self._last = now
        limit = len(self.prefix) + self.max_length + len(self.suffix)
        for byte in data:
            if self._count == 0 and byte in _LINE_ENDS and byte != self.suffix[0]:
                continue
            self._count += 1
            self._buffer.append(byte)
            if self._buffer.endswith(self.suffix):
                out += self._frame()
            elif len(self._buffer) > limit:  # keep only what could still end in the suffix
                del self._buffer[: len(self._buffer) - len(self.suffix)]
        return out

    def idle(self, now: float) -> list[ScannerRead]:
        """Call when no bytes came for a while: ends a frame left open for ``max_gap_s``."""
        if not self.pending or self._last is None or now - self._last < self.max_gap_s:
            return []
        return self._end(f"then {now - self._last:.2f} s of silence, no suffix")

    def reset(self) -> None:
        self._buffer.clear()
        self._count = 0
        self._last = None

    def _frame(self) -> list[ScannerRead]:
        count = self._count - len(self.suffix)
        body = bytes(self._buffer[: -len(self.suffix)])
        self._buffer.clear()
        self._count = 0
        if count > len(self.prefix) + self.max_length:
            detail = f"{count} bytes, more than {self.max_length}"
            return [ScanProblem(ScanProblemKind.TOO_LONG, detail)]
        if count == 0:
            return []  # an empty line
        if not body.startswith(self.prefix):
            detail = f"{count} bytes without the configured prefix"
            return [ScanProblem(ScanProblemKind.GARBAGE, detail)]
        text = body[len(self.prefix) :].decode("latin-1")
        if not text:
            return []
        problem = check_text(text, self.max_length)
        return [problem] if problem is not None else [ScannedText(text)]

    def _end(self, how: str) -> list[ScannerRead]:
        count, body = self._count, bytes(self._buffer)
        self._buffer.clear()
        self._count = 0
        if self.prefix and body.startswith(self.prefix):
            body = body[len(self.prefix) :]
        problem = check_text(body.decode("latin-1"), self.max_length)
        if problem is None or problem.kind is ScanProblemKind.TOO_LONG:
            problem = ScanProblem(ScanProblemKind.INCOMPLETE, f"{count} bytes, {how}")
        return [problem]
