"""``kiosk queue-server``: the office queue API for kiosks, counters, displays and bookings.

The first line printed is ``queue server listening on http://HOST:PORT`` (the real port when
``--port 0``), so a parent process can read where to connect. SIGTERM and Ctrl-C stop it
cleanly; a kill -9 loses nothing that was answered (every change is one committed transaction).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from kiosk.cli.common import start_logging
from kiosk.config import ConfigError
from kiosk.config.loader import repo_root
from kiosk.config.office import ROLES, Role, load_office_config
from kiosk.office.app import create_app
from kiosk.office.server import (
    bind_socket,
    booking_key,
    build_office,
    config_clients,
    make_server,
    open_store,
    public_key_text,
    url_of,
)
from kiosk.queue.models import StoreUnavailable

log = logging.getLogger(__name__)


def _client(text: str) -> tuple[str, Role, str]:
    parts = text.split(":", 2)
    if len(parts) != 3 or not all(parts) or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError("expected ID:ROLE:KEY (no spaces)")
    client_id, role, key = parts
    if role not in ROLES:
        raise argparse.ArgumentTypeError(f"ROLE is one of {', '.join(ROLES)}")
    if len(key) < 8:
        raise argparse.ArgumentTypeError("KEY needs at least 8 characters")
    return client_id, role, key


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def add_arguments(parser: argparse.ArgumentParser) -> None:
    root = repo_root()
    db = f"sqlite:///{root / 'state' / 'office' / 'queue.sqlite'}"
    parser.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8780, help="listen port, 0 = any free port")
    parser.add_argument(
        "--db", default=db, help="sqlite:///PATH (default) or postgresql://USER@HOST:PORT/DB"
    )
    parser.add_argument(
        "--config",
        type=Path,
        default=root / "config" / "office.toml",
        help="office config: [office], [queue] services and counters",
    )
    parser.add_argument(
        "--client",
        type=_client,
        action="append",
        default=[],
        metavar="ID:ROLE:KEY",
        help="an API client (repeatable; also [[office.clients]] in the config)",
    )
    parser.add_argument(
        "--speech-dir",
        type=Path,
        default=root / "state" / "office" / "speech",
        help="cache of the display's spoken calls (espeak-ng WAVs)",
    )
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    if not 0 <= args.port <= 65535:
        print("kiosk queue-server: --port must be 0-65535", file=sys.stderr)
        return 2
    try:
        config = load_office_config(args.config)
        clients = config_clients(config)
    except ConfigError as exc:
        print(f"kiosk queue-server: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"kiosk queue-server: client key file: {exc}", file=sys.stderr)
        return 2
    counters = {c.id for c in config.queue.counters}
    for client_id, role, key in args.client:
        if role == "counter" and client_id not in counters:
            print(f"kiosk queue-server: {client_id} is no counter in the config", file=sys.stderr)
            return 2
        clients[client_id] = (role, key)
    try:
        store = open_store(args.db)
    except (ValueError, StoreUnavailable, OSError) as exc:
        print(f"kiosk queue-server: cannot open {args.db.split('@')[-1]}: {exc}", file=sys.stderr)
        return 2
    try:
        office = build_office(config, store, clients, speech_dir=args.speech_dir)
        log.warning(
            "booking QRs signed with kid %s, public key %s",
            config.office.booking_kid,
            public_key_text(booking_key(config, store)),
        )
        try:
            sock = bind_socket(args.host, args.port)
        except OSError as exc:
            print(
                f"kiosk queue-server: cannot listen on {args.host}:{args.port}: {exc}",
                file=sys.stderr,
            )
            return 1
        server = make_server(create_app(office))
        print(f"queue server listening on {url_of(sock)}", flush=True)
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            server.run(sockets=[sock])
        except KeyboardInterrupt:
            pass
        finally:
            office.hub.close()
            signal.signal(signal.SIGTERM, previous)
            sock.close()
        return 0
    finally:
        store.close()
