"""The ``kiosk`` command: a thin dispatcher that imports only the subcommand it runs.

Each subcommand module has ``add_arguments(parser)`` and ``run(args) -> int`` (the exit code).
Exit codes: 0 success, 1 the operation failed, 2 usage or configuration errors.

No command shows a Python traceback: a package of an extra that is not installed (the simulator
on a kiosk PC) is named with the extra to install (exit 2); anything else unexpected is one line
on stderr (exit 1), with the traceback in the log at DEBUG level (``--log-level DEBUG``).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence

log = logging.getLogger(__name__)

# Packages of the optional extras (pyproject.toml), by top-level module: what to install.
# The optional extras of pyproject.toml, by the top-level modules they bring.
EXTRA_MODULES = {
    "sim": ("fastapi", "uvicorn", "starlette", "packaging"),
    "office": ("fastapi", "uvicorn", "starlette", "psycopg", "psycopg_pool"),
}
EXTRA_OF_COMMAND = {"queue-server": "office"}  # else the first extra that has the module

# name -> (module, one-line help). The `ui` package adds `run` and `demo` (see ui/entry.py).
COMMANDS: dict[str, tuple[str, str]] = {
    "config": ("kiosk.cli.config_cmd", "check configuration files"),
    "voucher": ("kiosk.cli.voucher_cmd", "verify a voucher token (or mint one for the simulator)"),
    "registry-sim": ("kiosk.registry_sim.cli", "run the registry simulator on loopback"),
    "queue-server": ("kiosk.office.cli", "run the office queue server (kiosks, counters, display)"),
    "fleet-sim": ("kiosk.cli.fleet_sim", "simulated kiosks heartbeating against a registry"),
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


class CommandError(Exception):
    """A command cannot go on: ``message`` for the technician, ``code`` the exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def missing_extra(extra: str) -> str | None:
    """None when the packages of ``extra`` are installed, else the message saying what to do."""
    import importlib.util

    missing = [m for m in EXTRA_MODULES[extra] if importlib.util.find_spec(m) is None]
    if not missing:
        return None
    return (
        f"needs the {extra!r} extra ({', '.join(missing)} not installed): "
        f"pip install 'adm-kiosk[{extra}]'"
    )


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
        try:
            return _run(name, commands[name], rest)
        except ModuleNotFoundError as exc:
            module = (exc.name or "").partition(".")[0]
            owners = [extra for extra, modules in EXTRA_MODULES.items() if module in modules]
            if not owners:
                return _unexpected(name, exc)
            extra = EXTRA_OF_COMMAND.get(name, owners[0])
            print(f"kiosk {name}: {missing_extra(extra) or exc}", file=sys.stderr)
            return 2
        except CommandError as exc:
            print(f"kiosk {name}: {exc}", file=sys.stderr)
            return exc.code
        except KeyboardInterrupt:
            return 130
        except Exception as exc:
            return _unexpected(name, exc)

    return main


def _run(name: str, command: tuple[str, str], rest: list[str]) -> int:
    module = importlib.import_module(command[0])
    parser = argparse.ArgumentParser(prog=f"kiosk {name}", description=command[1])
    module.add_arguments(parser)
    try:
        parsed = parser.parse_args(rest)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    return int(module.run(parsed))


def _unexpected(name: str, exc: BaseException) -> int:
    """The last resort: one line for the technician, the traceback in the log (DEBUG)."""
    log.debug("kiosk %s failed", name, exc_info=exc)
    from kiosk.logs import redact

    detail = redact(str(exc))
    print(f"kiosk {name}: unexpected error: {type(exc).__name__}: {detail}", file=sys.stderr)
    return 1


main = make_main(COMMANDS)

PRIVATE_UMASK = 0o077


def private_files() -> None:
    """A kiosk process creates its files for itself only: journal, queue and audit databases,
    their WAL files, PDFs and virtual paper come out 0600 (directories 0700), whatever the
    umask it was started with. Called by the process entry points (``kiosk``, ``python -m
    kiosk``), never by code a test imports: the umask belongs to the whole process."""
    os.umask(PRIVATE_UMASK)
