"""The composition root's fleet part, called only from :mod:`kiosk.bootstrap`: the config push,
the command runner, and the live figures the metrics read about the queue and certificates."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from devices.model import HealthLevel
from kiosk.config.models import KioskConfig
from kiosk.domain.voucher import public_key_from_text
from kiosk.engine.queue_view import DeskForSession
from kiosk.fleet.commands import CommandRunner, LogTally
from kiosk.fleet.config_push import AppliedStore, Checked, ConfigPush
from kiosk.fleet.link import FleetLink
from kiosk.telemetry.metrics_server import MetricsTls

if TYPE_CHECKING:
    from kiosk.bootstrap import Kiosk


def config_keys(config: KioskConfig) -> dict[str, Ed25519PublicKey]:
    return {kid: public_key_from_text(text) for kid, text in config.fleet.config_keys.items()}


def metrics_tls(config: KioskConfig) -> MetricsTls | None:
    tel = config.telemetry
    if tel.metrics_tls_cert is None or tel.metrics_tls_key is None:
        return None
    return MetricsTls(tel.metrics_tls_cert, tel.metrics_tls_key, tel.metrics_client_ca)


def certificate_files(config: KioskConfig) -> dict[str, Path]:
    """The certificates whose expiry the metrics show, by name."""
    named = {
        "registry_client": config.registry.client_cert,
        "registry_ca": config.registry.ca_file,
        "metrics_server": config.telemetry.metrics_tls_cert,
        "metrics_client_ca": config.telemetry.metrics_client_ca,
    }
    return {name: path for name, path in named.items() if path is not None}


def queue_figures(desk: DeskForSession) -> dict[str, tuple[int, int]]:
    """Per service prefix: tickets issued today and waiting now."""
    book = desk.desk.book
    now = datetime.now(UTC)
    day = book.day(now)
    return {
        s.code: (book.store.issued_count(s.code, day), book.waiting(s.code, now))
        for s in book.services
    }


def office_open(desk: DeskForSession) -> bool:
    book = desk.desk.book
    now = datetime.now(UTC)
    return any(book.is_open(service, now) for service in book.services)


def _apply_to(kiosk: Kiosk) -> Callable[[KioskConfig], None]:
    """The running parts a pushed config changes (called between sessions only)."""

    def apply(new: KioskConfig) -> None:
        kiosk.session.apply_ui(new.ui)
        if isinstance(kiosk.desk, DeskForSession):  # the office queue server keeps its own
            from kiosk.queue import QueueBook

            old = kiosk.desk.desk.book
            kiosk.desk.desk.book = QueueBook(new.queue.services, old.store, old.tz)
        kiosk.heartbeat.interval_s = new.registry.heartbeat_interval_s
        kiosk.config = new

    return apply


def _diagnostics(kiosk: Kiosk) -> dict[str, Any]:
    """Internal-level checks only: nothing printed, nothing shown to a citizen."""
    health = kiosk.devices.health(HealthLevel.INTERNAL)
    return {
        "devices": {name: result.to_dict() for name, result in health.items()},
        "registry_up": kiosk.registry_status.up,
        "clock_skew_s": round(kiosk.registry_status.clock_skew_s, 3),
        "outbox_depth": kiosk.journal.outbox_depth(),
        "suspect": kiosk.journal.counts().get("suspect", 0),
        "disk_free_bytes": shutil.disk_usage(kiosk.state_dir).free,
    }


def fleet_link(
    kiosk: Kiosk,
    base: KioskConfig,
    store: AppliedStore,
    keys: dict[str, Ed25519PublicKey],
    start: Checked | None,
    boot_note: str | None,
    consumables: Callable[[], dict[str, Any]],
) -> FleetLink:
    tally = LogTally()
    kiosk._closers.append(tally.install())
    push = ConfigPush(
        base,
        keys=keys,
        store=store,
        apply=_apply_to(kiosk),
        when_idle=kiosk.session.when_idle,
        start=start,
        boot_note=boot_note,
        on_applied=lambda revision: kiosk.audit.append("config_applied", revision=revision),
    )
    runner = CommandRunner(
        {"diagnostics": lambda: _diagnostics(kiosk), "logs_summary": tally.summary},
        kiosk.session.when_idle,
    )
    return FleetLink(
        push,
        runner,
        consumables,
        extra=lambda: {
            "suspect": kiosk.journal.counts().get("suspect", 0),
            "clock_skew_s": round(kiosk.registry_status.clock_skew_s, 3),
        },
    )
