"""The office's side of the graph, with ``[queue] server``: the queue server's client, the
desk that issues through it (else the kiosk's own queue), "Panggil petugas" reaching the counter
pages, and the survey answers' sender."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from devices.manager import DeviceManager
from kiosk.audit import AuditLog
from kiosk.config import ConfigError
from kiosk.config.models import KioskConfig
from kiosk.domain.voucher import public_key_from_text
from kiosk.engine.queue_view import DeskForSession
from kiosk.engine.session_flows import QueueDesk
from kiosk.feedback import FeedbackSender, FeedbackStore
from kiosk.staffcall import StaffCaller, StaffCallSink, TechnicianLogSink
from kiosk.staffcall.office_sink import OfficeAlertSink
from kiosk.telemetry.metrics import KioskMetrics

if TYPE_CHECKING:
    from kiosk.queue_client.client import QueueServerClient

log = logging.getLogger(__name__)


def queue_desk(
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


def office_client(config: KioskConfig) -> QueueServerClient | None:
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


def survey_sender(
    config: KioskConfig, store: FeedbackStore | None, office: QueueServerClient | None
) -> FeedbackSender | None:
    """Survey answers to the office queue server, when there is one (else they stay local and
    ``kiosk journal ikm`` reports them)."""
    if store is None or office is None:
        return None
    from kiosk.feedback.office_delivery import OfficeFeedbackDelivery

    return FeedbackSender(store, OfficeFeedbackDelivery(office), retry_s=config.feedback.retry_s)


def staff_caller(
    config: KioskConfig, audit: AuditLog, office: QueueServerClient | None, metrics: KioskMetrics
) -> StaffCaller:
    """ "Panggil petugas": to the technician log, and to the counter pages with an office
    queue server; counted in the metrics."""
    sinks: list[StaffCallSink] = [TechnicianLogSink(audit)]
    if office is not None:
        sinks.append(OfficeAlertSink(office))
    return StaffCaller(
        sinks,
        kiosk_id=config.kiosk.id,
        on_call=lambda call: metrics.staff_calls.labels(screen=call.screen).inc(),
        on_delivery=lambda sink, ok: metrics.staff_call_deliveries.labels(
            sink=sink, result="ok" if ok else "failed"
        ).inc(),
    )
