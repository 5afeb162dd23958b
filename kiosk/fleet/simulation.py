"""Many simulated kiosks heartbeating against a registry on loopback (``kiosk fleet-sim``).

Each simulated kiosk is small (no devices, no journal) but its fleet side is the real one: the
same :class:`~kiosk.fleet.config_push.ConfigPush` verifies, validates and applies pushed
revisions, the same :class:`~kiosk.fleet.commands.CommandRunner` runs commands, the answers are
validated with the client's :class:`~kiosk.registry.models.HeartbeatAnswer`, and "between
sessions" means what it means on a kiosk: a kiosk in a session defers the apply until the
session ends.

Time is simulated: round ``r`` covers ``[r * interval, (r + 1) * interval)`` of simulated time
and kiosk ``i`` beats at ``i / n`` of the way through it. The first ``rounds`` are *paced*:
``speedup`` simulated seconds pass per real second, open loop (beats go out on schedule
whether or not earlier answers came back), and their latencies are the figures. Then, if
``push`` is set, a signed revision is published for every kiosk and *settle* rounds run as fast
as the registry answers (``concurrency`` in flight) until every kiosk has applied it and
reported so: how long that took is measured on the simulated clock, which the pace does not
change; in settle rounds a kiosk that has applied and reported the revision, or holds it
pending in a session that goes on, stays quiet.
Sessions start at a beat with probability ``session_share`` and last 1-6 simulated minutes.
Bounded: at most :data:`MAX_KIOSKS` kiosks, :data:`MAX_ROUNDS` rounds of each kind,
``max_seconds`` of real time, loopback registries only.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import logging
import random
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import ValidationError

from kiosk.config.models import KioskConfig
from kiosk.fleet.commands import CommandRunner
from kiosk.fleet.config_push import ConfigPush
from kiosk.fleet.link import kiosk_version
from kiosk.fleet.loadgen import Http11Pool, LoadGenError
from kiosk.registry.models import HeartbeatAnswer

log = logging.getLogger(__name__)

MAX_KIOSKS = 5000
MAX_ROUNDS = 500
SIM_EPOCH = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # a Monday, 08:00 in Jakarta
DEFAULT_PUSH: dict[str, Any] = {
    "ui": {"inactivity_warn_s": 45, "inactivity_wipe_s": 10, "session_cap_s": 480},
    "registry": {"heartbeat_interval_s": 30},
}


class NotLoopback(ValueError):
    """The fleet simulation talks to loopback registries only."""


def check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise NotLoopback(f"{url}: not a loopback address")


@dataclass(frozen=True)
class FleetSimSettings:
    kiosks: int = 1000
    rounds: int = 3  # paced rounds (their latencies are measured)
    interval_s: float = 30.0  # simulated seconds between one kiosk's beats
    speedup: float = 2.0  # simulated seconds per real second in the paced rounds
    push: bool = True  # then publish a revision for "*" and settle until all applied it
    settle_rounds: int = 40  # at most, after the push
    push_sections: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_PUSH)
    session_share: float = 0.1  # chance that a kiosk starts a session at a beat
    concurrency: int = 16  # heartbeats in flight at most
    seed: int = 7
    max_seconds: float = 300.0  # real time, whatever the rounds say

    def __post_init__(self) -> None:
        rounds_ok = 0 <= self.rounds <= MAX_ROUNDS and 0 <= self.settle_rounds <= MAX_ROUNDS
        if not 0 < self.kiosks <= MAX_KIOSKS or not rounds_ok:
            raise ValueError(f"1-{MAX_KIOSKS} kiosks and 1-{MAX_ROUNDS} rounds")
        if self.interval_s <= 0 or self.speedup <= 0 or self.max_seconds <= 0:
            raise ValueError("interval, speedup and max_seconds must be > 0")
        if not 0 <= self.session_share <= 1 or not 0 < self.concurrency <= 1000:
            raise ValueError("session_share is 0-1, concurrency 1-1000")


class _MemoryStore:
    def __init__(self) -> None:
        self.tokens: tuple[str | None, str | None] = (None, None)

    def read(self) -> tuple[str | None, str | None]:
        return self.tokens

    def save(self, token: str) -> None:
        self.tokens = (token, self.tokens[0])


class SimKiosk:
    """One simulated kiosk: sessions on a simulated clock, the real fleet side."""

    def __init__(
        self,
        kiosk_id: str,
        key: str,
        base: KioskConfig,
        keys: Mapping[str, Ed25519PublicKey],
        rng: random.Random,
        session_share: float,
    ) -> None:
        self.kiosk_id = kiosk_id
        self.headers = {"X-Kiosk-Id": kiosk_id, "Authorization": f"Bearer {key}"}
        self.rng = rng
        self.session_share = session_share
        self.clock = 0.0  # simulated seconds since SIM_EPOCH
        self.session_until: float | None = None
        self.last_apply_s: float | None = None
        self.reported = 0  # the applied revision the registry last took from this kiosk
        self.blanko = rng.randint(60, 300)
        self.audit_hash = hashlib.sha256(kiosk_id.encode()).hexdigest()
        self._deferred: list[Callable[[], None]] = []
        identity = base.kiosk.model_copy(update={"id": kiosk_id})
        self.push = ConfigPush(
            base.model_copy(update={"kiosk": identity}),
            keys=keys,
            store=_MemoryStore(),
            apply=self._apply,
            when_idle=self._when_idle,
            clock=lambda: (SIM_EPOCH + timedelta(seconds=self.clock)).timestamp(),
        )
        self.commands = CommandRunner(
            {"diagnostics": lambda: {"devices": {"document": {"ok": True}}}, "logs_summary": dict},
            self._when_idle,
        )

    def _when_idle(self, action: Callable[[], None]) -> None:
        if self.session_until is None:
            action()
        else:
            self._deferred.append(action)

    def _apply(self, config: KioskConfig) -> None:
        self.last_apply_s = self.clock

    def advance(self, now: float) -> None:
        """Simulated time moves to ``now``: a session may end (the idle moment), or start."""
        if self.session_until is not None and now >= self.session_until:
            self.clock = self.session_until
            self.session_until = None
            deferred, self._deferred = self._deferred, []
            for action in deferred:
                action()
        self.clock = now
        if self.session_until is None and self.rng.random() < self.session_share:
            self.session_until = now + self.rng.uniform(60, 360)
            if self.rng.random() < 0.3 and self.blanko > 0:
                self.blanko -= 1

    def payload(self) -> dict[str, Any]:
        busy = self.session_until is not None
        states = {"document": "busy" if busy else "idle", "card": "idle", "receipt": "idle"}
        status = {
            name: {"state": state, "paper": "ok", "cover_open": "no", "jam": "no"}
            for name, state in states.items()
        }
        return {
            "kiosk_id": self.kiosk_id,
            "sent_at": datetime.now(UTC).isoformat(),
            "version": kiosk_version(),
            "devices": status,
            "statistics": {"document": {"jobs": 12, "pages": 31}, "card": {"jobs": 4}},
            "transactions": {"committed": 12},
            "outbox_depth": 0,
            "suspect": 0,
            "config_revision": self.push.applied_revision,
            "config": self.push.status(),
            "consumables": {
                "document": {"paper": "ok", "markers": {"Black Toner": 64.0}},
                "card": {"cards": "ok", "blanko_left": self.blanko, "blanko_low": 20},
                "receipt": {"paper": "ok"},
            },
            "command_results": self.commands.results(),
            # as a kiosk's audit chain reports it (the registry keeps it: one more write)
            "audit_head": {"entries": 40 + int(self.clock // 60), "head": self.audit_hash},
        }

    def on_answer(self, answer: HeartbeatAnswer) -> None:
        if answer.config is not None:
            self.push.offer(answer.config)
        if answer.commands:
            self.commands.offer(answer.commands)


@dataclass
class FleetReport:
    kiosks: int
    rounds: int
    heartbeats: int = 0
    failed: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    wall_s: float = 0.0
    paced_s: float = 0.0  # real time of the paced rounds
    push_revision: int | None = None
    push_at_s: float | None = None  # simulated seconds
    settle_rounds: int = 0
    applied: int = 0  # kiosks that applied the pushed revision
    all_applied_after_s: float | None = None  # simulated seconds from the push to the last apply
    registry_saw_all: bool = False  # GET /v1/fleet shows every kiosk on the revision
    stopped_early: bool = False
    fleet_summary: dict[str, Any] = field(default_factory=dict)

    def latency(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def to_dict(self) -> dict[str, Any]:
        return {
            "kiosks": self.kiosks,
            "rounds": self.rounds,
            "heartbeats": self.heartbeats,
            "failed": self.failed,
            "latency_ms": {
                "p50": round(self.latency(0.50), 2),
                "p99": round(self.latency(0.99), 2),
                "max": round(max(self.latencies_ms, default=float("nan")), 2),
                "mean": round(statistics.fmean(self.latencies_ms), 2)
                if self.latencies_ms
                else None,
            },
            "wall_s": round(self.wall_s, 2),
            "paced_s": round(self.paced_s, 2),
            "push_revision": self.push_revision,
            "push_at_s": self.push_at_s,
            "settle_rounds": self.settle_rounds,
            "applied": self.applied,
            "all_applied_after_s": self.all_applied_after_s,
            "registry_saw_all": self.registry_saw_all,
            "stopped_early": self.stopped_early,
            "fleet_summary": self.fleet_summary,
        }


async def run_fleet(
    url: str,
    kiosk_keys: Mapping[str, str],
    base: KioskConfig,
    keys: Mapping[str, Ed25519PublicKey],
    operator: tuple[str, str],
    settings: FleetSimSettings,
) -> FleetReport:
    """Drive ``settings.kiosks`` of ``kiosk_keys`` against the registry at ``url``."""
    check_loopback(url)
    rng = random.Random(settings.seed)  # noqa: S311 (a simulation, not a secret)
    ids = sorted(kiosk_keys)[: settings.kiosks]
    share = settings.session_share
    fleet = [
        SimKiosk(k, kiosk_keys[k], base, keys, random.Random(rng.random()), share)  # noqa: S311
        for k in ids
    ]
    report = FleetReport(kiosks=len(fleet), rounds=settings.rounds)
    split = urlsplit(url)
    pool = Http11Pool(split.hostname or "127.0.0.1", split.port or 80, settings.concurrency)
    auth = httpx.BasicAuth(*operator)
    started = time.monotonic()
    step = settings.interval_s / len(fleet)
    async with httpx.AsyncClient(base_url=url, timeout=30, trust_env=False) as http:

        async def beat(kiosk: SimKiosk, at_sim: float, at_real: float | None) -> None:
            if at_real is not None and (delay := at_real - time.monotonic()) > 0:
                await asyncio.sleep(delay)
            kiosk.advance(at_sim)
            payload = kiosk.payload()
            body = json.dumps(payload, separators=(",", ":")).encode()
            sent = time.monotonic()
            try:
                status, answer = await pool.post(
                    f"/v1/kiosks/{kiosk.kiosk_id}/heartbeat", kiosk.headers, body
                )
            except (OSError, TimeoutError, LoadGenError) as exc:
                report.failed += 1
                log.debug("fleet-sim: %s: %s", kiosk.kiosk_id, type(exc).__name__)
                return
            if at_real is not None:
                report.latencies_ms.append((time.monotonic() - sent) * 1000)
            report.heartbeats += 1
            if _answer(kiosk, status, answer):
                kiosk.reported = int(payload["config_revision"])
            else:
                report.failed += 1

        async def one_round(round_no: int, paced: bool, skip: int | None = None) -> None:
            """Every kiosk beats once. With ``skip`` (a revision), a kiosk that applied it and
            reported so, or holds it pending in a session that goes on, only lives its time:
            its beats would carry nothing new for the push figure."""
            round_sim, round_real = round_no * settings.interval_s, time.monotonic()
            beats = []
            for i, kiosk in enumerate(fleet):
                at_sim = round_sim + i * step
                if skip is not None and _quiet(kiosk, skip, at_sim):
                    kiosk.advance(at_sim)
                    continue
                at_real = round_real + i * step / settings.speedup if paced else None
                beats.append(beat(kiosk, at_sim, at_real))
            await asyncio.gather(*beats)

        def out_of_time() -> bool:
            report.stopped_early = time.monotonic() - started > settings.max_seconds
            return report.stopped_early

        round_no = 0
        for round_no in range(settings.rounds):
            if out_of_time():
                break
            await one_round(round_no, paced=True)
        else:
            round_no = settings.rounds
        report.paced_s = time.monotonic() - started
        if settings.push and not report.stopped_early:
            published = await http.post(
                "/v1/fleet/config",
                auth=auth,
                json={"target": "*", "sections": dict(settings.push_sections)},
            )
            published.raise_for_status()
            revision = int(published.json()["revision"])
            report.push_revision, report.push_at_s = revision, round_no * settings.interval_s
            while (
                any(k.reported < revision for k in fleet)
                and report.settle_rounds < settings.settle_rounds
                and not out_of_time()
            ):
                await one_round(round_no, paced=False, skip=revision)
                round_no += 1
                report.settle_rounds += 1
        report.wall_s = time.monotonic() - started
        await pool.close()
        view = await http.get("/v1/fleet", auth=auth)
        if view.status_code == 200:
            report.fleet_summary = view.json()["summary"]
    if report.push_revision is not None and report.push_at_s is not None:
        done = [k for k in fleet if k.push.applied_revision >= report.push_revision]
        report.applied = len(done)
        if len(done) == len(fleet):
            last = max(k.last_apply_s or 0.0 for k in done)
            report.all_applied_after_s = round(last - report.push_at_s, 1)
        on_it = report.fleet_summary.get("by_config_revision", {}).get(str(report.push_revision))
        report.registry_saw_all = on_it == len(fleet)
    return report


def _quiet(kiosk: SimKiosk, revision: int, at_sim: float) -> bool:
    if kiosk.reported >= revision:
        return True
    in_session = kiosk.session_until is not None and kiosk.session_until > at_sim
    return in_session and kiosk.push.status()["pending"] == revision


def _answer(kiosk: SimKiosk, status: int, body: bytes) -> bool:
    """Hand a heartbeat answer to the kiosk, as the heartbeat does; False if it is not one."""
    if status == 204:
        kiosk.commands.delivered()
        return True
    if status != 200:
        return False
    try:
        parsed = HeartbeatAnswer.model_validate_json(body)
    except (ValueError, ValidationError):
        return False
    kiosk.commands.delivered()
    kiosk.on_answer(parsed)
    return True
