"""``kiosk session``: one headless print session (voucher token + PIN), for operations and tests.

Prints the outcome (``printed``, ``released``, ``suspect``, or the error code) and exits 0 only
for ``printed``. With ``--simulate`` the devices are the simulated ones and the virtual paper
goes to ``DIR/paper/``; without ``--registry`` the registry simulator also runs in-process on
the state directory's own database.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kiosk.cli.common import add_config_option, load_or_report, start_logging
from kiosk.engine.view import ChooseMenu, CodeScanned, Confirm, EnterPin, MenuOption, Screen, Touch

SESSION_TIMEOUT_S = 900.0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_config_option(parser)
    parser.add_argument("--registry", default=None, help="registry URL (overrides the config)")
    parser.add_argument("--state-dir", type=Path, required=True, help="journal, audit, paper")
    parser.add_argument("--token", required=True, help="the voucher token (ADM1....)")
    parser.add_argument("--pin", required=True, help="the voucher's 6-digit PIN")
    parser.add_argument("--json", action="store_true", help="print the outcome as JSON")
    parser.add_argument("--simulate", action="store_true", help="simulated devices")


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
        devices_only=(*PRINT_DEVICES, "receipt"),
        serve_metrics=False,
    )
    try:
        kiosk.start(background=False)
        controller = kiosk.session
        for intent in (Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(args.token, "qr")):
            controller.send(intent)
        controller.send(EnterPin(args.pin))
        controller.wait_idle(SESSION_TIMEOUT_S)
        if controller.view.screen is Screen.CONFIRM:
            controller.send(Confirm())
            controller.wait_idle(SESSION_TIMEOUT_S)
        view = controller.view
        result = controller.last_result
        if result is not None:
            label = result.label
        elif view.error is not None:
            label = view.error.code
        else:
            label = (view.notice or "SESSION_INCOMPLETE").upper()
        kiosk.outbox.flush(2.0)
        out = {
            "outcome": label,
            "txid": result.txid if result else None,
            "error": view.error.code if view.error else None,
            "next_step": view.error.next_step if view.error else None,
            "reference": view.error.reference if view.error else None,
            "pages": result.pages if result else 0,
            "outbox_depth": kiosk.outbox.depth(),
        }
    finally:
        kiosk.stop()
    print(json.dumps(out) if args.json else label)
    if label != "printed" and not args.json and out["reference"]:
        print(f"reference: {out['reference']}", file=sys.stderr)
    return 0 if label == "printed" else 1
