"""One thread that runs actions at deadlines: the registry client's guard on a dripping answer.

A ``threading.Timer`` per call started and joined a thread for every registry request; this
keeps one thread per client, asleep until the earliest armed deadline. ``disarm`` returns only
when the action can no longer run, and waits for it if it is running, so the caller may then
hand the connection back to the pool without a late shutdown hitting the next request.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

log = logging.getLogger(__name__)


def shutdown_stream(response: httpx.Response) -> None:
    """The usual action: wake a read blocked on ``response`` by shutting its socket down."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if isinstance(sock, socket.socket):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class Watchdog:
    def __init__(self, name: str = "registry-watchdog") -> None:
        self._name = name
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int]] = []  # (deadline, ticket); disarmed ones linger
        self._actions: dict[int, Callable[[], None]] = {}
        self._tickets = itertools.count()
        self._running: int | None = None
        self._thread: threading.Thread | None = None
        self._closed = False

    def arm(self, deadline: float, action: Callable[[], None]) -> int:
        """Run ``action`` at ``deadline`` (``time.monotonic``) unless disarmed first."""
        with self._cond:
            if self._closed:
                raise RuntimeError("watchdog closed")
            ticket = next(self._tickets)
            self._actions[ticket] = action
            heapq.heappush(self._heap, (deadline, ticket))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()
            elif self._heap[0][1] == ticket:  # a new earliest deadline: wake the thread
                self._cond.notify()
            return ticket

    def disarm(self, ticket: int) -> None:
        with self._cond:
            self._actions.pop(ticket, None)
            while self._running == ticket:
                self._cond.wait()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._actions.clear()
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                while self._heap and self._heap[0][1] not in self._actions:
                    heapq.heappop(self._heap)  # disarmed: forget it now, not at its deadline
                if not self._heap:
                    self._cond.wait()
                    continue
                deadline, ticket = self._heap[0]
                left = deadline - time.monotonic()
                if left > 0:
                    self._cond.wait(left)
                    continue
                heapq.heappop(self._heap)
                action = self._actions.pop(ticket)
                self._running = ticket
                self._cond.release()
                try:
                    action()
                except Exception:
                    log.exception("watchdog action failed")
                finally:
                    self._cond.acquire()
                    self._running = None
                    self._cond.notify_all()
