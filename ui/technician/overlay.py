"""Technician mode: a full-window layer over the kiosk window.

It shows the PIN page until the session opens, then a dashboard (navigation on the left, one
page at a time on the right). A 1 s timer watches the session: when it locks (15 minutes idle)
the PIN page comes back with a re-authentication message. Closing logs out and hides the layer;
the session (and its lockout) lives as long as the layer, i.e. as long as the kiosk window.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.technician import TechnicianActions, TechnicianSession, TechState
from ui.i18n.catalog import Catalog
from ui.technician.base import TechContext, TechPage, make_button, make_label
from ui.technician.decision_pages import ExitPage, QueuePage, SuspectPage
from ui.technician.pin_page import PinPage
from ui.technician.readers_page import ReadersPage
from ui.technician.service_pages import PrintsPage, RefillPage, RegistryPage
from ui.technician.status_pages import HealthPage, StatsPage, StatusPage
from ui.technician.tasks import TaskRunner
from ui.theme import TouchMetrics

log = logging.getLogger(__name__)

PAGE_TYPES: tuple[type[TechPage], ...] = (
    StatusPage,
    HealthPage,
    PrintsPage,
    ReadersPage,
    StatsPage,
    RefillPage,
    SuspectPage,
    QueuePage,
    RegistryPage,
    ExitPage,
)
SESSION_POLL_MS = 1000


class TechnicianOverlay(QWidget):
    exit_approved = Signal()
    closed = Signal()

    def __init__(
        self,
        parent: QWidget,
        *,
        kiosk: Any,
        session: TechnicianSession,
        catalog: Catalog,
        metrics: TouchMetrics,
        language: str = "id",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("technician_overlay")
        self.setAutoFillBackground(True)
        self.session = session
        self.runner = TaskRunner(self)
        self._host = parent
        self.tech_actions = TechnicianActions.from_kiosk(kiosk, session)
        self.ctx = TechContext(
            catalog=catalog,
            metrics=metrics,
            actions=self.tech_actions,
            runner=self.runner,
            kiosk=kiosk,
            language=language,
        )
        self.ctx.locked.connect(lambda: self._show_pin("tech_pin_reauth"))
        self.pin_page = PinPage(self.ctx, session)
        self.pin_page.opened.connect(self._show_dashboard)
        self.pin_page.close_requested.connect(self.close_technician)
        self.pages: dict[str, TechPage] = {}
        self.nav: dict[str, QPushButton] = {}
        self.top = QStackedWidget()
        self.top.addWidget(self.pin_page)
        self.top.addWidget(self._dashboard())
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self._header())
        column.addWidget(self.top, 1)
        self.poll = QTimer(self)
        self.poll.setInterval(SESSION_POLL_MS)
        self.poll.timeout.connect(self._watch_session)
        exit_page = self.pages["exit"]
        assert isinstance(exit_page, ExitPage)
        exit_page.exit_approved.connect(self.exit_approved)
        self.nav["exit"].setVisible(session.allow_exit)
        parent.installEventFilter(self)
        self.retranslate()
        self.hide()

    # -- building --------------------------------------------------------------------------

    def _header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("header")
        row = QHBoxLayout(header)
        self.title = make_label("tech_header_title", "title")
        self.language_button = make_button("tech_language")
        self.language_button.clicked.connect(self.toggle_language)
        self.close_button = make_button("tech_close", "danger")
        self.close_button.clicked.connect(self.close_technician)
        row.addWidget(self.title, 1)
        row.addWidget(self.language_button)
        row.addWidget(self.close_button)
        return header

    def _dashboard(self) -> QWidget:
        dashboard = QWidget()
        dashboard.setObjectName("tech_dashboard")
        self._nav_grid = QGridLayout()
        self.content = QStackedWidget()
        for page_type in PAGE_TYPES:
            page = page_type(self.ctx)
            self.pages[page.name] = page
            self.content.addWidget(_scrolled(page))
            button = make_button(f"tech_nav_{page.name}")
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, n=page.name: self.show_page(n))
            self.nav[page.name] = button
        self._dash_row = QBoxLayout(QBoxLayout.Direction.LeftToRight, dashboard)
        self._dash_row.addLayout(self._nav_grid, 1)
        self._dash_row.addWidget(self.content, 3)
        self._nav_columns = 0
        self._arrange_nav(portrait=False)
        self.current: TechPage | None = None
        return dashboard

    def _arrange_nav(self, *, portrait: bool) -> None:
        """Landscape: one column of page buttons beside the page. Portrait: a three-column grid
        above it (a quarter of 1080 px is too narrow for the buttons' words)."""
        columns = 3 if portrait else 1
        if columns == self._nav_columns:
            return
        self._nav_columns = columns
        for button in self.nav.values():
            self._nav_grid.removeWidget(button)
        for index, button in enumerate(self.nav.values()):
            self._nav_grid.addWidget(button, index // columns, index % columns)
        self._nav_grid.setRowStretch(len(self.nav), 0 if portrait else 1)
        self._dash_row.setDirection(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        self._dash_row.setStretch(0, 0 if portrait else 1)

    # -- showing ---------------------------------------------------------------------------

    def open(self) -> None:
        rect = self._host.rect()
        self.setGeometry(rect)
        self._arrange_nav(portrait=rect.height() > rect.width())
        self.show()
        self.raise_()
        self.poll.start()
        if self.session.state is TechState.OPEN:
            self._show_dashboard()
        else:
            self._show_pin(None)

    def _show_pin(self, reason: str | None) -> None:
        self._leave_page()
        self.top.setCurrentWidget(self.pin_page)
        self.pin_page.show_for(reason)

    def _show_dashboard(self) -> None:
        self.pin_page.hide_page()
        self.top.setCurrentIndex(1)
        self.show_page(self.current.name if self.current is not None else "status")

    def show_page(self, name: str) -> None:
        if self.session.state is not TechState.OPEN:
            self._show_pin("tech_pin_reauth")
            return
        self.session.touch()
        page = self.pages[name]
        if page is not self.current:
            self._leave_page()
        self.current = page
        for key, button in self.nav.items():
            button.setChecked(key == name)
        self.content.setCurrentIndex(list(self.pages).index(name))
        page.entered()

    def _leave_page(self) -> None:
        if self.current is not None:
            self.current.left()

    def _watch_session(self) -> None:
        self.raise_()  # stay above the citizen window's own overlays (inactivity warning)
        if self.top.currentWidget() is self.pin_page:
            return
        if self.session.state is not TechState.OPEN:
            log.info("technician session locked while the dashboard was open")
            self._show_pin("tech_pin_reauth")

    def close_technician(self) -> None:
        self._leave_page()
        self.current = None
        self.pin_page.hide_page()
        self.poll.stop()
        self.session.logout()
        self.hide()
        self.closed.emit()

    def toggle_language(self) -> None:
        self.ctx.language = "en" if self.ctx.language == "id" else "id"
        self.retranslate()

    def retranslate(self) -> None:
        t = self.ctx.t
        self.title.setText(t("tech_title"))
        self.language_button.setText(t("tech_lang"))
        self.close_button.setText(t("tech_close"))
        for name, page in self.pages.items():
            self.nav[name].setText(t(page.nav_key))
            page.retranslate()
        self.pin_page.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize:
            self.setGeometry(self._host.rect())
            rect = self._host.rect()
            self._arrange_nav(portrait=rect.height() > rect.width())
        return False

    def shutdown(self) -> None:
        """Stop the camera, timers and the worker thread. Idempotent."""
        self._leave_page()
        self.poll.stop()
        self.pin_page.hide_page()
        self.runner.shutdown()
        self.tech_actions.close()


def _scrolled(page: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setObjectName(f"{page.objectName()}_scroll")
    area.setWidgetResizable(True)
    area.setWidget(page)
    return area
