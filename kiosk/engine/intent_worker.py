"""The session's threading: intents queued by ``send``, handled one by one on a worker thread,
each new view published to subscribers from that thread."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from devices.listeners import Listeners
from kiosk.engine.view import Intent, SessionView

log = logging.getLogger(__name__)
Listener = Callable[[SessionView], None]
_STOP = object()


class IntentWorker:
    """Base of :class:`kiosk.engine.session.SessionController`: subclasses implement
    :meth:`_handle` (called on the worker thread) and :meth:`_handler_failed`."""

    def __init__(self, initial: SessionView, thread_name: str = "session") -> None:
        self._view = initial
        self._lock = threading.Lock()
        self._listeners: Listeners[Listener] = Listeners(self._lock)
        self._idle = threading.Condition()
        self._pending = 0
        self._queue: queue.Queue[object] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._thread_name = thread_name

    @property
    def view(self) -> SessionView:
        with self._lock:
            return self._view

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        return self._listeners.subscribe(listener)

    def send(self, intent: Intent) -> None:
        """Queue ``intent``; never blocks."""
        self._enqueue(intent)

    def _enqueue(self, item: object) -> None:
        with self._idle:
            self._pending += 1
        self._queue.put(item)

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Block until every intent sent so far is handled (tests and the headless CLI)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout_s)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self._thread_name, daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join(timeout_s)
            self._thread = None

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            try:
                self._handle(item)
            except Exception:
                log.exception("handling %s failed", type(item).__name__)
                self._handler_failed()
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _handle(self, item: object) -> None:
        raise NotImplementedError

    def _handler_failed(self) -> None:
        """Called after :meth:`_handle` raised (the worker carries on)."""

    def _publish(self, **changes: Any) -> None:
        """A new view with ``changes`` (and the next ``seq``), delivered to every listener."""
        with self._lock:
            self._view = replace(self._view, seq=self._view.seq + 1, **changes)
            view, listeners = self._view, self._listeners.snapshot()
        for listener in listeners:
            try:
                listener(view)
            except Exception:
                log.exception("session listener failed")
