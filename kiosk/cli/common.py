"""Options and steps shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli import CommandError
from kiosk.config import ConfigError, KioskConfig, default_config_path, load_config
from kiosk.logs import setup_logging

if TYPE_CHECKING:
    from kiosk.engine.journal import Journal


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        help=f"config file (default: $KIOSK_CONFIG or {default_config_path()})",
    )
    parser.add_argument("--log-level", default="WARNING", help="log level (default WARNING)")


def load_or_report(
    path: Path | None, *, simulate: bool | None = None, files: bool = False
) -> KioskConfig | None:
    """Load the config; on error print each problem with its path and return None (exit 2).

    ``simulate`` is the mode the config will run in: ``False`` also applies the production
    rules (:mod:`kiosk.config.trust`), ``None`` only loads (a config read, not run).
    ``files=True`` also checks that every file it names (keys, certificates, CA) is readable:
    for commands that use them (a real registry, not the simulator)."""
    try:
        config = load_config(path)
    except ConfigError as exc:
        _report(exc.source, exc.errors)
        return None
    problems: list[tuple[str, str]] = []
    if simulate is not None:
        from kiosk.config.trust import check_mode

        try:
            check_mode(config, simulate=simulate)
        except ConfigError as exc:
            problems += exc.errors
    if files:
        from kiosk.config.files import file_problems

        problems += file_problems(config)
    if problems:
        _report(str(config.source or path), problems)
        return None
    return config


def _report(source: str, errors: list[tuple[str, str]]) -> None:
    print(f"config error in {source}:", file=sys.stderr)
    for where, message in errors:
        print(f"  {where}: {message}", file=sys.stderr)


def start_logging(args: argparse.Namespace) -> None:
    setup_logging(getattr(args, "log_level", "WARNING"))


def add_print_kiosk_options(parser: argparse.ArgumentParser) -> None:
    """Options of the commands that run the print path headless (session, recover)."""
    add_config_option(parser)
    parser.add_argument("--registry", default=None, help="registry URL (overrides the config)")
    parser.add_argument("--state-dir", type=Path, required=True, help="journal, audit, paper")
    parser.add_argument("--simulate", action="store_true", help="simulated devices")


def open_journal(path: Path) -> Journal:
    """The journal at ``path``; a damaged file is a :class:`CommandError` naming it."""
    import sqlite3

    from kiosk.engine.journal import Journal

    try:
        return Journal(path)
    except sqlite3.DatabaseError as exc:
        raise CommandError(f"{path} is damaged or not a journal: {exc}") from None


def build_print_kiosk(config: KioskConfig, args: argparse.Namespace) -> Any:
    """A kiosk with only the print devices, no metrics server: the headless commands' kiosk."""
    import sqlite3

    from kiosk.bootstrap import PRINT_DEVICES, build_kiosk

    try:
        return build_kiosk(
            config,
            simulate=args.simulate,
            state_dir=args.state_dir,
            registry_url=args.registry,
            devices_only=PRINT_DEVICES,
            serve_metrics=False,
        )
    except sqlite3.DatabaseError as exc:
        raise CommandError(f"a database in {args.state_dir} is damaged: {exc}") from None
