"""Scenario files: scripted faults for simulator mode (TOML: at time T, target D, fault F).

```toml
[[step]]
at_s = 5.0
target = "receipt"      # a device name, or "registry"
fault = "paper_out"     # a device fault name; for the registry: outage, latency, error_rate
action = "inject"       # or "clear"
value = 0               # registry latency (ms) or error rate (0..1)
```
Used by `kiosk run --simulate --scenario FILE`, `kiosk diagnose --simulate`, the simulator panel
and tests. Steps run in time order on a daemon thread that stops with :meth:`stop`.
"""

from __future__ import annotations

import logging
import threading
import time
import tomllib
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from devices.faults import Fault
from kiosk.config.loader import read_toml_bytes

log = logging.getLogger(__name__)

RegistryFault = Literal["outage", "latency", "error_rate"]


class DeviceFaults(Protocol):
    """Where device faults go: the simulated kiosk's fault panel (``Kiosk.faults``)."""

    def inject(self, name: str, fault: Fault) -> None: ...

    def clear(self, name: str, fault: Fault) -> None: ...


class RegistryFaults(Protocol):
    def set_outage(self, down: bool) -> None: ...

    def set_latency(self, ms: int) -> None: ...

    def set_error_rate(self, rate: float) -> None: ...


class ScenarioError(Exception):
    pass


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    at_s: float = Field(ge=0, le=86_400, description="Seconds after the scenario starts")
    target: str = Field(
        min_length=1, description="Device name (receipt, document, ...) or registry"
    )
    fault: str = Field(description="Device fault name, or outage / latency / error_rate")
    action: Literal["inject", "clear"] = "inject"
    value: float = Field(default=0, ge=0, description="Registry latency (ms) or error rate (0..1)")

    @model_validator(mode="after")
    def _known_fault(self) -> Step:
        if self.target == "registry":
            if self.fault not in ("outage", "latency", "error_rate"):
                raise ValueError("registry faults are outage, latency, error_rate")
        else:
            try:
                Fault(self.fault)
            except ValueError:
                raise ValueError(f"unknown device fault {self.fault!r}") from None
        return self


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    step: list[Step] = Field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> Scenario:
        try:
            data = tomllib.loads(read_toml_bytes(path).decode("utf-8"))
            return cls.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise ScenarioError(f"{path}: {where}: {err['msg']}") from None
        except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:  # ValueError: size, UTF-8
            raise ScenarioError(f"{path}: {exc}") from None
        except RecursionError:  # tomllib recurses per nesting level
            raise ScenarioError(f"{path}: values nested too deeply") from None


def apply_step(step: Step, devices: DeviceFaults, registry: RegistryFaults | None) -> None:
    inject = step.action == "inject"
    if step.target != "registry":
        fault = Fault(step.fault)
        (devices.inject if inject else devices.clear)(step.target, fault)
    elif registry is None:
        raise ScenarioError("scenario targets the registry, but no registry simulator runs")
    elif step.fault == "outage":
        registry.set_outage(inject)
    elif step.fault == "latency":
        registry.set_latency(int(step.value) if inject else 0)
    else:
        registry.set_error_rate(step.value if inject else 0.0)
    log.info("scenario: %s %s on %s", step.action, step.fault, step.target)


class ScenarioRunner:
    def __init__(
        self, scenario: Scenario, devices: DeviceFaults, registry: RegistryFaults | None = None
    ) -> None:
        self._steps = sorted(scenario.step, key=lambda s: s.at_s)
        self._devices = devices
        self._registry = registry
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scenario", daemon=True)
        self.applied: list[Step] = []
        self.errors: list[str] = []

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def wait(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        started = time.monotonic()
        for step in self._steps:
            if self._stop.wait(max(0.0, started + step.at_s - time.monotonic())):
                return
            try:
                apply_step(step, self._devices, self._registry)
                self.applied.append(step)
            except Exception as exc:
                log.error("scenario step %s failed: %s", step, exc)
                self.errors.append(f"{step.target}:{step.fault}: {exc}")
