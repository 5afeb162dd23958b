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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from devices.drivers import DriverContext
from devices.manager import DeviceManager
from kiosk.audit import AuditKeyError, AuditLog
from kiosk.audit.chain_key import read_key
from kiosk.config import ConfigError
from kiosk.config.models import DeviceConfig, KioskConfig
from kiosk.config.simulate import simulated_devices
from kiosk.domain.voucher import public_key_from_text
from kiosk.engine.availability import FreeSpace, RegistryStatus
from kiosk.engine.journal import Journal
from kiosk.engine.outbox import Outbox
from kiosk.engine.outcomes import TxResult
from kiosk.engine.pause import pause_from_env
from kiosk.engine.ports import no_pause
from kiosk.engine.queue_view import DeskForSession
from kiosk.engine.recovery import Recovery, RecoveryReport
from kiosk.engine.session import SessionController
from kiosk.engine.session_flows import QueueDesk, SessionDeps, SessionOutcome
from kiosk.engine.transaction import PrintTransaction
from kiosk.registry.client import RegistryClient
from kiosk.registry.errors import RegistryError, Unavailable
from kiosk.scan import ScanService
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
    scan: ScanService
    desk: QueueDesk | None = None  # the kiosk's own queue, or the office queue server's
    simulator: Any = None  # kiosk.registry_sim RunningSimulator, in simulate mode
    storage: FreeSpace | None = None  # the state dir's free space against its floor
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
        if background:
            self.heartbeat.start()
            if self.serve_metrics and self.config.telemetry.metrics_enabled:
                tel = self.config.telemetry
                self.metrics.serve(tel.metrics_host, tel.metrics_port)
        self.scan.start()
        self._closers.append(self.devices.subscribe(lambda event: self.session.refresh()))
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
        self.scan.stop()
        self.heartbeat.stop()
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
    """Compose a kiosk from ``config``; nothing runs until :meth:`Kiosk.start`.

    Without ``simulate`` the production rules apply first (:mod:`kiosk.config.trust`): a config
    that trusts a simulator key or driver raises :class:`~kiosk.config.ConfigError`."""
    if not simulate:
        from kiosk.config.trust import check_mode

        check_mode(config, simulate=False)
    state = Path(state_dir or config.state_dir)
    state.mkdir(parents=True, exist_ok=True, mode=0o700)  # personal data: the kiosk user's only
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
    audit = audit_log(config, state)
    storage = FreeSpace(state, config.state_min_free_mb)

    def space() -> tuple[int | None, int]:
        reading = storage.reading()
        return reading.free_bytes, reading.floor_bytes

    metrics = KioskMetrics(
        devices=lambda: device_snapshot(devices),
        outbox_depth=journal.outbox_depth,
        blanko=lambda: _blanko(devices),
        journal_counts=journal.counts,
        space=space,
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
    desk, close_desk = _desk(config, state, devices)
    keys, claim_keys = trusted_keys(config, simulate=simulate)

    def session_ended(outcome: SessionOutcome, seconds: float) -> None:
        metrics.observe_session(outcome.value, seconds)
        try:
            audit.append("session", outcome=outcome.value, seconds=round(seconds, 1))
        except OSError as exc:  # a full disk: the journal already holds what matters
            log.error("audit entry session not written: %s", exc)

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
        )
    )
    heartbeat = Heartbeat(
        registry,
        lambda: _heartbeat_payload(config, devices, journal),
        interval_s=config.registry.heartbeat_interval_s,
        status=status,
        on_result=lambda ok: metrics.heartbeats.labels(result="ok" if ok else "failed").inc(),
        audit_head=audit.head,
    )
    metrics.registry_up.set(1)
    scan = ScanService(
        camera=devices.get("camera"),  # type: ignore[arg-type]
        decoder=devices.code_reader,
        scanners=devices.scanners(),
    )
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
        scan=scan,
        desk=desk,
        simulator=simulator,
        serve_metrics=serve_metrics,
        storage=storage,
        _closers=[close_desk],
    )


def registry_client(
    config: KioskConfig, *, simulate: bool, url: str | None = None
) -> RegistryClient:
    """A client for the config's registry (``url`` overrides it); with ``simulate`` it uses
    the simulator's kiosk key instead of the key file (one-shot CLIs: audit, journal)."""
    settings = config.registry
    if url is not None:
        settings = settings.model_copy(update={"url": url.rstrip("/")})
    return RegistryClient(settings, key=config.simulator.kiosk_key if simulate else None)


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


def _desk(
    config: KioskConfig, state: Path, devices: DeviceManager
) -> tuple[QueueDesk | None, Callable[[], None]]:
    """The office queue server's desk when ``[queue] server`` is set, else the kiosk's own
    queue (an embedded SQLite store) when it has services, else none; and how to close it."""
    if config.queue.server is not None:
        return _office_desk(config, devices)
    if not config.queue.services:
        return None, lambda: None
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
    return DeskForSession(desk, devices.can_issue_tickets), lambda: None


def _office_desk(
    config: KioskConfig, devices: DeviceManager
) -> tuple[QueueDesk, Callable[[], None]]:
    from kiosk.engine.office_queue import OfficeQueueDesk
    from kiosk.queue_client.client import QueueServer, QueueServerClient, read_key
    from printing.tickets import compose_ticket

    queue = config.queue
    assert queue.server is not None and queue.key_file is not None  # the model's rule
    source = str(config.source) if config.source else "<config>"
    try:
        key = read_key(queue.key_file)
    except ValueError as exc:
        raise ConfigError(source, [("queue.key_file", str(exc))]) from None
    client = QueueServerClient(
        QueueServer(queue.server, queue.client_id or config.kiosk.id, key, queue.timeout_ms / 1000)
    )
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
    return desk, client.close


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
