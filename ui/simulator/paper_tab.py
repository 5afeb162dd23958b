"""The virtual paper as it comes out: thumbnails of ticket and page PNGs, newest first.

The simulated printers write PNGs under ``<state>/paper``. A timer looks for new files; the
images are read and scaled on the worker thread (QImage is fine off the GUI thread), and only
the ready thumbnails are handed to the GUI.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ui.technician.tasks import TaskRunner

log = logging.getLogger(__name__)

POLL_MS = 1000
MAX_ITEMS = 60
THUMB = QSize(150, 210)


@dataclass(frozen=True, slots=True)
class Sheet:
    path: Path
    mtime: float
    thumb: QImage


def newest_pngs(folder: Path, limit: int) -> list[tuple[float, Path]]:
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*.png"):
        try:
            found.append((path.stat().st_mtime, path))
        except OSError:
            continue  # removed while we looked
    found.sort(key=lambda item: (item[0], str(item[1])), reverse=True)
    return found[:limit]


def load_sheets(folder: Path, known: frozenset[Path], limit: int) -> list[Sheet]:
    """Thumbnails of the newest PNGs not in ``known`` (runs on the worker thread)."""
    sheets = []
    for mtime, path in newest_pngs(folder, limit):
        if path in known:
            continue
        image = QImage(str(path))
        if image.isNull():
            continue  # still being written: the next poll takes it
        thumb = image.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                             Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        sheets.append(Sheet(path, mtime, thumb))
    return sheets


class PaperTab(QWidget):
    def __init__(self, paper_dir: Path, runner: TaskRunner) -> None:
        super().__init__()
        self.setObjectName("sim_paper")
        self.paper_dir = paper_dir
        self.runner = runner
        self.sheets: list[Sheet] = []
        self.list = QListWidget()
        self.list.setObjectName("sim_paper_list")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setIconSize(THUMB)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.count = QLabel("")
        self.count.setObjectName("sim_paper_count")
        column = QVBoxLayout(self)
        column.addWidget(QLabel(f"Virtual paper in {paper_dir}"))
        column.addWidget(self.list, 1)
        column.addWidget(self.count)
        self._loading = False
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        self.poll()

    def poll(self) -> None:
        if self._loading:
            return
        self._loading = True
        known = frozenset(sheet.path for sheet in self.sheets)
        folder = self.paper_dir
        self.runner.run(lambda: load_sheets(folder, known, MAX_ITEMS), self._add, self._failed)

    def _add(self, new: list[Sheet]) -> None:
        self._loading = False
        if not new:
            return
        self.sheets = sorted(
            [*self.sheets, *new], key=lambda s: (s.mtime, str(s.path)), reverse=True
        )[:MAX_ITEMS]
        self.list.clear()
        for sheet in self.sheets:
            item = QListWidgetItem(QIcon(QPixmap.fromImage(sheet.thumb)), _caption(sheet.path))
            item.setToolTip(str(sheet.path))
            self.list.addItem(item)
        self.count.setText(f"{len(self.sheets)} sheets (newest first)")

    def _failed(self, error: BaseException) -> None:
        self._loading = False
        log.warning("simulator panel: reading the virtual paper failed: %s", error)

    def shutdown(self) -> None:
        self.timer.stop()


def _caption(path: Path) -> str:
    return f"{path.parent.name}/{path.name}" if path.parent.name != "paper" else path.name
