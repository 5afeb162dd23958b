"""Pages that show state: live device status, health checks, statistics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from kiosk.diagnose.checks import DiagnosticReport
from kiosk.engine.availability import MIB
from kiosk.technician import HealthLevel
from kiosk.technician.actions import DeviceStats, KioskAttention
from ui.technician.base import (
    TechContext,
    TechPage,
    make_button,
    make_label,
    make_table,
    set_rows,
)

_QUIET = {"unknown", "no", "ok"}


def status_detail(status: dict[str, Any]) -> str:
    """The conditions worth a technician's look, e.g. ``paper out, cover open``."""
    parts = []
    for key in ("paper", "cards"):
        if status.get(key) not in _QUIET:
            parts.append(f"{key} {status[key]}")
    for key in ("cover_open", "jam", "camera_lost"):
        if status.get(key) == "yes":
            parts.append(key.replace("_", " "))
    for marker in status.get("markers") or ():
        level = marker.get("level")
        parts.append(f"{marker['name']} {'?' if level is None else f'{level}%'}")
    if status.get("last_error"):
        parts.append(str(status["last_error"]))
    return ", ".join(parts) or "ok"


class StatusPage(TechPage):
    """Every device's state and conditions, updated as status events arrive."""

    nav_key = "tech_nav_status"
    name = "status"
    device_event = Signal()  # from device threads; refresh happens on the GUI thread

    def __init__(self, ctx: TechContext) -> None:
        super().__init__(ctx)
        self.table = make_table("tech_status_table", 3)
        self.attention = make_label("tech_status_attention")  # free space, SUSPECT, CONFLICT
        column = QVBoxLayout(self)
        column.addWidget(self.attention)
        column.addWidget(self.table, 1)
        column.addWidget(self.message)
        self.device_event.connect(self.refresh)
        self._unsubscribe: Callable[[], None] | None = None
        self.refreshes = 0

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.t("tech_col_device"), self.t("tech_col_state"), self.t("tech_col_detail")]
        )

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
        snapshot = self.ctx.kiosk.devices.snapshot()
        rows = [
            [name, info["status"]["state"], status_detail(info["status"])]
            for name, info in snapshot.items()
        ]
        set_rows(self.table, rows)
        self.refreshes += 1

    def row_for(self, device: str) -> list[str]:
        for r in range(self.table.rowCount()):
            cells = [self.table.item(r, c) for c in range(self.table.columnCount())]
            texts = [cell.text() if cell is not None else "" for cell in cells]
            if texts[0] == device:
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

    def check(self, level: HealthLevel) -> None:
        self.run(lambda: self.ctx.actions.health(level), self._show)

    def _show(self, report: DiagnosticReport) -> None:
        self.report = report
        verdict = lambda ok: self.t("tech_yes") if ok else self.t("tech_no")  # noqa: E731
        rows = [[d.name, verdict(d.health.ok), d.health.text, f"{d.health.ms:.0f}"]
                for d in report.devices]  # fmt: skip
        rows += [[c.name, verdict(c.ok), c.text, f"{c.ms:.0f}"] for c in report.checks]
        set_rows(self.table, rows)
        self.message.setText(
            self.t("tech_health_all_ok") if report.ok else self.t("tech_health_problems")
        )


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

    def entered(self) -> None:
        self.run(self.ctx.actions.statistics, self._show)

    def _show(self, stats: list[DeviceStats]) -> None:
        self.stats = stats
        rows = []
        for device in stats:
            for counter, value in sorted(device.counters.items()):
                since = device.refill.since_refill.get(counter, value)
                rows.append([device.name, counter, _number(value), _number(since)])
            if device.blanko is not None:
                rows.append([device.name, "blanko left / low", *map(str, device.blanko)])
        set_rows(self.table, rows)
        self.message.setText("")


def _number(value: float) -> str:
    return f"{value:.2f}" if value != int(value) else str(int(value))
