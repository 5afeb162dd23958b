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
from pathlib import Path

from kiosk.cli.common import add_config_option, load_or_report, start_logging

SESSION_TIMEOUT_S = 900.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_option(parser)
    parser.add_argument("--registry", default=None, help="registry URL (overrides the config)")
    parser.add_argument("--state-dir", type=Path, required=True, help="journal, audit, paper")
    parser.add_argument("--token", required=True, help="the voucher token (ADM1....)")
    parser.add_argument("--pin", required=True, help="the voucher's 6-digit PIN")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.add_argument("--simulate", action="store_true", help="simulated devices")


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    config = load_or_report(args.config)
    if config is None:
        return 2
    from kiosk.bootstrap import PRINT_DEVICES, build_kiosk
    from kiosk.engine.headless import run_print_session

    kiosk = build_kiosk(
        config,
        simulate=args.simulate,
        state_dir=args.state_dir,
        registry_url=args.registry,
        devices_only=PRINT_DEVICES,
        serve_metrics=False,
    )
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
