from __future__ import annotations

import pytest

from devices.model import PaperLevel, Tristate
from devices.printers import escpos_status as rt


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0x12, PaperLevel.OK),
        (0x1E, PaperLevel.NEAR_END),  # bits 2-3: near-end sensor
        (0x72, PaperLevel.OUT),  # bits 5-6: paper end sensor
        (0x7E, PaperLevel.OUT),  # out wins over near end
        (None, PaperLevel.UNKNOWN),  # silence is not "out"
        (0x00, PaperLevel.UNKNOWN),  # not a status byte (bits 1 and 4 must be set)
        (0xFF, PaperLevel.UNKNOWN),
    ],
)
def test_paper_sensor(value: int | None, expected: PaperLevel) -> None:
    assert rt.parse_paper(value) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0x12, Tristate.YES), (0x1A, Tristate.NO), (None, Tristate.UNKNOWN), (0x08, Tristate.UNKNOWN)],
)
def test_online(value: int | None, expected: Tristate) -> None:
    assert rt.parse_online(value) is expected


def test_offline_cause() -> None:
    assert rt.parse_cover_open(0x16) is Tristate.YES
    assert rt.parse_cover_open(0x12) is Tristate.NO
    assert rt.parse_cover_open(None) is Tristate.UNKNOWN
    assert rt.parse_error(0x52) is Tristate.YES


def test_combined_silence_is_unknown_and_does_not_block() -> None:
    silent = rt.combine(None, None, None)
    assert not silent.answered
    assert not silent.blocks_printing
    assert silent.paper is PaperLevel.UNKNOWN
    assert rt.combine(0x1A, 0x32, 0x7E).blocks_printing
    assert rt.request(4) == b"\x10\x04\x04"
