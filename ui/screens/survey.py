"""The satisfaction survey (IKM) after a session: one screen, skippable. Four faces on the
PermenPANRB 14/2017 scale (tidak baik, kurang baik, baik, sangat baik); once one is chosen,
optional reason chips for it; "Kirim" sends, "Lewati" ends without an answer.

The choice stays on this page until it is sent; the engine checks it again (score 1-4, reasons
offered for that score) and keeps it. Nothing here can be typed: no names, no free text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout

from kiosk.engine.view import Back, Rate, Screen, SessionView
from kiosk.feedback import SCORES, reasons_for
from ui.screens.base import ScreenContext, ScreenPage, make_button, make_label
from ui.screens.layout import page_column
from ui.widgets.controls import TileButton
from ui.widgets.face_icon import FaceIcon

MAX_REASONS = 4


class SurveyPage(ScreenPage):
    screen_id = Screen.SURVEY

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        metrics = context.metrics
        column = page_column(self, metrics)
        self.title = make_label("survey_title", "title")
        self.anonymous = make_label("survey_anonymous")
        column.addWidget(self.title)
        column.addWidget(self.anonymous)
        self.reach.add(column, portrait=1)
        self.faces_grid = QGridLayout()
        self.faces_grid.setSpacing(metrics.gap_px)
        self.faces: dict[int, TileButton] = {}
        self.icons: dict[int, FaceIcon] = {}
        for score in SCORES:
            tile = self.tile(f"survey_score_{score}", "secondary")
            tile.setCheckable(True)
            icon = FaceIcon(score, metrics)
            tile.set_icon(icon)
            tile.clicked.connect(lambda _=False, s=score: self._choose(s))
            tile.setMaximumHeight(metrics.target_px * 3)
            self.faces[score], self.icons[score] = tile, icon
        column.addLayout(self.faces_grid)
        self.why = make_label("survey_why")
        column.addWidget(self.why)
        self.chips_grid = QGridLayout()
        self.chips_grid.setSpacing(metrics.gap_px)
        self.chips: list[TileButton] = []
        for index in range(MAX_REASONS):
            chip = self.tile(f"survey_reason_{index}", "secondary")
            chip.setCheckable(True)
            self.chips.append(chip)
        column.addLayout(self.chips_grid)
        self.reach.add(column, portrait=0, landscape=1)
        self.skip = make_button("survey_skip", "secondary")
        self.skip.clicked.connect(lambda: self.send(Back()))
        self.submit = make_button("survey_send", "primary")
        self.submit.clicked.connect(self._send)
        row = self.action_row()
        row.addWidget(self.skip, 1)
        row.addWidget(self.submit, 2)
        column.addLayout(row)
        self.score: int | None = None
        self._place_faces()

    def _place_faces(self) -> None:
        columns = 2 if self.portrait else 4
        for index, score in enumerate(SCORES):
            tile = self.faces[score]
            self.faces_grid.removeWidget(tile)
            self.faces_grid.addWidget(tile, index // columns, index % columns)
        for col in range(len(SCORES)):
            self.faces_grid.setColumnStretch(col, 1 if col < columns else 0)
        chip_columns = 2 if self.portrait or self.large else MAX_REASONS
        for index, chip in enumerate(self.chips):
            self.chips_grid.removeWidget(chip)
            self.chips_grid.addWidget(chip, index // chip_columns, index % chip_columns)
        for col in range(MAX_REASONS):
            self.chips_grid.setColumnStretch(col, 1 if col < chip_columns else 0)

    def arrange(self) -> None:
        self._place_faces()
        self.anonymous.setVisible(not self.large)  # large text: the room goes to the faces

    def entered(self) -> None:
        self.score = None
        for tile in (*self.faces.values(), *self.chips):
            tile.setChecked(False)

    def _choose(self, score: int) -> None:
        if score != self.score:
            for chip in self.chips:
                chip.setChecked(False)
        self.score = score
        for other, tile in self.faces.items():
            tile.setChecked(other == score)
        self._render_choice()

    def _reasons(self) -> tuple[str, ...]:
        return reasons_for(self.score) if self.score is not None else ()

    def _send(self) -> None:
        if self.score is None:
            return
        offered = self._reasons()
        chosen = tuple(
            code for code, chip in zip(offered, self.chips, strict=False) if chip.isChecked()
        )
        self.send(Rate(score=self.score, reasons=chosen))

    def _render_choice(self) -> None:
        offered = self._reasons()
        # Large text on a landscape panel: the chips say it (the spoken prompt too).
        self.why.setVisible(bool(offered) and not (self.large and not self.portrait))
        for index, chip in enumerate(self.chips):
            if index < len(offered):
                chip.setText(self.t(f"reason_{offered[index]}"))
                chip.show()
            else:
                chip.hide()
        self.submit.setEnabled(self.score is not None)

    def render_view(self, view: SessionView) -> None:
        self.title.setText(self.t("survey_title"))
        self.anonymous.setText(self.t("survey_anonymous"))
        for score, tile in self.faces.items():
            tile.setText(self.t(f"score_{score}"))
        self.why.setText(self.t("survey_why"))
        self.skip.setText(self.t("survey_skip"))
        self.submit.setText(self.t("survey_send"))
        self._render_choice()
