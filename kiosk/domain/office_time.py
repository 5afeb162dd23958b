"""Times shown to citizens: the office's local time with its zone (WIB, WITA, WIT).

Indonesia has three zones, named by their offset: WIB (UTC+7, western), WITA (UTC+8, central)
and WIT (UTC+9, eastern). A kiosk shows a time in its office's configured zone with that name,
so "14:35 WITA" means the same to the citizen as the clock on the office wall. The name comes
from the offset, not from the tz database's abbreviation (which has changed before).
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

_ZONES = {timedelta(hours=7): "WIB", timedelta(hours=8): "WITA", timedelta(hours=9): "WIT"}


def zone_name(moment: datetime, tz: tzinfo) -> str:
    """WIB/WITA/WIT for Indonesian offsets, else the zone's abbreviation or ``UTC+hh:mm``."""
    local = moment.astimezone(tz)
    offset = local.utcoffset() or timedelta(0)
    if offset in _ZONES:
        return _ZONES[offset]
    name = local.tzname()
    if name and name.isalpha():
        return name
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def local_time_text(moment: datetime, tz: tzinfo, now: datetime) -> str:
    """``"14:35 WIB"``, or ``"14:35 WIB, 08-12-2026"`` when ``moment`` falls on another office
    day than ``now`` (a lock of a day, or one that ends after midnight)."""
    local = moment.astimezone(tz)
    text = f"{local:%H:%M} {zone_name(moment, tz)}"
    if local.date() != now.astimezone(tz).date():
        text = f"{text}, {local:%d-%m-%Y}"
    return text
