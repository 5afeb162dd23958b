"""The attract loop: what the kiosk offers, one slide at a time.

The three tiles are real buttons that go straight to their flow (one tap from here to the
service list for a queue ticket); a touch anywhere else starts at the menu.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QGridLayout

from kiosk.engine.view import ChooseMenu, MenuOption, Screen, SessionView, Touch
from ui.screens.base import ScreenContext, ScreenPage, TileButton, make_label, refresh_style
from ui.screens.layout import page_column
from ui.widgets.service_icon import KINDS, ServiceIcon

SLIDES = ("attract_slide_print", "attract_slide_queue", "attract_slide_check")
TILE_KEYS = ("menu_print", "menu_queue", "menu_check")  # same order as the slides
OPTIONS = (MenuOption.PRINT, MenuOption.QUEUE, MenuOption.CHECK)
SLIDE_MS = 5000


class AttractPage(ScreenPage):
    screen_id = Screen.ATTRACT

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        metrics = context.metrics
        column = page_column(self, metrics)
        self.title = make_label("attract_title", "hero")
        self.office = make_label("attract_office", "body")
        self.office.setText(context.kiosk_name)
        self.slide = make_label("attract_slide", "title")
        for label in (self.title, self.office, self.slide):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tiles_grid = QGridLayout()
        self.tiles_grid.setSpacing(metrics.gap_px)
        self.icons: list[ServiceIcon] = []
        self.tiles: list[TileButton] = []
        for i, (kind, option) in enumerate(zip(KINDS, OPTIONS, strict=True)):
            tile = TileButton(
                f"attract_tile_{kind}",
                "tile",
                min_height=metrics.target_px,
                pad=metrics.gap_px // 2,
            )
            icon = ServiceIcon(kind, metrics)
            tile.set_icon(icon)
            tile.clicked.connect(lambda _=False, o=option: self._chosen(o))
            self.tiles_grid.addWidget(tile, 0, i)
            self.icons.append(icon)
            self.tiles.append(tile)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.office)
        column.addWidget(self.slide)
        self.reach.add(column, portrait=3, landscape=1)
        column.addLayout(self.tiles_grid, 4)
        self._slide_index = 0
        self._timer = QTimer(self)
        self._timer.setInterval(SLIDE_MS)
        self._timer.timeout.connect(self._next_slide)

    @property
    def captions(self) -> list[str]:
        return [tile.text() for tile in self.tiles]

    def arrange(self) -> None:
        # Large text: the tiles say what the slides say; their room goes to the tiles' words.
        self.slide.setVisible(not self.large)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("attract_title"))
        for tile, key in zip(self.tiles, TILE_KEYS, strict=True):
            tile.setText(self.t(key))
        self._show_slide()

    def _show_slide(self) -> None:
        self.slide.setText(self.t(SLIDES[self._slide_index]))
        for index, (icon, tile) in enumerate(zip(self.icons, self.tiles, strict=True)):
            active = index == self._slide_index
            icon.set_active(active)
            if tile.property("active") != ("true" if active else "false"):
                tile.setProperty("active", "true" if active else "false")
                refresh_style(tile)

    def entered(self) -> None:
        self._timer.start()

    def left(self) -> None:
        self._timer.stop()

    def _next_slide(self) -> None:
        self._slide_index = (self._slide_index + 1) % len(SLIDES)
        self._show_slide()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.send(Touch())  # beside the tiles: start at the menu
        event.accept()

    def _chosen(self, option: MenuOption) -> None:
        # Start, then straight on to the choice: the session handles intents in order.
        self.send(Touch())
        self.send(ChooseMenu(option))
