"""The device manager: builds devices from config, opens and supervises them, and answers
"which services can run now".

Every call into a device runs on that device's own :class:`DeviceWorker`. A supervisor thread
reopens devices that are OFFLINE with exponential backoff, so a printer that is unplugged and
plugged back in returns to service without a kiosk restart.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

from devices.drivers import DriverContext, DriverError, build_driver
from devices.faults import Fault, FaultError, FaultInjectable
from devices.model import (
    CardLevel,
    DeviceError,
    DeviceKind,
    DeviceState,
    DeviceStatus,
    HealthLevel,
    HealthResult,
    PaperLevel,
    StatusListener,
    Tristate,
)
from devices.ports import CodeReader, CodeScanner, Device, DocumentPrinter, ReceiptPrinter
from devices.worker import DeviceWorker

log = logging.getLogger(__name__)
T = TypeVar("T")

# Config slot -> kind. The slot name is also the device's name.
SLOTS: dict[str, DeviceKind] = {
    "camera": DeviceKind.CAMERA,
    "code_reader": DeviceKind.CODE_READER,
    "receipt": DeviceKind.RECEIPT,
    "document": DeviceKind.DOCUMENT,
    "card": DeviceKind.CARD,
}
_MEDIA_SLOT = {"a4": "document", "card": "card"}


def unusable_reason(status: DeviceStatus) -> str | None:
    """Why a job cannot be tried now, as a citizen-message code; None when it can.

    UNKNOWN paper is tried: failures are handled, and silence is not "out".
    """
    if status.state in (DeviceState.OFFLINE, DeviceState.CLOSED):
        return "PRINTER_OFFLINE"
    if status.paper is PaperLevel.OUT:
        return "PRINTER_PAPER_OUT"
    if status.cover_open is Tristate.YES:
        return "PRINTER_COVER_OPEN"
    if status.jam is Tristate.YES:
        return "PRINTER_JAM"
    if status.cards is CardLevel.OUT:
        return "CARD_BLANKO_OUT"
    if status.camera_lost is Tristate.YES:
        return "CAMERA_LOST"
    if status.state is DeviceState.ERROR:
        return "PRINTER_UNAVAILABLE"
    return None


def usable(status: DeviceStatus) -> bool:
    """Can a job be tried now?"""
    return unusable_reason(status) is None


class DeviceManager:
    def __init__(
        self,
        devices: dict[str, Device],
        code_reader: CodeReader | None = None,
        *,
        supervise_interval_s: float = 1.0,
        max_backoff_s: float = 30.0,
        call_timeout_s: float = 10.0,
    ) -> None:
        self._devices = dict(devices)
        self.code_reader = code_reader
        self._workers = {name: DeviceWorker(name) for name in self._devices}
        self._listeners: list[StatusListener] = []
        self._unsubscribe: list[Callable[[], None]] = []
        self._stop = threading.Event()
        self._supervisor: threading.Thread | None = None
        self._interval = supervise_interval_s
        self._max_backoff = max_backoff_s
        self._call_timeout = call_timeout_s
        self._next_try: dict[str, float] = {}
        self._backoff: dict[str, float] = {}

    @classmethod
    def from_config(
        cls, settings: Any, context: DriverContext, *, only: Iterable[str] | None = None
    ) -> DeviceManager:
        """Build every enabled device of a ``DevicesSettings`` (raises DriverError)."""
        devices: dict[str, Device] = {}
        reader: CodeReader | None = None
        for slot, kind in SLOTS.items():
            if only is not None and slot not in only:
                continue
            cfg = getattr(settings, slot, None)
            if cfg is None or not cfg.enabled:
                continue
            built = build_driver(kind, slot, cfg.driver, dict(cfg.settings), context)
            if kind is DeviceKind.CODE_READER:
                reader = built
            else:
                devices[slot] = built
        for name, cfg in getattr(settings, "scanners", {}).items():
            if (only is not None and name not in only) or not cfg.enabled:
                continue
            devices[name] = build_driver(
                DeviceKind.SCANNER, name, cfg.driver, dict(cfg.settings), context,
                where=f"devices.scanners.{name}",
            )  # fmt: skip
        return cls(devices, reader)

    # -- life cycle ---------------------------------------------------------------------

    def start(self) -> None:
        for name, device in self._devices.items():
            self._unsubscribe.append(device.subscribe(self._deliver))
            self._workers[name].submit(partial(self._open, device))
        self._supervisor = threading.Thread(
            target=self._supervise, name="device-supervisor", daemon=True
        )
        self._supervisor.start()

    def stop(self) -> None:
        self._stop.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout=5)
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe.clear()
        for name, device in self._devices.items():
            try:
                self._workers[name].call(device.close, timeout_s=self._call_timeout)
            except Exception:
                log.exception("closing %s failed", name)
            self._workers[name].shutdown()

    def wait_opened(self, timeout_s: float = 10.0) -> bool:
        """Wait until every device has tried to open (left CLOSED); False on timeout."""
        deadline = time.monotonic() + timeout_s
        while any(d.status.state is DeviceState.CLOSED for d in self._devices.values()):
            if time.monotonic() >= deadline or self._stop.wait(0.02):
                return False
        return True

    @staticmethod
    def _open(device: Device) -> None:
        try:
            device.open()
        except Exception:  # drivers should go OFFLINE themselves; never let one kill the worker
            log.exception("opening %s failed", device.name)

    def _supervise(self) -> None:
        while not self._stop.wait(self._interval):
            now = time.monotonic()
            for name, device in self._devices.items():
                if device.status.state is not DeviceState.OFFLINE:
                    self._backoff.pop(name, None)
                    self._next_try.pop(name, None)
                    continue
                if now < self._next_try.get(name, 0.0):
                    continue
                delay = min(self._backoff.get(name, self._interval) * 2, self._max_backoff)
                self._backoff[name] = delay
                self._next_try[name] = now + delay
                log.info("device %s offline; trying to reopen (next in %.0f s)", name, delay)
                self._workers[name].submit(partial(self._open, device))

    # -- queries ------------------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return list(self._devices)

    def get(self, name: str) -> Device | None:
        return self._devices.get(name)

    def scanners(self) -> dict[str, CodeScanner]:
        """The whole-code scanners (keyboard wedge, serial), by name."""
        return {
            name: device  # type: ignore[misc]
            for name, device in self._devices.items()
            if device.kind is DeviceKind.SCANNER
        }

    def receipt(self) -> ReceiptPrinter | None:
        return self._devices.get("receipt")  # type: ignore[return-value]

    def printer_for(self, media: str) -> DocumentPrinter | None:
        return self._devices.get(_MEDIA_SLOT.get(str(media), ""))  # type: ignore[return-value]

    def print_problem(self, media: str) -> str | None:
        """Why documents on ``media`` cannot print now (a citizen-message code), or None."""
        printer = self.printer_for(media)
        if printer is None:
            return "PRINTER_UNAVAILABLE"
        return unusable_reason(printer.status)

    def can_print(self, media: str) -> bool:
        return self.print_problem(media) is None

    def can_issue_tickets(self) -> bool:
        receipt = self._devices.get("receipt")
        return receipt is not None and usable(receipt.status)

    # -- calls --------------------------------------------------------------------------

    def call(self, name: str, fn: Callable[[Any], T], timeout_s: float | None = None) -> T:
        """Run ``fn(device)`` on the device's worker thread."""
        device = self._devices.get(name)
        if device is None:
            raise KeyError(f"no device {name!r}")
        return self._workers[name].call(lambda: fn(device), timeout_s or self._call_timeout)

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _deliver(self, event: Any) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("device listener failed")

    def health(self, level: HealthLevel, timeout_s: float = 30.0) -> dict[str, HealthResult]:
        """Health of every device, checked in parallel on each device's own worker."""
        futures = {
            name: self._workers[name].submit(partial(device.check_health, level))
            for name, device in self._devices.items()
        }
        results: dict[str, HealthResult] = {}
        for name, future in futures.items():
            started = time.monotonic()
            try:
                results[name] = future.result(timeout=timeout_s)
            except DeviceError as exc:
                results[name] = HealthResult(False, level, str(exc.fault), 0.0)
            except Exception as exc:
                ms = (time.monotonic() - started) * 1000
                results[name] = HealthResult(False, level, f"check failed: {exc!r}", ms)
        return results

    def inject(self, name: str, fault: Fault) -> None:
        self._injectable(name).inject(fault)

    def clear(self, name: str, fault: Fault) -> None:
        self._injectable(name).clear(fault)

    def _injectable(self, name: str) -> FaultInjectable:
        device = self._devices.get(name)
        if not isinstance(device, FaultInjectable):
            raise FaultError(f"device {name!r} is not simulated: faults cannot be injected")
        return device

    def snapshot(self) -> dict[str, Any]:
        """States, statuses and statistics of every device (heartbeat, metrics, diagnostics)."""
        out: dict[str, Any] = {}
        for name, device in self._devices.items():
            out[name] = {
                "kind": device.kind.value,
                "driver": device.driver,
                "status": device.status.to_dict(),
                "statistics": device.statistics(),
            }
        return out


__all__ = ["SLOTS", "DeviceManager", "DriverError", "unusable_reason", "usable"]
