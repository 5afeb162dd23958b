"""Figures read when Prometheus scrapes, so a scrape always shows the present.

Each source is a callable given by the composition root; one that fails is logged and its
families are left out of that scrape (the rest of the scrape still works).

Names follow the Prometheus conventions: base units in the name (``_seconds``, ``_percent``,
``_timestamp_seconds``), ``_total`` only on counters, labels of low cardinality (device,
state, level, marker, service, certificate).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from kiosk.telemetry.consumables import markers

log = logging.getLogger(__name__)

DEVICE_STATES = ("closed", "idle", "busy", "error", "offline")
PAPER_LEVELS = ("ok", "near_end", "out", "unknown")

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


@dataclass(frozen=True)
class LiveSources:
    """Where each live figure comes from (None: this kiosk does not have it)."""

    devices: Snapshot | None = None
    outbox_depth: Callable[[], int] | None = None
    outbox_oldest: Callable[[], float | None] | None = None  # created, UNIX seconds
    blanko: Callable[[], Mapping[str, tuple[int, int]]] | None = None
    journal_counts: Callable[[], Mapping[str, int]] | None = None  # transactions by state
    space: Callable[[], tuple[int | None, int]] | None = None  # state dir (free, floor) bytes
    queue: Callable[[], Mapping[str, tuple[int, int]]] | None = None  # code -> (issued, waiting)
    office_open: Callable[[], bool | None] | None = None
    config_revision: Callable[[], int] | None = None
    clock_skew: Callable[[], float] | None = None
    certificates: Callable[[], Mapping[str, float]] | None = None  # name -> notAfter


def _safe(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception:
        log.exception("metrics: reading live figures failed")
        return None


def _gauge(name: str, text: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, text)
    family.add_metric([], float(value))
    return family


class LiveCollector(Collector):
    def __init__(self, sources: LiveSources, clock: Callable[[], float] = time.time) -> None:
        self.sources = sources
        self.clock = clock

    def describe(self) -> list[Metric]:
        """Nothing up front: registering must not read the live sources (not all exist yet)."""
        return []

    def collect(self) -> Iterator[Metric]:
        s = self.sources
        yield from self._outbox()
        if s.devices is not None:
            snapshot = _safe(s.devices)
            if snapshot is not None:
                yield from device_families(snapshot)
        if s.blanko is not None:
            yield from _blanko(_safe(s.blanko))
        if s.journal_counts is not None and (counts := _safe(s.journal_counts)) is not None:
            yield _journal_family(counts)
        if s.space is not None and (reading := _safe(s.space)) is not None:
            yield from _space_families(reading)
        if s.queue is not None:
            yield from _queue(_safe(s.queue))
        if s.office_open is not None and (is_open := _safe(s.office_open)) is not None:
            yield _gauge(
                "kiosk_office_open", "1 while a queue service of the office is open", is_open
            )
        if s.config_revision is not None and (rev := _safe(s.config_revision)) is not None:
            yield _gauge("kiosk_config_revision", "Pushed config revision applied (0: none)", rev)
        if s.clock_skew is not None and (skew := _safe(s.clock_skew)) is not None:
            yield _gauge(
                "kiosk_clock_skew_seconds", "Registry clock minus the kiosk's, seconds", skew
            )
        if s.certificates is not None:
            expiry = GaugeMetricFamily(
                "kiosk_certificate_expiry_timestamp_seconds",
                "When a configured certificate expires (notAfter), UNIX seconds",
                labels=["certificate"],
            )
            for name, when in (_safe(s.certificates) or {}).items():
                expiry.add_metric([name], when)
            yield expiry

    def _outbox(self) -> Iterator[Metric]:
        s = self.sources
        if s.outbox_depth is not None and (depth := _safe(s.outbox_depth)) is not None:
            yield _gauge(
                "kiosk_outbox_depth", "Commit/release calls not yet acknowledged by the registry",
                depth,
            )  # fmt: skip
        if s.outbox_oldest is not None:
            oldest = _safe(s.outbox_oldest)
            age = 0.0 if oldest is None else max(0.0, self.clock() - oldest)
            yield _gauge(
                "kiosk_outbox_oldest_age_seconds",
                "Age of the oldest unacknowledged commit/release (0: outbox empty), seconds",
                age,
            )


def _journal_family(counts: Mapping[str, int]) -> Metric:
    family = GaugeMetricFamily(
        "kiosk_journal_transactions",
        "Print transactions in the journal by state (suspect, conflict: a technician must look)",
        labels=["state"],
    )
    for state in JOURNAL_STATES:
        family.add_metric([state], float(counts.get(state, 0)))
    return family


def _space_families(reading: tuple[int | None, int]) -> Iterator[Metric]:
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


def _blanko(levels: Mapping[str, tuple[int, int]] | None) -> Iterator[Metric]:
    if levels is None:
        return
    cards = GaugeMetricFamily(
        "kiosk_blanko_cards", "Blank card stock left (count)", labels=["device"]
    )
    low = GaugeMetricFamily(
        "kiosk_blanko_low_threshold", "Blank card low threshold (count)", labels=["device"]
    )
    for name, (left, threshold) in levels.items():
        cards.add_metric([name], float(left))
        low.add_metric([name], float(threshold))
    yield cards
    yield low


def _queue(services: Mapping[str, tuple[int, int]] | None) -> Iterator[Metric]:
    if services is None:
        return
    issued = GaugeMetricFamily(
        "kiosk_queue_issued_today",
        "Queue tickets issued today (office day), by service prefix (count)",
        labels=["service"],
    )
    waiting = GaugeMetricFamily(
        "kiosk_queue_waiting", "Queue tickets waiting now, by service prefix", labels=["service"]
    )
    for code, (n_issued, n_waiting) in services.items():
        issued.add_metric([code], float(n_issued))
        waiting.add_metric([code], float(n_waiting))
    yield issued
    yield waiting


def device_families(snapshot: Mapping[str, Any]) -> Iterator[Metric]:
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
    decode = CounterMetricFamily(
        "kiosk_decode", "Code decoding attempts and successes", labels=["device", "result"]
    )
    marker = GaugeMetricFamily(
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
        statistics = info.get("statistics") or {}
        for counter, number in statistics.items():
            if isinstance(number, int | float):
                stats.add_metric([name, str(counter)], float(number))
                if str(counter).startswith("decode_"):
                    decode.add_metric([name, str(counter).removeprefix("decode_")], float(number))
        for found in markers(status):
            marker.add_metric([name, found["name"], found["type"]], float(found["level"]))
    yield state
    yield paper
    yield stats
    yield decode
    yield marker
