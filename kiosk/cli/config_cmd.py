"""``kiosk config check FILE...``"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli.common import load_or_report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    check = sub.add_parser("check", help="validate config files")
    check.add_argument("files", nargs="+", type=Path)


def run(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        if load_or_report(path) is None:
            status = 2
        else:
            print(f"{path}: ok")
    return status
