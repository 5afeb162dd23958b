"""``kiosk fleet-sim``: N simulated kiosks heartbeating against a registry simulator on loopback.

Without ``--url`` it starts ``kiosk registry-sim --fleet N`` in its own process on a free
loopback port (and a throw-away database) and stops it afterwards; with ``--url`` the registry
must already accept the fleet's kiosks (``kiosk registry-sim --fleet N``) and be on loopback.
A signed config revision is published for every kiosk before ``--push-round``; the report
says how long (simulated time) the fleet took to apply it, between sessions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

from kiosk.cli.common import start_logging


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kiosks", type=int, default=1000, help="simulated kiosks (1-5000)")
    parser.add_argument("--rounds", type=int, default=3, help="paced heartbeat rounds (0-500)")
    parser.add_argument("--interval-s", type=float, default=30.0, help="simulated heartbeat period")
    parser.add_argument(
        "--speedup", type=float, default=2.0, help="simulated s per real s, paced rounds"
    )
    parser.add_argument("--no-push", action="store_true", help="no config push afterwards")
    parser.add_argument(
        "--settle-rounds", type=int, default=40, help="rounds after the push, at most"
    )
    parser.add_argument(
        "--session-share", type=float, default=0.1, help="chance of a session per beat"
    )
    parser.add_argument("--concurrency", type=int, default=16, help="heartbeats in flight at most")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-seconds", type=float, default=300.0, help="real-time bound")
    parser.add_argument("--url", default=None, help="a loopback registry simulator (else started)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    from kiosk.config.loader import load_config, repo_root
    from kiosk.fleet.registry_process import RegistryProcess
    from kiosk.fleet.simulation import FleetSimSettings, NotLoopback, check_loopback, run_fleet
    from kiosk.fleet.wiring import config_keys
    from kiosk.registry_sim.fleet import fleet_kiosk_keys
    from kiosk.registry_sim.server import SIM_OPERATORS

    try:
        settings = FleetSimSettings(
            kiosks=args.kiosks,
            rounds=args.rounds,
            interval_s=args.interval_s,
            speedup=args.speedup,
            push=not args.no_push,
            settle_rounds=args.settle_rounds,
            session_share=args.session_share,
            concurrency=args.concurrency,
            seed=args.seed,
            max_seconds=args.max_seconds,
        )
        if args.url:
            check_loopback(args.url)
    except (ValueError, NotLoopback) as exc:
        print(f"kiosk fleet-sim: {exc}", file=sys.stderr)
        return 2
    base = load_config(repo_root() / "config" / "simulator.toml")
    operator = next(iter(SIM_OPERATORS.items()))
    kiosks = fleet_kiosk_keys(settings.kiosks)

    def simulate(url: str) -> dict[str, Any]:
        report = asyncio.run(run_fleet(url, kiosks, base, config_keys(base), operator, settings))
        return report.to_dict()

    if args.url:
        try:
            result = simulate(args.url)
        except (httpx.HTTPError, OSError) as exc:
            print(
                f"kiosk fleet-sim: the registry at {args.url} did not answer"
                f" ({type(exc).__name__}); start it with `kiosk registry-sim --fleet N`",
                file=sys.stderr,
            )
            return 1
    else:
        with (
            tempfile.TemporaryDirectory(prefix="fleet-sim-") as folder,
            RegistryProcess(settings.kiosks, Path(folder) / "registry.sqlite") as registry,
        ):
            result = simulate(registry.url)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        latency = result["latency_ms"]
        print(
            f"{result['kiosks']} kiosks, {result['heartbeats']} heartbeats "
            f"({result['failed']} failed) in {result['wall_s']} s: "
            f"p50 {latency['p50']} ms, p99 {latency['p99']} ms"
        )
        if result["push_revision"] is not None:
            print(
                f"config revision {result['push_revision']}: applied by {result['applied']} "
                f"kiosks, all after {result['all_applied_after_s']} s (simulated), "
                f"registry saw all: {result['registry_saw_all']}"
            )
        print(f"fleet view: {json.dumps(result['fleet_summary'])}")
    complete = result["push_revision"] is None or result["registry_saw_all"]
    return 0 if not result["failed"] and not result["stopped_early"] and complete else 1
