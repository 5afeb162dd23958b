"""Times shown to citizens carry the office's zone by its Indonesian name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from kiosk.domain.office_time import local_time_text, zone_name

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "name", "clock"),
    [
        ("Asia/Jakarta", "WIB", "10:00"),
        ("Asia/Pontianak", "WIB", "10:00"),
        ("Asia/Makassar", "WITA", "11:00"),
        ("Asia/Jayapura", "WIT", "12:00"),
    ],
)
def test_the_three_zones_by_name(zone: str, name: str, clock: str) -> None:
    tz = ZoneInfo(zone)
    assert zone_name(NOW, tz) == name
    assert local_time_text(NOW, tz, NOW) == f"{clock} {name}"


def test_another_office_day_adds_the_date_and_odd_offsets_are_spelled_out() -> None:
    tz = ZoneInfo("Asia/Jakarta")
    assert local_time_text(NOW + timedelta(days=1), tz, NOW) == "10:00 WIB, 24-11-2026"
    assert zone_name(NOW, timezone(timedelta(hours=5, minutes=30))) == "UTC+05:30"
