"""``kiosk technician hash-pin``: make the ``technician.pin_hash`` value for a config."""

from __future__ import annotations

import argparse
import getpass
import re
import sys

from kiosk.domain.pin_hash import hash_pin, trivial_pin


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser(
        "hash-pin",
        help="read a PIN (6-8 digits; not one digit repeated, not a run like 123456) and "
        "print its scrypt hash",
    )


def run(args: argparse.Namespace) -> int:
    pin = getpass.getpass("technician PIN: ") if sys.stdin.isatty() else sys.stdin.readline()
    pin = pin.strip()
    if not re.fullmatch(r"[0-9]{6,8}", pin):
        print("the PIN must be 6-8 digits", file=sys.stderr)
        return 2
    reason = trivial_pin(pin)
    if reason is not None:
        print(f"the PIN is too easy to guess ({reason}); choose another", file=sys.stderr)
        return 2
    print(hash_pin(pin))
    return 0
