"""The simulator's vouchers, and buttons that hold one up to the simulated camera.

The table shows vid, document, PIN (synthetic, the simulator's own) and the holder's NIK masked;
the whole NIK is only ever drawn as a barcode in front of the camera, never shown or logged.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from devices.ports import CodeFormat
from ui.technician.tasks import TaskRunner

log = logging.getLogger(__name__)

COLUMNS = ("vid", "doc", "PIN", "status", "NIK")


def _button(name: str, text: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


class VouchersTab(QWidget):
    def __init__(self, kiosk: Any, runner: TaskRunner) -> None:
        super().__init__()
        self.setObjectName("sim_vouchers")
        self.kiosk = kiosk
        self.runner = runner
        self.vouchers: list[dict[str, Any]] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("sim_voucher_table")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._selection)
        self.refresh_button = _button("sim_vouchers_refresh", "Refresh")
        self.present_qr = _button("sim_present_qr", "Present QR to camera")
        self.present_nik = _button("sim_present_nik", "Present NIK barcode")
        self.remove = _button("sim_remove_code", "Remove from camera")
        self.refresh_button.clicked.connect(self.refresh)
        self.present_qr.clicked.connect(self._present_qr)
        self.present_nik.clicked.connect(self._present_nik)
        self.remove.clicked.connect(self._remove)
        self.status = QLabel("")
        self.status.setObjectName("sim_vouchers_status")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.present_qr)
        row.addWidget(self.present_nik)
        # Whole-code scanners (keyboard wedge, serial) type the voucher's QR text themselves.
        self.scanners = {
            name: device
            for name in kiosk.devices.names
            if callable(getattr(device := kiosk.devices.get(name), "scan", None))
        }
        self.scan_buttons: dict[str, QPushButton] = {}
        scanners_row = QHBoxLayout()
        for name in self.scanners:
            button = _button(f"sim_scan_{name}", f"Scan QR with {name}")
            button.clicked.connect(lambda _=False, n=name: self._scan_with(n))
            self.scan_buttons[name] = button
            scanners_row.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(self.refresh_button)
        column.addWidget(self.table, 1)
        column.addLayout(row)
        column.addLayout(scanners_row)
        column.addWidget(self.remove)
        column.addWidget(self.status)
        self.camera = kiosk.devices.get("camera")
        self.remove.setEnabled(self.camera is not None)
        self._selection()

    def refresh(self) -> None:
        if self.kiosk.simulator is None:
            self.status.setText("no registry simulator is running")
            return
        self.runner.run(self.kiosk.simulator.list_vouchers, self._show, self._failed)

    def _show(self, vouchers: list[dict[str, Any]]) -> None:
        self.vouchers = vouchers
        self.table.setRowCount(len(vouchers))
        for r, v in enumerate(vouchers):
            cells = (v["vid"], v["doc"], v["pin"], v["status"], v["holder_nik_masked"])
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(str(text)))
        self.status.setText(f"{len(vouchers)} vouchers")
        self._selection()

    def _failed(self, error: BaseException) -> None:
        log.warning("simulator panel: listing vouchers failed: %s", error)
        self.status.setText(f"could not list vouchers: {type(error).__name__}")

    def select(self, vid: str) -> None:
        for row, v in enumerate(self.vouchers):
            if v["vid"] == vid:
                self.table.selectRow(row)
                return
        raise KeyError(vid)

    def selected(self) -> dict[str, Any] | None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        return self.vouchers[rows.pop()] if len(rows) == 1 else None

    def _selection(self) -> None:
        chosen = self.selected() is not None and self.camera is not None
        self.present_qr.setEnabled(chosen)
        self.present_nik.setEnabled(chosen)
        for button in self.scan_buttons.values():
            button.setEnabled(self.selected() is not None)

    def _scan_with(self, name: str) -> None:
        voucher = self.selected()
        if voucher is None:
            return
        scanner = self.scanners[name]
        self.runner.run(
            lambda: scanner.scan(voucher["token"]),
            lambda _: None,
            lambda error: self.status.setText(f"{name} could not scan: {type(error).__name__}"),
        )
        self.status.setText(f"{name} scanned the QR of {voucher['vid']} (PIN {voucher['pin']})")

    def _present_qr(self) -> None:
        voucher = self.selected()
        if voucher is not None and self.camera is not None:
            self.camera.present(voucher["token"], CodeFormat.QR)
            self.status.setText(f"showing the QR of {voucher['vid']} (PIN {voucher['pin']})")

    def _present_nik(self) -> None:
        voucher = self.selected()
        if voucher is not None and self.camera is not None:
            self.camera.present(voucher["holder_nik"], CodeFormat.CODE128)
            self.status.setText(
                f"showing NIK {voucher['holder_nik_masked']} as a barcode (PIN {voucher['pin']})"
            )

    def _remove(self) -> None:
        if self.camera is not None:
            self.camera.remove()
            self.status.setText("nothing in front of the camera")
