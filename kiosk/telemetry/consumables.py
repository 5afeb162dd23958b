"""Consumables read from the device snapshot: paper, card stock, and marker levels.

Marker levels (toner, ink, ribbon, ...) are what the printer reports over IPP
(``DeviceStatus.markers``: name, type, level and low mark in percent, level None when the
printer does not know); unknown levels are left out, and at most :data:`MAX_MARKERS` per device.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_MARKERS = 16


def markers(status: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The known marker levels in a device's status dict: ``{name, type, level, low}`` each."""
    out: list[dict[str, Any]] = []
    for marker in status.get("markers") or ():
        if not isinstance(marker, Mapping):
            continue
        level = marker.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 100:
            continue
        out.append(
            {
                "name": str(marker.get("name", ""))[:64],
                "type": str(marker.get("type", ""))[:32],
                "level": level,
                "low": marker.get("low"),
            }
        )
        if len(out) >= MAX_MARKERS:
            break
    return out


def consumables(
    snapshot: Mapping[str, Any], blanko: Mapping[str, tuple[int, int]]
) -> dict[str, dict[str, Any]]:
    """Per device: paper and card levels (ok / near_end / out / unknown), blanko left and its
    low mark, marker levels by name. Devices with none of these are left out (heartbeat)."""
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
        found = markers(status)
        if found:
            entry["markers"] = {m["name"]: float(m["level"]) for m in found}
        if entry:
            out[name] = entry
    return out
