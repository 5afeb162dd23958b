"""The simulated receipt printer (driver "sim"): a virtual printer driven by the REAL driver.

It starts a :class:`~devices.sim.virtual_escpos.server.VirtualEscposPrinter` in-process on
127.0.0.1 (a free port) and talks to it through
:class:`~devices.printers.escpos.NetworkReceiptPrinter` and python-escpos's Network connector,
so the simulated path exercises the real one. Faults are forwarded to the virtual printer;
tickets land in ``<paper_dir>/tickets`` when a paper dir is set.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from devices.drivers import DriverContext
from devices.faults import Fault
from devices.model import (
    Capabilities,
    DeviceKind,
    DeviceStatus,
    HealthLevel,
    HealthResult,
    StatusListener,
)
from devices.ports import JobOutcome
from devices.printers.escpos import NetworkReceiptPrinter
from devices.printers.escpos_settings import NetworkSettings
from devices.sim.virtual_escpos.server import PrintedJob, VirtualEscposPrinter
from devices.sim.virtual_escpos.state import SUPPORTED_FAULTS

log = logging.getLogger(__name__)


class SimulatedReceiptSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    width_mm: Literal[58, 80] = Field(80, description="Paper roll width in mm (58 or 80)")
    timeout_ms: int = Field(10_000, gt=0, description="Write timeout for one job, in ms")
    status_timeout_ms: int = Field(800, gt=0, description="Wait for one DLE EOT answer, in ms")
    slow_bytes_per_s: int = Field(
        4800, gt=0, description="Reading speed of the virtual printer under the 'slow' fault"
    )


class SimulatedReceiptPrinter:
    kind = DeviceKind.RECEIPT
    driver = "sim"
    Settings: ClassVar[type[SimulatedReceiptSettings]] = SimulatedReceiptSettings
    supported_faults: frozenset[Fault] = SUPPORTED_FAULTS

    def __init__(
        self, name: str, settings: SimulatedReceiptSettings, context: DriverContext
    ) -> None:
        self.name = name
        self.settings = settings
        out_dir = context.paper_dir / "tickets" if context.paper_dir is not None else None
        self._job_listeners: list[Callable[[PrintedJob], None]] = []
        self.printer = VirtualEscposPrinter(
            out_dir,
            width_mm=settings.width_mm,
            on_job=self._on_job,
            slow_bytes_per_s=settings.slow_bytes_per_s,
        ).start()
        network = NetworkSettings(
            host="127.0.0.1",
            port=self.printer.address[1],
            width_mm=settings.width_mm,
            timeout_ms=settings.timeout_ms,
            status_timeout_ms=settings.status_timeout_ms,
            reconnect_initial_s=0.2,
            reconnect_max_s=2.0,
        )
        self._driver = NetworkReceiptPrinter(name, network, context)

    # -- Device / ReceiptPrinter: the real driver does the work -----------------------------

    def open(self) -> None:
        if not self.printer.running:
            self.printer.start()  # binds the same port again
        self._driver.open()

    def close(self) -> None:
        self._driver.close()
        self.printer.stop()

    @property
    def status(self) -> DeviceStatus:
        return self._driver.status

    def subscribe(self, listener: StatusListener) -> Callable[[], None]:
        return self._driver.subscribe(listener)

    @property
    def capabilities(self) -> Capabilities:
        return self._driver.capabilities

    def check_health(self, level: HealthLevel) -> HealthResult:
        return self._driver.check_health(level)

    def statistics(self) -> dict[str, float]:
        return self._driver.statistics()

    def print_raw(self, data: bytes, timeout_s: float) -> JobOutcome:
        return self._driver.print_raw(data, timeout_s)

    def query_status(self, timeout_s: float) -> DeviceStatus:
        return self._driver.query_status(timeout_s)

    # -- FaultInjectable ------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        self.printer.inject(fault)
        self._refresh_soon()

    def clear(self, fault: Fault) -> None:
        self.printer.clear(fault)
        self._refresh_soon()

    def active_faults(self) -> frozenset[Fault]:
        return self.printer.active_faults()

    def _refresh_soon(self) -> None:
        """Let the status follow the fault without blocking the caller (a UI, a scenario)."""
        timeout = self.settings.status_timeout_ms * 4 / 1000
        threading.Thread(
            target=self._driver.query_status,
            args=(timeout,),
            name="sim-receipt-status",
            daemon=True,
        ).start()

    # -- for diagnostics and the simulator panel -------------------------------------------

    def last_image(self) -> Image.Image | None:
        """The last ticket the virtual printer rendered (shown to the simulated camera)."""
        return self.printer.last_image()

    def jobs(self) -> list[PrintedJob]:
        return self.printer.jobs()

    def on_job(self, listener: Callable[[PrintedJob], None]) -> None:
        self._job_listeners.append(listener)

    def _on_job(self, job: PrintedJob) -> None:
        for listener in list(self._job_listeners):
            try:
                listener(job)
            except Exception:
                log.exception("job listener failed")

    def describe(self) -> dict[str, Any]:
        return {"tcp": self.printer.tcp_url, "out_dir": str(self.printer.out_dir or "")}
