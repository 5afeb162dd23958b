"""``kiosk registry-sim``: run the registry simulator on loopback, or list its vouchers.

The first line printed is ``registry simulator listening on http://HOST:PORT`` (with the real
port when ``--port 0``), so a parent process can read where to connect.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path

from kiosk.cli.common import start_logging
from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.config.loader import bundled_config, user_state_dir
from kiosk.registry_sim import inspection
from kiosk.registry_sim.fleet import fleet_kiosk_keys
from kiosk.registry_sim.seeding import SeedMismatch
from kiosk.registry_sim.server import (
    TlsFiles,
    bind_socket,
    build_simulator,
    make_server,
    url_of,
)


def _simulator_config() -> KioskConfig | None:
    try:
        return load_config(bundled_config("simulator.toml"))
    except ConfigError:
        return None


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _kiosk(text: str) -> tuple[str, str]:
    kiosk_id, sep, key = text.partition(":")
    if not sep or not kiosk_id or not key or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError("expected ID:KEY (no spaces)")
    return kiosk_id, key


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0.0 and 1.0")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be >= 0")
    return value


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    config = _simulator_config()
    seed = config.simulator.seed if config else 7
    families = config.simulator.families if config else 24
    db = (config.state_dir if config else user_state_dir() / "simulator") / "registry-sim.sqlite"
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8770, help="listen port, 0 = any free port")
    parser.add_argument("--db", type=Path, default=db, help=f"SQLite store (default {db})")
    parser.add_argument("--seed", type=int, default=seed, help=f"population seed ({seed})")
    parser.add_argument(
        "--families", type=int, default=families, help=f"synthetic families ({families})"
    )
    parser.add_argument(
        "--kiosk",
        type=_kiosk,
        action="append",
        default=None,
        metavar="ID:KEY",
        help="accepted kiosk id and bearer key (repeatable; default from config/simulator.toml)",
    )
    parser.add_argument(
        "--latency-ms", type=_non_negative, default=0.0, help="added latency per /v1 call, ms"
    )
    parser.add_argument(
        "--error-rate", type=_rate, default=0.0, help="share of /v1 calls answered 503 (0.0-1.0)"
    )
    parser.add_argument(
        "--lease-seconds",
        type=_positive,
        default=120.0,
        help="reservation lease, seconds (default 120)",
    )
    parser.add_argument(
        "--operator",
        type=_kiosk,
        action="append",
        default=None,
        metavar="ID:KEY",
        help="accepted operator id and key for /v1/fleet (repeatable; default "
        "sim-operator:sim-operator-key)",
    )
    parser.add_argument(
        "--fleet",
        type=int,
        default=0,
        metavar="N",
        help="also accept the N simulated kiosks of `kiosk fleet-sim` (FLEET-0001 ...)",
    )
    parser.add_argument("--tls-cert", type=Path, default=None, help="serve HTTPS: certificate PEM")
    parser.add_argument("--tls-key", type=Path, default=None, help="serve HTTPS: private key PEM")
    parser.add_argument(
        "--client-ca",
        type=Path,
        default=None,
        help="demand client certificates from this CA (mTLS)",
    )
    parser.add_argument(
        "--list-vouchers", action="store_true", help="print the vouchers as JSON and exit"
    )
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")


def _kiosks(args: argparse.Namespace) -> dict[str, str] | None:
    if args.kiosk:
        return dict(args.kiosk)
    config = _simulator_config()
    if config is None:
        return None
    return {config.registry.kiosk_id: config.simulator.kiosk_key}


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    if not 0 < args.families <= 10_000 or not 0 <= args.port <= 65535:
        print("kiosk registry-sim: --families must be 1-10000, --port 0-65535", file=sys.stderr)
        return 2
    if (args.tls_cert is None) != (args.tls_key is None) or (
        args.client_ca is not None and args.tls_cert is None
    ):
        print(
            "kiosk registry-sim: --tls-cert and --tls-key go together; --client-ca needs them",
            file=sys.stderr,
        )
        return 2
    tls = TlsFiles(args.tls_cert, args.tls_key, args.client_ca) if args.tls_cert else None
    kiosks = _kiosks(args)
    if kiosks is None:
        print(
            "kiosk registry-sim: config/simulator.toml unreadable; pass --kiosk ID:KEY",
            file=sys.stderr,
        )
        return 2
    if args.fleet:
        try:
            kiosks = {**kiosks, **fleet_kiosk_keys(args.fleet)}
        except ValueError as exc:
            print(f"kiosk registry-sim: --fleet: {exc}", file=sys.stderr)
            return 2
    try:
        simulator = build_simulator(
            db_path=args.db,
            seed=args.seed,
            families=args.families,
            kiosks=kiosks,
            latency_ms=args.latency_ms,
            error_rate=args.error_rate,
            lease_seconds=args.lease_seconds,
            operators=dict(args.operator) if args.operator else None,
        )
    except (SeedMismatch, OSError) as exc:
        print(f"kiosk registry-sim: {exc}", file=sys.stderr)
        return 2
    try:
        if args.list_vouchers:
            vouchers = inspection.list_vouchers(simulator.store, simulator.knobs.now())
            listed = [
                {
                    key: v[key]
                    for key in (
                        "vid",
                        "doc",
                        "token",
                        "pin",
                        "holder_nik_masked",
                        "status",
                        "expires",
                    )
                }
                for v in vouchers
            ]
            print(json.dumps(listed, indent=2))
            return 0
        try:
            sock = bind_socket(args.host, args.port)
        except OSError as exc:
            print(
                f"kiosk registry-sim: cannot listen on {args.host}:{args.port}: {exc}",
                file=sys.stderr,
            )
            return 1
        try:
            server = make_server(simulator.app, tls)
        except (OSError, ValueError) as exc:  # unreadable or mismatched certificate files
            sock.close()
            print(f"kiosk registry-sim: TLS set-up failed: {exc}", file=sys.stderr)
            return 2
        print(f"registry simulator listening on {url_of(sock, tls=tls is not None)}", flush=True)
        # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal; turning
        # SIGTERM into KeyboardInterrupt too makes both a clean exit 0.
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            sock.close()
        return 0
    finally:
        simulator.close()
