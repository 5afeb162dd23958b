"""udev rules rendered from the kiosk config: printers by vendor:product, serial adapters by
their chips' ids (never by a name), scanners by the identity in their stable paths."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fakes.udev_rules import check_rules, rule_lines

from devices.drivers import DriverError
from kiosk.config import load_config
from kiosk.config.loader import repo_root
from kiosk.config.models import DeviceConfig, KioskConfig
from kiosk.provisioning.udev import render_rules

TEMPLATE = repo_root() / "config" / "kiosk.toml"
RULES = repo_root() / "scripts" / "udev" / "70-adm-kiosk.rules"


def with_devices(config: KioskConfig, **changes: object) -> KioskConfig:
    return config.model_copy(update={"devices": config.devices.model_copy(update=changes)})


def test_the_shipped_rules_are_the_rendering_of_the_template() -> None:
    assert render_rules(load_config(TEMPLATE)) == RULES.read_text(encoding="utf-8")


def test_the_script_renders_a_kiosks_own_config() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, str(repo_root() / "scripts" / "render-udev-rules"), "--config",
         str(TEMPLATE)], capture_output=True, text=True, timeout=60, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout == RULES.read_text(encoding="utf-8")


def test_receipt_printer_matched_by_its_configured_ids() -> None:
    config = load_config(TEMPLATE)
    receipt = DeviceConfig(
        driver="escpos-usb", settings={"vendor_id": "0x04b8", "product_id": 0x0E15}
    )
    rules = render_rules(with_devices(config, receipt=receipt))
    [usb] = [line for line in rule_lines(rules) if 'SYMLINK+="adm-receipt"' in line]
    assert 'ATTR{idVendor}=="04b8"' in usb and 'ATTR{idProduct}=="0e15"' in usb
    assert "0416" not in rules


def test_a_serial_receipt_printer_and_scanners() -> None:
    config = with_devices(
        load_config(TEMPLATE),
        receipt=DeviceConfig(driver="escpos-serial", settings={"device": "/dev/ttyUSB0"}),
        scanners={
            "wedge": DeviceConfig(driver="hid-wedge", settings={
                "device": "/dev/input/by-id/usb-Honeywell_Imaging___Mobility_1900-event-kbd"}),
            "counter": DeviceConfig(driver="serial", settings={
                "device": "/dev/serial/by-id/usb-Newland_Auto-ID_NLS-HR22_S12345-if00"}),
            "loose": DeviceConfig(driver="hid-wedge", settings={
                "device": "/dev/input/by-path/pci-0000:00:14.0-usb-0:2:1.0-event-kbd"}),
        },
    )  # fmt: skip
    rules = render_rules(config)
    symlinks = check_rules(rules)
    assert symlinks == {"adm-receipt-serial", "adm-card-printer", "adm-camera"}
    lines = rule_lines(rules)
    serial = [line for line in lines if 'SYMLINK+="adm-receipt-serial"' in line]
    assert {"0403", "1a86", "10c4", "067b"} == {
        line.split('idVendor}=="')[1][:4] for line in serial
    }
    assert all("POS" not in line and 'ID_SERIAL}=="*' not in line for line in serial)
    assert any('ATTRS{idProduct}=="7523|5523|55d4"' in line for line in serial)  # CH340 family
    [wedge] = [
        line for line in lines if 'ENV{ID_SERIAL}=="Honeywell_Imaging___Mobility_1900"' in line
    ]
    assert 'GROUP="input"' in wedge and 'ENV{LIBINPUT_IGNORE_DEVICE}="1"' in wedge
    assert any('ENV{ID_SERIAL}=="Newland_Auto-ID_NLS-HR22_S12345"' in line for line in lines)
    assert "# scanner loose: " in rules  # a by-path link names no device identity: no rule


def test_a_bad_device_setting_is_refused_with_its_path() -> None:
    config = with_devices(
        load_config(TEMPLATE),
        scanners={"wedge": DeviceConfig(driver="hid-wedge", settings={
            "device": '/dev/input/by-id/x"\nRUN+="/bin/sh'})},
    )  # fmt: skip
    with pytest.raises(DriverError) as caught:
        render_rules(config)
    assert caught.value.path == "devices.scanners.wedge.settings.device"
