from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from devices.sim.virtual_escpos.code128 import Code128Error, encode_code128
from devices.sim.virtual_escpos.render import PaperRenderer, render_escpos


def _ink(img: Image.Image) -> np.ndarray:
    return np.asarray(img.convert("L")) < 128


def _ink_columns(img: Image.Image) -> tuple[int, int]:
    cols = np.flatnonzero(_ink(img).any(axis=0))
    return int(cols[0]), int(cols[-1])


def _decode(img: Image.Image) -> list[tuple[str, str]]:
    return [(r.format.name, r.text) for r in zxingcpp.read_barcodes(img)]


@pytest.mark.parametrize(("width_mm", "dots"), [(58, 384), (80, 576)])
def test_paper_is_as_wide_as_the_roll(width_mm: int, dots: int) -> None:
    [img] = render_escpos(b"\x1b@Hello\n\x1dV\x00", width_mm)
    assert img.width == dots
    assert img.mode == "L"


def test_each_cut_ends_a_job_and_a_blank_cut_is_no_job() -> None:
    data = b"\x1b@one\n\x1dV\x00\x1dV\x00two\n\x1dV\x01three\n"
    assert len(render_escpos(data, 80)) == 3  # "three" has no cut: still a (trailing) job
    assert render_escpos(b"\x1b@\x1bd\x06\x1dV\x00", 80) == []


def test_text_wraps_at_the_paper_width() -> None:
    one_line = render_escpos(b"x" * 32 + b"\n", 58)[0]
    two_lines = render_escpos(b"x" * 33 + b"\n", 58)[0]
    assert two_lines.height - one_line.height == 30  # one more line at the default spacing


def test_alignment_moves_the_ink() -> None:
    left = _ink_columns(render_escpos(b"\x1ba\x00ABC\n", 80)[0])
    center = _ink_columns(render_escpos(b"\x1ba\x01ABC\n", 80)[0])
    right = _ink_columns(render_escpos(b"\x1ba\x02ABC\n", 80)[0])
    assert left[0] < 12
    assert abs((center[0] + center[1]) / 2 - 288) < 12
    assert right[1] > 576 - 12


def test_bold_and_sizes_change_the_ink() -> None:
    normal = _ink(render_escpos(b"ABC\n", 80)[0]).sum()
    bold = _ink(render_escpos(b"\x1bE\x01ABC\n", 80)[0]).sum()
    double = _ink(render_escpos(b"\x1b!\x30ABC\n", 80)[0]).sum()
    big = render_escpos(b"\x1d!\x22ABC\n", 80)[0]
    assert bold > normal * 1.2
    assert double == pytest.approx(normal * 4, rel=0.05)
    first, last = _ink_columns(big)
    assert last - first > 3 * 3 * 12 * 0.8  # three glyphs, three times as wide


def test_underline_and_invert() -> None:
    plain = _ink(render_escpos(b"    \n", 80)[0]).sum()
    underlined = _ink(render_escpos(b"\x1b-\x01    \n", 80)[0]).sum()
    inverted = _ink(render_escpos(b"\x1dB\x01    \n", 80)[0]).sum()
    assert plain == 0
    assert underlined == 4 * 12
    assert inverted == 4 * 12 * 24


def test_code_page_decides_the_glyph() -> None:
    cp437 = np.asarray(render_escpos(b"\x1bt\x00\x82\n", 80)[0])
    cp1252 = np.asarray(render_escpos(b"\x1bt\x10\xe9\n", 80)[0])
    ascii_e = np.asarray(render_escpos(b"e\n", 80)[0])
    assert np.array_equal(cp437, cp1252)  # both are "é"
    assert not np.array_equal(cp437, ascii_e)


def test_native_qr_is_scannable(dummy: Any) -> None:
    text = "ADM1.eyJ2IjoxLCJ2aWQiOiJWLTAwMSJ9.c2lnbmF0dXJl"
    dummy.set(align="center")
    dummy.textln("above")
    dummy.qr(text, native=True, size=4, ec=1)
    dummy.textln("below")
    dummy.cut()
    [img] = render_escpos(dummy.output, 58)
    assert ("QRCode", text) in _decode(img)


def test_qr_module_size_is_honoured() -> None:
    def qr(size: int) -> Image.Image:
        data = b"\x1d(k\x03\x001C" + bytes([size]) + b"\x1d(k\x06\x001P0abc\x1d(k\x03\x001Q0"
        return render_escpos(data, 80)[0]

    first, last = _ink_columns(qr(3))
    first8, last8 = _ink_columns(qr(8))
    assert last - first + 1 == 21 * 3  # version 1 is 21 modules
    assert last8 - first8 + 1 == 21 * 8


def test_code128_is_scannable(dummy: Any) -> None:
    dummy.barcode("{BA-001 ANTRIAN", "CODE128", function_type="B")
    dummy.cut()
    [img] = render_escpos(dummy.output, 80)
    assert ("Code128", "A-001 ANTRIAN") in _decode(img)


def test_code128_code_set_c_and_switches() -> None:
    data = b"{C" + bytes([12, 34, 56]) + b"{BAB"
    img = render_escpos(b"\x1dkI" + bytes([len(data)]) + data + b"\x1dV\x00", 80)[0]
    assert ("Code128", "123456AB") in _decode(img)


def test_code128_checksum_and_errors() -> None:
    # Worked example: start B (104), "PJJ123C" -> checksum 54 (from the CODE128 spec examples).
    code = encode_code128(b"{BPJJ123C")
    assert code.values[0] == 104
    assert code.values[-1] == (104 + sum(i * v for i, v in enumerate(code.values[1:-1], 1))) % 103
    assert sum(code.modules()) == 11 * len(code.values) + 13
    with pytest.raises(Code128Error):
        encode_code128(b"no code set")
    with pytest.raises(Code128Error):
        encode_code128(b"{C" + bytes([150]))


def test_raster_image_is_drawn_dot_for_dot() -> None:
    rows = bytes([0b10000001, 0b11111111]) * 2  # 2 bytes wide, 2 rows
    img = render_escpos(b"\x1dv0\x00\x02\x00\x02\x00" + rows, 80)[0]
    ink = _ink(img)
    ys = np.flatnonzero(ink.any(axis=1))
    band = ink[ys[0] : ys[-1] + 1, :16]
    expected = np.array([[1, 0, 0, 0, 0, 0, 0, 1] + [1] * 8] * 2, dtype=bool)
    assert np.array_equal(band, expected)


@pytest.mark.parametrize("impl", ["bitImageRaster", "graphics", "bitImageColumn"])
def test_python_escpos_images_every_way(dummy: Any, impl: str) -> None:
    picture = Image.new("1", (64, 48), 1)
    picture.paste(0, (16, 8, 48, 40))  # a black 32 x 32 square
    dummy.image(picture, impl=impl)
    dummy.cut()
    [img] = render_escpos(dummy.output, 80)
    ink = _ink(img)
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    assert ink.sum() == 32 * 32
    assert (rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) == (32, 32)


def test_renderer_keeps_style_until_initialized() -> None:
    renderer = PaperRenderer(80)
    for command in (b"\x1bE\x01",):
        from devices.sim.virtual_escpos.parser import parse_escpos

        for parsed in parse_escpos(command):
            renderer.apply(parsed)
    assert renderer.style.bold
    from devices.sim.virtual_escpos.commands import Initialize

    renderer.apply(Initialize())
    assert not renderer.style.bold


def test_endless_paper_is_cut_at_the_job_limit() -> None:
    from devices.sim.virtual_escpos.render import MAX_JOB_DOTS

    pages = render_escpos(b"x\n" * 1200, 58)  # 1200 lines of 30 dots = 36 000 dots
    assert len(pages) == 3
    assert all(page.height <= MAX_JOB_DOTS + 200 for page in pages)
    assert render_escpos(b"\n" * 100_000, 58) == []  # blank paper is no job at all


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=1024))
def test_rendering_random_bytes_never_raises(data: bytes) -> None:
    for page in render_escpos(data, 58):
        assert page.width == 384


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"\x1d(k\x03\x001C\x10",
                b"\x1d(k\x03\x001E3",
                b"\x1d(k\x03\x001Q0",
                b"\x1dkI\x04{Cab",
                b"\x1dkI\x03{B\x7f",
                b"\x1dH\x03",
                b"\x1dw\x06",
                b"\x1dh\xff",
                b"\x1d!\x77",
                b"\x1bt\x01",
                b"\x1bt\x63",
                b"\x1dv0\x03\x04\x00\x02\x00" + b"\xff" * 8,
                b"\x1b*\x00\x03\x00abc",
                b"\x1b-\x02",
                b"\x1dB\x01",
                b"\x09",
                b"\xe9\x82\xff",
                b"\n",
                b"\x1dV\x00",
            ]
        ),
        max_size=40,
    ),
    st.binary(max_size=300),
)
def test_rendering_command_soup_never_raises(parts: list[bytes], qr_data: bytes) -> None:
    store = b"\x1d(k" + (len(qr_data) + 3).to_bytes(2, "little") + b"1P0" + qr_data
    for page in render_escpos(store + b"".join(parts), 80):
        assert page.width == 576
