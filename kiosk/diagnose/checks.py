"""Health of the whole kiosk: every device, the code reader, the registry, free disk.

Used by `kiosk diagnose` and the technician screens. Each part gives a :class:`CheckResult`;
the report is healthy when every part is.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from devices.manager import DeviceManager
from devices.model import HealthLevel, HealthResult
from kiosk.diagnose.closed_loop import camera_reads_ticket, qr_pattern
from kiosk.engine.ports import RegistryHealth

log = logging.getLogger(__name__)

MIN_FREE_DISK_MB = 500
MAX_CLOCK_SKEW_S = 60.0


class RegistryProbe(Protocol):
    def health(self) -> RegistryHealth: ...


@dataclass(frozen=True)
class DeviceReport:
    name: str
    kind: str
    driver: str
    state: str
    status: dict[str, Any]
    health: HealthResult

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "driver": self.driver,
            "state": self.state,
            "status": self.status,
            "health": self.health.to_dict(),
        }


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    text: str
    ms: float
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "text": self.text, "ms": round(self.ms, 1)}


@dataclass(frozen=True)
class DiagnosticReport:
    level: HealthLevel
    devices: list[DeviceReport]
    checks: list[CheckResult]

    @property
    def ok(self) -> bool:
        return all(d.health.ok for d in self.devices) and all(c.ok for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "level": self.level.value,
            "devices": [d.to_dict() for d in self.devices],
            "checks": [c.to_dict() for c in self.checks],
        }


def _timed(name: str, fn: Callable[[], tuple[bool, str, dict[str, Any]]]) -> CheckResult:
    started = time.monotonic()
    try:
        ok, text, details = fn()
    except Exception as exc:
        log.warning("check %s failed: %r", name, exc)
        ok, text, details = False, f"failed: {exc}", {}
    return CheckResult(name, ok, text, (time.monotonic() - started) * 1000, details)


def check_registry(probe: RegistryProbe | None) -> CheckResult:
    def run() -> tuple[bool, str, dict[str, Any]]:
        if probe is None:
            return False, "no registry configured", {}
        health = probe.health()
        skew = float(health.clock_skew_s)
        ok = abs(skew) <= MAX_CLOCK_SKEW_S
        text = f"reachable in {health.latency_ms:.0f} ms, clock skew {skew:+.1f} s"
        if not ok:
            text += f" (more than {MAX_CLOCK_SKEW_S:.0f} s: fix the kiosk clock)"
        return ok, text, {"clock_skew_s": skew, "latency_ms": health.latency_ms}

    return _timed("registry", run)


def check_disk(path: Path) -> CheckResult:
    def run() -> tuple[bool, str, dict[str, Any]]:
        target = path
        while not target.exists() and target != target.parent:
            target = target.parent
        free_mb = shutil.disk_usage(target).free / 1e6
        ok = free_mb >= MIN_FREE_DISK_MB
        return ok, f"{free_mb:,.0f} MB free at {target}", {"free_mb": free_mb}

    return _timed("disk", run)


def check_code_reader(devices: DeviceManager) -> CheckResult:
    def run() -> tuple[bool, str, dict[str, Any]]:
        reader = devices.code_reader
        if reader is None:
            return False, "no code reader configured", {}
        text = f"ADM-DIAG-{secrets.token_hex(4)}"
        codes = reader.decode(qr_pattern(text))
        ok = [c.text for c in codes] == [text]
        return ok, f"{reader.backend}: {'read' if ok else 'could not read'} a test QR", {}

    return _timed("code_reader", run)


def check_closed_loop(devices: DeviceManager, timeout_s: float = 8.0) -> CheckResult:
    """Print a test ticket with a QR and read that QR back through the camera."""
    return _timed("closed_loop", lambda: camera_reads_ticket(devices, timeout_s))


def diagnose(
    devices: DeviceManager,
    level: HealthLevel,
    *,
    registry: RegistryProbe | None,
    state_dir: Path,
) -> DiagnosticReport:
    health = devices.health(level)
    reports = []
    for name, result in health.items():
        device = devices.get(name)
        assert device is not None
        status = device.status
        reports.append(
            DeviceReport(
                name, device.kind.value, device.driver, status.state.value, status.to_dict(), result
            )
        )
    checks = [check_code_reader(devices), check_registry(registry), check_disk(state_dir)]
    if level is HealthLevel.EXTERNAL and devices.get("camera") and devices.get("receipt"):
        checks.append(check_closed_loop(devices))
    return DiagnosticReport(level, reports, checks)
