"""The ``kiosk`` command: a thin dispatcher that imports only the subcommand it runs.

Each subcommand module has ``add_arguments(parser)`` and ``run(args) -> int`` (the exit code).
Exit codes: 0 success, 1 the operation failed, 2 usage or configuration errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Mapping, Sequence

# name -> (module, one-line help). The `ui` package adds `run` and `demo` (see ui/entry.py).
COMMANDS: dict[str, tuple[str, str]] = {
    "config": ("kiosk.cli.config_cmd", "check configuration files"),
    "voucher": ("kiosk.cli.voucher_cmd", "verify a voucher token (or mint one for the simulator)"),
    "registry-sim": ("kiosk.registry_sim.cli", "run the registry simulator on loopback"),
    "scan-image": ("kiosk.cli.scan_image", "decode QR / Code128 / PDF417 codes in image files"),
    "virtual-printer": ("kiosk.cli.virtual_printer", "run the virtual ESC/POS printer"),
    "diagnose": ("kiosk.cli.diagnose", "health checks of every device and the registry"),
    "render": ("kiosk.cli.render", "render a document to PDF"),
    "ticket": ("kiosk.cli.ticket", "compose a queue ticket's ESC/POS bytes"),
    "session": ("kiosk.cli.session", "run one headless print session"),
    "journal": ("kiosk.cli.journal", "list transactions, resolve a SUSPECT one, the day's IKM"),
    "recover": ("kiosk.cli.recover", "resolve unfinished transactions"),
    "audit": ("kiosk.cli.audit", "verify the hash-chained audit log"),
    "technician": ("kiosk.cli.technician", "technician utilities (hash a PIN)"),
}


def _usage(commands: Mapping[str, tuple[str, str]]) -> str:
    width = max(len(name) for name in commands)
    lines = ["usage: kiosk COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name.ljust(width)}  {text}" for name, (_, text) in commands.items()]
    lines += ["", "kiosk COMMAND --help shows a command's options."]
    return "\n".join(lines)


def make_main(commands: Mapping[str, tuple[str, str]]) -> Callable[[Sequence[str] | None], int]:
    def main(argv: Sequence[str] | None = None) -> int:
        args = list(sys.argv[1:] if argv is None else argv)
        if not args or args[0] in ("-h", "--help"):
            print(_usage(commands))
            return 0 if args else 2
        name, rest = args[0], args[1:]
        if name not in commands:
            print(f"kiosk: unknown command {name!r}\n\n{_usage(commands)}", file=sys.stderr)
            return 2
        module = importlib.import_module(commands[name][0])
        parser = argparse.ArgumentParser(prog=f"kiosk {name}", description=commands[name][1])
        module.add_arguments(parser)
        try:
            parsed = parser.parse_args(rest)
        except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
            return int(exc.code or 0)
        return int(module.run(parsed))

    return main


main = make_main(COMMANDS)
