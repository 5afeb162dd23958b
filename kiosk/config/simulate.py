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

# Each slot's simulator. Document and card printers are simulated at the wire (a virtual IPP
# printer behind the real CUPS driver), so "--simulate" runs the production print path.
SIMULATORS = {"camera": "sim", "receipt": "sim", "document": "sim-ipp", "card": "sim-ipp"}
SIMULATED_SLOTS = tuple(SIMULATORS)
SIMULATOR_DRIVERS = frozenset({"sim", "sim-ipp"})


def is_simulator(driver: str) -> bool:
    """Is ``driver`` a simulator (never to be trusted by a production kiosk)?"""
    return driver in SIMULATOR_DRIVERS


def simulated_devices(devices: DevicesSettings) -> DevicesSettings:
    changes: dict[str, DeviceConfig] = {}
    for slot in SIMULATED_SLOTS:
        current: DeviceConfig | None = getattr(devices, slot)
        if current is None or is_simulator(current.driver):
            continue
        changes[slot] = DeviceConfig(driver=SIMULATORS[slot], enabled=current.enabled)
    return devices.model_copy(update=changes)


def simulated(config: KioskConfig) -> KioskConfig:
    return config.model_copy(update={"devices": simulated_devices(config.devices)})
