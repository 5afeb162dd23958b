"""The attract loop: what the kiosk offers, one slide at a time; any touch starts."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from kiosk.engine.view import Screen, SessionView, Touch
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.layout import page_column
from ui.widgets.service_icon import KINDS, ServiceIcon

SLIDES = ("attract_slide_print", "attract_slide_queue", "attract_slide_check")
TILE_KEYS = ("menu_print", "menu_queue", "menu_check")  # same order as the slides
SLIDE_MS = 5000


class AttractPage(ScreenPage):
    screen_id = Screen.ATTRACT

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        metrics = context.metrics
        column = page_column(self, metrics)
        self.title = make_label("attract_title", "hero")
        self.slide = make_label("attract_slide", "title")
        self.start = make_button("attract_start", "primary")
        self.start.setMinimumHeight(metrics.target_px * 2)
        self.start.clicked.connect(self._touched)
        for label in (self.title, self.slide):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        tiles = QHBoxLayout()
        tiles.setSpacing(metrics.margin_px)
        self.icons: list[ServiceIcon] = []
        self.captions: list[QLabel] = []
        for kind in KINDS:
            tile = QVBoxLayout()
            icon = ServiceIcon(kind, metrics)
            caption = make_label(f"attract_tile_{kind}", "body")
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            tile.addWidget(icon, 1)
            tile.addWidget(caption)
            tiles.addLayout(tile, 1)
            self.icons.append(icon)
            self.captions.append(caption)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addStretch(1)
        column.addLayout(tiles, 4)
        column.addWidget(self.slide)
        column.addStretch(1)
        column.addWidget(self.start)
        self._slide_index = 0
        self._timer = QTimer(self)
        self._timer.setInterval(SLIDE_MS)
        self._timer.timeout.connect(self._next_slide)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("attract_title"))
        self.start.setText(self.t("attract_touch"))
        for caption, key in zip(self.captions, TILE_KEYS, strict=True):
            caption.setText(self.t(key))
        self._show_slide()

    def _show_slide(self) -> None:
        self.slide.setText(self.t(SLIDES[self._slide_index]))
        for index, icon in enumerate(self.icons):
            icon.set_active(index == self._slide_index)

    def entered(self) -> None:
        self._timer.start()

    def left(self) -> None:
        self._timer.stop()

    def _next_slide(self) -> None:
        self._slide_index = (self._slide_index + 1) % len(SLIDES)
        self._show_slide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._touched()
        event.accept()

    def _touched(self) -> None:
        self.send(Touch())
