"""Image files from outside, in every format scan-image accepts: mutated, truncated, lying.

``load_image`` returns pixels or raises :class:`ImageFileError`; both decoders take whatever it
returns; ``kiosk scan-image`` answers every file (exit 0 or 1, one JSON entry each) and never
lets a decoded code's control characters reach the terminal.
"""

from __future__ import annotations

import contextlib
import io
import json
import struct
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from fuzz.byte_mutations import mutations, outcome, peak_rss_growth
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from devices.codes.backends import make_reader
from devices.codes.image_files import ImageFileError, load_image
from devices.codes.reader_device import CodeReaderDevice
from devices.codes.symbols import render_symbol
from devices.ports import CodeFormat
from kiosk.cli import main as kiosk_main

TOKEN = "ADM1.eyJ2IjoxLCJ2aWQiOiJWRlVaWjEifQ.ZnV6ei1zaWduYXR1cmU"
FORMATS = {"PNG": "png", "JPEG": "jpg", "BMP": "bmp", "WEBP": "webp", "TIFF": "tif",
           "GIF": "gif", "PPM": "ppm"}  # fmt: skip


@cache
def _encoded(fmt: str) -> bytes:
    """A small image holding a readable QR, encoded as ``fmt``."""
    symbol = render_symbol(TOKEN, CodeFormat.QR, 3)
    picture = Image.fromarray(np.pad(symbol, 20, constant_values=255), "L")
    buffer = io.BytesIO()
    picture.convert("RGB").save(buffer, format=fmt)
    return buffer.getvalue()


@cache
def _reader(backend: str) -> CodeReaderDevice:
    return make_reader(backend)


def _scan(path: Path) -> list[str] | Exception:
    image = outcome(5.0, lambda: load_image(path, mode="gray"), ImageFileError)
    if isinstance(image, ImageFileError):
        assert str(image)
        return image
    assert image.dtype == np.uint8 and image.ndim == 2 and image.size > 0
    texts: list[str] = []
    for reader in (_reader("zxing"), _reader("zbar")):
        texts += [code.text for code in outcome(5.0, lambda r=reader: r.decode(image))]
    return texts


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_seed_decodes(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"seed.{FORMATS[fmt]}"
    path.write_bytes(_encoded(fmt))
    assert TOKEN in _scan(path)  # type: ignore[operator]


@pytest.mark.filterwarnings("ignore:Tag data larger than file:UserWarning")
@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")
@settings(
    max_examples=140,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    fmt_and_raw=st.sampled_from(sorted(FORMATS)).flatmap(
        lambda fmt: st.tuples(st.just(fmt), mutations(_encoded(fmt), max_ops=4))
    )
)
def test_mutated_files_of_every_format(tmp_path: Path, fmt_and_raw: tuple[str, bytes]) -> None:
    fmt, raw = fmt_and_raw
    path = tmp_path / f"fuzz.{FORMATS[fmt]}"
    path.write_bytes(raw)
    _scan(path)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(width: int, height: int, *extra: bytes, idat: bytes | None = None) -> bytes:
    head = _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    data = _png_chunk(b"IDAT", idat if idat is not None else zlib.compress(b"\0" * 64))
    return b"\x89PNG\r\n\x1a\n" + head + b"".join(extra) + data + _png_chunk(b"IEND", b"")


def _gif_claiming(width: int, height: int) -> bytes:
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
    image = b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00"
    return header + image + b"\x3b"


def _bmp_claiming(width: int, height: int) -> bytes:
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, 0, 2835, 2835, 0, 0)
    return b"BM" + struct.pack("<IHHI", 54 + 16, 0, 0, 54) + info + b"\0" * 16


def _tiff_claiming(width: int, height: int) -> bytes:
    entries = [(256, 4, 1, width), (257, 4, 1, height), (258, 3, 1, 8), (259, 3, 1, 1),
               (262, 3, 1, 1), (273, 4, 1, 8), (277, 3, 1, 1), (278, 4, 1, height),
               (279, 4, 1, 16)]  # fmt: skip
    ifd = struct.pack("<H", len(entries)) + b"".join(
        struct.pack("<HHII", tag, kind, count, value) for tag, kind, count, value in entries
    )
    return b"II*\x00" + struct.pack("<I", 24) + b"\0" * 16 + ifd + b"\0\0\0\0"


def _jpeg_claiming(width: int, height: int) -> bytes:
    seed = _encoded("JPEG")
    at = seed.index(b"\xff\xc0") + 5  # SOF0: length(2) precision(1) height(2) width(2)
    return seed[:at] + struct.pack(">HH", height, width) + seed[at + 4 :]


HOSTILE: dict[str, Callable[[], bytes]] = {
    "png_60000x60000": lambda: _png(60_000, 60_000),
    "png_1x40000001": lambda: _png(1, 40_000_001),
    "png_1x40000000": lambda: _png(1, 40_000_000),  # within the pixel limit: 730 MiB of rows
    "png_30000x1": lambda: _png(30_000, 1, idat=zlib.compress(b"\0" * 30_001)),
    "png_ztxt_bomb": lambda: _png(
        8, 8, _png_chunk(b"zTXt", b"k\0\0" + zlib.compress(b"A" * 50_000_000, 9))
    ),
    "png_itxt_huge": lambda: _png(8, 8, _png_chunk(b"iTXt", b"k\0\0\0\0\0" + b"B" * 3_000_000)),
    "gif_65535x65535": lambda: _gif_claiming(65535, 65535),
    "bmp_huge_negative": lambda: _bmp_claiming(50_000, -50_000),
    "bmp_zero_width": lambda: _bmp_claiming(0, 10),
    "tiff_huge": lambda: _tiff_claiming(100_000, 100_000),
    "jpeg_65500x65500": lambda: _jpeg_claiming(65_500, 65_500),
    "ppm_huge": lambda: b"P6\n60000 60000\n255\n" + b"\0" * 100,
    "ppm_maxval_0": lambda: b"P5\n4 4\n0\n" + b"\0" * 16,
    "ppm_negative": lambda: b"P5\n-4 4\n255\n" + b"\0" * 16,
    "webp_truncated": lambda: _encoded("WEBP")[:40],
    "empty": lambda: b"",
    "svg_not_allowed": lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>',
    "eps_not_allowed": lambda: b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
}


# Within the pixel limit, so decoded; what they cost must still follow from the pixel count.
LARGE_BUT_ALLOWED: dict[str, Callable[[], bytes]] = {
    "png_idat_bomb": lambda: _png(4000, 4000, idat=zlib.compress(b"\0" * 60_000_000, 9)),
    "png_2000x20000": lambda: _png(2000, 20_000, idat=zlib.compress(b"\0" * 40_020_000, 9)),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_are_refused_cheaply(tmp_path: Path, name: str) -> None:
    path = tmp_path / "hostile.img"
    path.write_bytes(HOSTILE[name]())
    result, peak = peak_rss_growth(lambda: _scan(path))
    assert isinstance(result, ImageFileError), (name, result)
    assert peak < 64 * 1024 * 1024, f"{name}: peak {peak / 2**20:.0f} MiB"


@pytest.mark.parametrize("name", sorted(LARGE_BUT_ALLOWED))
def test_large_allowed_files_cost_what_their_pixels_cost(tmp_path: Path, name: str) -> None:
    path = tmp_path / "large.png"
    path.write_bytes(LARGE_BUT_ALLOWED[name]())
    result, peak = peak_rss_growth(lambda: _scan(path))
    assert result == [], (name, result)
    assert peak < 400 * 1024 * 1024, f"{name}: peak {peak / 2**20:.0f} MiB"


def test_special_files_are_not_opened(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)  # opening it for reading would block forever
    for path in (fifo, tmp_path, Path("/dev/zero"), tmp_path / "missing.png"):
        assert isinstance(_scan(path), ImageFileError), path


def _cli(*args: str) -> tuple[int, str]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = kiosk_main(["scan-image", *args])
    return code, buffer.getvalue()


def test_cli_answers_every_file_and_keeps_controls_off_the_terminal(tmp_path: Path) -> None:
    hostile_text = "\x1b]0;owned\x07\x1b[2J\x1b[31mRED\r\nNEXT\u202eLINE"
    symbol = render_symbol(hostile_text, CodeFormat.QR, 4)
    qr = tmp_path / "escape.png"
    Image.fromarray(np.pad(symbol, 20, constant_values=255), "L").save(qr)
    files = [qr]
    for name in ("png_60000x60000", "empty", "jpeg_65500x65500"):
        files.append(tmp_path / f"{name}.img")
        files[-1].write_bytes(HOSTILE[name]())
    weird_name = tmp_path / "name\x1b[31m\nwith controls.png"
    weird_name.write_bytes(_encoded("PNG"))
    files.append(weird_name)
    code, text = _cli(*map(str, files))
    assert code == 1  # some files failed to load; the others still ran
    for bad in ("\x1b", "\x07", "\r", "\u202e"):
        assert bad not in text, repr(bad)
    assert "RED" in text and TOKEN in text
    code, raw_json = _cli("--json", *map(str, files))
    entries = json.loads(raw_json)
    assert code == 1 and len(entries) == len(files)
    assert entries[0]["codes"][0]["text"] == hostile_text  # data kept exact, only escaped
    assert "\x1b" not in raw_json


@pytest.mark.parametrize("size", [(1, 1), (1, 60), (60, 1), (3, 3), (2, 400)])
def test_tiny_images_decode_to_nothing(tmp_path: Path, size: tuple[int, int]) -> None:
    """Found by the fuzz above: the half-size PDF417 pass resized a 1-pixel image to nothing
    and cv2 raised."""
    path = tmp_path / "tiny.png"
    Image.new("L", size, 255).save(path)
    assert _scan(path) == []
    code, out = _cli("--json", str(path))
    assert code == 0 and json.loads(out)[0]["codes"] == []
