"""The composition root: a config in, a running kiosk out (STYLE 1).

:func:`build_kiosk` creates the registry client, device manager, journal, outbox, queue desk,
audit log, metrics, heartbeat and session controller; entry points (CLI, UI, tests) call it
and stay thin. Nothing else constructs devices or clients from config.

In simulate mode the registry simulator runs in-process on a free loopback port, every device
is the simulated one and the simulated printers put their virtual paper in
``<state_dir>/paper``; only then are the simulator's tools composed in: the fault panel
(:attr:`Kiosk.faults`) and the ``KIOSK_PAUSE_AT`` test hook. :meth:`Kiosk.start` runs recovery
before anything else; :meth:`Kiosk.stop` stops every thread it started.

The one-shot CLIs and the technician mode get their parts here too: :func:`registry_client`,
:func:`diagnostic_kit` (devices and registry for ``kiosk diagnose``) and
:func:`build_technician`.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from devices.drivers import DriverContext
from devices.manager import DeviceManager
from devices.model import StatusEvent, StatusEventKind
from kiosk.audit import AuditKeyError, AuditLog
from kiosk.audit.chain_key import read_key
from kiosk.config import ConfigError
from kiosk.config.models import DeviceConfig, KioskConfig
from kiosk.config.simulate import is_simulator, simulated_devices
from kiosk.domain.documents import DocumentType, Media
from kiosk.domain.voucher import public_key_from_text
from kiosk.engine.availability import FreeSpace, RegistryStatus
from kiosk.engine.journal import Journal
from kiosk.engine.outbox import Outbox
from kiosk.engine.outcomes import TxResult
from kiosk.engine.ports import StepHook, no_pause
from kiosk.engine.queue_view import DeskForSession
from kiosk.engine.recovery import Recovery, RecoveryReport
from kiosk.engine.service_info import info_topics
from kiosk.engine.session import SessionController
from kiosk.engine.session_flows import QueueDesk, SessionDeps, SessionOutcome
from kiosk.engine.transaction import PrintTransaction
from kiosk.feedback import FeedbackSender, FeedbackStore
from kiosk.fleet.config_push import AppliedStore, load_applied
from kiosk.fleet.link import FleetLink, kiosk_version
from kiosk.fleet.wiring import (
    certificate_files,
    config_keys,
    fleet_link,
    metrics_tls,
    office_open,
    queue_figures,
)
from kiosk.registry.client import RegistryClient
from kiosk.registry.errors import RegistryError, Unavailable
from kiosk.retention import Housekeeping
from kiosk.scan import ScanService
from kiosk.speech import Announcer, AplayPlayer, AudioSettingsStore, EspeakSynthesizer
from kiosk.staffcall import StaffCaller, StaffCallSink, TechnicianLogSink
from kiosk.staffcall.office_sink import OfficeAlertSink
from kiosk.technician.device_errors import LastErrors
from kiosk.telemetry.certificates import CertificateExpiry
from kiosk.telemetry.consumables import consumables
from kiosk.telemetry.heartbeat import Heartbeat
from kiosk.telemetry.metrics import KioskMetrics, LiveSources

if TYPE_CHECKING:
    from devices.sim.fault_panel import FaultPanel
    from kiosk.queue_client.client import QueueServerClient
    from kiosk.registry_sim.server import RunningSimulator
    from kiosk.technician import TechnicianActions, TechnicianSession
    from kiosk.technician.lockout_store import LockoutStore

log = logging.getLogger(__name__)

PRINT_DEVICES = ("document", "card")


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
        self._closers.append(self.last_errors.watch(self.devices, _current_statuses(self.devices)))
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


def with_page_delay(config: KioskConfig, page_delay_ms: int) -> KioskConfig:
    """``config`` with the simulated document/card printers' time per page set (benchmarks)."""
    changes: dict[str, DeviceConfig] = {}
    for slot in ("document", "card"):
        cfg: DeviceConfig | None = getattr(config.devices, slot)
        if cfg is not None and is_simulator(cfg.driver):
            settings = {**cfg.settings, "page_delay_ms": page_delay_ms}
            changes[slot] = cfg.model_copy(update={"settings": settings})
    return config.model_copy(update={"devices": config.devices.model_copy(update=changes)})


def build_kiosk(
    config: KioskConfig,
    *,
    simulate: bool,
    state_dir: Path | None = None,
    registry_url: str | None = None,
    devices_only: Iterable[str] | None = None,
    serve_metrics: bool = True,
) -> Kiosk:
    """Compose a kiosk from ``config``; nothing runs until :meth:`Kiosk.start`.

    Without ``simulate`` the production rules apply first (:mod:`kiosk.config.trust`): a config
    that trusts a simulator key or driver raises :class:`~kiosk.config.ConfigError`."""
    if not simulate:
        from kiosk.config.trust import check_mode

        check_mode(config, simulate=False)
    state = Path(state_dir or config.state_dir)
    state.mkdir(parents=True, exist_ok=True, mode=0o700)  # personal data: the kiosk user's only
    simulator = None
    if simulate and registry_url is None:
        simulator = start_registry_simulator(config, state)
        registry_url = str(simulator.url)
    try:
        return _compose(config, state, simulate, registry_url, devices_only, simulator,
                        serve_metrics)  # fmt: skip
    except BaseException:
        if simulator is not None:
            simulator.stop()
        raise


def start_registry_simulator(config: KioskConfig, state_dir: Path) -> RunningSimulator:
    """The registry simulator of ``config`` on a free loopback port (simulate mode only)."""
    from kiosk.registry_sim.server import start_in_thread

    return start_in_thread(
        db_path=state_dir / "registry-sim.sqlite",
        seed=config.simulator.seed,
        families=config.simulator.families,
        kiosks={config.registry.kiosk_id: config.simulator.kiosk_key},
        port=0,
    )


def registry_client(
    config: KioskConfig, *, simulate: bool, url: str | None = None
) -> RegistryClient:
    """The registry client of ``config`` (at ``url`` if given); a simulated kiosk uses the
    simulator's kiosk key, a production one its key file."""
    settings = config.registry
    if url is not None:
        settings = settings.model_copy(update={"url": url.rstrip("/")})
    return RegistryClient(settings, key=config.simulator.kiosk_key if simulate else None)


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


def _fault_panel(devices: DeviceManager) -> FaultPanel:
    from devices.sim.fault_panel import FaultPanel

    return FaultPanel(devices)


def _pause_hook(state_dir: Path) -> StepHook:
    from kiosk.simulator.pause import pause_from_env

    return pause_from_env(state_dir)


def _compose(
    config: KioskConfig,
    state: Path,
    simulate: bool,
    registry_url: str | None,
    devices_only: Iterable[str] | None,
    simulator: Any,
    serve_metrics: bool,
) -> Kiosk:
    base = config
    push_store, push_keys = AppliedStore(state / "fleet"), config_keys(config)
    start, boot_note = load_applied(base, push_store, push_keys, config.kiosk.id)
    if start is not None:  # the last pushed revision, re-checked, on top of the file
        config = start.config
    # The KIOSK_PAUSE_AT test hook and fault injection exist in a simulated kiosk only.
    pause = _pause_hook(state) if simulate else no_pause
    registry = registry_client(config, simulate=simulate, url=registry_url)
    status = RegistryStatus()
    paper = state / "paper" if simulate else None
    devices = build_devices(
        config, simulate=simulate, state_dir=state, paper_dir=paper, only=devices_only
    )
    faults = _fault_panel(devices) if simulate else None
    journal = Journal(state / "journal.sqlite")
    audit = audit_log(config, state)
    office = _office_client(config)
    desk = _desk(config, state, devices, office)
    storage = FreeSpace(state, config.state_min_free_mb)

    def space() -> tuple[int | None, int]:
        reading = storage.reading()
        return reading.free_bytes, reading.floor_bytes

    # The queue figures of the kiosk's own queue; with an office queue server, the server has them.
    own = desk if isinstance(desk, DeskForSession) else None
    metrics = KioskMetrics(
        sources=LiveSources(
            devices=lambda: device_snapshot(devices),
            outbox_depth=journal.outbox_depth,
            outbox_oldest=journal.outbox_oldest,
            blanko=lambda: _blanko(devices),
            journal_counts=journal.counts,
            space=space,
            queue=None if own is None else lambda: queue_figures(own),
            office_open=None if own is None else lambda: office_open(own),
            config_revision=lambda: link.push.applied_revision,
            clock_skew=lambda: status.clock_skew_s,
            certificates=CertificateExpiry(certificate_files(config)).read,
        ),
        identity=_identity(config),
        process=True,
    )
    metrics.last_print.set(journal.last_printed_at() or 0)
    outbox = Outbox(journal, registry, audit=audit, pause=pause)

    def on_result(result: TxResult, doc: str) -> None:
        metrics.observe_transaction(
            result.outcome.value, doc, result.render_ms / 1000, result.print_ms / 1000
        )

    from printing.documents import render

    transaction = PrintTransaction(
        journal=journal,
        registry=registry,
        renderer=render,
        printers=devices,
        outbox=outbox,
        audit=audit,
        pause=pause,
        on_result=on_result,
        storage=storage,
    )
    recovery = Recovery(
        journal=journal,
        registry=registry,
        printers=devices,
        outbox=outbox,
        audit=audit,
        pause=pause,
    )
    keys, claim_keys = trusted_keys(config, simulate=simulate)

    def session_ended(outcome: SessionOutcome, seconds: float) -> None:
        metrics.observe_session(outcome.value, seconds)
        try:
            audit.append("session", outcome=outcome.value, seconds=round(seconds, 1))
        except OSError as exc:  # a full disk: the journal already holds what matters
            log.error("audit entry session not written: %s", exc)

    feedback = (
        FeedbackStore(state / "feedback.sqlite", config.kiosk.tz)
        if config.feedback.enabled
        else None
    )
    devices_cfg = simulated_devices(config.devices) if simulate else config.devices
    printable = [
        doc
        for doc in DocumentType
        if getattr(devices_cfg, "document" if doc.media is Media.A4 else "card") is not None
    ]
    sinks: list[StaffCallSink] = [TechnicianLogSink(audit)]
    if office is not None:  # "Panggil petugas" also reaches the counter pages
        sinks.append(OfficeAlertSink(office))
    staff = StaffCaller(
        sinks,
        kiosk_id=config.kiosk.id,
        on_call=lambda call: metrics.staff_calls.labels(screen=call.screen).inc(),
        on_delivery=lambda sink, ok: metrics.staff_call_deliveries.labels(
            sink=sink, result="ok" if ok else "failed"
        ).inc(),
    )
    session = SessionController(
        SessionDeps(
            ui=config.ui,
            voucher_keys=keys,
            claim_keys=claim_keys,
            registry=registry,
            transaction=transaction,
            printers=devices,
            registry_status=status,
            clock_skew_s=config.vouchers.clock_skew_s,
            wallclock=status.now,
            desk=desk,
            tickets_available=devices.can_issue_tickets,
            on_session_end=session_ended,
            storage=storage,
            staff=staff,
            handover=dict(config.handover.services),
            handover_default=config.handover.default,
            info=info_topics(config.info, config.queue.services, printable),
            feedback=feedback,
        )
    )

    def heartbeat_result(ok: bool) -> None:
        metrics.heartbeats.labels(result="ok" if ok else "failed").inc()
        link.on_result(ok)

    heartbeat = Heartbeat(
        registry,
        lambda: {**_heartbeat_payload(config, devices, journal), **link.payload()},
        interval_s=config.registry.heartbeat_interval_s,
        status=status,
        on_result=heartbeat_result,
        audit_head=audit.head,
        on_answer=lambda answer: link.on_answer(answer),
    )
    metrics.registry_up.set(1)
    scan = ScanService(
        camera=devices.get("camera"),  # type: ignore[arg-type]
        decoder=devices.code_reader,
        scanners=devices.scanners(),
    )
    kiosk = Kiosk(
        config=config,
        state_dir=state,
        simulate=simulate,
        registry=registry,
        registry_status=status,
        devices=devices,
        journal=journal,
        audit=audit,
        outbox=outbox,
        transaction=transaction,
        recovery=recovery,
        metrics=metrics,
        heartbeat=heartbeat,
        session=session,
        scan=scan,
        desk=desk,
        staff=staff,
        speech=_speech(config, state),
        housekeeping=Housekeeping(
            config.retention, state_dir=state, audit=audit, journal=journal, tz=config.kiosk.tz
        ),
        feedback=feedback,
        feedback_sender=_feedback_sender(config, feedback, office),
        simulator=simulator,
        faults=faults,
        serve_metrics=serve_metrics,
        storage=storage,
        office=office,
    )
    # the fleet channel: pushed config (applied between sessions) and commands
    link = kiosk.fleet = fleet_link(
        kiosk, base, push_store, push_keys, start, boot_note,
        lambda: consumables(device_snapshot(devices), _blanko(devices)),
    )  # fmt: skip
    return kiosk


def _identity(config: KioskConfig) -> dict[str, str]:
    return {"version": kiosk_version(), "kiosk": config.kiosk.id, "office": config.kiosk.office}


def audit_log(config: KioskConfig | None, state: Path) -> AuditLog:
    """The kiosk's audit log in ``<state>/audit``, chained with the key ``audit.key_file``
    names; without one (simulator mode, where the production rules allow it) the key generated
    in the audit directory. An unusable key file is a :class:`~kiosk.config.ConfigError`."""
    key_file = config.audit.key_file if config is not None else None
    if key_file is None:
        return AuditLog(state / "audit")
    try:
        key = read_key(key_file)
    except AuditKeyError as exc:
        source = str(config.source) if config is not None and config.source else "<config>"
        raise ConfigError(source, [("audit.key_file", str(exc))]) from None
    return AuditLog(state / "audit", key=key)


def trusted_keys(
    config: KioskConfig, *, simulate: bool
) -> tuple[dict[str, Ed25519PublicKey], dict[str, Ed25519PublicKey]]:
    """The voucher keys and the document-claim keys the session checks codes against.

    Claim keys come from ``vouchers.claim_keys``; only in simulator mode does an empty table
    fall back to the voucher keys (the registry simulator signs both with its one key)."""
    vouchers = config.vouchers
    keys = {kid: public_key_from_text(text) for kid, text in vouchers.keys.items()}
    claims = {kid: public_key_from_text(text) for kid, text in vouchers.claim_keys.items()}
    return keys, claims if claims or not simulate else dict(keys)


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
                faults = _fault_panel(devices) if simulate else None
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


def _desk(
    config: KioskConfig, state: Path, devices: DeviceManager, office: QueueServerClient | None
) -> QueueDesk | None:
    """The office queue server's desk when ``[queue] server`` is set (``office`` its client),
    else the kiosk's own queue (an embedded SQLite store) when it has services, else none."""
    if office is not None:
        return _office_desk(config, devices, office)
    if not config.queue.services:
        return None
    from kiosk.queue import QueueBook, SqliteTicketStore, TicketDesk
    from printing.tickets import compose_ticket

    tz = config.kiosk.tz
    book = QueueBook(config.queue.services, SqliteTicketStore(state / "queue.sqlite"), tz)
    desk = TicketDesk(
        book,
        devices.receipt(),
        compose_ticket,
        tz,
        lambda: datetime.now(UTC),
        office=config.kiosk.office,
        width_mm=config.queue.ticket_width_mm,
    )
    return DeskForSession(desk, devices.can_issue_tickets)


def _office_client(config: KioskConfig) -> QueueServerClient | None:
    """The office queue server's client when ``[queue] server`` is set: the desk issues
    through it, staff calls and survey answers reach the office through it."""
    from kiosk.queue_client.client import QueueServer, QueueServerClient, read_key

    queue = config.queue
    if queue.server is None:
        return None
    assert queue.key_file is not None  # the model's rule
    source = str(config.source) if config.source else "<config>"
    try:
        key = read_key(queue.key_file)
    except ValueError as exc:
        raise ConfigError(source, [("queue.key_file", str(exc))]) from None
    return QueueServerClient(
        QueueServer(queue.server, queue.client_id or config.kiosk.id, key, queue.timeout_ms / 1000)
    )


def _office_desk(
    config: KioskConfig, devices: DeviceManager, client: QueueServerClient
) -> QueueDesk:
    from kiosk.engine.office_queue import OfficeQueueDesk
    from printing.tickets import compose_ticket

    queue = config.queue
    desk = OfficeQueueDesk(
        client,
        devices.receipt(),
        compose_ticket,
        config.kiosk.tz,
        office=config.kiosk.office,
        printer_available=devices.can_issue_tickets,
        clock=lambda: datetime.now(UTC),
        width_mm=queue.ticket_width_mm,
        booking_keys={k: public_key_from_text(v) for k, v in queue.booking_keys.items()},
    )
    log.info("queue: tickets from the office queue server %s", queue.server)
    return desk


def _feedback_sender(
    config: KioskConfig, store: FeedbackStore | None, office: QueueServerClient | None
) -> FeedbackSender | None:
    """Survey answers to the office queue server, when there is one (else they stay local and
    ``kiosk journal ikm`` reports them)."""
    if store is None or office is None:
        return None
    from kiosk.feedback.office_delivery import OfficeFeedbackDelivery

    return FeedbackSender(store, OfficeFeedbackDelivery(office), retry_s=config.feedback.retry_s)


def _current_statuses(devices: DeviceManager) -> list[StatusEvent]:
    """Each device's status now, as events dated when it last changed."""
    out = []
    for name in devices.names:
        device = devices.get(name)
        if device is not None:
            status = device.status
            out.append(StatusEvent(name, StatusEventKind.STATE_CHANGED, status, status.since))
    return out


def _speech(config: KioskConfig, state: Path) -> Announcer | None:
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


def _blanko(devices: DeviceManager) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for name in devices.names:
        device = devices.get(name)
        blanko = getattr(device, "blanko", None)
        if callable(blanko):
            left, low = blanko()
            out[name] = (int(left), int(low))
    return out


def _heartbeat_payload(
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
