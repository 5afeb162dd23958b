"""The menu: print a document, take a queue ticket, check a document; below them, service
information (requirements, fees, service times)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QSizePolicy

from kiosk.engine.view import ChooseMenu, MenuOption, Screen, SessionView, ShowInfo
from ui.screens.base import ScreenContext, ScreenPage, TileButton, make_label
from ui.screens.layout import page_column, row_or_column

_OPTIONS = (
    (MenuOption.PRINT, "menu_print", "menu_print_hint"),
    (MenuOption.QUEUE, "menu_queue", "menu_queue_hint"),
    (MenuOption.CHECK, "menu_check", "menu_check_hint"),
)


class MenuPage(ScreenPage):
    screen_id = Screen.MENU

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        column = page_column(self, context.metrics)
        self.title = make_label("menu_title", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reach.add(column, portrait=1)
        self.notice = make_label("menu_notice", "notice")  # why an option is off: read first
        self.notice.hide()
        column.addWidget(self.notice)
        column.addWidget(self.title)
        self.buttons: dict[MenuOption, TileButton] = {}
        # Landscape: three tall tiles side by side (like the attract loop); portrait: stacked.
        self.tiles = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.tiles.setSpacing(context.metrics.gap_px)
        for option, name, _ in _OPTIONS:
            button = self.tile(name, "primary")
            button.setMaximumHeight(context.metrics.target_px * 4)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _=False, o=option: self.send(ChooseMenu(o)))
            self.buttons[option] = button
            self.tiles.addWidget(button, 1)
        column.addLayout(self.tiles, 2)
        self.info = self.tile("menu_info", "secondary")
        self.info.clicked.connect(lambda: self.send(ShowInfo()))
        column.addWidget(self.info)
        self.reach.add(column, portrait=0, landscape=1)

    def arrange(self) -> None:
        self.tiles.setDirection(row_or_column(not self.portrait))
        for button in self.buttons.values():
            target = self.context.metrics.target_px
            button.setMaximumHeight(target * 5 if not self.portrait else target * 5 // 2)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("menu_title"))
        self.notice.setVisible(view.notice is not None)
        if view.notice is not None:
            self.notice.setText(self.t(view.notice))
        for option, name, hint in _OPTIONS:
            available = view.menu.get(option, True)
            button = self.buttons[option]
            second = self.t(hint) if available else self.t("menu_unavailable")
            if self.large and not self.portrait and available:
                second = ""  # large text, landscape: the words that fit (the prompt says more)
            button.setText(f"{self.t(name)}\n{second}".strip())
            button.setEnabled(available and not view.busy)
        hint = "" if self.large else f": {self.t('menu_info_hint')}"
        self.info.setText(f"{self.t('menu_info')}{hint}")
        self.info.setEnabled(not view.busy)
