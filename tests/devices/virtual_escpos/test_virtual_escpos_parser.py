from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.sim.virtual_escpos.commands import (
    Align,
    Barcode,
    BitImage,
    Cut,
    Feed,
    FeedUnit,
    GraphicsPrint,
    GraphicsStore,
    Ignored,
    Initialize,
    LineFeed,
    QrCommand,
    RasterImage,
    SetAlign,
    SetBarcodeOption,
    SetBold,
    SetCharSize,
    SetCodePage,
    SetFont,
    SetInvert,
    SetLineSpacing,
    SetPrintMode,
    SetUnderline,
    Skipped,
    StatusRequest,
    Text,
)
from devices.sim.virtual_escpos.parser import (
    MAX_PAYLOAD,
    EscposParseError,
    EscposParser,
    parse_escpos,
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x1b@", [Initialize()]),
        (b"Hello", [Text(b"Hello")]),
        (b"A\nB", [Text(b"A"), LineFeed(), Text(b"B")]),
        (b"\x1b!\x38", [SetPrintMode(0x38)]),
        (b"\x1bE\x01\x1bE\x00", [SetBold(True), SetBold(False)]),
        (b"\x1bG\x01", [SetBold(True)]),
        (b"\x1b-\x02\x1b-1", [SetUnderline(2), SetUnderline(1)]),
        (b"\x1d!\x21", [SetCharSize(3, 2)]),
        (b"\x1d!\x00", [SetCharSize(1, 1)]),
        (b"\x1ba\x01\x1ba2", [SetAlign(Align.CENTER), SetAlign(Align.RIGHT)]),
        (b"\x1bM\x01", [SetFont(1)]),
        (b"\x1bt\x10", [SetCodePage(16)]),
        (b"\x1dB\x01", [SetInvert(True)]),
        (b"\x1b3\x10\x1b2", [SetLineSpacing(16), SetLineSpacing(None)]),
        (b"\x1bJ\x20\x1bd\x03", [Feed(32, FeedUnit.DOTS), Feed(3, FeedUnit.LINES)]),
        (b"\x1dh\x40\x1dw\x03", [SetBarcodeOption("height", 64), SetBarcodeOption("width", 3)]),
        (
            b"\x1dH\x02\x1df\x00",
            [SetBarcodeOption("hri_position", 2), SetBarcodeOption("hri_font", 0)],
        ),
        (b"\x1dV\x00", [Cut(partial=False)]),
        (b"\x1dV\x01", [Cut(partial=True)]),
        (b"\x1dVA\x10", [Cut(partial=False, feed=16)]),
        (b"\x1dVB\x05", [Cut(partial=True, feed=5)]),
        (b"\x10\x04\x01\x10\x04\x04", [StatusRequest(1), StatusRequest(4)]),
        (b"\x1dkI\x05{B123", [Barcode(73, b"{B123")]),
        (b"\x1dk\x04ABC\x00", [Barcode(4, b"ABC")]),
        (b"\x1d(k\x03\x001C\x06", [QrCommand(67, b"\x06")]),
        (b"\x1d(k\x06\x001P0abc", [QrCommand(80, b"0abc")]),
        (b"\x1dv0\x00\x01\x00\x02\x00\xf0\x0f", [RasterImage(0, 1, 2, b"\xf0\x0f")]),
        (b"\x1b*\x00\x02\x00\xff\x01", [BitImage(0, 2, b"\xff\x01")]),
        (b"\x1b*!\x01\x00abc", [BitImage(33, 1, b"abc")]),
        (
            b"\x1d(L\x0c\x000p0\x01\x011\x09\x00\x01\x00\xff\x80",
            [GraphicsStore(9, 1, 1, 1, b"\xff\x80")],
        ),
        (b"\x1d(L\x02\x0002", [GraphicsPrint()]),
    ],
)
def test_each_command_parses_to_its_value(data: bytes, expected: list[object]) -> None:
    assert parse_escpos(data) == expected


def test_python_escpos_output_parses_without_skips(dummy: Any) -> None:
    from PIL import Image

    p = dummy
    p.set(align="center", bold=True, double_height=True, double_width=True)
    p.textln("ANTRIAN A-001")
    p.qr("ADM1.x", native=True, size=5)
    p.barcode("{B12345", "CODE128", function_type="B")
    p.image(Image.new("1", (16, 8), 0))
    p.image(Image.new("1", (16, 8), 0), impl="bitImageColumn")
    p.cut()
    parser = EscposParser()
    commands = parser.feed(p.output) + parser.finish()
    assert parser.skipped_bytes == 0
    kinds = {type(c) for c in commands}
    assert {Text, QrCommand, Barcode, RasterImage, BitImage, Cut} <= kinds
    assert commands[-1] == Cut(partial=False)


def test_ignored_commands_are_consumed_whole() -> None:
    assert parse_escpos(b"\x1bp\x00\x19\xfaX") == [
        Ignored("ESC p drawer pulse", b"\x1bp\x00\x19\xfa"),
        Text(b"X"),
    ]


def test_unknown_bytes_are_skipped_not_printed() -> None:
    commands = parse_escpos(b"\x01\x1b\xffA")
    assert commands == [
        Skipped("unknown control byte", b"\x01"),
        Skipped("unknown ESC command", b"\x1b\xff"),
        Text(b"A"),
    ]


def test_bad_values_are_skipped() -> None:
    assert isinstance(parse_escpos(b"\x1ba\x07")[0], Skipped)
    assert isinstance(parse_escpos(b"\x10\x04\x09")[0], Skipped)
    assert isinstance(parse_escpos(b"\x1d!\xff")[0], Skipped)


def test_a_command_split_across_chunks_waits_for_its_bytes() -> None:
    data = b"\x1b@AB\x1d(k\x06\x001P0abc\x1dv0\x00\x01\x00\x02\x00\xf0\x0f\x1dVA\x10"
    parser = EscposParser()
    commands = []
    for byte in data:
        commands += parser.feed(bytes([byte]))
    commands += parser.finish()
    texts = b"".join(c.data for c in commands if isinstance(c, Text))
    others = [c for c in commands if not isinstance(c, Text)]
    assert texts == b"AB"
    assert others == [c for c in parse_escpos(data) if not isinstance(c, Text)]


def test_incomplete_command_at_end_of_stream_is_skipped() -> None:
    parser = EscposParser()
    assert parser.feed(b"\x1dv0\x00\x10\x00\x10\x00abc") == []
    assert parser.pending == 11
    [skipped] = parser.finish()
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "incomplete command at end of stream"


def test_a_huge_declared_length_is_not_trusted() -> None:
    header = b"\x1d8L" + (MAX_PAYLOAD + 1).to_bytes(4, "little")
    commands = parse_escpos(header + b"OK")
    assert isinstance(commands[0], Skipped)
    assert commands[1:] == [Text(b"OK")]


def test_feeding_a_finished_parser_is_an_error() -> None:
    parser = EscposParser()
    parser.finish()
    with pytest.raises(EscposParseError):
        parser.feed(b"x")


def _merged(commands: list[Any]) -> list[Any]:
    """Adjacent text runs joined (a chunk boundary may split one)."""
    out: list[Any] = []
    for command in commands:
        if isinstance(command, Text) and out and isinstance(out[-1], Text):
            out[-1] = Text(out[-1].data + command.data)
        else:
            out.append(command)
    return out


def _check_stream(data: bytes, chunk: int) -> None:
    """Bounded time, nothing held back, and the same commands however the bytes are chunked."""
    parser = EscposParser()
    started = time.monotonic()
    commands = []
    for i in range(0, len(data), chunk):
        commands += parser.feed(data[i : i + chunk])
    commands += parser.finish()
    assert time.monotonic() - started < 2.0
    assert parser.pending == 0
    assert _merged(commands) == _merged(parse_escpos(data))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2048), st.integers(min_value=1, max_value=64))
def test_random_bytes_never_crash_or_hang(data: bytes, chunk: int) -> None:
    _check_stream(data, chunk)


_VALID = (
    b"\x1b@\x1ba\x01\x1b!\x38Nomor A-001\n\x1d!\x11B-2\n\x1d(k\x04\x001A2\x00\x1d(k\x03\x001C\x06"
    b"\x1d(k\x03\x001E0\x1d(k\x0b\x001P0ADM1.abc\x1d(k\x03\x001Q0\x1dh@\x1dw\x03\x1dH\x02"
    b"\x1dkI\x07{B12345\x1dv0\x00\x02\x00\x04\x00"
    + b"\xaa" * 8
    + b"\x1b*!\x02\x00"
    + b"\x55" * 6
    + b"\n\x10\x04\x01\x1bd\x06\x1dV\x00"
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(_VALID) - 1), st.integers(0, 255), st.sampled_from("rid")),
        max_size=12,
    ),
    st.integers(min_value=1, max_value=32),
)
def test_mutated_valid_streams_never_crash_or_hang(
    mutations: list[tuple[int, int, str]], chunk: int
) -> None:
    data = bytearray(_VALID)
    for pos, value, op in mutations:
        pos %= max(len(data), 1)
        if op == "r" and data:
            data[pos] = value
        elif op == "i":
            data.insert(pos, value)
        elif data:
            del data[pos]
    _check_stream(bytes(data), chunk)
