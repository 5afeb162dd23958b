"""The blanko (blank PVC card) counter of a card printer, real or simulated.

The technician sets the stock after loading the hopper (``refill``); every card that leaves the
printer decrements it. The count lives in the device's persisted statistics, so it survives
restarts. Below the low threshold the device reports CARDS_LOW; at zero CARDS_OUT, and printing
is refused.
"""

from __future__ import annotations

import logging
import threading

from devices.model import CardLevel, DeviceError, DeviceFault, StatusEventKind, StatusNotifier
from devices.stats import DeviceStatistics

log = logging.getLogger(__name__)

MAX_STOCK = 100_000
_LEFT = "blanko_left"


class BlankoCounter:
    def __init__(
        self,
        stats: DeviceStatistics,
        notifier: StatusNotifier,
        *,
        low: int,
        initial: int | None = None,
    ) -> None:
        self._stats = stats
        self._notifier = notifier
        self.low = low
        self._lock = threading.Lock()
        if _LEFT not in stats.snapshot():
            stats.set(_LEFT, float(initial or 0))
        self.publish()

    def left(self) -> int:
        return max(0, int(self._stats.get(_LEFT)))

    def blanko(self) -> tuple[int, int]:
        return self.left(), self.low

    def level(self) -> CardLevel:
        left = self.left()
        if left <= 0:
            return CardLevel.OUT
        return CardLevel.LOW if left <= self.low else CardLevel.OK

    def refill(self, stock: int) -> None:
        """The technician counted ``stock`` cards in the hopper."""
        if isinstance(stock, bool) or not isinstance(stock, int) or not 0 <= stock <= MAX_STOCK:
            raise ValueError(f"blanko stock must be an integer 0..{MAX_STOCK}")
        with self._lock:
            self._stats.set(_LEFT, float(stock))
            self._stats.increment("blanko_refills")
        log.info("%s: blanko stock set to %d", self._notifier.name, stock)
        self.publish()

    def require(self, cards: int) -> None:
        """Raise CARDS_OUT unless ``cards`` blanko are left."""
        left = self.left()
        if left < max(1, cards):
            raise DeviceError(
                DeviceFault(
                    "CARDS_OUT",
                    f"{left} blanko left, {max(1, cards)} needed",
                    "card printing unavailable until the technician refills",
                )
            )

    def consume(self, cards: int) -> None:
        if cards <= 0:
            return
        with self._lock:
            self._stats.set(_LEFT, float(max(0, self.left() - cards)))
        self.publish()

    def publish(self) -> None:
        """Bring the device status in line with the count (CARDS_LOW / CARDS_OUT events)."""
        level = self.level()
        kind = {
            CardLevel.OUT: StatusEventKind.CARDS_OUT,
            CardLevel.LOW: StatusEventKind.CARDS_LOW,
        }.get(level)
        self._notifier.update(kind, cards=level)
