from __future__ import annotations

import pytest

from devices.codes.debounce import Debouncer
from devices.ports import CodeFormat, DecodedCode

A = DecodedCode(CodeFormat.QR, "ADM1.voucher-a")
B = DecodedCode(CodeFormat.CODE128, "3201014506900001")
A_AS_BARCODE = DecodedCode(CodeFormat.CODE128, "ADM1.voucher-a")


def feed_all(debouncer: Debouncer, frames: list[list[DecodedCode]]) -> list[DecodedCode | None]:
    return [debouncer.feed(frame) for frame in frames]


def test_accepted_after_n_consecutive_frames_then_once_only() -> None:
    out = feed_all(Debouncer(stable_frames=3), [[A], [A], [A], [A], [A], [A]])
    assert out == [None, None, A, None, None, None]


def test_a_gap_restarts_the_count() -> None:
    out = feed_all(Debouncer(stable_frames=3), [[A], [A], [], [A], [A], [A]])
    assert out == [None, None, None, None, None, A]


def test_same_code_again_only_after_it_left_the_view() -> None:
    d = Debouncer(stable_frames=2, absent_frames=3)
    frames = [[A], [A], [], [], [A], [A], [], [], [], [A], [A]]
    # absent for 2 frames is a flicker (ignored), absent for 3 means it left: accepted again.
    assert feed_all(d, frames) == [None, A, None, None, None, None, None, None, None, None, A]


def test_two_codes_in_view_are_each_accepted_once() -> None:
    d = Debouncer(stable_frames=2)
    out = feed_all(d, [[A, B], [B, A], [A, B], [A, B]])
    assert out[0] is None
    assert {out[1], out[2]} == {A, B}
    assert out[3] is None


def test_format_is_part_of_the_identity() -> None:
    d = Debouncer(stable_frames=2)
    assert feed_all(d, [[A], [A_AS_BARCODE], [A_AS_BARCODE]]) == [None, None, A_AS_BARCODE]


def test_duplicates_within_a_frame_count_once() -> None:
    assert feed_all(Debouncer(stable_frames=2), [[A, A, A], [A]]) == [None, A]


def test_reset_allows_the_code_again() -> None:
    d = Debouncer(stable_frames=1)
    assert d.feed([A]) == A
    assert d.feed([A]) is None
    assert d.in_view == frozenset({(A.format, A.text)})
    d.reset()
    assert d.feed([A]) == A


def test_stable_frames_one_accepts_immediately() -> None:
    assert feed_all(Debouncer(stable_frames=1), [[B], [B]]) == [B, None]


@pytest.mark.parametrize(("stable", "absent"), [(0, 5), (3, 0)])
def test_rejects_nonsense_settings(stable: int, absent: int) -> None:
    with pytest.raises(ValueError):
        Debouncer(stable, absent)
