"""Console entry point ``kiosk``: the core's commands plus the ones that need the UI."""

from __future__ import annotations

import sys

from kiosk.cli import COMMANDS as CORE_COMMANDS
from kiosk.cli import make_main, private_files

COMMANDS = {
    **CORE_COMMANDS,
    "run": ("ui.run_cmd", "start the kiosk (--simulate: everything simulated)"),
    "demo": ("ui.demo.cmd", "scripted headless walk-through with screenshots"),
}

_main = make_main(COMMANDS)


def main() -> None:
    private_files()
    sys.exit(_main(None))
