"""What the one-shot CLIs and technician mode get from the composition root: the devices and
registry client ``kiosk diagnose`` checks, and a technician session with its actions."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from devices.manager import DeviceManager
from kiosk.bootstrap.devices import build_devices, fault_panel
from kiosk.bootstrap.registry import registry_client, start_registry_simulator
from kiosk.config.models import KioskConfig
from kiosk.registry.client import RegistryClient

if TYPE_CHECKING:
    from devices.sim.fault_panel import FaultPanel
    from kiosk.bootstrap.kiosk import Kiosk
    from kiosk.technician import TechnicianActions, TechnicianSession
    from kiosk.technician.lockout_store import LockoutStore


@dataclass
class DiagnosticKit:
    """What ``kiosk diagnose`` checks: the devices (open) and the registry client."""

    devices: DeviceManager
    registry: RegistryClient
    faults: FaultPanel | None  # simulate mode: inject before checking


@contextlib.contextmanager
def diagnostic_kit(
    config: KioskConfig, *, simulate: bool, state_dir: Path, paper_dir: Path | None = None
) -> Iterator[DiagnosticKit]:
    """Devices opened and a registry client (the simulator's, when ``simulate``), closed after.

    Raises ``DriverError`` before anything starts when a device cannot be built."""
    devices = build_devices(config, simulate=simulate, state_dir=state_dir, paper_dir=paper_dir)
    devices.start()  # first: cameras warm up while the registry (simulator) starts
    try:
        devices.wait_opened(10.0)
        simulator = start_registry_simulator(config, state_dir) if simulate else None
        try:
            url = str(simulator.url) if simulator is not None else None
            with registry_client(config, simulate=simulate, url=url) as registry:
                faults = fault_panel(devices) if simulate else None
                yield DiagnosticKit(devices, registry, faults)
        finally:
            if simulator is not None:
                simulator.stop()
    finally:
        devices.stop()


@dataclass
class TechnicianParts:
    """A technician session (with its persistent lockout) and the actions it authorizes."""

    session: TechnicianSession
    actions: TechnicianActions
    _store: LockoutStore

    def close(self) -> None:
        self.actions.close()
        self._store.close()


def build_technician(kiosk: Kiosk, *, clock: Callable[[], float] | None = None) -> TechnicianParts:
    """Technician mode for a running kiosk: one per kiosk window."""
    from kiosk.technician import TechnicianSession
    from kiosk.technician.lockout_store import LockoutStore

    store = LockoutStore(kiosk.state_dir / "technician.sqlite")
    session = TechnicianSession(
        kiosk.config.technician, kiosk.audit, store=store, clock=clock or time.monotonic
    )
    return TechnicianParts(session, technician_actions(kiosk, session), store)


def technician_actions(kiosk: Kiosk, session: TechnicianSession) -> TechnicianActions:
    """What ``session`` may do on ``kiosk``, through the kiosk's own devices, journal, queue
    and registry client."""
    from kiosk.technician import TechnicianActions

    faults = kiosk.faults
    return TechnicianActions(
        session,
        devices=kiosk.devices,
        journal=kiosk.journal,
        audit=kiosk.audit,
        state_dir=kiosk.state_dir,
        registry=kiosk.registry,
        desk=kiosk.desk,
        wake_outbox=kiosk.outbox.wake,
        storage=kiosk.storage,
        speech=kiosk.speech,
        # a simulated printer's paper or blanko faults end when the technician refills it
        on_refill=faults.refilled if faults is not None else lambda name, what: None,
    )
