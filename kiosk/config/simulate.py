"""The simulated variant of a config: every physical device replaced by its simulator.

One place decides what "--simulate" means for devices, so `kiosk run --simulate`,
`kiosk diagnose --simulate` and `kiosk session --simulate` agree. The config's shape is kept:
a slot that is not configured stays absent, `enabled` is kept, and the code reader (software,
not hardware) is used as configured. Settings are kept where the config already uses the
simulator (they are the simulator's settings) and dropped otherwise (a USB vendor id means
nothing to a simulated printer).
"""

from __future__ import annotations

from kiosk.config.models import DeviceConfig, DevicesSettings, KioskConfig

SIMULATED_SLOTS = ("camera", "receipt", "document", "card")
# A scanner's simulator by its real driver; its framing settings (terminator, prefix, suffix,
# limits) mean the same to the simulator and are kept, the device path and line speed are not.
SIMULATED_SCANNERS = {"hid-wedge": "sim-wedge", "serial": "sim-serial"}
_SCANNER_HARDWARE = {"device", "baudrate", "bytesize", "parity", "stopbits"}


def simulated_devices(devices: DevicesSettings) -> DevicesSettings:
    changes: dict[str, object] = {}
    for slot in SIMULATED_SLOTS:
        current: DeviceConfig | None = getattr(devices, slot)
        if current is None or current.driver == "sim":
            continue
        changes[slot] = DeviceConfig(driver="sim", enabled=current.enabled)
    scanners = {}
    for name, scanner in devices.scanners.items():
        sim = SIMULATED_SCANNERS.get(scanner.driver)
        if sim is not None:
            kept = {k: v for k, v in scanner.settings.items() if k not in _SCANNER_HARDWARE}
            scanner = DeviceConfig(driver=sim, enabled=scanner.enabled, settings=kept)
        scanners[name] = scanner
    if scanners:
        changes["scanners"] = scanners
    return devices.model_copy(update=changes)


def simulated(config: KioskConfig) -> KioskConfig:
    return config.model_copy(update={"devices": simulated_devices(config.devices)})
