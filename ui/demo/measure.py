"""The demo measures its own screens: the issue's goals, from what was really on screen.

At every screenshot of the citizen window :class:`Measurements` records, per screen and text
size, the smallest text (px), the smallest touch target and gap between targets (px), the
lowest contrast of any text as drawn, and whatever does not fit; it also refuses a screenshot
whose texts hold a whole NIK (a run of 16 digits, spaces or dots between groups allowed).
Journeys count taps from the attract screen. ``journeys.json`` gets all of it.
"""

from __future__ import annotations

import json
import re
import wave
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QPushButton, QWidget

from ui.demo.screen_checks import (
    MIN_CONTRAST,
    fit_problems,
    gap_between,
    goal_problems,
    in_chrome,
    rect_in,
    text_contrasts,
    visible_leaves,
)
from ui.widgets.controls import TileButton
from ui.window import KioskWindow

_NIK_RUN = re.compile(r"(?<![0-9])(?:[0-9][ .\-]?){15}[0-9](?![0-9])")
GOALS = {
    "queue_ticket_taps": 2,
    "kk_with_voucher_taps": 8,
    "family_three_documents_taps": 16,
    "body_px": 32,
    "large_body_px": 48,
    "target_px": 90,
    "gap_px": 24,
    "contrast": 7.0,
}


def texts_of(root: QWidget) -> list[str]:
    """Every text the widgets under ``root`` hold (labels, buttons, fields, table cells)."""
    found = [w.text() for w in root.findChildren(QLabel) + root.findChildren(QPushButton)]
    found += [w.text() for w in root.findChildren(QLineEdit)]
    for view in root.findChildren(QAbstractItemView):
        if not view.isVisibleTo(root):
            continue
        model = view.model()
        if model is None:
            continue
        for r in range(model.rowCount()):
            for c in range(model.columnCount()):
                value = model.data(model.index(r, c))
                if value is not None:
                    found.append(str(value))
    return [t for t in found if t]


def nik_runs(texts: list[str]) -> list[str]:
    """Texts holding a whole NIK (16 digits, maybe grouped): none may be on a screenshot."""
    return [t for t in texts if _NIK_RUN.search(t)]


@dataclass
class ScreenFigures:
    shots: int = 0
    min_text_px: int | None = None
    min_target_px: int | None = None
    min_gap_px: int | None = None
    min_contrast: float | None = None
    problems: list[str] = field(default_factory=list)

    def take(
        self, text_px: int | None, target: int | None, gap: int | None, contrast: float | None
    ) -> None:
        self.shots += 1
        self.min_text_px = _low(self.min_text_px, text_px)
        self.min_target_px = _low(self.min_target_px, target)
        self.min_gap_px = _low(self.min_gap_px, gap)
        self.min_contrast = _low(
            self.min_contrast, None if contrast is None else round(contrast, 2)
        )


def _low(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else min(a, b)


@dataclass
class Journey:
    name: str
    taps: int
    goal: int
    reached: str  # the screen it ended on


class Measurements:
    def __init__(self) -> None:
        self.screens: dict[str, ScreenFigures] = {}
        self.journeys: list[Journey] = []
        self.nik_leaks: list[str] = []
        self.prompts: dict[str, dict[str, float]] = {}

    def shot(self, window: KioskWindow, shot_name: str) -> list[str]:
        """Measure the window as it is now; returns the problems found on it."""
        problems = [f"{shot_name}: a whole NIK on screen" for _ in nik_runs(texts_of(window))]
        self.nik_leaks += problems
        view = window.current_view
        if view is None or window.metrics.scale != 1.0:
            return problems
        key = f"{view.screen.value} ({'large' if view.large_text else 'normal'} text)"
        figures = self.screens.setdefault(key, ScreenFigures())
        portrait = window.height() > window.width()
        found = fit_problems(window) + goal_problems(
            window, large=view.large_text, portrait=portrait
        )
        contrasts = text_contrasts(window)
        for widget, measured in contrasts:
            if measured is not None and measured[0] < MIN_CONTRAST:
                found.append(f"{widget.objectName()}: {measured[1]} on {measured[2]}")
        ratios = [measured[0] for _, measured in contrasts if measured is not None]
        text_px, target, gap = self._figures(window)
        figures.take(text_px, target, gap, min(ratios, default=None))
        figures.problems += [f"{shot_name}: {p}" for p in found]
        return problems + found

    @staticmethod
    def _figures(window: KioskWindow) -> tuple[int | None, int | None, int | None]:
        leaves = visible_leaves(window)
        sizes = [
            QFontInfo(w.font()).pixelSize()
            for w in leaves
            if isinstance(w, QLabel | QPushButton)
            and not isinstance(w, TileButton)
            and w.text()
            and not in_chrome(w, window)
        ]
        buttons = [w for w in leaves if isinstance(w, QPushButton)]
        targets = [min(b.width(), b.height()) for b in buttons]
        gaps = [
            g
            for a, b in combinations(buttons, 2)
            if (g := gap_between(rect_in(a, window), rect_in(b, window))) is not None
        ]
        return min(sizes, default=None), min(targets, default=None), min(gaps, default=None)

    def journey(self, name: str, taps: int, goal: int, reached: str) -> None:
        self.journeys.append(Journey(name, taps, goal, reached))

    def prompt_audio(self, screen: str, language: str, wav: Path) -> None:
        with wave.open(str(wav), "rb") as sound:
            seconds = sound.getnframes() / sound.getframerate()
        self.prompts.setdefault(screen, {})[language] = round(seconds, 2)

    @property
    def ok(self) -> bool:
        journeys_ok = all(j.taps <= j.goal for j in self.journeys)
        screens_ok = all(not f.problems for f in self.screens.values())
        prompts_ok = all(set(p) >= {"id", "en"} for p in self.prompts.values())
        return journeys_ok and screens_ok and prompts_ok and not self.nik_leaks

    def to_dict(self) -> dict[str, Any]:
        return {
            "goals": GOALS,
            "ok": self.ok,
            "journeys": [j.__dict__ for j in self.journeys],
            "screens": {k: v.__dict__ for k, v in sorted(self.screens.items())},
            "prompts_seconds": self.prompts,
            "nik_on_screenshots": self.nik_leaks,
        }

    def write(self, out: Path) -> Path:
        path = out / "journeys.json"
        path.write_text(json.dumps(self.to_dict(), indent=2, ensure_ascii=False), "utf-8")
        return path
