"""Serial scanner framing: bytes to codes by prefix and suffix, or to reasoned refusals."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.ports import ScannedText, ScannerRead, ScanProblem, ScanProblemKind
from devices.scanners.serial_framer import SerialFramer

PRINTABLE = bytes(range(0x20, 0x7F))
NIK = b"3201014508900001"


def kinds(results: list[ScannerRead]) -> list[str]:
    return [r.text if isinstance(r, ScannedText) else r.kind.value for r in results]


def test_codes_are_cut_at_the_suffix_and_line_ends_between_them_skipped() -> None:
    framer = SerialFramer(suffix=b"\r")
    out = framer.feed(b"ADM1.a.b\r\n" + NIK + b"\r\n\r\n", now=0.0)
    assert kinds(out) == ["ADM1.a.b", NIK.decode()]
    assert not framer.pending


def test_prefix_and_suffix_are_stripped_and_bytes_without_the_prefix_are_garbage() -> None:
    framer = SerialFramer(prefix=b"\x02", suffix=b"\x03")
    out = framer.feed(b"\x02" + NIK + b"\x03" + b"noise\x03", now=0.0)
    assert kinds(out) == [NIK.decode(), "garbage"]
    assert "3201" not in out[1].detail  # type: ignore[union-attr]


def test_line_noise_control_bytes_and_length() -> None:
    framer = SerialFramer(suffix=b"\r\n", max_length=20)
    out = framer.feed(b"AB\xffCD\r\nAB\x07CD\r\n" + b"9" * 500 + b"\r\n", now=0.0)
    assert kinds(out) == ["not_ascii", "control", "too_long"]


def test_half_a_code_is_incomplete_after_the_gap_not_before() -> None:
    framer = SerialFramer(suffix=b"\r", max_gap_s=0.1)
    assert framer.feed(NIK[:8], now=10.0) == []
    assert framer.idle(now=10.05) == []  # still within the gap: more may come
    [result] = framer.idle(now=10.2)
    assert isinstance(result, ScanProblem) and result.kind is ScanProblemKind.INCOMPLETE
    assert result.detail.startswith("8 bytes")


def test_bytes_after_a_pause_start_a_new_code() -> None:
    framer = SerialFramer(suffix=b"\r", max_gap_s=0.1)
    assert framer.feed(b"ADM1.", now=0.0) == []
    assert kinds(framer.feed(NIK + b"\r", now=1.0)) == ["incomplete", NIK.decode()]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.binary(max_size=300), max_size=20),
    st.sampled_from([b"", b"\x02", b"#"]),
    st.sampled_from([b"\r", b"\r\n", b"\x03"]),
    st.integers(1, 64),
)
def test_random_bytes_never_raise_and_stay_bounded(
    chunks: list[bytes], prefix: bytes, suffix: bytes, max_length: int
) -> None:
    framer = SerialFramer(prefix=prefix, suffix=suffix, max_length=max_length, max_gap_s=0.1)
    results: list[ScannerRead] = []
    for i, chunk in enumerate(chunks):
        results += framer.feed(chunk, now=i * 0.05)
        assert framer.held <= len(prefix) + max_length + len(suffix)
    results += framer.idle(now=100.0)
    for result in results:
        if isinstance(result, ScannedText):
            assert 0 < len(result.text) <= max_length
            assert all(ord(c) in PRINTABLE for c in result.text)
        else:
            assert result.detail


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=PRINTABLE.decode(), min_size=1, max_size=80), max_size=8),
       st.integers(1, 50))  # fmt: skip
def test_codes_read_back_exactly_however_the_bytes_are_split(texts: list[str], split: int) -> None:
    codes = [text.encode() for text in texts]
    wire = b"".join(b"\x02" + code + b"\r\n" for code in codes)
    framer = SerialFramer(prefix=b"\x02", suffix=b"\r\n", max_gap_s=0.1)
    results: list[ScannerRead] = []
    for start in range(0, len(wire), split):
        results += framer.feed(wire[start : start + split], now=0.0)
    assert results == [ScannedText(code.decode()) for code in codes]
