"""Logging set-up: per-module loggers, one redaction filter on the root handler.

The filter masks anything shaped like a NIK or KK number (16 digits) in the final message,
including values passed as ``%s`` arguments and exception text, and masks bearer keys.

Under systemd (stderr is the journal's stream, ``JOURNAL_STREAM``) every line starts with its
syslog priority, ``<3>`` for errors, ``<4>`` warnings, ``<6>`` info (sd-daemon(3)), without a
time stamp (the journal keeps its own): ``journalctl -u adm-kiosk@tty1 -p err`` finds errors.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from typing import TextIO

from kiosk.domain.nik import mask_nik_shaped

_BEARER = re.compile(r"(?i)(bearer\s+)[^\s\"']+")


def redact(text: str) -> str:
    return _BEARER.sub(r"\1[redacted]", mask_nik_shaped(text))


class RedactionFilter(logging.Filter):
    """Masks NIK-shaped numbers and bearer keys in every record that passes the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = redact(message)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def install_redaction(handler: logging.Handler) -> None:
    if not any(isinstance(f, RedactionFilter) for f in handler.filters):
        handler.addFilter(RedactionFilter())


def syslog_priority(levelno: int) -> int:
    """The syslog priority of a logging level: 2 crit, 3 err, 4 warning, 6 info, 7 debug."""
    if levelno >= logging.CRITICAL:
        return 2
    if levelno >= logging.ERROR:
        return 3
    if levelno >= logging.WARNING:
        return 4
    return 6 if levelno >= logging.INFO else 7


class JournalFormatter(logging.Formatter):
    """``<priority>name: message``, the priority on every line (a traceback's too)."""

    def __init__(self) -> None:
        super().__init__("%(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        prefix = f"<{syslog_priority(record.levelno)}>"
        return "\n".join(prefix + line for line in super().format(record).splitlines())


def writes_to_journal(stream: TextIO) -> bool:
    """True when ``stream`` is the journal's stream systemd gave us (``JOURNAL_STREAM`` names
    its device and inode; a child whose stderr was redirected no longer matches)."""
    device, _, inode = os.environ.get("JOURNAL_STREAM", "").partition(":")
    try:
        status = os.fstat(stream.fileno())
        return (status.st_dev, status.st_ino) == (int(device), int(inode))
    except (OSError, ValueError, AttributeError):
        return False


def setup_logging(level: str | int = "INFO", stream: TextIO | None = None) -> None:
    """Configure the root handler once, with the redaction filter; safe to call again."""
    root = logging.getLogger()
    if isinstance(level, str):
        level = logging.getLevelName(level.upper())
    root.setLevel(level)
    for handler in root.handlers:
        install_redaction(handler)
    if not root.handlers:
        target = stream or sys.stderr
        handler = logging.StreamHandler(target)
        if writes_to_journal(target):
            handler.setFormatter(JournalFormatter())
        else:
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
            )
        install_redaction(handler)
        root.addHandler(handler)
