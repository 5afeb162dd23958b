"""USB ESC/POS printers: endpoints and profile from the known-models table or explicit settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from devices.drivers import DriverContext, DriverError, build_driver
from devices.model import DeviceKind, DeviceState, HealthLevel
from devices.printers.escpos_models import known_models, profile_names
from devices.printers.escpos_settings import UsbSettings
from kiosk.config import load_config
from kiosk.config.loader import repo_root


def test_the_0416_5011_family_uses_in_0x81_out_0x03() -> None:
    settings = UsbSettings(vendor_id=0x0416, product_id=0x5011)
    assert (settings.in_ep, settings.out_ep, settings.profile) == (0x81, 0x03, "POS-5890")


def test_explicit_settings_win_and_unknown_models_get_python_escpos_defaults() -> None:
    explicit = UsbSettings(vendor_id="0x0416", product_id="0x5011", in_ep="0x82", out_ep=1)  # type: ignore[arg-type]
    assert (explicit.in_ep, explicit.out_ep) == (0x82, 0x01)
    unknown = UsbSettings(vendor_id=0x1234, product_id=0x0001)
    assert (unknown.in_ep, unknown.out_ep, unknown.profile) == (0x82, 0x01, None)


def test_every_known_model_names_a_real_profile_and_sane_endpoints() -> None:
    assert "0416:5011" in known_models()
    for key, model in known_models().items():
        vendor, product = key.split(":")
        assert len(vendor) == len(product) == 4 and key == key.lower()
        assert model.profile in profile_names(), key
        assert 0x81 <= model.in_ep <= 0x8F and 0x01 <= model.out_ep <= 0x0F


def test_bad_settings_name_their_config_path(tmp_path: Path) -> None:
    for settings, field in (
        ({"vendor_id": 0x0416, "product_id": 0x5011, "profile": "TM-NOPE"}, "profile"),
        ({"vendor_id": 0x0416, "product_id": 0x5011, "in_ep": 0x03}, "in_ep"),
    ):
        with pytest.raises(DriverError) as caught:
            build_driver(DeviceKind.RECEIPT, "receipt", "escpos-usb", settings,
                         DriverContext(state_dir=tmp_path))  # fmt: skip
        assert caught.value.path == f"devices.receipt.settings.{field}"


def test_the_production_template_printer_without_hardware(tmp_path: Path) -> None:
    config = load_config(repo_root() / "config" / "kiosk.toml")
    receipt = config.devices.receipt
    assert receipt is not None
    printer = build_driver(DeviceKind.RECEIPT, "receipt", receipt.driver, dict(receipt.settings),
                           DriverContext(state_dir=tmp_path))  # fmt: skip
    printer.open()  # no such USB device here: OFFLINE, not an exception
    try:
        assert printer.status.state is DeviceState.OFFLINE
        health = printer.check_health(HealthLevel.INTERNAL)
        assert "usb 0416:5011 (in 0x81, out 0x03)" in health.text
    finally:
        printer.close()
