"""What the wedge and serial scanner drivers share: the Device face and the read loop.

:meth:`ScannerBase.read` is called in a loop by the scanner's own worker thread
(:mod:`devices.scanners.worker`); the device manager's worker opens and closes the scanner and
runs its health checks. One lock serialises the stream between them; a read holds it for at
most :data:`READ_SLICE_S`, so opening or closing never waits longer than that.

A stream that fails (unplugged) is closed and the scanner goes OFFLINE; the manager's
supervisor reopens it with backoff, as it does every device. Every read and refused read is
counted and logged, the log naming the reason and the length, never the code.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from devices.model import (
    Capabilities,
    DeviceFault,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    HealthLevel,
    HealthResult,
    StatusEventKind,
    StatusListener,
    StatusNotifier,
)
from devices.ports import ScannedText, ScannerRead
from devices.scanners.streams import ByteStream, ScannerOpenError
from devices.scanners.text import DEFAULT_MAX_LENGTH, MAX_MAX_LENGTH
from devices.stats import DeviceStatistics

if TYPE_CHECKING:
    from devices.drivers import DriverContext

log = logging.getLogger(__name__)

READ_SLICE_S = 0.25
CONSEQUENCE = "codes from this scanner are not read; the camera and manual entry still work"


class ScannerSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_length: int = Field(
        default=DEFAULT_MAX_LENGTH,
        ge=1,
        le=MAX_MAX_LENGTH,
        description="Longest code accepted, characters; longer reads are refused (TOO_LONG)",
    )
    repeat_hold_ms: int = Field(
        default=1500,
        ge=0,
        le=60_000,
        description="The same code read again within this time is the same scan, ms",
    )


class ScannerBase:
    kind = DeviceKind.SCANNER
    driver: ClassVar[str]

    def __init__(
        self, name: str, settings: ScannerSettings, context: DriverContext | None = None
    ) -> None:
        self.name = name
        self.settings = settings
        self.repeat_hold_s = settings.repeat_hold_ms / 1000
        self.counters = context.statistics(name) if context is not None else DeviceStatistics(name)
        self._notifier = StatusNotifier(name)
        self._io = threading.Lock()
        self._stream: ByteStream | None = None
        self._opened = threading.Event()
        self._ready: deque[ScannerRead] = deque()
        self._last_data = time.monotonic()
        self._last_read: float | None = None
        self._where = name

    # -- what a driver supplies -------------------------------------------------------------

    def _connect(self) -> ByteStream:
        """Open the device; raises ScannerOpenError."""
        raise NotImplementedError

    def _parse(self, data: bytes, now: float) -> list[ScannerRead]:
        raise NotImplementedError

    def _silence(self, silent_s: float, *, force: bool = False) -> list[ScannerRead]:
        """Nothing came for ``silent_s``: end a code left open (always when ``force``)."""
        raise NotImplementedError

    def _pending(self) -> bool:
        raise NotImplementedError

    def _reset_parser(self) -> None:
        raise NotImplementedError

    def _gap_s(self) -> float:
        raise NotImplementedError

    # -- CodeScanner ----------------------------------------------------------------------------

    def read(self, timeout_s: float) -> ScannerRead | None:
        deadline = time.monotonic() + max(0.0, timeout_s)
        while True:
            if self._ready:
                return self._ready.popleft()
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._opened.wait(remaining):
                return None
            with self._io:
                self._read_once(min(remaining, READ_SLICE_S))

    def _read_once(self, budget_s: float) -> None:
        """One bounded read of the stream; results go to ``_ready``. Holds ``_io``."""
        stream = self._stream
        if stream is None:
            return
        wait = budget_s
        if self._pending():
            wait = min(wait, max(0.001, self._gap_s() - (time.monotonic() - self._last_data)))
        try:
            data = stream.read(wait)
        except OSError as exc:
            self._lost(exc)
            return
        now = time.monotonic()
        if data:
            self._last_data = now
            self._deliver(self._parse(data, now))
        elif self._pending():
            self._deliver(self._silence(now - self._last_data))

    def _deliver(self, results: list[ScannerRead]) -> None:
        for result in results:
            self._last_read = time.monotonic()
            if isinstance(result, ScannedText):
                self.counters.increment("reads")
                log.info("%s: read a code (%d characters)", self.name, len(result.text))
            else:
                self.counters.increment(f"refused_{result.kind.value}")
                log.warning(
                    "%s: scan refused (%s): %s", self.name, result.kind.value, result.detail
                )
            self._ready.append(result)

    # -- the Device face ----------------------------------------------------------------------

    def open(self) -> None:
        """Open and (for a wedge) grab the device; on failure OFFLINE, retried by the manager."""
        with self._io:
            if self._stream is not None:
                return
            was_offline = self.status.state is DeviceState.OFFLINE
            try:
                stream = self._connect()
            except ScannerOpenError as exc:
                self._offline(exc.fault)
                return
            self._stream = stream
            self._where = stream.description
            self._reset_parser()
            self._last_data = time.monotonic()
            self.counters.powered_on()
            kind = StatusEventKind.RECONNECTED if was_offline else None
            self._notifier.update(kind, state=DeviceState.IDLE, last_error=None)
            self._opened.set()
        log.info("%s: reading %s", self.name, self._where)

    def close(self) -> None:
        with self._io:
            self._opened.clear()
            stream, self._stream = self._stream, None
            if stream is not None:
                stream.close()
            self.counters.powered_off()
            self._notifier.update(state=DeviceState.CLOSED)

    def _lost(self, exc: OSError) -> None:
        """The stream failed under a read (unplugged). Holds ``_io``."""
        self._deliver(self._silence(time.monotonic() - self._last_data, force=True))
        stream, self._stream = self._stream, None
        self._opened.clear()
        if stream is not None:
            try:
                stream.close()
            except OSError:
                log.debug("%s: closing a lost stream failed", self.name, exc_info=True)
        self.counters.increment("errors")
        self.counters.powered_off()
        self._offline(DeviceFault("SCANNER_UNPLUGGED", f"{self._where}: {exc}", CONSEQUENCE))

    def _offline(self, fault: DeviceFault) -> None:
        if self.status.state is not DeviceState.OFFLINE:
            log.warning("%s: offline: %s", self.name, fault)
        self._notifier.update(StatusEventKind.OFFLINE, state=DeviceState.OFFLINE, last_error=fault)

    @property
    def status(self) -> DeviceStatus:
        return self._notifier.status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self._notifier.subscribe(listener)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities()

    def statistics(self) -> dict[str, float]:
        return self.counters.snapshot()

    def check_health(self, level: HealthLevel) -> HealthResult:
        started = time.perf_counter()
        if self.status.state is DeviceState.OFFLINE:
            self.open()  # a health check tries now, whatever the backoff
        status = self.status
        ok = status.state is DeviceState.IDLE
        text = f"{self._where}: {status.state.value}"
        if status.last_error is not None:
            text += f" ({status.last_error})"
        if self._last_read is not None:
            text += f", last read {time.monotonic() - self._last_read:.0f} s ago"
        if ok and level is HealthLevel.EXTERNAL:
            text += "; scan any code: it shows on the code readers page"
        ms = (time.perf_counter() - started) * 1000
        return HealthResult(ok, level, text, ms, {"device": self._where})
