"""Prometheus metrics on the kiosk's own CollectorRegistry (never the global one).

Counters and histograms are fed by the engine (sessions, transactions, render and print
durations); device states, paper and blanko levels, decode statistics, the outbox depth, the
journal's transactions by state (``suspect`` and ``conflict`` want a technician; a conflict is
a double print) and the state dir's free space are read at scrape time from their owners, so
a scrape always shows the present.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import start_http_server
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

DEVICE_STATES = ("closed", "idle", "busy", "error", "offline")
PAPER_LEVELS = ("ok", "near_end", "out", "unknown")
_DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)

Snapshot = Callable[[], Mapping[str, Any]]
# Every journal state, so a state with no transaction is scraped as 0, not as absent.
JOURNAL_STATES = (
    "reserving",
    "reserved",
    "holding",
    "submitting",
    "submitted",
    "printed",
    "releasing",
    "suspect",
    "committed",
    "released",
    "conflict",
)


class _LiveCollector(Collector):
    """Device and outbox figures read when Prometheus scrapes."""

    def __init__(
        self,
        devices: Snapshot | None,
        outbox_depth: Callable[[], int] | None,
        blanko: Callable[[], Mapping[str, tuple[int, int]]] | None,
        journal_counts: Callable[[], Mapping[str, int]] | None = None,
        space: Callable[[], tuple[int | None, int]] | None = None,
    ) -> None:
        self.devices = devices
        self.outbox_depth = outbox_depth
        self.blanko = blanko
        self.journal_counts = journal_counts
        self.space = space

    def collect(self) -> Iterator[GaugeMetricFamily]:
        if self.outbox_depth is not None:
            depth = GaugeMetricFamily(
                "kiosk_outbox_depth", "Commit/release calls not yet acknowledged by the registry"
            )
            depth.add_metric([], float(_safe(self.outbox_depth, 0)))
            yield depth
        if self.devices is not None:
            yield from _device_families(_safe(self.devices, {}))
        if self.blanko is not None:
            cards = GaugeMetricFamily(
                "kiosk_blanko_cards", "Blank card stock left (count)", labels=["device"]
            )
            low = GaugeMetricFamily(
                "kiosk_blanko_low_threshold", "Blank card low threshold (count)", labels=["device"]
            )
            for name, (left, threshold) in _safe(self.blanko, {}).items():
                cards.add_metric([name], float(left))
                low.add_metric([name], float(threshold))
            yield cards
            yield low
        if self.journal_counts is not None:
            yield _journal_family(_safe(self.journal_counts, {}))
        if self.space is not None:
            yield from _space_families(_safe(self.space, (None, 0)))


def _journal_family(counts: Mapping[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(
        "kiosk_journal_transactions",
        "Print transactions in the journal by state (suspect, conflict: a technician must look)",
        labels=["state"],
    )
    for state in JOURNAL_STATES:
        family.add_metric([state], float(counts.get(state, 0)))
    return family


def _space_families(reading: tuple[int | None, int]) -> Iterator[GaugeMetricFamily]:
    free, floor = reading
    free_bytes = GaugeMetricFamily(
        "kiosk_state_free_bytes", "Free space on the state dir's filesystem, bytes"
    )
    floor_bytes = GaugeMetricFamily(
        "kiosk_state_min_free_bytes", "The configured free-space floor, bytes"
    )
    low = GaugeMetricFamily(
        "kiosk_state_space_low", "1 while free space is below the floor (no new sessions)"
    )
    if free is not None:
        free_bytes.add_metric([], float(free))
    floor_bytes.add_metric([], float(floor))
    low.add_metric([], 1.0 if free is None or free < floor else 0.0)
    yield free_bytes
    yield floor_bytes
    yield low


def _safe(fn: Callable[[], Any], default: Any) -> Any:
    try:
        return fn()
    except Exception:
        log.exception("metrics: reading live figures failed")
        return default


def _device_families(snapshot: Mapping[str, Any]) -> Iterator[GaugeMetricFamily]:
    state = GaugeMetricFamily(
        "kiosk_device_state", "1 for the device's current state", labels=["device", "state"]
    )
    paper = GaugeMetricFamily(
        "kiosk_paper_level", "1 for the printer's current paper level", labels=["device", "level"]
    )
    stats = GaugeMetricFamily(
        "kiosk_device_statistic",
        "Device statistics (jobs, pages, cuts, decode attempts/successes, errors, hours)",
        labels=["device", "counter"],
    )
    decode = GaugeMetricFamily(
        "kiosk_decode_total", "Code decoding attempts and successes", labels=["device", "result"]
    )
    markers = GaugeMetricFamily(
        "kiosk_marker_level_percent",
        "Toner, ink and ribbon levels the printer reports (IPP marker-levels), percent",
        labels=["device", "marker", "type"],
    )
    for name, info in snapshot.items():
        status = info.get("status") or {}
        if status:
            for value in DEVICE_STATES:
                state.add_metric([name, value], 1.0 if status.get("state") == value else 0.0)
        if info.get("kind") in ("receipt", "document"):
            for value in PAPER_LEVELS:
                paper.add_metric([name, value], 1.0 if status.get("paper") == value else 0.0)
        for marker in status.get("markers") or ():
            if isinstance(marker.get("level"), int):
                markers.add_metric([name, marker["name"], marker["type"]], float(marker["level"]))
        for counter, number in (info.get("statistics") or {}).items():
            if isinstance(number, int | float):
                stats.add_metric([name, str(counter)], float(number))
                if str(counter).startswith("decode_"):
                    decode.add_metric([name, str(counter).removeprefix("decode_")], float(number))
    yield state
    yield paper
    yield stats
    yield decode
    yield markers


class KioskMetrics:
    def __init__(
        self,
        *,
        devices: Snapshot | None = None,
        outbox_depth: Callable[[], int] | None = None,
        blanko: Callable[[], Mapping[str, tuple[int, int]]] | None = None,
        journal_counts: Callable[[], Mapping[str, int]] | None = None,
        space: Callable[[], tuple[int | None, int]] | None = None,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
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
        self.registry.register(_LiveCollector(devices, outbox_depth, blanko, journal_counts, space))
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def observe_transaction(self, outcome: str, doc: str, render_s: float, print_s: float) -> None:
        self.transactions.labels(outcome=outcome, doc=doc).inc()
        if render_s > 0:
            self.render_seconds.labels(doc=doc).observe(render_s)
        if print_s > 0:
            self.print_seconds.labels(doc=doc).observe(print_s)

    def observe_session(self, outcome: str, seconds: float) -> None:
        self.sessions.labels(outcome=outcome).inc()
        self.session_seconds.observe(max(0.0, seconds))

    def render(self) -> bytes:
        """The exposition text, as a scrape would get it."""
        return generate_latest(self.registry)

    # the HTTP endpoint

    def serve(self, host: str, port: int) -> int:
        """Serve /metrics on ``host:port`` (0: any free port); returns the bound port."""
        server, thread = start_http_server(port, addr=host, registry=self.registry)
        self._server, self._thread = server, thread
        bound = int(server.server_port)
        log.info("metrics on http://%s:%d/metrics", host, bound)
        return bound

    @property
    def port(self) -> int | None:
        return None if self._server is None else int(self._server.server_port)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
