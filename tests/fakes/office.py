"""Helpers for the queue server tests: an office config, a clock to move, API clients."""

from __future__ import annotations

import contextlib
import itertools
import json
import queue
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from kiosk.config.office import OfficeConfig
from kiosk.domain.pin_hash import hash_pin
from kiosk.office.server import RunningQueueServer
from kiosk.queue.store import QueueStore

JAKARTA = ZoneInfo("Asia/Jakarta")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=JAKARTA)
PIN = "482913"
PIN_HASH = hash_pin(PIN)
CLIENTS: dict[str, tuple[Any, str]] = {
    "kiosk-1": ("kiosk", "kiosk-one-key"),
    "kiosk-2": ("kiosk", "kiosk-two-key"),
    "loket-1": ("counter", "loket-one-key"),
    "loket-2": ("counter", "loket-two-key"),
    "loket-4": ("counter", "loket-four-key"),
    "tv-1": ("display", "display-key-1"),
    "portal": ("booking", "portal-key-01"),
    "kepala": ("admin", "admin-key-001"),
}


def office_config(**queue: Any) -> OfficeConfig:
    data: dict[str, Any] = {
        "office": {"name": "MPP Uji", "timezone": "Asia/Jakarta", "booking_kid": "uji-1"},
        "queue": {
            "priority_every_n": 2,
            "services": [
                {"code": "A", "name_id": "Perekaman KTP-el", "name_en": "KTP-el recording",
                 "daily_quota": 6, "booking_capacity": 2, "slot_minutes": 30,
                 "requirements": ["Fotokopi KK"], "sla_minutes": 15},
                {"code": "B", "name_id": "Kartu Keluarga", "name_en": "Family card"},
                {"code": "S", "name_id": "Pajak kendaraan", "name_en": "Vehicle tax",
                 "agency": "Samsat", "opens": "08:00:00", "closes": "14:00:00"},
                {"code": "E", "name_id": "Konsultasi", "name_en": "Consultation",
                 "priority_allowed": False},
            ],
            "counters": [
                {"id": "loket-1", "number": 1, "services": ["A", "B"], "pin_hash": PIN_HASH},
                {"id": "loket-2", "number": 2, "services": ["A", "B", "E"]},
                {"id": "loket-4", "number": 4, "agency": "Samsat", "services": ["S"]},
            ],
            **queue,
        },
    }  # fmt: skip
    return OfficeConfig.model_validate(data)


class Clock:
    def __init__(self, start: datetime = MONDAY_10) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Server:
    running: RunningQueueServer
    store: QueueStore
    clock: Clock

    @property
    def url(self) -> str:
        return self.running.url

    def client(self, client_id: str | None = None, **headers: str) -> httpx.Client:
        if client_id is not None:
            headers |= {
                "X-Client-Id": client_id,
                "Authorization": f"Bearer {CLIENTS[client_id][1]}",
            }
        return httpx.Client(base_url=self.url, headers=headers, timeout=10)


ServerFactory = Callable[..., Server]


_touches = itertools.count(1)


def issue(
    client: httpx.Client, service: str = "A", key: str | None = None, **body: Any
) -> httpx.Response:
    """POST /v1/tickets with a fresh Idempotency-Key (or ``key``)."""
    headers = {"Idempotency-Key": key or f"touch-{next(_touches):06d}"}
    return client.post("/v1/tickets", json={"service": service, **body}, headers=headers)


class EventReader:
    """Reads ``GET /v1/events`` in a thread; each event lands in ``events`` with its arrival
    time (``time.monotonic()``)."""

    def __init__(self, url: str, client_id: str, key: str) -> None:
        self.events: queue.Queue[tuple[str, dict[str, Any], float]] = queue.Queue()
        self._client = httpx.Client(base_url=url, timeout=httpx.Timeout(10, read=None))
        self._headers = {"X-Client-Id": client_id, "Authorization": f"Bearer {key}"}
        self.status = 0
        self._socket: socket.socket | None = None
        self._opened = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self._opened.wait(10), "the event stream did not open"

    def _read(self) -> None:
        kind = ""
        try:
            with self._client.stream("GET", "/v1/events", headers=self._headers) as response:
                self._socket = response.extensions["network_stream"].get_extra_info("socket")
                self.status = response.status_code
                self._opened.set()
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        kind = line[7:]
                    elif line.startswith("data: "):
                        self.events.put((kind, json.loads(line[6:]), time.monotonic()))
        except httpx.HTTPError:
            pass
        finally:
            self._opened.set()
            self.events.put(("closed", {}, time.monotonic()))

    def next(self, kind: str, timeout: float = 5.0) -> tuple[dict[str, Any], float]:
        """The next event of ``kind`` (others are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            got_kind, data, at = self.events.get(timeout=max(0.01, deadline - time.monotonic()))
            if got_kind == kind:
                return data, at
            if got_kind == "closed":
                raise AssertionError("the event stream closed")

    def close(self) -> None:
        if self._socket is not None:  # wakes the reader's blocked recv
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)
        self._client.close()
