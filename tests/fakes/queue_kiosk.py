"""The kiosk side of the office queue in tests: a recording receipt printer (port level) whose
jobs read back as text lines, and the desk a test builds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from devices.model import DeviceError, DeviceFault, DeviceKind, DeviceState, DeviceStatus
from devices.ports import JobOutcome, JobState
from devices.sim.virtual_escpos.commands import LineFeed, Text
from devices.sim.virtual_escpos.parser import parse_escpos
from kiosk.engine.office_queue import OfficeQueueDesk
from kiosk.queue_client.client import QueueServerClient


@dataclass
class RecordingReceiptPrinter:
    """A port-level fake: records each job; ``outcomes`` decides how each ends."""

    name: str = "receipt"
    kind: DeviceKind = DeviceKind.RECEIPT
    driver: str = "recording"
    status: DeviceStatus = field(default_factory=lambda: DeviceStatus(state=DeviceState.IDLE))
    outcomes: list[JobState | DeviceFault] = field(default_factory=list)
    jobs: list[bytes] = field(default_factory=list)

    def print_raw(self, data: bytes, timeout_s: float) -> JobOutcome:
        self.jobs.append(data)
        result = self.outcomes.pop(0) if self.outcomes else JobState.COMPLETED
        if isinstance(result, DeviceFault):
            raise DeviceError(result)
        fault = None if result is JobState.COMPLETED else DeviceFault("PAPER_OUT", "sensor")
        return JobOutcome(f"job-{len(self.jobs)}", result, fault=fault)

    def lines(self, job: int = -1) -> list[str]:
        """The text lines of a printed ticket, as the virtual printer's parser reads them."""
        lines, line = [], b""
        for command in parse_escpos(self.jobs[job]):
            if isinstance(command, Text):
                line += command.data
            elif isinstance(command, LineFeed) and line:
                lines.append(line.decode("cp437").strip())
                line = b""
        return lines


@dataclass
class KioskDesk:
    desk: OfficeQueueDesk
    client: QueueServerClient
    printer: RecordingReceiptPrinter


DeskFactory = Callable[..., KioskDesk]
