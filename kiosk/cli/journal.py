"""``kiosk journal list``, ``kiosk journal resolve TXID --printed|--not-printed`` and
``kiosk journal ikm [--day YYYY-MM-DD]``.

``resolve`` is the technician's decision on a SUSPECT transaction: it is audited, and the
owed commit (printed) or release (not printed) is sent to the registry now if it answers,
else at the kiosk's next start. ``ikm`` is the day's satisfaction score per service from the
survey answers kept on this kiosk (IKM = mean of the 1-4 answers x 25, PermenPANRB 14/2017).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from kiosk.audit import AuditLog
from kiosk.cli.common import add_config_option, load_or_report, open_journal, start_logging
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
    ikm = sub.add_parser("ikm", help="the day's satisfaction score (IKM) per service")
    add_config_option(ikm)
    ikm.add_argument("--state-dir", type=Path, default=None, help="default: config state_dir")
    ikm.add_argument("--day", type=date.fromisoformat, default=None, help="YYYY-MM-DD (office)")
    ikm.add_argument("--json", action="store_true")


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    if args.action == "ikm":
        return _ikm(args)
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
    journal = open_journal(journal_path)
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
    from kiosk.bootstrap import registry_client
    from kiosk.engine.outbox import Outbox

    try:
        client = registry_client(config, simulate=bool(args.simulate), url=args.registry)
    except Exception as exc:  # a missing key file: the outbox sends it at the next start
        print(f"registry client: {type(exc).__name__}", file=sys.stderr)
        return False
    try:
        outbox = Outbox(journal, client, audit=audit)
        outbox.deliver_due(now=float("inf"))  # one attempt each; the kiosk retries later
        return outbox.depth() == 0
    finally:
        client.close()


def _ikm(args: argparse.Namespace) -> int:
    from kiosk.feedback import FeedbackStore

    state_dir, day = args.state_dir, args.day
    if state_dir is None or day is None:
        config = load_or_report(args.config)
        if config is None:
            return 2
        state_dir = state_dir or config.state_dir
        day = day or datetime.now(config.kiosk.tz).date()
    path = Path(state_dir) / "feedback.sqlite"
    if not path.exists():
        print(f"no survey answers at {path}", file=sys.stderr)
        return 1
    store = FeedbackStore(path, UTC)  # reading only: the day was fixed when each was stored
    try:
        scores = store.day(day)
        total, pending = store.counts()
    finally:
        store.close()
    if args.json:
        rows = [
            {"service": s.service, "answers": s.answers, "counts": list(s.counts),
             "ikm": s.ikm, "grade": s.grade}
            for s in scores
        ]  # fmt: skip
        print(json.dumps({"day": day.isoformat(), "services": rows, "not_sent": pending}))
        return 0
    print(f"IKM {day.isoformat()} (1 tidak baik .. 4 sangat baik; IKM = mean x 25)")
    print(
        f"{'service':8}  {'answers':>7}  {'1':>4}  {'2':>4}  {'3':>4}  {'4':>4}  {'IKM':>6}  grade"
    )
    for s in scores:
        ones, twos, threes, fours = s.counts
        print(
            f"{s.service:8}  {s.answers:>7}  {ones:>4}  {twos:>4}  {threes:>4}  {fours:>4}  "
            f"{s.ikm:>6.2f}  {s.grade}"
        )
    if not scores:
        print("(no answers that day)")
    print(f"{total} answers kept, {pending} not yet sent to the office")
    return 0
