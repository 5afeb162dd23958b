"""Consumables read from the device snapshot: paper, card stock, and marker levels.

Marker levels (toner, ink, ribbon, drum ...) come from whatever the printer reports; a driver
puts them in its statistics under a key that starts with ``marker`` and names the marker,
with the level in percent, for example ``marker_level_percent:Black Toner`` or
``marker_ribbon_level_percent``. The words ``marker``, ``level``, ``percent`` and the separators
are dropped and the rest, lower case, is the marker's name (``black_toner``, ``ribbon``).
Negative levels are CUPS's "unknown" and are left out; at most :data:`MAX_MARKERS` per device.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MAX_MARKERS = 16
_NOISE = frozenset({"marker", "markers", "level", "levels", "percent", "pct"})
_SPLIT = re.compile(r"[^a-z0-9]+")


def marker_name(key: str) -> str | None:
    """``"marker_level_percent:Black Toner"`` -> ``"black_toner"``; None if not a marker key."""
    if not key.lower().startswith("marker"):
        return None
    words = [w for w in _SPLIT.split(key.lower()) if w and w not in _NOISE]
    return "_".join(words)[:40] or None


def markers(statistics: Mapping[str, Any]) -> dict[str, float]:
    """The marker levels in ``statistics``, percent, by marker name."""
    out: dict[str, float] = {}
    for key, value in statistics.items():
        name = marker_name(str(key))
        if name is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        if 0 <= value <= 100 and len(out) < MAX_MARKERS:
            out[name] = float(value)
    return out


def consumables(
    snapshot: Mapping[str, Any], blanko: Mapping[str, tuple[int, int]]
) -> dict[str, dict[str, Any]]:
    """Per device: paper and card levels (ok / near_end / out / unknown), blanko left and its
    low mark, marker levels. Devices with none of these are left out (heartbeat, fleet view)."""
    out: dict[str, dict[str, Any]] = {}
    for name, info in snapshot.items():
        status = info.get("status") or {}
        entry: dict[str, Any] = {}
        if info.get("kind") in ("receipt", "document"):
            entry["paper"] = status.get("paper", "unknown")
        if name in blanko or status.get("cards") not in (None, "unknown"):
            entry["cards"] = status.get("cards", "unknown")
        if name in blanko:
            entry["blanko_left"], entry["blanko_low"] = blanko[name]
        found = markers(info.get("statistics") or {})
        if found:
            entry["markers"] = found
        if entry:
            out[name] = entry
    return out
