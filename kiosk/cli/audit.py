"""``kiosk audit verify``: check the audit log's keyed chain; exit 1 naming each problem.

A missing or emptied log is a failure. ``--registry`` also asks the registry for the head it
kept from this kiosk's heartbeats (``GET /v1/kiosks/{id}/audit-head``) and fails when the log no
longer holds it: cut short, replaced or rewritten. ``--expect-head N:HASH`` checks against a head
read elsewhere (the fleet view). Exit codes: 0 intact, 1 not intact, 2 usage or config errors.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from kiosk.audit import AuditHead, AuditKeyError, verify_log
from kiosk.audit.chain_key import read_key
from kiosk.cli.common import add_config_option, load_or_report
from kiosk.config import KioskConfig

_HEAD = re.compile(r"([0-9]{1,12}):([0-9a-f]{64})")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    verify = sub.add_parser("verify", help="verify the audit log's keyed hash chain")
    add_config_option(verify)
    verify.add_argument("--state-dir", type=Path, default=None, help="default: config state_dir")
    verify.add_argument(
        "--key-file", type=Path, default=None, help="default: audit.key_file, else the state dir's"
    )
    verify.add_argument(
        "--registry", action="store_true", help="also check the head the registry kept"
    )
    verify.add_argument("--registry-url", default=None, help="registry URL (overrides the config)")
    verify.add_argument("--simulate", action="store_true", help="use the simulator's kiosk key")
    verify.add_argument("--expect-head", default=None, help="ENTRIES:HASH recorded elsewhere")


def run(args: argparse.Namespace) -> int:
    config = None
    if args.state_dir is None or args.registry or args.key_file is None:
        config = load_or_report(args.config)
        if config is None and (args.state_dir is None or args.registry):
            return 2
    state_dir = args.state_dir or config.state_dir  # type: ignore[union-attr]
    directory = Path(state_dir) / "audit"
    key_file = args.key_file or (config.audit.key_file if config is not None else None)
    key = None
    if key_file is not None:
        try:
            key = read_key(key_file)
        except AuditKeyError as exc:
            print(f"audit key: {exc}", file=sys.stderr)
            return 2
    recorded = _expected_head(args, config)
    if isinstance(recorded, int):
        return recorded
    count, problems = verify_log(directory, key, recorded=recorded)
    if problems:
        for problem in problems:
            print(f"{directory / 'audit.log'}: {problem}", file=sys.stderr)
        print(f"audit log NOT intact: {len(problems)} problem(s) in {count} entries")
        return 1
    against = "" if recorded is None else f", holds the recorded head ({recorded.entries})"
    print(f"audit log intact: {count} entries{against}")
    return 0


def _expected_head(args: argparse.Namespace, config: KioskConfig | None) -> AuditHead | int | None:
    """The head to check against, None for none, or an exit code."""
    if args.expect_head is not None:
        match = _HEAD.fullmatch(args.expect_head)
        if match is None:
            print("--expect-head is ENTRIES:HASH (64 hex digits)", file=sys.stderr)
            return 2
        return AuditHead(int(match.group(1)), match.group(2))
    if not args.registry or config is None:
        return None
    from kiosk.bootstrap import registry_client
    from kiosk.registry.errors import RegistryError

    try:
        with registry_client(config, simulate=args.simulate, url=args.registry_url) as client:
            kept = client.audit_head()
    except (RegistryError, OSError) as exc:
        print(f"registry: cannot read the recorded head ({type(exc).__name__})", file=sys.stderr)
        return 1
    if kept is None:
        print("registry: no head recorded for this kiosk yet", file=sys.stderr)
        return None
    if kept.conflict is not None:
        print(f"registry: the kiosk's log went back before: {kept.conflict}", file=sys.stderr)
        print("audit log NOT intact: the registry saw it shrink or change")
        return 1
    return AuditHead(kept.entries, kept.head)
