"""The object graph: a config in, a :class:`~kiosk.bootstrap.kiosk.Kiosk` out (nothing runs
until it is started).

In simulate mode the registry simulator runs in-process on a free loopback port, every device
is the simulated one and the simulated printers put their virtual paper in
``<state_dir>/paper``; only then are the simulator's tools composed in: the fault panel
(:attr:`Kiosk.faults`) and the ``KIOSK_PAUSE_AT`` test hook.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kiosk.bootstrap.devices import (
    blanko_levels,
    build_devices,
    device_snapshot,
    fault_panel,
    heartbeat_payload,
    pause_hook,
    spoken_prompts,
)
from kiosk.bootstrap.kiosk import Kiosk
from kiosk.bootstrap.office import office_client, queue_desk, staff_caller, survey_sender
from kiosk.bootstrap.registry import (
    audit_log,
    registry_client,
    start_registry_simulator,
    trusted_keys,
)
from kiosk.config.models import DeviceConfig, KioskConfig
from kiosk.config.simulate import is_simulator, simulated_devices
from kiosk.domain.documents import DocumentType, Media
from kiosk.engine.availability import FreeSpace, RegistryStatus
from kiosk.engine.journal import Journal
from kiosk.engine.outbox import Outbox
from kiosk.engine.outcomes import TxResult
from kiosk.engine.ports import no_pause
from kiosk.engine.queue_view import DeskForSession
from kiosk.engine.recovery import Recovery
from kiosk.engine.service_info import info_topics
from kiosk.engine.session import SessionController
from kiosk.engine.session_flows import SessionDeps, SessionOutcome
from kiosk.engine.transaction import PrintTransaction
from kiosk.feedback import FeedbackStore
from kiosk.fleet.config_push import AppliedStore, load_applied
from kiosk.fleet.link import kiosk_version
from kiosk.fleet.wiring import (
    certificate_files,
    config_keys,
    fleet_link,
    office_open,
    queue_figures,
)
from kiosk.retention import Housekeeping
from kiosk.scan import ScanService
from kiosk.telemetry.certificates import CertificateExpiry
from kiosk.telemetry.consumables import consumables
from kiosk.telemetry.heartbeat import Heartbeat
from kiosk.telemetry.metrics import KioskMetrics, LiveSources

log = logging.getLogger(__name__)


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
    pause = pause_hook(state) if simulate else no_pause
    registry = registry_client(config, simulate=simulate, url=registry_url)
    status = RegistryStatus()
    paper = state / "paper" if simulate else None
    devices = build_devices(
        config, simulate=simulate, state_dir=state, paper_dir=paper, only=devices_only
    )
    faults = fault_panel(devices) if simulate else None
    journal = Journal(state / "journal.sqlite")
    audit = audit_log(config, state)
    office = office_client(config)
    desk = queue_desk(config, state, devices, office)
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
            blanko=lambda: blanko_levels(devices),
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
    staff = staff_caller(config, audit, office, metrics)
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
        lambda: {**heartbeat_payload(config, devices, journal), **link.payload()},
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
        speech=spoken_prompts(config, state),
        housekeeping=Housekeeping(
            config.retention, state_dir=state, audit=audit, journal=journal, tz=config.kiosk.tz
        ),
        feedback=feedback,
        feedback_sender=survey_sender(config, feedback, office),
        simulator=simulator,
        faults=faults,
        serve_metrics=serve_metrics,
        storage=storage,
        office=office,
    )
    # the fleet channel: pushed config (applied between sessions) and commands
    link = kiosk.fleet = fleet_link(
        kiosk, base, push_store, push_keys, start, boot_note,
        lambda: consumables(device_snapshot(devices), blanko_levels(devices)),
    )  # fmt: skip
    return kiosk


def _identity(config: KioskConfig) -> dict[str, str]:
    return {"version": kiosk_version(), "kiosk": config.kiosk.id, "office": config.kiosk.office}
