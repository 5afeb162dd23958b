from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from devices.model import StatusEvent

Wait = Callable[[Callable[[], bool], float], None]


def _wait_for(predicate: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met within timeout")
        time.sleep(0.01)


@pytest.fixture
def wait_for() -> Wait:
    return _wait_for


class EventLog:
    """Records status events (delivered from device threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.events: list[StatusEvent] = []

    def __call__(self, event: StatusEvent) -> None:
        with self._lock:
            self.events.append(event)

    def kinds(self) -> list[str]:
        with self._lock:
            return [e.kind.value for e in self.events]


@pytest.fixture
def event_log() -> EventLog:
    return EventLog()


@pytest.fixture(autouse=True)
def no_leaked_camera_threads() -> Iterator[None]:
    before = {t.ident for t in threading.enumerate()}
    yield
    leaked = [
        t for t in threading.enumerate() if t.ident not in before and t.name.startswith("camera-")
    ]
    deadline = time.monotonic() + 3
    while leaked and time.monotonic() < deadline:
        time.sleep(0.02)
        leaked = [t for t in leaked if t.is_alive()]
    assert not leaked, f"camera threads left running: {[t.name for t in leaked]}"
