"""``kiosk recover``: resolve unfinished transactions (it also runs at every kiosk start)."""

from __future__ import annotations

import argparse
import json

from kiosk.cli.common import (
    add_print_kiosk_options,
    build_print_kiosk,
    load_or_report,
    start_logging,
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_print_kiosk_options(parser)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    config = load_or_report(args.config, simulate=args.simulate)
    if config is None:
        return 2
    kiosk = build_print_kiosk(config, args)
    try:
        report = kiosk.start(background=False)
    finally:
        kiosk.stop()
    data = report.to_dict()
    if args.json:
        print(json.dumps(data))
    else:
        for key, value in data.items():
            shown = value if isinstance(value, int) else ", ".join(value) or "-"
            print(f"{key}: {shown}")
    return 1 if report.pending or report.outbox_left else 0
