"""Watching every press on the kiosk: activity for the inactivity timer, and the hidden gesture.

The gesture that asks for technician mode: five taps in the top-left corner within three
seconds. Nothing on screen hints at it; it only emits ``technician_requested`` (the
technician PIN screen, not this, decides whether anyone gets in).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Signal
from PySide6.QtGui import QMouseEvent, QTouchEvent
from PySide6.QtWidgets import QWidget

CORNER_TAPS = 5
CORNER_WINDOW_S = 3.0
CORNER_FRACTION = 0.08  # the corner square's side, as a fraction of the window's shorter side


class TapCounter:
    """Counts taps inside the corner; ``tap`` returns True on the N-th within the window."""

    def __init__(self, taps: int = CORNER_TAPS, window_s: float = CORNER_WINDOW_S) -> None:
        self.taps = taps
        self.window_s = window_s
        self._times: deque[float] = deque(maxlen=taps)

    def tap(self, now: float, in_corner: bool) -> bool:
        if not in_corner:
            self._times.clear()
            return False
        self._times.append(now)
        if len(self._times) == self.taps and now - self._times[0] <= self.window_s:
            self._times.clear()
            return True
        return False


class TouchWatcher(QObject):
    """An application event filter that reports presses on ``window``; never eats events."""

    activity = Signal()
    technician_requested = Signal()

    def __init__(self, window: QWidget, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self._window = window
        self._clock = clock
        self.counter = TapCounter()
        self._last_press: tuple[int, int, int] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            pos = event.globalPosition().toPoint()
            key = (event.timestamp(), pos.x(), pos.y())
            if key != self._last_press:  # a press bubbling up to a parent is the same press
                self._last_press = key
                self._pressed(pos, watched)
        elif kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent):
            points = event.points()
            if points:
                self._pressed(points[0].globalPosition().toPoint(), watched)
        return False

    def _pressed(self, global_pos: QPoint, watched: QObject) -> None:
        if not isinstance(watched, QWidget) or watched.window() is not self._window.window():
            return
        local = self._window.mapFromGlobal(global_pos)
        if not self._window.rect().contains(local):
            return
        side = min(self._window.width(), self._window.height()) * CORNER_FRACTION
        in_corner = local.x() <= side and local.y() <= side
        self.activity.emit()
        if self.counter.tap(self._clock(), in_corner):
            self.technician_requested.emit()
