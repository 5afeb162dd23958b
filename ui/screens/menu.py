"""The menu: print a document, take a queue ticket, check a document."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy

from kiosk.engine.view import ChooseMenu, MenuOption, Screen, SessionView
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.layout import page_column

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
        column.addWidget(self.title)
        self.buttons = {}
        for option, name, _ in _OPTIONS:
            button = make_button(name, "primary")
            button.setMinimumHeight(context.metrics.target_px * 2)
            button.setMaximumHeight(context.metrics.target_px * 5)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.clicked.connect(lambda _=False, o=option: self.send(ChooseMenu(o)))
            self.buttons[option] = button
            column.addWidget(button, 2)
        self.notice = make_label("menu_notice", "notice")
        self.notice.hide()
        column.addWidget(self.notice)
        column.addStretch(1)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("menu_title"))
        self.notice.setVisible(view.notice is not None)
        if view.notice is not None:
            self.notice.setText(self.t(view.notice))
        for option, name, hint in _OPTIONS:
            available = view.menu.get(option, True)
            button = self.buttons[option]
            second = self.t(hint) if available else self.t("menu_unavailable")
            button.setText(f"{self.t(name)}\n{second}")
            button.setEnabled(available and not view.busy)
