"""Logging set-up: per-module loggers, one redaction filter on the root handler.

The filter masks anything shaped like a NIK or KK number (16 digits) in the final message,
including values passed as ``%s`` arguments and exception text, and masks bearer keys.
"""

from __future__ import annotations

import logging
import re
import sys

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


def setup_logging(level: str | int = "INFO", stream: object = None) -> None:
    """Configure the root handler once, with the redaction filter; safe to call again."""
    root = logging.getLogger()
    if isinstance(level, str):
        level = logging.getLevelName(level.upper())
    root.setLevel(level)
    for handler in root.handlers:
        install_redaction(handler)
    if not root.handlers:
        handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        install_redaction(handler)
        root.addHandler(handler)
