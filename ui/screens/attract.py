"""The attract loop: what the kiosk offers, one slide at a time; any touch starts."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QMouseEvent

from kiosk.engine.view import Screen, SessionView, Touch
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.layout import page_column

SLIDES = ("attract_slide_print", "attract_slide_queue", "attract_slide_check")
SLIDE_MS = 5000


class AttractPage(ScreenPage):
    screen_id = Screen.ATTRACT

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("attract_title", "hero")
        self.slide = make_label("attract_slide", "title")
        self.start = make_button("attract_start", "primary")
        self.start.clicked.connect(self._touched)
        for label in (self.title, self.slide):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addStretch(1)
        column.addWidget(self.slide)
        column.addStretch(1)
        column.addWidget(self.start)
        self._slide_index = 0
        self._timer = QTimer(self)
        self._timer.setInterval(SLIDE_MS)
        self._timer.timeout.connect(self._next_slide)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("attract_title"))
        self.slide.setText(self.t(SLIDES[self._slide_index]))
        self.start.setText(self.t("attract_touch"))

    def entered(self) -> None:
        self._timer.start()

    def left(self) -> None:
        self._timer.stop()

    def _next_slide(self) -> None:
        self._slide_index = (self._slide_index + 1) % len(SLIDES)
        self.slide.setText(self.t(SLIDES[self._slide_index]))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._touched()
        event.accept()

    def _touched(self) -> None:
        self.send(Touch())
