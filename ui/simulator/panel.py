"""The simulator panel beside the kiosk window in ``kiosk run --simulate``.

``build_panel(kiosk, config)`` is the hook :mod:`ui.app` looks for. Tabs: the simulator's
vouchers (hold a QR or a NIK barcode to the simulated camera), device and registry faults,
scenario files, and the virtual paper. It is a developer's tool, so it is in English and uses
a smaller type than the citizen screens. Everything it starts stops in :meth:`shutdown`
(called on the application's ``aboutToQuit``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication, QTabWidget, QVBoxLayout, QWidget

from kiosk.config.loader import bundled_config
from kiosk.config.models import KioskConfig
from ui.simulator.faults_tab import FaultsTab
from ui.simulator.paper_tab import PaperTab
from ui.simulator.scenario_tab import ScenarioTab
from ui.simulator.vouchers_tab import VouchersTab
from ui.technician.tasks import TaskRunner

log = logging.getLogger(__name__)

PANEL_STYLE = """
#simulator_panel, #simulator_panel QWidget { font-size: 11pt; }
#simulator_panel QPushButton { min-height: 28px; min-width: 0px; padding: 4px; }
#simulator_panel QPushButton:checked { font-weight: bold; }
"""


def scenarios_folder(config: KioskConfig) -> Path:
    if config.source is not None:
        return config.source.parent / "scenarios"
    return bundled_config("scenarios")


class SimulatorPanel(QWidget):
    def __init__(self, kiosk: Any, config: KioskConfig) -> None:
        super().__init__()
        self.setObjectName("simulator_panel")
        self.setStyleSheet(PANEL_STYLE)
        self.runner = TaskRunner(self)
        self.vouchers = VouchersTab(kiosk, self.runner)
        self.faults = FaultsTab(kiosk)
        self.scenario = ScenarioTab(kiosk, scenarios_folder(config))
        self.paper = PaperTab(Path(kiosk.paper_dir), self.runner)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sim_tabs")
        self.tabs.addTab(self.vouchers, "Vouchers")
        self.tabs.addTab(self.faults, "Faults")
        self.tabs.addTab(self.scenario, "Scenario")
        self.tabs.addTab(self.paper, "Paper")
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.tabs)
        self._stopped = False
        self.tabs.currentChanged.connect(self._tab_changed)
        self.vouchers.refresh()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.vouchers and not self._stopped:
            self.vouchers.refresh()  # statuses change as vouchers are printed

    def shutdown(self) -> None:
        """Stop the scenario, timers, listeners and the worker thread. Idempotent."""
        if self._stopped:
            return
        self._stopped = True
        self.scenario.shutdown()
        self.paper.shutdown()
        self.faults.shutdown()
        self.runner.shutdown()


def build_panel(kiosk: Any, config: KioskConfig) -> SimulatorPanel:
    panel = SimulatorPanel(kiosk, config)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(panel.shutdown)
    return panel
