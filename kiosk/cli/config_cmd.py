"""``kiosk config check [--simulate] FILE...``: load each file and apply the rules of its mode.

Without ``--simulate`` the production rules apply (:mod:`kiosk.config.trust`): no simulator
key, driver or ``http://`` registry, and the claim and audit keys named.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli.common import load_or_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    check = sub.add_parser("check", help="validate config files")
    check.add_argument(
        "--simulate", action="store_true", help="check for simulator mode (kiosk run --simulate)"
    )
    check.add_argument("files", nargs="+", type=Path)


def run(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        if load_or_report(path, simulate=args.simulate) is None:
            status = 2
        else:
            print(f"{path}: ok")
    return status
