"""Fault injection for simulated devices: an API, not a monkeypatch."""

from __future__ import annotations

import threading
from enum import StrEnum
from typing import Protocol, runtime_checkable


class Fault(StrEnum):
    PAPER_NEAR_END = "paper_near_end"
    PAPER_OUT = "paper_out"  # before a job: refused, nothing printed
    PAPER_OUT_MID_JOB = "paper_out_mid_job"  # runs out after the first page
    COVER_OPEN = "cover_open"
    JAM = "jam"
    OFFLINE = "offline"
    SLOW = "slow"
    DISCONNECT_MID_JOB = "disconnect_mid_job"
    UNKNOWN_OUTCOME = "unknown_outcome"
    BLANKO_OUT = "blanko_out"
    CAMERA_LOST = "camera_lost"
    UNPLUGGED = "unplugged"  # a scanner's cable pulled: its stream fails, OFFLINE until back
    GARBAGE = "garbage"  # a scanner sends noise (bytes or keys that are no code)
    HALF_CODE = "half_code"  # a scanner stops halfway through a code, no terminator


class FaultError(ValueError):
    """A fault this device does not simulate."""


@runtime_checkable
class FaultInjectable(Protocol):
    supported_faults: frozenset[Fault]

    def inject(self, fault: Fault) -> None: ...

    def clear(self, fault: Fault) -> None: ...

    def active_faults(self) -> frozenset[Fault]: ...


class FaultSet:
    """Thread-safe set of active faults; simulated devices hold one and react to changes."""

    def __init__(self, supported: frozenset[Fault]) -> None:
        self.supported = supported
        self._lock = threading.Lock()
        self._active: set[Fault] = set()

    def add(self, fault: Fault) -> None:
        if fault not in self.supported:
            raise FaultError(f"fault {fault.value!r} is not simulated by this device")
        with self._lock:
            self._active.add(fault)

    def discard(self, fault: Fault) -> None:
        with self._lock:
            self._active.discard(fault)

    def __contains__(self, fault: object) -> bool:
        with self._lock:
            return fault in self._active

    def snapshot(self) -> frozenset[Fault]:
        with self._lock:
            return frozenset(self._active)
