"""``kiosk audit verify``: check the hash chain of the audit log; exit 1 naming the bad line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.audit import verify_log
from kiosk.cli.common import add_config_option, load_or_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    verify = sub.add_parser("verify", help="verify the audit log's hash chain")
    add_config_option(verify)
    verify.add_argument("--state-dir", type=Path, default=None, help="default: config state_dir")


def run(args: argparse.Namespace) -> int:
    state_dir = args.state_dir
    if state_dir is None:
        config = load_or_report(args.config)
        if config is None:
            return 2
        state_dir = config.state_dir
    directory = state_dir / "audit"
    count, problems = verify_log(directory)
    if problems:
        for problem in problems:
            print(f"{directory / problem.file}: {problem}", file=sys.stderr)
        print(f"audit log NOT intact: {len(problems)} problem(s) in {count} entries")
        return 1
    print(f"audit log intact: {count} entries")
    return 0
