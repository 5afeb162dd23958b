"""``kiosk recover``: resolve unfinished transactions (it also runs at every kiosk start)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.cli.common import add_config_option, load_or_report, start_logging


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_option(parser)
    parser.add_argument("--state-dir", type=Path, required=True, help="journal, audit, paper")
    parser.add_argument("--registry", default=None, help="registry URL (overrides the config)")
    parser.add_argument("--simulate", action="store_true", help="simulated devices")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    config = load_or_report(args.config)
    if config is None:
        return 2
    from kiosk.bootstrap import PRINT_DEVICES, build_kiosk

    kiosk = build_kiosk(
        config,
        simulate=args.simulate,
        state_dir=args.state_dir,
        registry_url=args.registry,
        devices_only=PRINT_DEVICES,
        serve_metrics=False,
    )
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
