"""Accept a code once it is stable over N frames; ignore it until it has left the view.

Plain Python, no threads, no clocks: the scan worker feeds it each frame's decode results in
order. A code is identified by (format, text). "Stable" means present in ``stable_frames``
consecutive frames; once accepted, the same code is not accepted again until it has been absent
for ``absent_frames`` consecutive frames (a citizen who keeps holding a voucher in view does not
submit it fifteen times a second, and one missed decode does not count as "taken away").
"""

from __future__ import annotations

import time
from collections.abc import Callable

from devices.ports import CodeFormat, DecodedCode

Key = tuple[CodeFormat, str]


class Debouncer:
    def __init__(self, stable_frames: int = 3, absent_frames: int = 5) -> None:
        if stable_frames < 1 or absent_frames < 1:
            raise ValueError("stable_frames and absent_frames must be at least 1")
        self.stable_frames = stable_frames
        self.absent_frames = absent_frames
        self._streak: dict[Key, int] = {}  # consecutive frames seen, codes not yet accepted
        self._absent: dict[Key, int] = {}  # accepted codes: consecutive frames not seen

    def feed(self, codes: list[DecodedCode]) -> DecodedCode | None:
        """One frame's results; returns a code the moment it is accepted, else None."""
        present: dict[Key, DecodedCode] = {}
        for code in codes:
            present.setdefault((code.format, code.text), code)

        for key in list(self._streak):
            if key not in present:
                del self._streak[key]  # the run of consecutive frames is broken
        for key in list(self._absent):
            if key in present:
                self._absent[key] = 0
            else:
                self._absent[key] += 1
                if self._absent[key] >= self.absent_frames:
                    del self._absent[key]  # it has left the view: may be accepted again

        accepted: DecodedCode | None = None
        for key, code in present.items():
            if key in self._absent:
                continue
            streak = self._streak.get(key, 0) + 1
            if streak >= self.stable_frames and accepted is None:
                accepted = code
                self._streak.pop(key, None)
                self._absent[key] = 0
            else:
                self._streak[key] = streak
        return accepted

    def reset(self) -> None:
        """Forget everything (e.g. a new session may scan the same voucher again)."""
        self._streak.clear()
        self._absent.clear()

    @property
    def in_view(self) -> frozenset[Key]:
        """Codes accepted and not yet gone from the view."""
        return frozenset(self._absent)


class RepeatFilter:
    """The same rule for readers that deliver whole codes (keyboard wedge, serial scanner).

    A scanner in presentation mode reads a voucher held under it again and again, a few times
    a second. A code is accepted once; the same code read again is ignored until it has not
    been read for ``hold_s`` (every repeat extends the hold, as a code staying in view does).
    """

    MAX_REMEMBERED = 64  # codes remembered at once; a flood of distinct codes stays bounded

    def __init__(self, hold_s: float = 1.5, clock: Callable[[], float] = time.monotonic) -> None:
        if hold_s < 0:
            raise ValueError("hold_s must not be negative")
        self.hold_s = hold_s
        self._clock = clock
        self._last: dict[str, float] = {}  # code -> when it was last read

    def accept(self, text: str) -> bool:
        """One read of ``text``: True when it is a new scan, False when it is a repeat."""
        now = self._clock()
        for known, at in list(self._last.items()):
            if now - at >= self.hold_s:
                del self._last[known]
        repeat = text in self._last
        self._last.pop(text, None)
        self._last[text] = now
        while len(self._last) > self.MAX_REMEMBERED:
            del self._last[next(iter(self._last))]
        return not repeat

    def reset(self) -> None:
        """Forget everything (a new session may scan the same voucher again)."""
        self._last.clear()
