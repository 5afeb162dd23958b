"""Scanning a code: a live preview, a drawing of how to hold it, and steps in words.

Used for the voucher (SCAN) and for the authenticity check (CHECK_SCAN). The camera runs only
while such a page is current. Codes from any reader (the camera, a keyboard-wedge or serial
scanner) go to the engine as ``CodeScanned`` intents, refused reads as ``ScanFailed``.
"""

from __future__ import annotations

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.engine.view import (
    Back,
    CodeScanned,
    ScanFailed,
    Screen,
    SessionView,
    ShowHelp,
    StartManualNik,
)
from ui.camera_feed import CameraFeed
from ui.screens.base import ScreenContext, ScreenPage, make_label
from ui.screens.layout import page_column, row_or_column
from ui.widgets.camera_preview import CameraPreview
from ui.widgets.scan_guide import ScanGuide

GUIDE_MIN_PAGE_PX = 850  # pages shorter than this (1366 x 768) leave the drawing out


class ScanPageBase(ScreenPage):
    steps: tuple[str, ...] = ()
    short_key = ""
    title_key = ""
    document_guide = False

    def __init__(self, context: ScreenContext, feed: CameraFeed | None) -> None:
        super().__init__(context)
        metrics = context.metrics
        column = page_column(self, metrics)
        self.title = make_label(f"{self.screen_id.value}_title", "title")
        column.addWidget(self.title)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(metrics.gap_px)
        self.preview = CameraPreview(metrics)
        self.body.addWidget(self.preview, 3)
        side = QWidget()
        side_column = QVBoxLayout(side)
        side_column.setContentsMargins(0, 0, 0, 0)
        side_column.setSpacing(metrics.spacing_px)
        self.guide = ScanGuide(metrics, document=self.document_guide)
        side_column.addWidget(self.guide, 1)
        self.step_labels = [make_label(f"{self.screen_id.value}_{key}") for key in self.steps]
        for label in self.step_labels:
            side_column.addWidget(label)
        self.short = make_label(f"{self.screen_id.value}_short")
        self.short.hide()
        side_column.addWidget(self.short)
        self.body.addWidget(side, 2)
        column.addLayout(self.body, 1)
        self.notice = make_label(f"{self.screen_id.value}_notice", "notice")
        self.notice.hide()
        column.addWidget(self.notice)
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(metrics.gap_px)
        self.back = self.tile(f"{self.screen_id.value}_back", "secondary")
        self.back.clicked.connect(lambda: self.send(Back()))
        self.buttons.addWidget(self.back, 3)
        column.addLayout(self.buttons)
        self.feed: CameraFeed | None = None
        self.set_feed(feed)

    def set_feed(self, feed: CameraFeed | None) -> None:
        """Use ``feed`` for the preview (the camera may come later than the page)."""
        if feed is self.feed:
            return
        if self.feed is not None:
            self.feed.frame_ready.disconnect(self._show_frame)
        self.feed = feed
        if feed is not None:
            feed.frame_ready.connect(self._show_frame)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t(self.title_key))
        for key, label in zip(self.steps, self.step_labels, strict=True):
            label.setText(self.t(key))
            label.setVisible(not self.large)
        self.preview.set_placeholder(self.t("scan_preview_waiting"))
        self.back.setText(self.t("back"))
        notice = "verifying" if view.busy else view.notice
        self.notice.setVisible(notice is not None)
        if notice is not None:  # a booking refusal says its times in words
            values = view.booking.values() if view.booking is not None else {}
            self.notice.setText(self.t(notice, **values))
        # Large text: one short instruction beside the camera (the spoken prompt has all the
        # steps); a notice, when there is one, takes its place.
        self.short.setText(self.t(self.short_key))
        self.short.setVisible(self.large and notice is None)

    def entered(self) -> None:
        self.preview.clear()
        if self.feed is not None:
            self.feed.code_seen.connect(self._on_code)
            self.feed.scan_refused.connect(self._on_refused)
            self.feed.start()

    def left(self) -> None:
        if self.feed is not None:
            self.feed.code_seen.disconnect(self._on_code)
            self.feed.scan_refused.disconnect(self._on_refused)
            self.feed.stop()
        self.preview.clear()

    def _show_frame(self, image: QImage) -> None:
        if self.isVisible():
            self.preview.show_frame(image)
        assert self.feed is not None
        self.feed.frame_consumed()

    def _on_code(self, text: str, fmt: str) -> None:
        self.send(CodeScanned(text=text, format=fmt))

    def _on_refused(self, reason: str) -> None:
        self.send(ScanFailed(reason=reason))

    def arrange(self) -> None:
        """Portrait: the preview above the steps. Large text: the steps get the room the
        drawing of how to hold the code had (the spoken prompt says it too)."""
        self.body.setDirection(row_or_column(not self.portrait))
        # The drawing of how to hold the code needs room the steps need more on a short panel.
        self.guide.setVisible(not self.large and self.height() >= GUIDE_MIN_PAGE_PX)
        self.body.setStretch(0, 2 if self.large and not self.portrait else 3)
        self.body.setStretch(1, 3 if self.large and not self.portrait else 2)


class ScanPage(ScanPageBase):
    screen_id = Screen.SCAN
    title_key = "scan_title"
    steps = ("scan_step_1", "scan_step_2", "scan_step_3")
    short_key = "scan_short"

    def __init__(self, context: ScreenContext, feed: CameraFeed | None) -> None:
        super().__init__(context, feed)
        self.help = self.tile("scan_help", "secondary")
        self.help.clicked.connect(lambda: self.send(ShowHelp()))
        self.buttons.addWidget(self.help, 4)
        self.manual = self.tile("scan_manual_nik", "primary")
        self.manual.clicked.connect(lambda: self.send(StartManualNik()))
        self.buttons.addWidget(self.manual, 4)

    def render_view(self, view: SessionView) -> None:
        super().render_view(view)
        self.manual.setText(f"{self.t('scan_no_code')} {self.t('scan_manual_nik')}")
        self.manual.setEnabled(not view.busy)
        self.help.setText(self.t("help_button"))
        self.help.setEnabled(not view.busy)


class CheckScanPage(ScanPageBase):
    screen_id = Screen.CHECK_SCAN
    title_key = "check_title"
    steps = ("check_hint",)
    short_key = "check_short"
    document_guide = True
