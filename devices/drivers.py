"""Drivers chosen by name from config, through one explicit registry.

Each driver class has a ``Settings`` pydantic model (``extra="forbid"``) and is built as
``cls(name, cls.Settings.model_validate(settings), context)``. Modules are imported only when a
driver is built, so choosing a driver never costs the import of another (cv2, escpos, ...).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from devices.model import DeviceKind
from devices.stats import DeviceStatistics

DRIVERS: dict[DeviceKind, dict[str, str]] = {
    DeviceKind.CAMERA: {
        "opencv": "devices.camera.opencv:OpenCVCamera",
        "sim": "devices.camera.sim:SimulatedCamera",
    },
    DeviceKind.CODE_READER: {
        "zxing": "devices.codes.zxing_reader:ZxingReader",
        "zbar": "devices.codes.zbar_reader:ZbarReader",
    },
    DeviceKind.SCANNER: {
        "hid-wedge": "devices.scanners.hid_wedge:HidWedgeScanner",
        "serial": "devices.scanners.serial_scanner:SerialScanner",
        "sim-wedge": "devices.sim.wedge:SimulatedWedgeScanner",
        "sim-serial": "devices.sim.serial_scanner:SimulatedSerialScanner",
    },
    DeviceKind.RECEIPT: {
        "escpos-usb": "devices.printers.escpos:UsbReceiptPrinter",
        "escpos-serial": "devices.printers.escpos:SerialReceiptPrinter",
        "escpos-network": "devices.printers.escpos:NetworkReceiptPrinter",
        "sim": "devices.sim.receipt:SimulatedReceiptPrinter",
    },
    DeviceKind.DOCUMENT: {
        "cups": "devices.printers.cups:CupsDocumentPrinter",
        "sim": "devices.sim.document:SimulatedDocumentPrinter",
    },
    DeviceKind.CARD: {
        "cups-card": "devices.printers.card:CupsCardPrinter",
        "sim": "devices.sim.document:SimulatedCardPrinter",
    },
}


class DriverError(Exception):
    """A driver name or settings that cannot be used; ``path`` names the config field."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


@dataclass
class DriverContext:
    """What drivers may need beyond their settings."""

    state_dir: Path  # statistics database and other device state live here
    paper_dir: Path | None = None  # simulated printers write their "virtual paper" here
    extra: dict[str, Any] = field(default_factory=dict)

    def statistics(self, device: str) -> DeviceStatistics:
        return DeviceStatistics(device, self.state_dir / "devices.sqlite")


def driver_class(kind: DeviceKind, driver: str, where: str | None = None) -> type[Any]:
    """``where`` is the device's config path (``devices.camera``) for error messages."""
    try:
        target = DRIVERS[kind][driver]
    except KeyError:
        known = ", ".join(sorted(DRIVERS.get(kind, {})))
        raise DriverError(
            f"{where or f'devices.{kind.value}'}.driver",
            f"unknown driver {driver!r} (known: {known})",
        ) from None
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)


def build_driver(
    kind: DeviceKind,
    name: str,
    driver: str,
    settings: dict[str, Any],
    context: DriverContext,
    *,
    where: str | None = None,
) -> Any:
    """Build a driver; ``where`` is its config path (default ``devices.<name>``)."""
    where = where or f"devices.{name}"
    cls = driver_class(kind, driver, where)
    try:
        parsed = cls.Settings.model_validate(settings)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise DriverError(f"{where}.settings.{field}", str(err["msg"])) from None
    return cls(name, parsed, context)
