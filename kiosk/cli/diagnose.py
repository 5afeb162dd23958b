"""``kiosk diagnose``: health checks of every device plus registry reachability, clock skew, disk.

Exit 0 when all are healthy, 1 when any is not, 2 for config errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from devices.drivers import DriverError
from devices.faults import Fault, FaultError
from devices.model import HealthLevel
from kiosk.bootstrap import diagnostic_kit
from kiosk.cli.common import add_config_option, load_or_report, start_logging
from kiosk.diagnose.checks import DiagnosticReport, diagnose


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_option(parser)
    parser.add_argument("--simulate", action="store_true", help="simulated devices and registry")
    parser.add_argument(
        "--level", choices=[lvl.value for lvl in HealthLevel], default=HealthLevel.INTERNAL.value
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="DEVICE:FAULT",
        help="inject a fault before checking (simulator only); repeatable",
    )


def _parse_faults(items: list[str]) -> list[tuple[str, Fault]]:
    faults = []
    for item in items:
        device, _, name = item.partition(":")
        try:
            faults.append((device, Fault(name)))
        except ValueError:
            known = ", ".join(f.value for f in Fault)
            raise ValueError(f"--fault {item!r}: unknown fault (known: {known})") from None
    return faults


def _table(report: DiagnosticReport) -> str:
    rows = [("DEVICE", "DRIVER", "STATE", "HEALTH", "MS", "DETAIL")]
    for d in report.devices:
        health = "ok" if d.health.ok else "FAIL"
        rows.append((d.name, d.driver, d.state, health, f"{d.health.ms:.0f}", d.health.text))
    for c in report.checks:
        rows.append((c.name, "-", "-", "ok" if c.ok else "FAIL", f"{c.ms:.0f}", c.text))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(r[i].ljust(widths[i]) for i in range(5)) + "  " + r[5] for r in rows]
    lines.append(f"\n{'HEALTHY' if report.ok else 'NOT HEALTHY'} ({report.level.value} checks)")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    config = load_or_report(args.config, files=not args.simulate)
    if config is None:
        return 2
    try:
        faults = _parse_faults(args.fault)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if faults and not args.simulate:
        print("--fault needs --simulate: faults are injected into simulators only", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="kiosk-diagnose-") as tmp:
        state_dir = Path(tmp) if args.simulate else config.state_dir
        kit = diagnostic_kit(
            config, simulate=args.simulate, state_dir=state_dir, paper_dir=Path(tmp) / "paper"
        )
        try:
            with kit as parts:
                for name, fault in faults:
                    assert parts.faults is not None  # --fault needs --simulate (checked above)
                    parts.faults.inject(name, fault)
                report = diagnose(
                    parts.devices,
                    HealthLevel(args.level),
                    registry=parts.registry,
                    state_dir=state_dir,
                )
        except DriverError as exc:
            print(f"config error: {exc.path}: {exc.message}", file=sys.stderr)
            return 2
        except FaultError as exc:
            print(exc, file=sys.stderr)
            return 2
    print(json.dumps(report.to_dict(), indent=2) if args.json else _table(report))
    return 0 if report.ok else 1
