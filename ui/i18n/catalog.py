"""The message catalog: every citizen-facing string, in Bahasa Indonesia first, then English.

``Catalog.text(key, language, **values)`` looks a key up. An unknown key is a bug: in strict
mode (tests) it raises; in production it logs once and shows a generic message, never the key.
"""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping

from kiosk.office.web_text import WEB_TEXT
from ui.i18n.errors_text import ERROR_TEXT, NEXT_STEP_TEXT
from ui.i18n.office_queue_text import OFFICE_QUEUE_TEXT
from ui.i18n.prompts_text import PROMPT_TEXT
from ui.i18n.screens_text import SCREEN_TEXT
from ui.i18n.technician_text import TECHNICIAN_TEXT

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("id", "en")  # index into the (id, en) tuples
DEFAULT_LANGUAGE = "id"
FALLBACK_KEY = "ERROR_UNKNOWN"


class UnknownMessageKey(KeyError):
    """A screen asked for a key the catalog does not have (strict mode only)."""


def _merge(*tables: Mapping[str, tuple[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for table in tables:
        for key, pair in table.items():
            if key in merged:
                raise ValueError(f"message key {key!r} defined twice")
            merged[key] = dict(zip(LANGUAGES, pair, strict=True))
    return merged


MESSAGES: dict[str, dict[str, str]] = _merge(
    SCREEN_TEXT,
    ERROR_TEXT,
    NEXT_STEP_TEXT,
    TECHNICIAN_TEXT,
    PROMPT_TEXT,
    OFFICE_QUEUE_TEXT,
    WEB_TEXT,  # the queue server's counter and display pages (served from kiosk/office)
)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


class Catalog:
    """Looks messages up by key and language."""

    def __init__(
        self, messages: Mapping[str, Mapping[str, str]] = MESSAGES, *, strict: bool = False
    ) -> None:
        self._messages = messages
        self.strict = strict
        self._reported: set[str] = set()

    def has(self, key: str) -> bool:
        return key in self._messages

    def keys(self) -> frozenset[str]:
        return frozenset(self._messages)

    def text(self, key: str, language: str, **values: object) -> str:
        entry = self._messages.get(key)
        if entry is None:
            if self.strict:
                raise UnknownMessageKey(key)
            if key not in self._reported:
                self._reported.add(key)
                log.error("no message for key %r; showing the generic message", key)
            entry = self._messages[FALLBACK_KEY]
        template = entry.get(language) or entry[DEFAULT_LANGUAGE]
        try:
            return template.format(**values) if values else template
        except (KeyError, IndexError, ValueError):
            if self.strict:
                raise
            log.error("message %r could not be filled with %s", key, sorted(values))
            return template


DEFAULT_CATALOG = Catalog()
