"""``kiosk config check [--simulate] [FILE...]``: validate configs, the rules of their mode,
and the files they name.

Each config is validated (errors name their path, ``registry.timeout_ms: must be > 0``).
Without ``--simulate`` the production rules apply (:mod:`kiosk.config.trust`): no simulator
key, driver or ``http://`` registry, and the claim and audit keys named. Every file the config
names (keys, certificates, CA bundles) must be readable by the user running the check:
``registry.key_file: /etc/adm-kiosk/kiosk.key: missing``. Without FILE: ``$KIOSK_CONFIG``,
else ``/etc/adm-kiosk/kiosk.toml``, else the bundled simulator config. Exit 2 on any problem.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli.common import load_or_report
from kiosk.config import default_config_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    check = sub.add_parser("check", help="validate config files and the files they name")
    check.add_argument(
        "--simulate", action="store_true", help="check for simulator mode (kiosk run --simulate)"
    )
    check.add_argument("files", nargs="*", type=Path, help=f"default: {default_config_path()}")


def run(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files or [default_config_path()]:
        if load_or_report(path, simulate=args.simulate, files=True) is None:
            status = 2
        else:
            print(f"{path}: ok")
    return status
