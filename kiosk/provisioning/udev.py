"""udev rules for the kiosk's devices, rendered from its config.

Printers and adapters are matched by USB vendor:product, never by a name: the receipt printer
by the ids its config names, USB-serial adapters (FTDI, CH340/CH341/CH9102, CP210x, Prolific)
by their chips' ids. Scanners get access by the identity in their configured stable path
(``/dev/input/by-id/usb-<serial>-event-kbd``, ``/dev/serial/by-id/usb-<serial>-if00``), and a
keyboard wedge is hidden from libinput, so the compositor never takes its keystrokes even
before the kiosk grabs it. ``scripts/udev/70-adm-kiosk.rules`` is this module's rendering of
``config/kiosk.toml`` (a test keeps them equal); ``scripts/render-udev-rules`` renders a kiosk's
own config.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from devices.drivers import DriverError, driver_class
from devices.manager import SLOTS
from devices.model import DeviceKind
from kiosk.config.loader import ConfigError, load_config
from kiosk.config.models import DeviceConfig, KioskConfig

# USB-serial adapter chips, vendor -> products (lsusb ids, lower-case hex).
SERIAL_ADAPTERS: dict[str, tuple[str, ...]] = {
    "0403": ("6001", "6010", "6011", "6014", "6015"),  # FTDI FT232R, FT2232, FT4232, FT232H, FT-X
    "1a86": ("7523", "5523", "55d4"),  # WCH CH340, CH341, CH9102
    "10c4": ("ea60", "ea70"),  # Silicon Labs CP210x
    "067b": ("2303", "23a3"),  # Prolific PL2303
}
CARD_PRINTER_VENDORS = ("0f49", "0a5f", "09b0", "0c1c")  # Evolis, Zebra, HID Fargo, Entrust

HEADER = """\
# ADM kiosk devices: group permissions and stable names (no root needed by the kiosk app).
# Rendered from the kiosk config by scripts/render-udev-rules; do not edit, render again:
#   scripts/render-udev-rules --config /etc/adm-kiosk/kiosk.toml \\
#       > /etc/udev/rules.d/70-adm-kiosk.rules
#   udevadm control --reload && udevadm trigger
#
#   /dev/adm-receipt         ESC/POS receipt printer on USB (python-escpos talks libusb to it)
#   /dev/adm-receipt-serial  ESC/POS receipt printer behind a USB-serial adapter
#   /dev/adm-card-printer    the card (KTP-el / KIA) printer's USB node (CUPS prints to it)
#   /dev/adm-camera          the scanner camera's capture node (set devices.camera.device)
#
# Permissions go to groups the kiosk user (adm-kiosk) is in: lp, dialout, video, input.
# Printers are kept out of USB autosuspend, which drops status answers and first bytes of jobs.

ACTION=="remove", GOTO="adm_kiosk_end"
"""
FOOTER = '\nLABEL="adm_kiosk_end"\n'


def _hex(value: Any) -> str:
    return f"{int(str(value), 0) if isinstance(value, str) else int(value):04x}"


def _receipt(config: KioskConfig) -> list[str]:
    cfg = config.devices.receipt
    if cfg is None or not cfg.enabled:
        return []
    if cfg.driver == "escpos-usb":
        vendor, product = _hex(cfg.settings["vendor_id"]), _hex(cfg.settings["product_id"])
        return [
            f"# --- receipt printer, USB {vendor}:{product} (devices.receipt.settings) -----",
            f'SUBSYSTEM=="usb", ENV{{DEVTYPE}}=="usb_device", ATTR{{idVendor}}=="{vendor}", '
            f'ATTR{{idProduct}}=="{product}", \\',
            '  MODE="0660", GROUP="lp", SYMLINK+="adm-receipt", ATTR{power/control}="on", '
            'TAG+="systemd"',
            "# usblp claims printer-class devices: give its node the same group",
            f'SUBSYSTEM=="usbmisc", KERNEL=="lp[0-9]*", ATTRS{{idVendor}}=="{vendor}", '
            f'ATTRS{{idProduct}}=="{product}", MODE="0660", GROUP="lp"',
        ]
    return []


def _serial_adapters(config: KioskConfig) -> list[str]:
    receipt = config.devices.receipt
    serial_receipt = receipt is not None and receipt.enabled and receipt.driver == "escpos-serial"
    link = ', SYMLINK+="adm-receipt-serial"' if serial_receipt else ""
    what = "the receipt printer and serial scanners" if serial_receipt else "serial scanners"
    lines = [f"# --- USB-serial adapters ({what}), by the adapter chip's ids ---"]
    for vendor, products in SERIAL_ADAPTERS.items():
        lines.append(
            f'SUBSYSTEM=="tty", ATTRS{{idVendor}}=="{vendor}", '
            f'ATTRS{{idProduct}}=="{"|".join(products)}", \\'
        )
        lines.append(f'  MODE="0660", GROUP="dialout"{link}')
    return lines


def _card_printer() -> list[str]:
    return [
        "# --- card printer (Evolis 0f49, Zebra 0a5f, HID Fargo 09b0, Entrust Datacard 0c1c) ---",
        'SUBSYSTEM=="usb", ENV{DEVTYPE}=="usb_device", '
        f'ATTR{{idVendor}}=="{"|".join(CARD_PRINTER_VENDORS)}", \\',
        '  MODE="0660", GROUP="lp", SYMLINK+="adm-card-printer", ATTR{power/control}="on", '
        'TAG+="systemd"',
    ]


def _camera() -> list[str]:
    return [
        "# --- camera: the first capture node of a UVC camera ---------------------------",
        'SUBSYSTEM=="video4linux", KERNEL=="video[0-9]*", ENV{ID_USB_DRIVER}=="uvcvideo", \\',
        '  ENV{ID_V4L_CAPABILITIES}=="*:capture:*", ATTR{index}=="0", \\',
        '  MODE="0660", GROUP="video", SYMLINK+="adm-camera", TAG+="systemd"',
    ]


_SAFE = re.compile(r"[A-Za-z0-9_.:+-]+")


def _by_id_serial(path: str, tails: tuple[str, ...]) -> str | None:
    """``usb-<ID_SERIAL>[-ifNN][-portN]-<tail>`` -> ID_SERIAL (as udev's persistent rules
    name the link), or None when the path is not such a link."""
    name = Path(path).name
    if not name.startswith("usb-"):
        return None
    name = name.removeprefix("usb-")
    for tail in tails:
        name = name.removesuffix(tail)
    name = re.sub(r"-if[0-9a-f]{2}(-port\d+)?$", "", name)
    return name if _SAFE.fullmatch(name) else None


def _scanners(config: KioskConfig) -> list[str]:
    lines: list[str] = []
    for name, cfg in config.devices.scanners.items():
        device = str(cfg.settings.get("device", ""))
        if cfg.driver == "hid-wedge":
            serial = _by_id_serial(device, ("-event-kbd",))
            if serial is None:
                lines.append(f"# scanner {name}: {device!r} is not a by-id link; no rule")
                continue
            lines += [
                f"# --- scanner {name}: keyboard wedge, hidden from libinput (the kiosk grabs it)",
                f'SUBSYSTEM=="input", KERNEL=="event*", ENV{{ID_BUS}}=="usb", '
                f'ENV{{ID_SERIAL}}=="{serial}", \\',
                '  MODE="0660", GROUP="input", ENV{LIBINPUT_IGNORE_DEVICE}="1"',
            ]
        elif cfg.driver == "serial":
            serial = _by_id_serial(device, ())
            if serial is None:
                lines.append(f"# scanner {name}: {device!r} is not a by-id link; no rule")
                continue
            lines += [
                f"# --- scanner {name}: serial (USB COM) -----------------------------------",
                f'SUBSYSTEM=="tty", ENV{{ID_SERIAL}}=="{serial}", MODE="0660", GROUP="dialout"',
            ]
    return lines


def _validate(kind: DeviceKind, cfg: DeviceConfig, where: str) -> None:
    try:
        driver_class(kind, cfg.driver, where).Settings.model_validate(cfg.settings)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise DriverError(f"{where}.settings.{field}", str(err["msg"])) from None


def check_devices(config: KioskConfig) -> None:
    """Every device's settings through its driver's model first (raises DriverError with the
    config path): nothing unchecked from a config reaches a rules file."""
    for slot, kind in SLOTS.items():
        cfg = getattr(config.devices, slot)
        if cfg is not None:
            _validate(kind, cfg, f"devices.{slot}")
    for name, cfg in config.devices.scanners.items():
        _validate(DeviceKind.SCANNER, cfg, f"devices.scanners.{name}")


def render_rules(config: KioskConfig) -> str:
    check_devices(config)
    blocks = [_receipt(config), _serial_adapters(config), _card_printer(), _camera()]
    blocks.append(_scanners(config))
    body = "\n\n".join("\n".join(block) for block in blocks if block)
    return f"{HEADER}\n{body}\n{FOOTER}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="render-udev-rules", description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, default=Path("/etc/adm-kiosk/kiosk.toml"))
    args = parser.parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return 2
    try:
        rules = render_rules(config)
    except DriverError as exc:
        print(f"{args.config}: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(rules)
    return 0
