"""Small recording devices for tests above the HAL (STYLE 21: recording fakes, not mocks)."""

import threading
import time
from collections.abc import Callable

from devices.faults import Fault, FaultSet
from devices.model import (
    Capabilities,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    HealthLevel,
    HealthResult,
    PaperLevel,
    StatusEventKind,
    StatusListener,
    StatusNotifier,
)


class FlakyPrinter:
    """Goes OFFLINE until ``plugged`` is set; records every open() and the thread it ran on."""

    kind = DeviceKind.DOCUMENT
    driver = "test"

    def __init__(self, name: str = "document") -> None:
        self.name = name
        self.notifier = StatusNotifier(name)
        self.plugged = threading.Event()
        self.opens: list[str] = []
        self.faults = FaultSet(frozenset({Fault.PAPER_OUT}))
        self.supported_faults = self.faults.supported

    def open(self) -> None:
        self.opens.append(threading.current_thread().name)
        if self.plugged.is_set():
            self.notifier.update(StatusEventKind.RECONNECTED, state=DeviceState.IDLE)
        else:
            self.notifier.update(StatusEventKind.OFFLINE, state=DeviceState.OFFLINE)

    def close(self) -> None:
        self.notifier.update(state=DeviceState.CLOSED)

    @property
    def status(self) -> DeviceStatus:
        return self.notifier.status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self.notifier.subscribe(listener)

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(media=("a4",))

    def check_health(self, level: HealthLevel) -> HealthResult:
        return HealthResult(self.status.state is DeviceState.IDLE, level, "ok", 1.0)

    def statistics(self) -> dict[str, float]:
        return {"jobs": 3}

    def inject(self, fault: Fault) -> None:
        self.faults.add(fault)
        self.notifier.update(StatusEventKind.PAPER_OUT, paper=PaperLevel.OUT)

    def clear(self, fault: Fault) -> None:
        self.faults.discard(fault)
        self.notifier.update(StatusEventKind.PAPER_OK, paper=PaperLevel.OK)

    def active_faults(self) -> frozenset[Fault]:
        return self.faults.snapshot()


def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)
