"""Server-sent events for displays and counter pages: ``call``, ``ticket``, ``counts``, ``alert``.

Handlers run in worker threads; :meth:`EventHub.publish` hands each event to every subscriber's
queue on the server's event loop (``call_soon_threadsafe``), so a call reaches an open display
as soon as its transaction has committed. ``counts`` (waiting per service) are coalesced: after
a change they are read once and sent at most every :data:`COUNTS_EVERY_S`.

Each stream starts with ``retry: 1000``, the latest calls of the day (``replay: true``, oldest
first) and the current counts, so a display that reconnects after a restart is up to date; a
comment line every :data:`KEEPALIVE_S` keeps proxies from closing an idle stream. A subscriber
that cannot keep up (:data:`QUEUE_LIMIT` events behind) is dropped; its browser reconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

KEEPALIVE_S = 15.0
COUNTS_EVERY_S = 0.25
QUEUE_LIMIT = 1000

Payload = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    kind: str  # call, ticket, counts, alert
    data: Payload

    def frame(self) -> bytes:
        body = json.dumps(self.data, separators=(",", ":"), ensure_ascii=False)
        return f"id: {self.id}\nevent: {self.kind}\ndata: {body}\n\n".encode()


class _Subscriber:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[Event | None] = asyncio.Queue(QUEUE_LIMIT)

    def offer(self, event: Event | None) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:  # too slow: end its stream, its browser reconnects
            with contextlib.suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            self.queue.put_nowait(None)


class EventHub:
    def __init__(self, counts: Callable[[], Payload]) -> None:
        self._counts = counts
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._subscribers: set[_Subscriber] = set()
        self._dirty = threading.Event()
        self._closed = False
        self._counts_task: asyncio.Task[None] | None = None

    def publish(self, kind: str, data: Payload) -> None:
        """From any thread: send ``kind`` to every open stream."""
        with self._lock:
            event = Event(next(self._ids), kind, data)
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            with contextlib.suppress(RuntimeError):  # its loop closed: it is going away
                subscriber.loop.call_soon_threadsafe(subscriber.offer, event)

    def counts_changed(self) -> None:
        self._dirty.set()

    def close(self) -> None:
        """End every stream (server stop)."""
        with self._lock:
            self._closed = True
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            with contextlib.suppress(RuntimeError):
                subscriber.loop.call_soon_threadsafe(subscriber.offer, None)

    def _event(self, kind: str, data: Payload) -> Event:
        with self._lock:
            return Event(next(self._ids), kind, data)

    async def stream(self, replay: Callable[[], Awaitable[list[Payload]]]) -> AsyncIterator[bytes]:
        """The frames of one stream; ends when the server stops or the subscriber lags (a
        client that goes away cancels it: Starlette's streaming response watches for that)."""
        subscriber = _Subscriber(asyncio.get_running_loop())
        with self._lock:
            if self._closed:
                return
            self._subscribers.add(subscriber)
        self._ensure_counts_task()
        try:
            yield b"retry: 1000\n\n"
            for call in await replay():
                yield self._event("call", {**call, "replay": True}).frame()
            counts = await asyncio.to_thread(self._counts)
            yield self._event("counts", counts).frame()
            while True:
                try:
                    event = await asyncio.wait_for(subscriber.queue.get(), KEEPALIVE_S)
                except TimeoutError:
                    yield b": keepalive\n\n"
                    continue
                if event is None:
                    return
                yield event.frame()
        finally:
            with self._lock:
                self._subscribers.discard(subscriber)

    def _ensure_counts_task(self) -> None:
        if self._counts_task is None or self._counts_task.done():
            self._counts_task = asyncio.get_running_loop().create_task(self._send_counts())

    async def _send_counts(self) -> None:
        while True:
            with self._lock:
                if self._closed or not self._subscribers:
                    return
            if self._dirty.is_set():
                self._dirty.clear()
                try:
                    counts = await asyncio.to_thread(self._counts)
                except Exception as exc:  # the store is down: try again at the next change
                    log.warning("waiting counts unavailable for the displays: %s", exc)
                else:
                    self.publish("counts", counts)
            await asyncio.sleep(COUNTS_EVERY_S)
