"""Paths into nested dicts and lists (a config, an envelope, a registry answer), for fuzzers that
replace one node at a time."""

from __future__ import annotations

from typing import Any


def tree_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key/index path below ``value`` (not the root itself), parents before children."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += tree_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += tree_paths(item, (*path, index))
    return found
