"""The running kiosk: everything it is made of, started in order and stopped in reverse.

Built by :func:`kiosk.bootstrap.build_kiosk`. :meth:`Kiosk.start` runs recovery before anything
else; :meth:`Kiosk.stop` stops every thread it started.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devices.manager import DeviceManager
from kiosk.audit import AuditLog
from kiosk.bootstrap.devices import current_statuses
from kiosk.bootstrap.technician import TechnicianParts, build_technician
from kiosk.config.models import KioskConfig
from kiosk.engine.availability import FreeSpace, RegistryStatus
from kiosk.engine.journal import Journal
from kiosk.engine.outbox import Outbox
from kiosk.engine.ports import no_pause
from kiosk.engine.recovery import Recovery, RecoveryReport
from kiosk.engine.session import SessionController
from kiosk.engine.session_flows import QueueDesk
from kiosk.engine.transaction import PrintTransaction
from kiosk.feedback import FeedbackSender, FeedbackStore
from kiosk.fleet.link import FleetLink
from kiosk.fleet.wiring import metrics_tls
from kiosk.registry.client import RegistryClient
from kiosk.registry.errors import RegistryError, Unavailable
from kiosk.retention import Housekeeping
from kiosk.scan import ScanService
from kiosk.speech import Announcer
from kiosk.staffcall import StaffCaller
from kiosk.technician.device_errors import LastErrors
from kiosk.telemetry.heartbeat import Heartbeat
from kiosk.telemetry.metrics import KioskMetrics

if TYPE_CHECKING:
    from devices.sim.fault_panel import FaultPanel
    from kiosk.queue_client.client import QueueServerClient

log = logging.getLogger(__name__)


@dataclass
class Kiosk:
    """Everything a running kiosk is made of. Build with :func:`build_kiosk`."""

    config: KioskConfig
    state_dir: Path
    simulate: bool
    registry: RegistryClient
    registry_status: RegistryStatus
    devices: DeviceManager
    journal: Journal
    audit: AuditLog
    outbox: Outbox
    transaction: PrintTransaction
    recovery: Recovery
    metrics: KioskMetrics
    heartbeat: Heartbeat
    session: SessionController
    scan: ScanService
    desk: QueueDesk | None = None  # the kiosk's own queue, or the office queue server's
    staff: StaffCaller | None = None  # "Panggil petugas": the technician log (+ the office)
    speech: Announcer | None = None  # spoken prompts; None when off in config
    feedback: FeedbackStore | None = None  # survey answers (IKM); None when off in config
    # Sends them to the office queue server (POST /v1/feedback): with [queue] server only.
    feedback_sender: FeedbackSender | None = None
    last_errors: LastErrors = field(default_factory=LastErrors)  # per device, with its time
    housekeeping: Housekeeping | None = None  # retention: audit rotation, pruning
    simulator: Any = None  # kiosk.registry_sim RunningSimulator, in simulate mode
    storage: FreeSpace | None = None  # the state dir's free space against its floor
    faults: FaultPanel | None = None  # fault injection, in simulate mode only
    recovery_report: RecoveryReport | None = None
    serve_metrics: bool = True
    fleet: FleetLink | None = None  # pushed config and commands (kiosk.fleet)
    office: QueueServerClient | None = None  # [queue] server's client (desk, staff, survey)
    _closers: list[Any] = field(default_factory=list)
    _started: bool = False

    @property
    def registry_url(self) -> str:
        return str(self.simulator.url) if self.simulator is not None else self.config.registry.url

    @property
    def paper_dir(self) -> Path:
        return self.state_dir / "paper"

    def start(self, *, background: bool = True) -> RecoveryReport:
        """Open devices, run recovery, then start the outbox, heartbeat, metrics and session.

        ``background=False`` (the one-shot CLIs) skips the heartbeat and metrics threads.
        """
        self.audit.append("kiosk_started", simulate=self.simulate)
        self.devices.start()
        self._started = True
        for name in self.devices.names:  # queued behind each device's open(): wait for it
            try:
                self.devices.call(name, lambda device: None, timeout_s=15.0)
            except Exception:
                log.warning("device %s did not open in time", name)
        self._probe_registry()
        if any(self.transaction.printers.printer_for(media) for media in ("a4", "card")):
            from printing.documents import warm_up  # reportlab: only where documents print

            warm_up()
        # Start-up recovery itself is never paused by the test hook (KIOSK_PAUSE_AT stops the
        # session's own transaction), so each crash test kills exactly the step it names.
        session_pause, self.outbox.pause = self.outbox.pause, no_pause
        try:
            flush_s = 5.0 if self.registry_status.up else 0.0
            self.recovery_report = self.recovery.run(flush_timeout_s=flush_s)
        finally:
            self.outbox.pause = session_pause
        self.outbox.start()
        if self.feedback_sender is not None:
            self.feedback_sender.start()
        if background:
            if self.housekeeping is not None:
                self.housekeeping.start()
            self.heartbeat.start()
            if self.serve_metrics and self.config.telemetry.metrics_enabled:
                tel = self.config.telemetry
                self.metrics.serve(tel.metrics_host, tel.metrics_port, metrics_tls(self.config))
        self.scan.start()
        self._closers.append(self.devices.subscribe(lambda event: self.session.refresh()))
        self._closers.append(self.last_errors.watch(self.devices, current_statuses(self.devices)))
        self._closers.append(self.registry_status.subscribe(lambda up: self._registry_changed(up)))
        self.session.start()
        return self.recovery_report

    def _probe_registry(self) -> None:
        """Reachability and clock skew, once at start (the heartbeat keeps watching)."""
        try:
            health = self.registry.health()
        except Unavailable:
            self.registry_status.mark(False)
            return
        except RegistryError as exc:
            log.warning("registry health check refused: %s", exc.code)
            return
        self.registry_status.mark(True)
        self.registry_status.set_clock_skew(health.clock_skew_s)

    def technician(self) -> TechnicianParts:
        """Technician mode for this kiosk (the UI's hook asks here, not the composition)."""
        return build_technician(self)

    def _registry_changed(self, up: bool) -> None:
        self.metrics.registry_up.set(1 if up else 0)
        self.session.refresh()

    def stop(self) -> None:
        for close in reversed(self._closers):
            close()
        self._closers.clear()
        self.session.stop()
        if self.housekeeping is not None:
            self.housekeeping.stop()
        self.scan.stop()
        if self.staff is not None:
            self.staff.close()
        if self.speech is not None:
            self.speech.close()
        self.heartbeat.stop()
        if self.feedback_sender is not None:
            self.feedback_sender.stop()
        if self.feedback is not None:
            self.feedback.close()
        if self.office is not None:  # after the staff caller and the survey sender
            self.office.close()
        self.outbox.stop()
        self.metrics.stop()
        if self._started:
            self.devices.stop()
            self._started = False
        self.registry.close()
        self.journal.close()
        if self.simulator is not None:
            self.simulator.stop()
            self.simulator = None
