"""CUPS card printer (driver "cups-card"): KTP-el / KIA on CR80 PVC blanko.

The same IPP driver as the document printer, on a card queue, plus a blanko counter: the
technician sets the stock (:meth:`CupsCardPrinter.refill_blanko`), every card that leaves the
printer (``pages_out`` of a final job) is counted off, and with no blanko left a job is refused
before it reaches CUPS. Implements ``DocumentPrinter`` and ``CardStock``.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, Field

from devices.drivers import DriverContext
from devices.model import DeviceKind, HealthLevel, HealthResult
from devices.ports import JobOutcome, JobState
from devices.printers.blanko import MAX_STOCK, BlankoCounter
from devices.printers.cups import CupsDocumentPrinter, CupsSettings
from devices.printers.job_input import health_check_pdf

CR80_MM = (85.60, 53.98)


class CupsCardSettings(CupsSettings):
    blanko_low: int = Field(
        default=10, ge=0, le=MAX_STOCK, description="Cards left at which CARDS_LOW is reported"
    )
    blanko_stock: int | None = Field(
        default=None,
        ge=0,
        le=MAX_STOCK,
        description="Initial stock when none was counted yet (cards); the technician sets it",
    )


class CupsCardPrinter(CupsDocumentPrinter):
    Settings: ClassVar[type[BaseModel]] = CupsCardSettings
    kind: DeviceKind = DeviceKind.CARD
    driver: str = "cups-card"
    media: ClassVar[tuple[str, ...]] = ("cr80",)
    cards: ClassVar[bool] = True

    def __init__(self, name: str, settings: CupsCardSettings, context: DriverContext) -> None:
        super().__init__(name, settings, context)
        self._blanko = BlankoCounter(
            self._stats, self._notifier, low=settings.blanko_low, initial=settings.blanko_stock
        )
        self._expected: dict[str, int] = {}

    # -- CardStock ----------------------------------------------------------------------

    def blanko(self) -> tuple[int, int]:
        return self._blanko.blanko()

    def refill_blanko(self, stock: int) -> None:
        self._blanko.refill(stock)

    # -- jobs ---------------------------------------------------------------------------

    def submit(self, pdf: bytes, *, title: str, pages: int) -> str:
        self._blanko.require(pages)
        job_id = super().submit(pdf, title=title, pages=pages)
        with self._lock:
            self._expected[job_id] = pages
        return job_id

    def open(self) -> None:
        super().open()
        self._blanko.publish()

    def _after_job(self, outcome: JobOutcome) -> None:
        with self._lock:
            expected = self._expected.pop(outcome.job_id, None)
        used = outcome.pages_out
        if used is None and outcome.state is JobState.COMPLETED:
            used = expected  # the backend reported no count: the job's own card count
        if used:
            self._stats.increment("cards", used)
            self._blanko.consume(used)

    def check_health(self, level: HealthLevel) -> HealthResult:
        result = super().check_health(level)
        left, low = self._blanko.blanko()
        text = f"{result.text}; blanko {left} left (low at {low})"
        ok = result.ok and left > 0
        return HealthResult(ok, result.level, text, result.ms, {**result.details, "blanko": left})

    def _test_page(self) -> bytes:
        return health_check_pdf(
            f"card queue {self.settings.queue}", width_mm=CR80_MM[0], height_mm=CR80_MM[1]
        )
