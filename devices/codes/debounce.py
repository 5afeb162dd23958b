"""Accept a code once it is stable over N frames; ignore it until it has left the view.

Plain Python, no threads, no clocks: the scan worker feeds it each frame's decode results in
order. A code is identified by (format, text). "Stable" means present in ``stable_frames``
consecutive frames; once accepted, the same code is not accepted again until it has been absent
for ``absent_frames`` consecutive frames (a citizen who keeps holding a voucher in view does not
submit it fifteen times a second, and one missed decode does not count as "taken away").
"""

from __future__ import annotations

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
