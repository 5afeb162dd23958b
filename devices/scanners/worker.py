"""ScannerWorker: one thread per whole-code scanner, reading and debouncing its codes.

The counterpart of :class:`devices.codes.worker.ScanWorker` for scanners that decode inside
themselves: it calls :meth:`CodeScanner.read` in a loop, drops repeats of a code still "in
view" (:class:`devices.codes.debounce.RepeatFilter`) and hands each new code or refused read to
``on_read`` on this thread. A scanner that is offline simply returns nothing until the device
manager has reopened it. Code texts are never logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from devices.codes.debounce import RepeatFilter
from devices.ports import CodeScanner, ScannedText, ScannerRead

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 0.25


class ScannerWorker:
    def __init__(
        self,
        scanner: CodeScanner,
        on_read: Callable[[ScannerRead], None],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.scanner = scanner
        self._on_read = on_read
        self._repeats = RepeatFilter(scanner.repeat_hold_s, clock)
        self._stop = threading.Event()
        self._reset = threading.Event()
        self._thread: threading.Thread | None = None
        self.repeats_ignored = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._run, name=f"scanner-{self.scanner.name}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout_s)
        if thread.is_alive():
            log.warning(
                "scanner worker %s did not stop within %.1f s", self.scanner.name, timeout_s
            )

    def reset_debounce(self) -> None:
        self._reset.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                result = self.scanner.read(READ_TIMEOUT_S)
            except Exception:  # a driver bug must not end the kiosk's scanning
                log.exception("%s: read failed", self.scanner.name)
                self._stop.wait(READ_TIMEOUT_S)
                continue
            if self._reset.is_set():  # after the read: a reset before a scan applies to it
                self._reset.clear()
                self._repeats.reset()
            if result is None or self._stop.is_set():
                continue
            if isinstance(result, ScannedText) and not self._repeats.accept(result.text):
                self.repeats_ignored += 1
                continue
            try:
                self._on_read(result)
            except Exception:
                log.exception("%s: on_read callback failed", self.scanner.name)
