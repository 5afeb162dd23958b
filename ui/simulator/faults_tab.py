"""Inject and clear device faults and registry faults (outage, latency, error rate).

Each simulated device gets a row of toggle buttons, one per fault it supports, and a line with
its live state. Registry faults act on the in-process registry simulator.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from devices.faults import Fault, FaultInjectable

log = logging.getLogger(__name__)

LATENCIES_MS = (0, 500, 2000, 9000)
ERROR_RATES = (0.0, 0.2, 0.5, 1.0)


def _toggle(name: str, text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setCheckable(True)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class FaultsTab(QWidget):
    device_event = Signal()  # from device threads

    def __init__(self, kiosk: Any) -> None:
        super().__init__()
        self.setObjectName("sim_faults")
        self.kiosk = kiosk
        self.fault_buttons: dict[tuple[str, Fault], QPushButton] = {}
        self.state_labels: dict[str, QLabel] = {}
        column = QVBoxLayout(self)
        for name, device in kiosk.faults.injectable().items():
            column.addWidget(self._device_box(name, device))
        column.addWidget(self._registry_box())
        self.message = QLabel("")
        self.message.setObjectName("sim_faults_message")
        self.message.setWordWrap(True)
        column.addWidget(self.message)
        column.addStretch(1)
        self.device_event.connect(self.refresh)
        self._unsubscribe: Callable[[], None] = kiosk.devices.subscribe(
            lambda _: self.device_event.emit()
        )
        self.refresh()

    def _device_box(self, name: str, device: FaultInjectable) -> QGroupBox:
        box = QGroupBox(name)
        box.setObjectName(f"sim_device_{name}")
        grid = QGridLayout(box)
        state = QLabel("")
        state.setObjectName(f"sim_state_{name}")
        state.setWordWrap(True)
        self.state_labels[name] = state
        grid.addWidget(state, 0, 0, 1, 3)
        for i, fault in enumerate(sorted(device.supported_faults, key=lambda f: f.value)):
            button = _toggle(f"sim_fault_{name}_{fault.value}", fault.value.replace("_", " "))
            button.toggled.connect(lambda on, n=name, f=fault: self.set_fault(n, f, on))
            self.fault_buttons[(name, fault)] = button
            grid.addWidget(button, 1 + i // 3, i % 3)
        return box

    def _registry_box(self) -> QGroupBox:
        box = QGroupBox("registry")
        box.setObjectName("sim_registry")
        grid = QGridLayout(box)
        self.outage = _toggle("sim_registry_outage", "outage")
        self.outage.toggled.connect(self.set_outage)
        grid.addWidget(self.outage, 0, 0, 1, 4)
        self.latency: dict[int, QPushButton] = {}
        for i, ms in enumerate(LATENCIES_MS):
            button = _toggle(f"sim_registry_latency_{ms}", f"{ms} ms")
            button.clicked.connect(lambda _=False, v=ms: self.set_latency(v))
            self.latency[ms] = button
            grid.addWidget(button, 1, i)
        self.error_rate: dict[float, QPushButton] = {}
        for i, rate in enumerate(ERROR_RATES):
            button = _toggle(f"sim_registry_errors_{int(rate * 100)}", f"{rate:.0%} errors")
            button.clicked.connect(lambda _=False, v=rate: self.set_error_rate(v))
            self.error_rate[rate] = button
            grid.addWidget(button, 2, i)
        self.latency[0].setChecked(True)
        self.error_rate[0.0].setChecked(True)
        box.setEnabled(self.kiosk.simulator is not None)
        return box

    def set_fault(self, name: str, fault: Fault, on: bool) -> None:
        try:
            (self.kiosk.faults.inject if on else self.kiosk.faults.clear)(name, fault)
        except Exception as exc:
            log.warning("simulator panel: %s %s on %s failed: %s", on, fault, name, exc)
            self.message.setText(f"{fault.value} on {name}: {exc}")
            return
        self.message.setText(f"{'injected' if on else 'cleared'} {fault.value} on {name}")
        self.refresh()

    def set_outage(self, on: bool) -> None:
        self.kiosk.simulator.set_outage(on)
        self.message.setText(f"registry {'down' if on else 'up'}")

    def set_latency(self, ms: int) -> None:
        self.kiosk.simulator.set_latency(ms)
        for value, button in self.latency.items():
            button.setChecked(value == ms)
        self.message.setText(f"registry latency {ms} ms")

    def set_error_rate(self, rate: float) -> None:
        self.kiosk.simulator.set_error_rate(rate)
        for value, button in self.error_rate.items():
            button.setChecked(value == rate)
        self.message.setText(f"registry error rate {rate:.0%}")

    def refresh(self) -> None:
        """Device states, and the toggles following faults set elsewhere (a scenario)."""
        for name, label in self.state_labels.items():
            device = self.kiosk.devices.get(name)
            if device is None:
                continue
            status = device.status
            parts = [status.state.value]
            for key, value in (("paper", status.paper), ("cards", status.cards)):
                if value.value not in ("ok", "unknown"):
                    parts.append(f"{key} {value.value}")
            if status.last_error is not None:
                parts.append(status.last_error.code)
            label.setText(", ".join(parts))
            active = self.kiosk.faults.active(name)
            for (dev, fault), button in self.fault_buttons.items():
                if dev == name and button.isChecked() != (fault in active):
                    button.blockSignals(True)
                    button.setChecked(fault in active)
                    button.blockSignals(False)

    def shutdown(self) -> None:
        self._unsubscribe()
        self._unsubscribe = lambda: None
