"""Pages that show state: live device status, health checks, statistics."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QVBoxLayout

from kiosk.diagnose.checks import DiagnosticReport
from kiosk.engine.availability import MIB
from kiosk.technician import HealthLevel
from kiosk.technician.actions import DeviceStats, KioskAttention
from kiosk.technician.device_errors import LastErrors
from kiosk.technician.overview import DeviceOverview, device_overview
from ui.technician.base import (
    TechContext,
    TechPage,
    make_button,
    make_label,
    make_table,
    set_rows,
)


class StatusPage(TechPage):
    """The technician's first page: every device's state and conditions, what it has left
    (paper, blank cards, toner) and its last error with the time, updated as events arrive."""

    nav_key = "tech_nav_status"
    name = "status"
    device_event = Signal()  # from device threads; refresh happens on the GUI thread
    COLUMNS = ("tech_col_device", "tech_col_state", "tech_col_supplies", "tech_col_last_error")

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.table = make_table("tech_status_table", len(self.COLUMNS))
        header = self.table.horizontalHeader()
        for col in (2, 3):  # supplies and the last error wrap in the room left
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.attention = make_label("tech_status_attention")  # free space, SUSPECT, CONFLICT
        column = QVBoxLayout(self)
        column.addWidget(self.attention)
        column.addWidget(self.table, 1)
        column.addWidget(self.message)
        self.device_event.connect(self.refresh)
        self._unsubscribe: Callable[[], None] | None = None
        self.refreshes = 0
        self.rows: list[DeviceOverview] = []

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([self.t(key) for key in self.COLUMNS])
        if self.rows:
            self._show(self.rows)

    def entered(self) -> None:
        if self._unsubscribe is None:
            self._unsubscribe = self.ctx.kiosk.devices.subscribe(lambda _: self.device_event.emit())
        self.refresh()
        self.run(self.ctx.actions.attention, self._show_attention)

    def _show_attention(self, seen: KioskAttention) -> None:
        free = "?" if seen.free_bytes is None else f"{seen.free_bytes / MIB:.0f}"
        space = "tech_status_space_low" if seen.space_low else "tech_status_space"
        parts = [self.t(space, free=free, floor=f"{seen.floor_bytes / MIB:.0f}")]
        parts.append(self.t("tech_status_suspects", n=seen.suspects))
        if seen.conflicts:
            parts.append(self.t("tech_status_conflicts", n=seen.conflicts))
        self.attention.setText(" · ".join(parts))
        self.message.setText("")

    def left(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def refresh(self) -> None:
        # Reading in-memory statuses: no I/O, fine on the GUI thread; not technician activity.
        kiosk = self.ctx.kiosk
        errors = getattr(kiosk, "last_errors", None) or LastErrors()
        self._show(device_overview(kiosk.devices, errors))
        self.refreshes += 1

    def _show(self, rows: list[DeviceOverview]) -> None:
        self.rows = rows
        say, now = self.ctx.describe, self.ctx.now()
        table = []
        for row in rows:
            state = say.state(row.state)
            if row.conditions:
                state = f"{state}: {say.conditions(row.conditions)}"
            table.append(
                [say.device(row.name), state, say.supplies(row.supplies),
                 say.last_error(row.last_error, now)]
            )  # fmt: skip
        set_rows(self.table, table)

    def row_for(self, device: str) -> list[str]:
        name = self.ctx.describe.device(device)
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(self.table.columnCount())]
            texts = [cell.text() if cell is not None else "" for cell in cells]
            if texts[0] == name:
                return texts
        raise KeyError(device)


class HealthPage(TechPage):
    nav_key = "tech_nav_health"
    name = "health"

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.internal = make_button("tech_health_internal", "primary")
        self.external = make_button("tech_health_external")
        self.internal.clicked.connect(lambda: self.check(HealthLevel.INTERNAL))
        self.external.clicked.connect(lambda: self.check(HealthLevel.EXTERNAL))
        self.table = make_table("tech_health_table", 4)
        self.report: DiagnosticReport | None = None
        row = QHBoxLayout()
        row.addWidget(self.internal)
        row.addWidget(self.external)
        column = QVBoxLayout(self)
        column.addLayout(row)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)

    def retranslate(self) -> None:
        self.internal.setText(self.t("tech_health_internal"))
        self.external.setText(self.t("tech_health_external"))
        self.table.setHorizontalHeaderLabels(
            [
                self.t("tech_col_device"),
                self.t("tech_col_result"),
                self.t("tech_col_detail"),
                self.t("tech_col_ms"),
            ]
        )
        self.retranslate_report()

    def check(self, level: HealthLevel) -> None:
        self.run(lambda: self.ctx.actions.health(level), self._show)

    def _show(self, report: DiagnosticReport) -> None:
        self.report = report
        say = self.ctx.describe
        verdict = lambda ok: self.t("tech_yes") if ok else self.t("tech_no")  # noqa: E731
        rows = [
            [say.device(d.name), verdict(d.health.ok), say.device_health(d), f"{d.health.ms:.0f}"]
            for d in report.devices
        ]
        rows += [
            [say.device(c.name), verdict(c.ok), say.check(c), f"{c.ms:.0f}"] for c in report.checks
        ]
        set_rows(self.table, rows)
        self.message.setText(
            self.t("tech_health_all_ok") if report.ok else self.t("tech_health_problems")
        )

    def retranslate_report(self) -> None:
        if self.report is not None:
            self._show(self.report)


class StatsPage(TechPage):
    nav_key = "tech_nav_stats"
    name = "stats"

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.reload = make_button("tech_stats_refresh")
        self.reload.clicked.connect(self.entered)
        self.table = make_table("tech_stats_table", 4)
        self.stats: list[DeviceStats] = []
        column = QVBoxLayout(self)
        column.addWidget(self.reload)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)

    def retranslate(self) -> None:
        self.reload.setText(self.t("tech_stats_refresh"))
        self.table.setHorizontalHeaderLabels(
            [
                self.t("tech_col_device"),
                self.t("tech_col_counter"),
                self.t("tech_col_total"),
                self.t("tech_col_since_refill"),
            ]
        )
        if self.stats:
            self._show(self.stats)

    def entered(self) -> None:
        self.run(self.ctx.actions.statistics, self._show)

    def _show(self, stats: list[DeviceStats]) -> None:
        self.stats = stats
        say = self.ctx.describe
        rows = []
        for device in stats:
            name = say.device(device.name)
            for counter, value in sorted(device.counters.items()):
                since = device.refill.since_refill.get(counter, value)
                rows.append([name, say.counter(counter), _number(value), _number(since)])
            if device.blanko is not None:
                left, low = device.blanko
                rows.append([name, say.counter("blanko_low"), str(left), str(low)])
        set_rows(self.table, rows)
        self.message.setText("")


def _number(value: float) -> str:
    return f"{value:.2f}" if value != int(value) else str(int(value))
