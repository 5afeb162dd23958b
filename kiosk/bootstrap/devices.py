"""The devices' side of the graph: the device manager from config (every device simulated in
simulate mode), the simulator's tools (fault panel, ``KIOSK_PAUSE_AT``), the spoken prompts'
speaker, and the device figures the metrics and the heartbeat read."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.drivers import DriverContext
from devices.manager import DeviceManager
from devices.model import StatusEvent, StatusEventKind
from kiosk.config.models import KioskConfig
from kiosk.config.simulate import simulated_devices
from kiosk.engine.journal import Journal
from kiosk.engine.ports import StepHook
from kiosk.speech import Announcer, AplayPlayer, AudioSettingsStore, EspeakSynthesizer

if TYPE_CHECKING:
    from devices.sim.fault_panel import FaultPanel

log = logging.getLogger(__name__)

PRINT_DEVICES = ("document", "card")  # the slots of the devices that print documents


def build_devices(
    config: KioskConfig,
    *,
    simulate: bool,
    state_dir: Path,
    paper_dir: Path | None = None,
    only: Iterable[str] | None = None,
) -> DeviceManager:
    """The device manager of ``config`` (every device simulated when ``simulate``); raises
    ``DriverError`` for a driver or settings that cannot be used."""
    devices_cfg = simulated_devices(config.devices) if simulate else config.devices
    context = DriverContext(state_dir=state_dir, paper_dir=paper_dir)
    return DeviceManager.from_config(devices_cfg, context, only=only)


def fault_panel(devices: DeviceManager) -> FaultPanel:
    from devices.sim.fault_panel import FaultPanel

    return FaultPanel(devices)


def pause_hook(state_dir: Path) -> StepHook:
    from kiosk.simulator.pause import pause_from_env

    return pause_from_env(state_dir)


def current_statuses(devices: DeviceManager) -> list[StatusEvent]:
    """Each device's status now, as events dated when it last changed."""
    out = []
    for name in devices.names:
        device = devices.get(name)
        if device is not None:
            status = device.status
            out.append(StatusEvent(name, StatusEventKind.STATE_CHANGED, status, status.since))
    return out


def spoken_prompts(config: KioskConfig, state: Path) -> Announcer | None:
    """Spoken prompts: WAVs cached in ``<state>/speech``, volume in ``<state>/audio.json``."""
    if not config.ui.speech:
        return None
    synth = EspeakSynthesizer(state / "speech", rate_wpm=config.ui.speech_rate_wpm)
    if not synth.available():
        log.error("speech: espeak-ng is not installed; spoken prompts are off")
        return None
    store = AudioSettingsStore(state / "audio.json")
    return Announcer(synth, AplayPlayer(config.ui.audio_device), store)


def device_snapshot(devices: DeviceManager) -> dict[str, Any]:
    """The manager's snapshot plus the code reader's decode counters (metrics, heartbeat)."""
    snapshot = devices.snapshot()
    counters = getattr(devices.code_reader, "counters", None)
    if counters is not None and callable(getattr(counters, "snapshot", None)):
        snapshot["code_reader"] = {
            "kind": "code_reader",
            "driver": str(getattr(devices.code_reader, "backend", "")),
            "status": {},
            "statistics": counters.snapshot(),
        }
    return snapshot


def blanko_levels(devices: DeviceManager) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for name in devices.names:
        device = devices.get(name)
        blanko = getattr(device, "blanko", None)
        if callable(blanko):
            left, low = blanko()
            out[name] = (int(left), int(low))
    return out


def heartbeat_payload(
    config: KioskConfig, devices: DeviceManager, journal: Journal
) -> dict[str, Any]:
    snapshot = device_snapshot(devices)
    return {
        "kiosk_id": config.kiosk.id,
        "devices": {name: info["status"] for name, info in snapshot.items()},
        "statistics": {name: info["statistics"] for name, info in snapshot.items()},
        "transactions": journal.counts(),
        "outbox_depth": journal.outbox_depth(),
    }
