"""Raising staff calls without blocking the session: delivery runs on one worker thread.

:meth:`StaffCaller.request` returns at once with the call (the session tells the citizen that
someone is coming); each sink then gets it in turn on the worker. One sink failing does not stop
the others; every outcome is counted and a failure is logged. A second press within
``repeat_s`` of the last call is the same call: it is neither delivered nor counted again.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime

from kiosk.staffcall.port import StaffCall, StaffCallKind, StaffCallSink, StaffCallUndelivered

log = logging.getLogger(__name__)

REPEAT_S = 60.0  # presses closer together than this are one call


class StaffCaller:
    def __init__(
        self,
        sinks: Sequence[StaffCallSink],
        *,
        kiosk_id: str,
        on_call: Callable[[StaffCall], None] = lambda call: None,
        on_delivery: Callable[[str, bool], None] = lambda sink, ok: None,
        repeat_s: float = REPEAT_S,
        wallclock: Callable[[], datetime] = lambda: datetime.now(UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not sinks:
            raise ValueError("a staff caller needs at least one sink (the technician log)")
        self._sinks = tuple(sinks)
        self._kiosk_id = kiosk_id
        self._on_call = on_call
        self._on_delivery = on_delivery
        self._repeat_s = repeat_s
        self._wallclock = wallclock
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._last: tuple[float, StaffCall] | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._closed = False

    @property
    def sink_names(self) -> tuple[str, ...]:
        return tuple(sink.name for sink in self._sinks)

    def request(self, screen: str, kind: StaffCallKind = StaffCallKind.HELP) -> StaffCall:
        """Raise a call from ``screen`` (or return the one raised moments ago); never blocks."""
        now = self._monotonic()
        with self._lock:
            if self._last is not None and now - self._last[0] < self._repeat_s:
                log.info("staff call %s pressed again on %s", self._last[1].call_id, screen)
                return self._last[1]
            call = StaffCall(
                call_id=f"SC-{secrets.token_hex(3).upper()}",
                kind=kind,
                kiosk=self._kiosk_id,
                screen=screen,
                at=self._wallclock(),
            )
            self._last = (now, call)
            if self._closed:
                log.error("staff call %s after shutdown: not delivered", call.call_id)
                return call
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="staff-call")
            self._executor.submit(self._deliver, call)
        self._on_call(call)
        return call

    def _deliver(self, call: StaffCall) -> None:
        for sink in self._sinks:
            try:
                sink.deliver(call)
            except StaffCallUndelivered as exc:
                log.error("staff call %s not delivered to %s: %s", call.call_id, sink.name, exc)
                self._on_delivery(sink.name, False)
            except Exception:
                log.exception("staff call %s: sink %s failed", call.call_id, sink.name)
                self._on_delivery(sink.name, False)
            else:
                self._on_delivery(sink.name, True)

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Block until every call raised so far was handed to every sink (tests, shutdown)."""
        with self._lock:
            executor = self._executor
        if executor is None:
            return True
        done: Future[None] = executor.submit(lambda: None)
        try:
            done.result(timeout=timeout_s)
        except TimeoutError:
            return False
        return True

    def close(self) -> None:
        """Deliver what is pending, then stop the worker. Idempotent."""
        with self._lock:
            self._closed = True
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
