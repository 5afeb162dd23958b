"""What every technician page shares: text lookup, the worker, the session-expired signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QWidget

from kiosk.technician import NotAuthorized, TechnicianActions
from ui.i18n.catalog import Catalog
from ui.technician.describe import Describe
from ui.technician.tasks import TaskRunner
from ui.theme import TouchMetrics
from ui.widgets.controls import make_button, make_label

log = logging.getLogger(__name__)

__all__ = ["TechContext", "TechPage", "make_button", "make_label", "make_table", "set_rows"]


class TechContext(QObject):
    """Shared by the technician pages; ``locked`` fires when an action finds the session closed."""

    locked = Signal()

    def __init__(
        self,
        *,
        catalog: Catalog,
        metrics: TouchMetrics,
        actions: TechnicianActions,
        runner: TaskRunner,
        kiosk: Any,
        language: str = "id",
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.metrics = metrics
        self.actions = actions
        self.runner = runner
        self.kiosk = kiosk
        self.language = language

    def t(self, key: str, **values: object) -> str:
        return self.catalog.text(key, self.language, **values)

    @property
    def describe(self) -> Describe:
        """Device names, states, supplies and times in the chosen language (office zone)."""
        config = getattr(self.kiosk, "config", None)
        tz = config.kiosk.tz if config is not None else UTC
        return Describe(self.catalog, self.language, tz)

    def now(self) -> datetime:
        return datetime.now(UTC)


class TechPage(QWidget):
    """A page of the technician dashboard. ``nav_key`` names its navigation button's text."""

    nav_key: ClassVar[str]
    name: ClassVar[str]  # objectName suffix: tech_page_<name>, tech_nav_<name>

    def __init__(self, ctx: TechContext) -> None:
        super().__init__()
        self.setObjectName(f"tech_page_{self.name}")
        self.ctx = ctx
        self.message: QLabel = make_label(f"tech_{self.name}_message")

    def t(self, key: str, **values: object) -> str:
        return self.ctx.t(key, **values)

    def retranslate(self) -> None:
        """Set every text in the current language."""

    def entered(self) -> None:
        """The page became visible."""

    def left(self) -> None:
        """Another page (or the PIN page) took its place."""

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        """Run ``fn`` on the worker; ``on_done(result)`` on the GUI thread."""
        self.message.setText(self.t("tech_working"))
        self.ctx.runner.run(fn, on_done, self._failed)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, NotAuthorized):
            self.message.setText("")
            self.ctx.locked.emit()
            return
        log.warning("technician page %s: %s", self.name, error)
        # The exception's words are English: the log has them; the Indonesian page names it.
        detail = str(error) if self.ctx.language == "en" else ""
        self.message.setText(self.t("tech_failed", error=detail or type(error).__name__))


def make_table(name: str, columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setObjectName(name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(True)
    return table


def set_rows(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            table.setItem(r, c, item)
    table.resizeRowsToContents()
