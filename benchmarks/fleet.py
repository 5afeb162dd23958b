"""1,000 kiosks heartbeating every 30 s against the registry simulator, and one kiosk's scrape.

The registry runs in its own process (``kiosk registry-sim --fleet 1000``), so its CPU time per
heartbeat is read from /proc for it alone. The fleet (:mod:`kiosk.fleet.simulation`) runs the
real config-push code per kiosk: paced rounds at ``SPEEDUP`` simulated seconds per real second
(1,000 kiosks / 30 s * SPEEDUP heartbeats per second, open loop) give the latency figures; then
a signed revision is published for every kiosk and the fleet runs until all have applied it
between sessions and reported so, timed on the simulated clock.

The scrape figures come from a whole simulated kiosk (``build_kiosk``) whose histograms have
an observation for every document type and outcome (the largest exposition it makes),
scraped over loopback HTTP like a Prometheus would.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from kiosk.bootstrap import build_kiosk
from kiosk.config.loader import load_config, repo_root
from kiosk.domain.documents import DocumentType
from kiosk.engine.outcomes import TxOutcome
from kiosk.engine.session_flows import SessionOutcome
from kiosk.fleet.registry_process import RegistryProcess
from kiosk.fleet.simulation import FleetSimSettings, run_fleet
from kiosk.fleet.wiring import config_keys
from kiosk.registry_sim.fleet import fleet_kiosk_keys
from kiosk.registry_sim.server import SIM_OPERATORS

KIOSKS = 1000
INTERVAL_S = 30.0
SPEEDUP = 2.0  # 1,000 kiosks every 30 s, twice as fast: 67 heartbeats/s offered


def fleet_figures(quick: bool) -> dict[str, Any]:
    base = load_config(repo_root() / "config" / "simulator.toml")
    settings = FleetSimSettings(
        kiosks=KIOSKS,
        rounds=1 if quick else 3,
        interval_s=INTERVAL_S,
        speedup=SPEEDUP * (1.5 if quick else 1.0),
        settle_rounds=30,
        max_seconds=150 if quick else 400,
    )
    with (
        tempfile.TemporaryDirectory(prefix="bench-fleet-") as folder,
        RegistryProcess(KIOSKS, Path(folder) / "registry.sqlite") as registry,
    ):
        cpu_before = registry.cpu_seconds()
        report = asyncio.run(
            run_fleet(
                registry.url,
                fleet_kiosk_keys(KIOSKS),
                base,
                config_keys(base),
                next(iter(SIM_OPERATORS.items())),
                settings,
            )
        )
        cpu = registry.cpu_seconds() - cpu_before
    result = report.to_dict()
    result["registry_cpu_ms_per_heartbeat"] = cpu / max(1, report.heartbeats) * 1000
    result["offered_per_s"] = KIOSKS / INTERVAL_S * settings.speedup
    return result


def scrape_figures(quick: bool) -> dict[str, float]:
    config = load_config(repo_root() / "config" / "simulator.toml")
    with tempfile.TemporaryDirectory(prefix="bench-scrape-") as state:
        kiosk = build_kiosk(config, simulate=True, state_dir=Path(state), serve_metrics=False)
        kiosk.start(background=False)
        try:
            metrics = kiosk.metrics
            for doc in DocumentType:
                for outcome in TxOutcome:
                    metrics.observe_transaction(outcome.value, doc.value, 0.3, 2.0)
            for session in SessionOutcome:
                metrics.observe_session(session.value, 40.0)
            port = metrics.serve("127.0.0.1", 0)
            url = f"http://127.0.0.1:{port}/metrics"
            times, size = [], 0
            with httpx.Client(timeout=10) as client:
                client.get(url)
                for _ in range(40 if quick else 200):
                    started = time.perf_counter()
                    body = client.get(url).content
                    times.append((time.perf_counter() - started) * 1000)
                    size = len(body)
        finally:
            kiosk.stop()
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p99": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        "kib": size / 1024,
    }


def run(quick: bool) -> list[dict[str, Any]]:
    fleet = fleet_figures(quick)
    scrape = scrape_figures(quick)
    latency = fleet["latency_ms"]
    return [
        {"name": "fleet_heartbeat_p99", "value": latency["p99"], "unit": "ms", "target": "<= 50"},
        {"name": "fleet_heartbeat_p50", "value": latency["p50"], "unit": "ms", "target": None},
        {
            "name": "fleet_heartbeats_offered",
            "value": round(fleet["offered_per_s"], 1),
            "unit": "beats/s",
            "target": None,
        },
        {
            "name": "fleet_registry_cpu_per_heartbeat",
            "value": round(fleet["registry_cpu_ms_per_heartbeat"], 3),
            "unit": "ms",
            "target": None,
        },
        {
            "name": "fleet_heartbeats_failed",
            "value": fleet["failed"],
            "unit": "beats",
            "target": "== 0",
        },
        {
            # The session cap (600 s) plus one heartbeat period bounds it by construction.
            "name": "fleet_config_push_all_applied",
            "value": fleet["all_applied_after_s"]
            if fleet["all_applied_after_s"] is not None
            else float("inf"),
            "unit": "s (simulated)",
            "target": "<= 630",
        },
        {
            "name": "fleet_config_push_registry_saw_all",
            "value": 1 if fleet["registry_saw_all"] else 0,
            "unit": "bool",
            "target": "== 1",
        },
        {
            "name": "kiosk_metrics_scrape_p99",
            "value": round(scrape["p99"], 2),
            "unit": "ms",
            "target": "<= 20",
        },
        {
            "name": "kiosk_metrics_scrape_p50",
            "value": round(scrape["p50"], 2),
            "unit": "ms",
            "target": None,
        },
        {
            "name": "kiosk_metrics_scrape_size",
            "value": round(scrape["kib"], 1),
            "unit": "KiB",
            "target": "<= 64",
        },
    ]


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(figure)
