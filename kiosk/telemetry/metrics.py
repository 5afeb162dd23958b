"""Prometheus metrics on the kiosk's own CollectorRegistry (never the global one).

Counters and histograms are fed by the engine (sessions, transactions, render and print
durations, last print and ticket times); device states, paper, card and marker levels, decode
counters, the outbox, the journal's transactions by state (``suspect`` and ``conflict`` want a
technician; a conflict is a double print), the state dir's free space, queue figures, config
revision, clock skew and certificate expiry are read at scrape time from their owners
(:mod:`kiosk.telemetry.live`), so a scrape always shows the present.
``kiosk_info{version,kiosk,office}`` names the kiosk, and the process collector adds
``process_*`` (CPU, memory, open files, start time).

The endpoint (:mod:`kiosk.telemetry.metrics_server`) is plain HTTP on 127.0.0.1 by default and
HTTPS with client certificates when configured (``telemetry.metrics_tls_*``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    ProcessCollector,
    generate_latest,
)

from kiosk.telemetry.live import LiveCollector, LiveSources, Snapshot
from kiosk.telemetry.metrics_server import MetricsServer, MetricsTls

__all__ = ["KioskMetrics", "LiveSources", "MetricsTls"]

log = logging.getLogger(__name__)

_DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)


class KioskMetrics:
    def __init__(
        self,
        *,
        devices: Snapshot | None = None,
        outbox_depth: Callable[[], int] | None = None,
        blanko: Callable[[], Mapping[str, tuple[int, int]]] | None = None,
        journal_counts: Callable[[], Mapping[str, int]] | None = None,
        space: Callable[[], tuple[int | None, int]] | None = None,
        sources: LiveSources | None = None,
        identity: Mapping[str, str] | None = None,
        process: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``sources`` (or the older ``devices``/``outbox_depth``/``blanko``) feed the live
        figures; ``identity`` ({version, kiosk, office}) becomes ``kiosk_info``; ``process``
        adds the process collector (once per process: it reads /proc/self)."""
        self.registry = CollectorRegistry(auto_describe=True)
        self._clock = clock
        if identity is not None:
            Info("kiosk", "Kiosk identity and software version", registry=self.registry).info(
                {key: str(identity.get(key, "")) for key in ("version", "kiosk", "office")}
            )
        if process:
            ProcessCollector(registry=self.registry)
        self.last_print = Gauge(
            "kiosk_last_successful_print_timestamp_seconds",
            "When a document last came out of a printer, UNIX seconds (0: never)",
            registry=self.registry,
        )
        self.last_ticket = Gauge(
            "kiosk_last_ticket_timestamp_seconds",
            "When a queue ticket was last issued here, UNIX seconds (0: not since start)",
            registry=self.registry,
        )
        self.sessions = Counter(
            "kiosk_sessions", "Citizen sessions by outcome", ["outcome"], registry=self.registry
        )
        self.session_seconds = Histogram(
            "kiosk_session_seconds",
            "Session length, seconds",
            buckets=(5, 15, 30, 60, 120, 300, 600),
            registry=self.registry,
        )
        self.transactions = Counter(
            "kiosk_print_transactions",
            "Print transactions by outcome and document type",
            ["outcome", "doc"],
            registry=self.registry,
        )
        self.render_seconds = Histogram(
            "kiosk_render_seconds",
            "Document rendering time, seconds",
            ["doc"],
            buckets=_DURATION_BUCKETS,
            registry=self.registry,
        )
        self.print_seconds = Histogram(
            "kiosk_print_seconds",
            "Submit-to-outcome print time, seconds",
            ["doc"],
            buckets=_DURATION_BUCKETS,
            registry=self.registry,
        )
        self.registry_up = Gauge(
            "kiosk_registry_up", "1 when the registry answered last", registry=self.registry
        )
        self.heartbeats = Counter(
            "kiosk_heartbeats", "Heartbeats sent, by result", ["result"], registry=self.registry
        )
        self.staff_calls = Counter(
            "kiosk_staff_calls",
            "Citizens asking for staff help, by the screen they were on",
            ["screen"],
            registry=self.registry,
        )
        self.staff_call_deliveries = Counter(
            "kiosk_staff_call_deliveries",
            "Staff calls handed to each sink (technician_log, office), by result",
            ["sink", "result"],
            registry=self.registry,
        )
        if sources is None:
            sources = LiveSources(
                devices=devices,
                outbox_depth=outbox_depth,
                blanko=blanko,
                journal_counts=journal_counts,
                space=space,
            )
        self.registry.register(LiveCollector(sources, clock))
        self._server: MetricsServer | None = None

    def observe_transaction(self, outcome: str, doc: str, render_s: float, print_s: float) -> None:
        self.transactions.labels(outcome=outcome, doc=doc).inc()
        if outcome == "printed":
            self.last_print.set(self._clock())
        if render_s > 0:
            self.render_seconds.labels(doc=doc).observe(render_s)
        if print_s > 0:
            self.print_seconds.labels(doc=doc).observe(print_s)

    def observe_session(self, outcome: str, seconds: float) -> None:
        self.sessions.labels(outcome=outcome).inc()
        if outcome == "ticket":
            self.last_ticket.set(self._clock())
        self.session_seconds.observe(max(0.0, seconds))

    def render(self) -> bytes:
        """The exposition text, as a scrape would get it."""
        return generate_latest(self.registry)

    # the HTTP endpoint

    def serve(self, host: str, port: int, tls: MetricsTls | None = None) -> int:
        """Serve /metrics on ``host:port`` (0: any free port); returns the bound port."""
        self._server = MetricsServer(self.registry, host, port, tls)
        bound = self._server.port
        scheme = "https" if tls is not None else "http"
        log.info("metrics on %s://%s:%d/metrics", scheme, host, bound)
        return bound

    @property
    def port(self) -> int | None:
        return None if self._server is None else self._server.port

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
