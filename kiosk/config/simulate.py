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


def simulated_devices(devices: DevicesSettings) -> DevicesSettings:
    changes: dict[str, DeviceConfig] = {}
    for slot in SIMULATED_SLOTS:
        current: DeviceConfig | None = getattr(devices, slot)
        if current is None or current.driver == "sim":
            continue
        changes[slot] = DeviceConfig(driver="sim", enabled=current.enabled)
    return devices.model_copy(update=changes)


def simulated(config: KioskConfig) -> KioskConfig:
    return config.model_copy(update={"devices": simulated_devices(config.devices)})
