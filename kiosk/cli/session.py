"""``kiosk session``: one headless print session (voucher token + PIN), for operations and tests.

Prints the outcome (``printed``, ``released``, ``suspect``, or the error code) and exits 0 only
for ``printed``. With ``--simulate`` the devices are the simulated ones and the virtual paper
goes to ``DIR/paper/``; without ``--registry`` the registry simulator also runs in-process on
the state directory's own database.
"""

from __future__ import annotations

import argparse
import json
import sys

from kiosk.cli.common import (
    add_print_kiosk_options,
    build_print_kiosk,
    load_or_report,
    start_logging,
)

SESSION_TIMEOUT_S = 900.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_print_kiosk_options(parser)
    parser.add_argument("--token", required=True, help="the voucher token (ADM1....)")
    parser.add_argument("--pin", required=True, help="the voucher's 6-digit PIN")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    config = load_or_report(args.config, simulate=args.simulate)
    if config is None:
        return 2
    from kiosk.engine.headless import run_print_session

    kiosk = build_print_kiosk(config, args)
    try:
        kiosk.start(background=False)
        outcome = run_print_session(
            kiosk.session, args.token, args.pin, timeout_s=SESSION_TIMEOUT_S
        )
        kiosk.outbox.flush(2.0)
        error = outcome.view.error
        out = {
            "outcome": outcome.label,
            "txid": outcome.txid,
            "error": error.code if error else None,
            "next_step": error.next_step if error else None,
            "reference": error.reference if error else None,
            "pages": outcome.pages,
            "outbox_depth": kiosk.outbox.depth(),
        }
    finally:
        kiosk.stop()
    print(json.dumps(out) if args.json else outcome.label)
    if not outcome.printed and not args.json and out["reference"]:
        print(f"reference: {out['reference']}", file=sys.stderr)
    return 0 if outcome.printed else 1
