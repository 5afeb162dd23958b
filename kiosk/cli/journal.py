"""``kiosk journal list`` and ``kiosk journal resolve TXID --printed|--not-printed``.

``resolve`` is the technician's decision on a SUSPECT transaction: it is audited, and the
owed commit (printed) or release (not printed) is sent to the registry now if it answers,
else at the kiosk's next start.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from kiosk.audit import AuditLog
from kiosk.cli.common import add_config_option, load_or_report, start_logging
from kiosk.config import ConfigError, KioskConfig
from kiosk.engine.journal import Journal, JournalError, TxState
from kiosk.engine.recovery import resolve_suspect


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    listing = sub.add_parser("list", help="list transactions (newest first)")
    add_config_option(listing)
    listing.add_argument("--state-dir", type=Path, default=None, help="default: config state_dir")
    listing.add_argument("--json", action="store_true")
    listing.add_argument(
        "--suspect", action="store_true", help="only SUSPECT and CONFLICT (double print) ones"
    )
    resolve = sub.add_parser("resolve", help="a technician's decision on a SUSPECT transaction")
    add_config_option(resolve)
    resolve.add_argument("--state-dir", type=Path, default=None, help="default: config state_dir")
    resolve.add_argument("--registry", default=None, help="registry URL (overrides the config)")
    resolve.add_argument("--simulate", action="store_true", help="use the simulator's kiosk key")
    resolve.add_argument("txid", help="transaction id (a unique prefix is enough)")
    decision = resolve.add_mutually_exclusive_group(required=True)
    decision.add_argument("--printed", action="store_true", help="the document came out whole")
    decision.add_argument("--not-printed", action="store_true", help="nothing usable came out")
    resolve.add_argument("--technician", default="technician", help="who decided (no NIK)")


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    config = None
    state_dir = args.state_dir
    if state_dir is None or args.action == "resolve":
        config = load_or_report(args.config)
        if config is None and state_dir is None:
            return 2
        state_dir = state_dir or config.state_dir  # type: ignore[union-attr]
    journal_path = Path(state_dir) / "journal.sqlite"
    if not journal_path.exists():
        print(f"no journal at {journal_path}", file=sys.stderr)
        return 1
    journal = Journal(journal_path)
    try:
        if args.action == "list":
            return _list(journal, args)
        return _resolve(journal, Path(state_dir), config, args)
    finally:
        journal.close()


def _list(journal: Journal, args: argparse.Namespace) -> int:
    states = frozenset({TxState.SUSPECT, TxState.CONFLICT}) if args.suspect else None
    records = journal.recent(states)
    if args.json:
        print(json.dumps([r.to_dict() for r in records], indent=1))
        return 0
    print(f"{'txid':12}  {'state':10}  {'vid':14}  {'doc':14}  {'updated':19}  reason")
    for r in records:
        when = datetime.fromtimestamp(r.updated, UTC).strftime("%Y-%m-%d %H:%M:%S")
        print(f"{r.txid:12}  {r.state.value:10}  {r.vid:14}  {r.doc:14}  {when}  {r.reason or ''}")
    return 0


def _resolve(journal: Journal, state_dir: Path, config: object, args: argparse.Namespace) -> int:
    from kiosk.bootstrap import audit_log

    try:
        audit = audit_log(config if isinstance(config, KioskConfig) else None, state_dir)
    except ConfigError as exc:
        print(f"cannot resolve: {exc}", file=sys.stderr)
        return 2
    try:
        record = resolve_suspect(
            journal, audit, args.txid, printed=bool(args.printed), technician=args.technician
        )
    except JournalError as exc:
        print(f"cannot resolve: {exc}", file=sys.stderr)
        return 1
    print(f"{record.txid}: {record.state.value} (decision audited)")
    delivered = _deliver_now(journal, audit, config, args)
    print("registry acknowledged" if delivered else "queued: sent at the kiosk's next start")
    return 0


def _deliver_now(
    journal: Journal, audit: AuditLog, config: object, args: argparse.Namespace
) -> bool:
    if not isinstance(config, KioskConfig):
        return False
    from kiosk.engine.outbox import Outbox
    from kiosk.registry.client import RegistryClient

    settings = config.registry
    if args.registry:
        settings = settings.model_copy(update={"url": args.registry.rstrip("/")})
    key = config.simulator.kiosk_key if args.simulate else None
    try:
        client = RegistryClient(settings, key=key)
    except Exception as exc:  # a missing key file: the outbox sends it at the next start
        print(f"registry client: {type(exc).__name__}", file=sys.stderr)
        return False
    try:
        outbox = Outbox(journal, client, audit=audit)
        outbox.deliver_due(now=float("inf"))  # one attempt each; the kiosk retries later
        return outbox.depth() == 0
    finally:
        client.close()
