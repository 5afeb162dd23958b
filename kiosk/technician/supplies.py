"""What a device has left to work with, read generically from the device manager's snapshot.

- paper (receipt, document and card printers) and cards: the status' level (ok, near end /
  low, out, unknown);
- counts in the statistics named ``<what>_left`` (``blanko_left``), with the low threshold when
  the device tells it (a card printer's ``blanko()``);
- percentages in the statistics whose name holds ``level`` or ``marker`` (toner, ink, ribbon, as
  CUPS reports ``marker-levels``): 0-100, negative when the printer does not know (-3: "some
  left", as in IPP);
- the printer's own markers in its status (``markers``: name, level in percent or None).

Nothing here knows a driver: a new driver that reports such statistics is shown as it comes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

PRINTER_KINDS = ("receipt", "document", "card")
_LEVEL_NAME = re.compile(r"(?:^|_)(?:level|marker)(?:_|$)")
SOME_LEFT = -3  # IPP marker-levels: "unknown, but some left"


@dataclass(frozen=True, slots=True)
class Supply:
    device: str
    what: str  # "paper", "cards", a count's name ("blanko") or a marker's ("black")
    level: str | None = None  # status level: ok, near_end, low, out, unknown
    count: int | None = None  # items left
    low_at: int | None = None  # the count at which it is low
    percent: int | None = None  # 0-100; None: unknown
    some_left: bool = False  # a percentage the printer does not know, but not empty


_NOT_A_NAME = {"marker", "markers", "level", "levels", "pct", "percent"}


def _marker_name(key: str) -> str:
    """``marker_level_black`` -> ``black``; ``toner_level_pct`` -> ``toner``."""
    words = [w for w in key.split("_") if w and w not in _NOT_A_NAME]
    return "_".join(words) or key


def supplies(
    name: str, info: Mapping[str, Any], low_at: Mapping[str, int] | None = None
) -> list[Supply]:
    """The supplies of device ``name`` from its snapshot entry (kind, status, statistics)."""
    out: list[Supply] = []
    status = info.get("status") or {}
    stats = info.get("statistics") or {}
    if info.get("kind") in PRINTER_KINDS and status.get("paper") not in (None, "unknown"):
        out.append(Supply(name, "paper", level=str(status["paper"])))
    if info.get("kind") == "card" and status.get("cards") not in (None, "unknown"):
        out.append(Supply(name, "cards", level=str(status["cards"])))
    for key in sorted(stats):
        value = stats[key]
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if key.endswith("_left"):
            what = key.removesuffix("_left")
            out.append(Supply(name, what, count=int(value), low_at=(low_at or {}).get(what)))
        elif _LEVEL_NAME.search(key):
            percent = int(value)
            if percent < 0:
                out.append(Supply(name, _marker_name(key), some_left=percent == SOME_LEFT))
            else:
                out.append(Supply(name, _marker_name(key), percent=min(100, percent)))
    for marker in status.get("markers") or ():  # the printer's own marker-* report (IPP)
        if not isinstance(marker, Mapping):
            continue
        level = marker.get("level")
        known = isinstance(level, int) and not isinstance(level, bool) and 0 <= level <= 100
        out.append(
            Supply(name, str(marker.get("name") or "marker")[:40], percent=level if known else None)
        )
    return out
