"""Run-time fault knobs of the simulator: latency, error rate, outage, rate limit, clock.

Set from the CLI flags at start, changed at run time through ``/sim/settings`` or the
Python helpers of :class:`~kiosk.registry_sim.server.RunningSimulator`. Thread-safe: the HTTP
workers read them while a test or the simulator panel writes them.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from typing import Any

MIN_LEASE_S, MAX_LEASE_S = 0.1, 86_400.0  # 0.1 s: short leases for tests, never 5e-324
MAX_RATE_PER_S, MAX_RATE_BURST = 10_000.0, 100_000
MAX_BUCKETS = 1024  # rate-limit buckets kept (one per kiosk; the longest idle goes first)


@dataclass(frozen=True)
class KnobValues:
    latency_ms: float = 0.0
    error_rate: float = 0.0
    outage: bool = False
    rate_limit_per_s: float = 0.0  # 0 = no limit
    rate_limit_burst: int = 20
    clock_offset_s: float = 0.0
    lease_seconds: float = 120.0

    def __post_init__(self) -> None:
        if not 0 <= self.latency_ms <= 600_000:
            raise ValueError("latency_ms must be 0-600000")
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError("error_rate must be 0.0-1.0")
        if not 0 <= self.rate_limit_per_s <= MAX_RATE_PER_S:
            raise ValueError(f"rate_limit_per_s must be 0-{MAX_RATE_PER_S:.0f}")
        if not 1 <= self.rate_limit_burst <= MAX_RATE_BURST:
            raise ValueError(f"rate_limit_burst must be 1-{MAX_RATE_BURST}")
        if not MIN_LEASE_S <= self.lease_seconds <= MAX_LEASE_S:
            raise ValueError(f"lease_seconds must be in [{MIN_LEASE_S}, {MAX_LEASE_S:.0f}]")


@dataclass
class _Bucket:
    tokens: float
    stamp: float


@dataclass
class Knobs:
    """The current values plus the state they drive (seeded error draws, token buckets)."""

    values: KnobValues = field(default_factory=KnobValues)
    seed: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._random = random.Random(f"adm-registry-sim-faults/{self.seed}")  # noqa: S311 (fault draws, not crypto)
        self._buckets: dict[str, _Bucket] = {}

    def get(self) -> KnobValues:
        with self._lock:
            return self.values

    def update(self, **changes: Any) -> KnobValues:
        with self._lock:
            self.values = replace(self.values, **changes)
            if "rate_limit_per_s" in changes or "rate_limit_burst" in changes:
                self._buckets.clear()
            return self.values

    def as_dict(self) -> dict[str, Any]:
        return asdict(self.get())

    def now(self) -> float:
        """The simulator's clock: wall time plus the offset a test may have added."""
        return time.time() + self.get().clock_offset_s

    def draw_error(self) -> bool:
        with self._lock:
            rate = self.values.error_rate
            return rate > 0 and self._random.random() < rate

    def bucket_count(self) -> int:
        """Rate-limit buckets held now (never more than :data:`MAX_BUCKETS`)."""
        with self._lock:
            return len(self._buckets)

    def take_token(self, kiosk: str) -> float:
        """0.0 if the request may proceed, else seconds until the bucket has a token.

        ``kiosk`` is an authenticated kiosk id (or the one anonymous bucket): the caller checks
        the key first, so a forged X-Kiosk-Id cannot open buckets of its own."""
        with self._lock:
            rate, burst = self.values.rate_limit_per_s, self.values.rate_limit_burst
            if rate <= 0:
                return 0.0
            now = time.monotonic()
            if kiosk not in self._buckets and len(self._buckets) >= MAX_BUCKETS:
                oldest = min(self._buckets, key=lambda k: self._buckets[k].stamp)
                del self._buckets[oldest]  # bounded: the longest-idle bucket goes
            bucket = self._buckets.setdefault(kiosk, _Bucket(tokens=float(burst), stamp=now))
            bucket.tokens = min(float(burst), bucket.tokens + (now - bucket.stamp) * rate)
            bucket.stamp = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return 0.0
            return (1.0 - bucket.tokens) / rate
