"""Options and steps shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from kiosk.config import ConfigError, KioskConfig, default_config_path, load_config
from kiosk.logs import setup_logging


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help=f"config file (default: $KIOSK_CONFIG or {default_config_path()})",
    )
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")


def load_or_report(path: Path | None, *, simulate: bool | None = None) -> KioskConfig | None:
    """Load the config; on error print each problem with its path and return None (exit 2).

    ``simulate`` is the mode the config will run in: ``False`` also applies the production
    rules (:mod:`kiosk.config.trust`), ``None`` only loads (a config read, not run)."""
    try:
        config = load_config(path)
        if simulate is not None:
            from kiosk.config.trust import check_mode

            check_mode(config, simulate=simulate)
        return config
    except ConfigError as exc:
        print(f"config error in {exc.source}:", file=sys.stderr)
        for where, message in exc.errors:
            print(f"  {where}: {message}", file=sys.stderr)
        return None


def start_logging(args: argparse.Namespace) -> None:
    setup_logging(getattr(args, "log_level", "WARNING"))


def add_print_kiosk_options(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that run the print path headless (session, recover)."""
    add_config_option(parser)
    parser.add_argument("--registry", default=None, help="registry URL (overrides the config)")
    parser.add_argument("--state-dir", type=Path, required=True, help="journal, audit, paper")
    parser.add_argument("--simulate", action="store_true", help="simulated devices")


def build_print_kiosk(config: KioskConfig, args: argparse.Namespace) -> Any:
    """A kiosk with only the print devices, no metrics server: the headless commands' kiosk."""
    from kiosk.bootstrap import PRINT_DEVICES, build_kiosk

    return build_kiosk(
        config,
        simulate=args.simulate,
        state_dir=args.state_dir,
        registry_url=args.registry,
        devices_only=PRINT_DEVICES,
        serve_metrics=False,
    )
