"""Load a scenario file (scripted faults over time) and run it against the simulated kiosk.

The file is named by a path typed into the line edit or picked from the scenarios folder;
there is no file dialog anywhere in the kiosk.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPushButton, QVBoxLayout, QWidget

from kiosk.scenario import Scenario, ScenarioError, ScenarioRunner

log = logging.getLogger(__name__)

POLL_MS = 200


class ScenarioTab(QWidget):
    def __init__(self, kiosk: Any, folder: Path) -> None:
        super().__init__()
        self.setObjectName("sim_scenario")
        self.kiosk = kiosk
        self.folder = folder
        self.runner: ScenarioRunner | None = None
        self.total_steps = 0
        self.files = QListWidget()
        self.files.setObjectName("sim_scenario_files")
        self.files.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.files.currentTextChanged.connect(self._picked)
        self.path = QLineEdit()
        self.path.setObjectName("sim_scenario_path")
        self.path.setPlaceholderText("path to a scenario .toml")
        self.path.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.load = QPushButton("Load and run")
        self.load.setObjectName("sim_scenario_run")
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("sim_scenario_stop")
        for button in (self.load, self.stop_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.load.clicked.connect(self.run_scenario)
        self.stop_button.clicked.connect(self.stop)
        self.status = QLabel("")
        self.status.setObjectName("sim_scenario_status")
        self.status.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(QLabel(f"Scenarios in {folder}:"))
        column.addWidget(self.files, 1)
        column.addWidget(self.path)
        column.addWidget(self.load)
        column.addWidget(self.stop_button)
        column.addWidget(self.status)
        self.poll = QTimer(self)
        self.poll.setInterval(POLL_MS)
        self.poll.timeout.connect(self._progress)
        self.list_files()

    def list_files(self) -> None:
        self.files.clear()
        if self.folder.is_dir():
            for path in sorted(self.folder.glob("*.toml")):
                self.files.addItem(path.name)

    def _picked(self, name: str) -> None:
        if name:
            self.path.setText(str(self.folder / name))

    def run_scenario(self) -> None:
        text = self.path.text().strip()
        if not text:
            self.status.setText("type a path or pick a scenario")
            return
        try:
            scenario = Scenario.load(Path(text))
        except ScenarioError as exc:
            self.status.setText(f"not loaded: {exc}")
            return
        self.stop()
        self.runner = ScenarioRunner(scenario, self.kiosk.faults, self.kiosk.simulator)
        self.total_steps = len(scenario.step)
        self.runner.start()
        self.poll.start()
        log.info("simulator panel: running scenario %s (%d steps)", text, self.total_steps)
        self._progress()

    def _progress(self) -> None:
        runner = self.runner
        if runner is None:
            return
        done = len(runner.applied) + len(runner.errors)
        text = f"{len(runner.applied)}/{self.total_steps} steps applied"
        if runner.errors:
            text += "; errors: " + "; ".join(runner.errors[-3:])
        if done >= self.total_steps:
            text += " (finished)"
            self.poll.stop()
        self.status.setText(text)

    @property
    def finished(self) -> bool:
        runner = self.runner
        return runner is not None and len(runner.applied) + len(runner.errors) >= self.total_steps

    def stop(self) -> None:
        self.poll.stop()
        runner, self.runner = self.runner, None
        if runner is not None:
            runner.stop()

    def shutdown(self) -> None:
        self.stop()
