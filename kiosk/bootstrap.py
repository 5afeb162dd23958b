"""The composition root: a config in, a running kiosk out (STYLE 1).

:func:`build_kiosk` creates the registry client, device manager, journal, outbox, queue desk,
audit log, metrics, heartbeat and session controller; entry points (CLI, UI, tests) call it
and stay thin. Nothing else constructs devices or clients from config.

In simulate mode the registry simulator runs in-process on a free loopback port, every device
is the simulated one and the simulated printers put their virtual paper in
``<state_dir>/paper``. :meth:`Kiosk.start` runs recovery before anything else;
:meth:`Kiosk.stop` stops every thread it started.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devices.drivers import DriverContext
from devices.manager import DeviceManager
from devices.model import StatusEvent, StatusEventKind
from kiosk.audit import AuditLog
from kiosk.config.models import DeviceConfig, KioskConfig
from kiosk.config.simulate import simulated_devices
from kiosk.domain.documents import DocumentType, Media
from kiosk.domain.voucher import public_key_from_text
from kiosk.engine.availability import RegistryStatus
from kiosk.engine.journal import Journal
from kiosk.engine.outbox import Outbox
from kiosk.engine.outcomes import TxResult
from kiosk.engine.pause import pause_from_env
from kiosk.engine.ports import no_pause
from kiosk.engine.queue_view import DeskForSession
from kiosk.engine.recovery import Recovery, RecoveryReport
from kiosk.engine.service_info import info_topics
from kiosk.engine.session import SessionController
from kiosk.engine.session_flows import SessionDeps, SessionOutcome
from kiosk.engine.transaction import PrintTransaction
from kiosk.feedback import FeedbackSender, FeedbackStore
from kiosk.registry.client import RegistryClient
from kiosk.registry.errors import RegistryError, Unavailable
from kiosk.speech import Announcer, AplayPlayer, AudioSettingsStore, EspeakSynthesizer
from kiosk.staffcall import StaffCaller, TechnicianLogSink
from kiosk.technician.device_errors import LastErrors
from kiosk.telemetry.heartbeat import Heartbeat
from kiosk.telemetry.metrics import KioskMetrics

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
    desk: DeskForSession | None = None
    staff: StaffCaller | None = None  # "Panggil petugas": the technician log (+ office, later)
    speech: Announcer | None = None  # spoken prompts; None when off in config
    feedback: FeedbackStore | None = None  # survey answers (IKM); None when off in config
    # Sends them to the office queue server (POST /v1/feedback) once its client is wired.
    feedback_sender: FeedbackSender | None = None
    last_errors: LastErrors = field(default_factory=LastErrors)  # per device, with its time
    simulator: Any = None  # kiosk.registry_sim RunningSimulator, in simulate mode
    recovery_report: RecoveryReport | None = None
    serve_metrics: bool = True
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
            self.heartbeat.start()
            if self.serve_metrics and self.config.telemetry.metrics_enabled:
                tel = self.config.telemetry
                self.metrics.serve(tel.metrics_host, tel.metrics_port)
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

    def _registry_changed(self, up: bool) -> None:
        self.metrics.registry_up.set(1 if up else 0)
        self.session.refresh()

    def stop(self) -> None:
        for close in reversed(self._closers):
            close()
        self._closers.clear()
        self.session.stop()
        if self.staff is not None:
            self.staff.close()
        if self.speech is not None:
            self.speech.close()
        self.heartbeat.stop()
        if self.feedback_sender is not None:
            self.feedback_sender.stop()
        if self.feedback is not None:
            self.feedback.close()
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
        if cfg is not None and cfg.driver == "sim":
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
    """Compose a kiosk from ``config``; nothing runs until :meth:`Kiosk.start`."""
    state = Path(state_dir or config.state_dir)
    state.mkdir(parents=True, exist_ok=True)
    simulator, key = None, None
    registry_settings = config.registry
    if simulate and registry_url is None:
        from kiosk.registry_sim.server import start_in_thread

        simulator = start_in_thread(
            db_path=state / "registry-sim.sqlite",
            seed=config.simulator.seed,
            families=config.simulator.families,
            kiosks={config.registry.kiosk_id: config.simulator.kiosk_key},
            port=0,
        )
        registry_url = str(simulator.url)
    if simulate:
        key = config.simulator.kiosk_key
    if registry_url is not None:
        registry_settings = registry_settings.model_copy(update={"url": registry_url.rstrip("/")})
    try:
        return _compose(config, state, simulate, registry_settings, key, devices_only, simulator,
                        serve_metrics)  # fmt: skip
    except BaseException:
        if simulator is not None:
            simulator.stop()
        raise


def _compose(
    config: KioskConfig,
    state: Path,
    simulate: bool,
    registry_settings: Any,
    key: str | None,
    devices_only: Iterable[str] | None,
    simulator: Any,
    serve_metrics: bool,
) -> Kiosk:
    pause = pause_from_env(state)
    registry = RegistryClient(registry_settings, key=key)
    status = RegistryStatus()
    devices_cfg = simulated_devices(config.devices) if simulate else config.devices
    context = DriverContext(state_dir=state, paper_dir=state / "paper" if simulate else None)
    devices = DeviceManager.from_config(devices_cfg, context, only=devices_only)
    journal = Journal(state / "journal.sqlite")
    audit = AuditLog(state / "audit")
    metrics = KioskMetrics(
        devices=lambda: device_snapshot(devices),
        outbox_depth=journal.outbox_depth,
        blanko=lambda: _blanko(devices),
    )
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
    )
    recovery = Recovery(
        journal=journal,
        registry=registry,
        printers=devices,
        outbox=outbox,
        audit=audit,
        pause=pause,
    )
    desk = _desk(config, state, devices)
    keys = {kid: public_key_from_text(text) for kid, text in config.vouchers.keys.items()}

    def session_ended(outcome: SessionOutcome, seconds: float) -> None:
        metrics.observe_session(outcome.value, seconds)
        audit.append("session", outcome=outcome.value, seconds=round(seconds, 1))

    feedback = (
        FeedbackStore(state / "feedback.sqlite", config.kiosk.tz)
        if config.feedback.enabled
        else None
    )
    printable = [
        doc
        for doc in DocumentType
        if getattr(devices_cfg, "document" if doc.media is Media.A4 else "card") is not None
    ]
    staff = StaffCaller(
        [TechnicianLogSink(audit)],
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
            registry=registry,
            transaction=transaction,
            printers=devices,
            registry_status=status,
            clock_skew_s=config.vouchers.clock_skew_s,
            wallclock=status.now,
            desk=desk,
            tickets_available=devices.can_issue_tickets,
            on_session_end=session_ended,
            staff=staff,
            handover=dict(config.handover.services),
            handover_default=config.handover.default,
            info=info_topics(config.info, config.queue.services, printable),
            feedback=feedback,
        )
    )
    heartbeat = Heartbeat(
        registry,
        lambda: _heartbeat_payload(config, devices, journal),
        interval_s=config.registry.heartbeat_interval_s,
        status=status,
        on_result=lambda ok: metrics.heartbeats.labels(result="ok" if ok else "failed").inc(),
    )
    metrics.registry_up.set(1)
    return Kiosk(
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
        desk=desk,
        staff=staff,
        speech=_speech(config, state),
        feedback=feedback,
        simulator=simulator,
        serve_metrics=serve_metrics,
    )


def _desk(config: KioskConfig, state: Path, devices: DeviceManager) -> DeskForSession | None:
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
