"""Reading udev rules files in tests: logical lines, and a check of each rule's tokens."""

from __future__ import annotations

import re

_KEY = r"[A-Z_]+(\{[^}]+\})?"
_TOKEN = re.compile(rf'^\s*({_KEY})\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*$')
_MATCH_KEYS = {"ACTION", "SUBSYSTEM", "KERNEL", "ENV", "ATTR", "ATTRS"}
_ASSIGN_KEYS = {"MODE", "GROUP", "SYMLINK", "TAG", "ENV", "ATTR", "GOTO"}


def rule_lines(text: str) -> list[str]:
    lines, current = [], ""
    for raw in text.splitlines():
        if raw.strip().startswith("#") or not raw.strip():
            continue
        current += raw.rstrip()
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        lines.append(current)
        current = ""
    assert current == "", "rules file ends in a continuation"
    return lines


def check_rules(text: str) -> set[str]:
    """Fails on a malformed rule or a world-writable mode; returns the symlinks made."""
    lines = rule_lines(text)
    symlinks: set[str] = set()
    for line in lines:
        if line.startswith("LABEL="):
            continue
        for token in line.split(", "):
            match = _TOKEN.match(token)
            assert match, f"bad token {token!r} in {line!r}"
            key, op, value = match.group(1), match.group(3), match.group(4)
            name = key.split("{")[0]
            if op in ("==", "!="):
                assert name in _MATCH_KEYS, token
            else:
                assert name in _ASSIGN_KEYS, token
            if name == "SYMLINK":
                symlinks.add(value)
            if name == "MODE":
                assert value == "0660", "kiosk devices are never world-writable"
    assert 'GOTO="adm_kiosk_end"' in lines[0] and lines[-1] == 'LABEL="adm_kiosk_end"'
    return symlinks
