"""Fault injection into a device manager's simulated devices: simulator mode only.

The composition root (``kiosk.bootstrap``) makes one :class:`FaultPanel` when it builds a
simulated kiosk; the simulator panel, scenarios, the demo, ``kiosk diagnose --simulate --fault``
and tests inject and clear faults through it. Production code never sees it: the device
manager and the technician's actions know nothing of faults (an import-linter contract keeps
``devices.faults`` and ``devices.sim`` out of the production path).
"""

from __future__ import annotations

import logging

from devices.faults import Fault, FaultError, FaultInjectable
from devices.manager import DeviceManager

log = logging.getLogger(__name__)

# What a technician's refill ends on a simulated device (a real refill ends the real condition).
_REFILL_ENDS = {
    "paper": (Fault.PAPER_OUT, Fault.PAPER_NEAR_END, Fault.PAPER_OUT_MID_JOB),
    "blanko": (Fault.BLANKO_OUT,),
}


class FaultPanel:
    def __init__(self, devices: DeviceManager) -> None:
        self.devices = devices

    def injectable(self) -> dict[str, FaultInjectable]:
        """The simulated devices by name (every device of a simulated kiosk)."""
        found: dict[str, FaultInjectable] = {}
        for name in self.devices.names:
            device = self.devices.get(name)
            if isinstance(device, FaultInjectable):
                found[name] = device
        return found

    def _device(self, name: str) -> FaultInjectable:
        device = self.injectable().get(name)
        if device is None:
            raise FaultError(f"device {name!r} is not simulated: faults cannot be injected")
        return device

    def inject(self, name: str, fault: Fault) -> None:
        self._device(name).inject(fault)

    def clear(self, name: str, fault: Fault) -> None:
        self._device(name).clear(fault)

    def active(self, name: str) -> frozenset[Fault]:
        return self._device(name).active_faults()

    def refilled(self, name: str, what: str) -> None:
        """A technician refilled ``what`` ("paper", "blanko") in ``name``: its faults end."""
        device = self.injectable().get(name)
        if device is None:
            return
        for fault in _REFILL_ENDS.get(what, ()):
            if fault in device.active_faults():
                device.clear(fault)
                log.info("simulator: %s on %s ended by the refill", fault.value, name)
