"""Simulated document and card printers (driver "sim-ipp") driven by the REAL CUPS drivers.

Each starts a :class:`~devices.sim.virtual_ipp.server.VirtualIppPrinter` in-process on
127.0.0.1 (a free port) and talks to it through :class:`~devices.printers.cups.CupsDocumentPrinter`
(or :class:`~devices.printers.card.CupsCardPrinter`, with its blanko counter) over IPP, so in
simulator mode the production print path runs: Print-Job, job polling, the lost-answer lookup,
printer-state-reasons and their mapping to faults. Faults are forwarded to the virtual printer,
whose pages land in ``<paper_dir>/documents`` (or ``cards``).

The driver "sim" (:mod:`devices.sim.document`) stays for unit tests and benchmarks that need a
printer without HTTP in between.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar

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
from devices.printers.blanko import MAX_STOCK
from devices.printers.card import CupsCardPrinter, CupsCardSettings
from devices.printers.cups import CupsDocumentPrinter, CupsSettings
from devices.sim.print_jobs import PrintJobStore
from devices.sim.virtual_ipp.engine import EngineSettings
from devices.sim.virtual_ipp.server import VirtualIppPrinter

log = logging.getLogger(__name__)

QUEUE = "sim"
_REFRESH_S = 1.0


class SimIppDocumentSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    page_delay_ms: int = Field(default=400, ge=0, le=60_000, description="Time per page, ms")
    slow_factor: float = Field(default=5.0, ge=1, le=100, description="Page time x this when slow")
    png_dpi: int = Field(
        default=100, ge=0, le=600, description="Virtual paper PNG resolution, dpi (0: PDF only)"
    )
    max_pages: int = Field(default=50, ge=1, le=1000, description="Largest job printed, pages")
    render_timeout_s: float = Field(default=30, gt=0, description="poppler time limit, s")
    poll_interval_ms: int = Field(
        default=50, ge=20, le=10_000, description="The driver's job polling interval, ms"
    )
    status_interval_s: float = Field(
        default=2.0, ge=0, description="The driver's printer status polling, s (0: on use only)"
    )
    request_timeout_s: float = Field(
        default=5.0, gt=0, le=120, description="Timeout of one IPP request, s"
    )
    job_timeout_s: float = Field(
        default=180.0, gt=0, description="How long a job may take before it is UNKNOWN, s"
    )


class SimIppCardSettings(SimIppDocumentSettings):
    page_delay_ms: int = Field(default=800, ge=0, le=60_000, description="Time per card, ms")
    png_dpi: int = Field(
        default=300, ge=0, le=600, description="Virtual card PNG resolution, dpi (0: PDF only)"
    )
    blanko_stock: int | None = Field(
        default=None, ge=0, le=MAX_STOCK, description="Initial blanko when none counted, cards"
    )
    blanko_low: int = Field(default=10, ge=0, le=MAX_STOCK, description="CARDS_LOW at, cards")


class SimulatedIppDocumentPrinter:
    """An A4 printer: the CUPS driver in front of a virtual IPP printer. ``DocumentPrinter``."""

    Settings: ClassVar[type[BaseModel]] = SimIppDocumentSettings
    kind: DeviceKind = DeviceKind.DOCUMENT
    driver: str = "sim-ipp"
    paper_folder: ClassVar[str] = "documents"
    cards: ClassVar[bool] = False

    def __init__(self, name: str, settings: SimIppDocumentSettings, context: DriverContext) -> None:
        self.name = name
        self.settings = settings
        base = context.paper_dir or context.state_dir / "paper"
        engine = EngineSettings(
            page_delay_s=settings.page_delay_ms / 1000,
            slow_factor=settings.slow_factor,
            png_dpi=settings.png_dpi,
            max_pages=settings.max_pages,
            render_timeout_s=settings.render_timeout_s,
        )
        context.state_dir.mkdir(parents=True, exist_ok=True)
        # the same job records (and numbers) as the driver "sim": one job history per device
        store = PrintJobStore(context.state_dir / "devices.sqlite", name)
        self.printer = VirtualIppPrinter(
            store, base / self.paper_folder, engine, queue=QUEUE, cards=self.cards
        ).bind()  # served from open() on
        self.supported_faults = self.printer.supported_faults
        self._driver = self._make_driver(context)

    def _make_driver(self, context: DriverContext) -> CupsDocumentPrinter:
        return CupsDocumentPrinter(self.name, CupsSettings(**self._cups_fields()), context)

    def _cups_fields(self) -> dict[str, object]:
        s = self.settings
        return {
            "queue": QUEUE,
            "server": self.printer.server,
            "job_timeout_s": s.job_timeout_s,
            "poll_interval_ms": s.poll_interval_ms,
            "status_interval_s": s.status_interval_s,
            "request_timeout_s": s.request_timeout_s,
        }

    # -- Device / DocumentPrinter: the real driver does the work ----------------------------

    def open(self) -> None:
        self.printer.start()  # the same port again after a close
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

    def submit(self, pdf: bytes, *, title: str, pages: int) -> str:
        return self._driver.submit(pdf, title=title, pages=pages)

    def wait(self, job_id: str, timeout_s: float) -> JobOutcome:
        return self._driver.wait(job_id, timeout_s)

    def job_outcome(self, job_id: str) -> JobOutcome:
        return self._driver.job_outcome(job_id)

    def cancel(self, job_id: str) -> None:
        self._driver.cancel(job_id)

    @property
    def printer_state_reasons(self) -> tuple[str, ...]:
        return self._driver.printer_state_reasons

    # -- FaultInjectable ------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        self.printer.inject(fault)
        self._refresh()

    def clear(self, fault: Fault) -> None:
        self.printer.clear(fault)
        self._refresh()

    def active_faults(self) -> frozenset[Fault]:
        return self.printer.active_faults()

    def _refresh(self) -> None:
        """The status follows the fault at once: one Get-Printer-Attributes on loopback (a few
        ms, bounded by ``_REFRESH_S``), as the driver's own polling would a moment later."""
        if self.printer.running:
            self._driver.refresh_status(timeout_s=_REFRESH_S)


class SimulatedIppCardPrinter(SimulatedIppDocumentPrinter):
    """KTP-el / KIA on CR80 blanko: the CUPS card driver (blanko counter) in front."""

    Settings: ClassVar[type[BaseModel]] = SimIppCardSettings
    kind: DeviceKind = DeviceKind.CARD
    paper_folder: ClassVar[str] = "cards"
    cards: ClassVar[bool] = True
    settings: SimIppCardSettings

    def _make_driver(self, context: DriverContext) -> CupsDocumentPrinter:
        s = self.settings
        fields = {**self._cups_fields(), "blanko_low": s.blanko_low, "blanko_stock": s.blanko_stock}
        return CupsCardPrinter(self.name, CupsCardSettings(**fields), context)

    def blanko(self) -> tuple[int, int]:
        return self._card().blanko()

    def refill_blanko(self, stock: int) -> None:
        self._card().refill_blanko(stock)

    def _card(self) -> CupsCardPrinter:
        assert isinstance(self._driver, CupsCardPrinter)
        return self._driver
