"""`kiosk scan-image`: text and JSON output, decode times, and hostile files."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.camera.scene import Pose, place, textured_background
from devices.codes.symbols import render_symbol
from devices.ports import CodeFormat
from kiosk.cli import main

TOKEN = "ADM1.eyJ2IjoxLCJ2aWQiOiJWU0NBTjEifQ.c2Nhbi1pbWFnZS10ZXN0LXNpZ25hdHVyZQ"
NIK = "3201014506900001"


def scene_png(path: Path, text: str, kind: CodeFormat, seed: int = 1) -> Path:
    background = textured_background(800, 600, np.random.default_rng(seed))
    image = place(background, render_symbol(text, kind, 4), Pose(size=0.6, rotation_deg=6))
    cv2.imwrite(str(path), image)
    return path


def _chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png_claiming(width: int, height: int) -> bytes:
    """A small, well-formed PNG whose header claims a huge size (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
    )


@pytest.fixture
def images(tmp_path: Path) -> dict[str, Path]:
    qr = scene_png(tmp_path / "voucher.png", TOKEN, CodeFormat.QR)
    nik = scene_png(tmp_path / "nik.png", NIK, CodeFormat.CODE128, seed=2)
    empty = tmp_path / "empty.jpg"
    cv2.imwrite(str(empty), textured_background(640, 480, np.random.default_rng(3)))
    corrupt = tmp_path / "corrupt.png"
    corrupt.write_bytes(qr.read_bytes()[:400])  # truncated
    text = tmp_path / "notes.png"
    text.write_text("this is not an image")
    huge = tmp_path / "huge.png"
    huge.write_bytes(png_claiming(60_000, 60_000))
    big = tmp_path / "big.png"
    big.write_bytes(png_claiming(8_000, 6_000))  # under PIL's own limit, over ours
    return {
        "qr": qr,
        "nik": nik,
        "empty": empty,
        "corrupt": corrupt,
        "text": text,
        "huge": huge,
        "big": big,
    }


@pytest.mark.parametrize("decoder", ["zxing", "zbar"])
def test_json_output(
    images: dict[str, Path], capsys: pytest.CaptureFixture[str], decoder: str
) -> None:
    files = [images["qr"], images["nik"], images["empty"]]
    code = main(["scan-image", "--decoder", decoder, "--json", *map(str, files)])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [e["file"] for e in out] == [str(f) for f in files]
    assert out[0]["codes"] == [{"format": "qr", "text": TOKEN}]
    assert out[1]["codes"] == [{"format": "code128", "text": NIK}]
    assert out[2]["codes"] == []
    assert all(isinstance(e["ms"], float) and 0 < e["ms"] < 5000 for e in out)
    assert all("error" not in e for e in out)


def test_bad_files_get_error_entries_and_the_rest_still_run(
    images: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    names = ["corrupt", "qr", "text", "huge", "big", "nik"]
    missing = images["qr"].parent / "missing.png"
    files = [str(images[n]) for n in names] + [str(missing)]
    code = main(["scan-image", "--json", *files])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    by_file = {Path(e["file"]).name: e for e in out}
    for bad in ("corrupt.png", "notes.png", "huge.png", "big.png", "missing.png"):
        assert by_file[bad]["error"] and by_file[bad]["codes"] == [] and by_file[bad]["ms"] is None
    assert "exceeds" in by_file["huge.png"]["error"]
    assert "exceeds" in by_file["big.png"]["error"]
    assert by_file["voucher.png"]["codes"] == [{"format": "qr", "text": TOKEN}]
    assert by_file["nik.png"]["codes"] == [{"format": "code128", "text": NIK}]


def test_text_output(images: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan-image", str(images["qr"]), str(images["text"])])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0].startswith(f"{images['qr']}: 1 code(s), decode ") and out[0].endswith(" ms")
    assert out[1].split() == ["qr", TOKEN]
    assert out[2].startswith(f"{images['text']}: error: ")


def test_control_characters_in_codes_are_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = "HELLO\x1b[2J\x07WORLD"
    path = scene_png(tmp_path / "evil.png", evil, CodeFormat.QR)
    assert main(["scan-image", str(path)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "HELLO\\x1b[2J\\x07WORLD" in out
    assert main(["scan-image", "--json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["codes"][0]["text"] == evil


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan-image"]) == 2
    assert main(["scan-image", "--decoder", "tesseract", "x.png"]) == 2


def test_the_installed_command(images: dict[str, Path]) -> None:
    kiosk = Path(sys.executable).with_name("kiosk")
    result = subprocess.run(
        [str(kiosk), "scan-image", "--json", str(images["qr"]), str(images["corrupt"])],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 1, result.stderr
    out = json.loads(result.stdout)
    assert out[0]["codes"][0]["text"] == TOKEN and "error" in out[1]


_VALID_PNG = cv2.imencode(".png", np.full((40, 60, 3), 200, dtype=np.uint8))[1].tobytes()


def _mutated_png(data: st.DataObject) -> bytes:
    raw = bytearray(_VALID_PNG)
    for _ in range(data.draw(st.integers(1, 8))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    return bytes(raw[: data.draw(st.integers(8, len(raw)))])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_random_bytes_never_crash(tmp_path: Path, data: st.DataObject) -> None:
    choice = data.draw(st.sampled_from(["random", "png-prefixed", "mutated"]))
    if choice == "random":
        payload = data.draw(st.binary(max_size=2048))
    elif choice == "png-prefixed":
        payload = b"\x89PNG\r\n\x1a\n" + data.draw(st.binary(max_size=2048))
    else:
        payload = _mutated_png(data)
    path = tmp_path / "fuzz.png"
    path.write_bytes(payload)
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["scan-image", "--json", str(path)])
    out = json.loads(buffer.getvalue())
    assert code in (0, 1)
    assert len(out) == 1
    assert (code == 1) == ("error" in out[0])
