"""The ticket text sanitiser: whatever comes in, only printable code-page bytes go out."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.sim.virtual_escpos.commands import Skipped, Text
from devices.sim.virtual_escpos.parser import parse_escpos
from printing.tickets.escpos_recorder import new_recorder
from printing.tickets.printable import encode_printable, fit_lines, printable

# Every code point class, with extra weight on the bytes that are ESC/POS commands.
HOSTILE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec=None),
        st.sampled_from("\x00\x04\x0a\x0c\x10\x18\x1b\x1c\x1d\x7f\x80\x9b\u202e\u200b\ufeff"),
    ),
    max_size=80,
)


@given(HOSTILE_TEXT)
@settings(max_examples=400, deadline=None)
def test_printable_output_encodes_to_printable_bytes_only(text: str) -> None:
    clean = printable(text)
    encoded = encode_printable(clean)
    assert all(0x20 <= b <= 0x7E or b >= 0x80 for b in encoded)
    assert printable(clean) == clean  # idempotent
    assert "  " not in clean and clean == clean.strip()


@given(HOSTILE_TEXT, st.integers(min_value=4, max_value=64), st.integers(1, 4))
@settings(max_examples=200, deadline=None)
def test_fit_lines_respects_columns_and_line_count(text: str, columns: int, lines: int) -> None:
    fitted = fit_lines(text, columns, lines)
    assert len(fitted) <= lines
    assert all(0 < len(line) <= columns for line in fitted)
    assert all(printable(line) == line for line in fitted)


@given(HOSTILE_TEXT)
@settings(max_examples=150, deadline=None)
def test_escpos_text_of_printable_is_one_text_run(text: str) -> None:
    """Through python-escpos's own encoder (CP437 forced) the result parses as plain text."""
    clean = printable(text)
    printer = new_recorder()
    printer.charcode("CP437")
    printer.text(clean)
    body = printer.output[3:]  # after ESC t 0
    assert printer.output[:3] == b"\x1bt\x00"
    assert body == encode_printable(clean)
    commands = parse_escpos(body)
    assert all(isinstance(c, Text) for c in commands)
    assert not any(isinstance(c, Skipped) for c in commands)


def test_python_escpos_cp437_table_matches_the_codec() -> None:
    upper = bytes(range(0x80, 0x100)).decode("cp437")
    printer = new_recorder()
    printer.charcode("CP437")
    printer.text(upper)
    assert printer.output == b"\x1bt\x00" + bytes(range(0x80, 0x100))


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Kantor\tKecamatan\r\nCibinong  ", "Kantor Kecamatan Cibinong"),
        ("A\x1b@B\x1dV\x00C\x10\x04\x01D", "A@BVCD"),  # command bytes gone, letters stay
        ("Jose\u0301", "José"),  # NFC composes, é is in CP437
        ("Ā\u0100ḍ", "AAd"),  # transliterated
        ("ＡＢＣ ﬁ ①", "ABC fi 1"),  # compatibility forms
        ("日本 😀", "?? ?"),  # no spelling in the code page
        ("a\u202eb\u200bc\ufeffd\u00add", "abcdd"),  # bidi override, zero-width, soft hyphen
        ("\x85\x9b\x7f", ""),  # C1 controls and DEL
        ("x\ud800y", "xy"),  # lone surrogate
    ],
)
def test_printable_examples(raw: str, clean: str) -> None:
    assert printable(raw) == clean


def test_fit_lines_shortens_visibly() -> None:
    assert fit_lines("Perubahan Kartu Keluarga dan Biodata", 16, 2) == [
        "Perubahan Kartu",
        "Keluarga dan...",
    ]
    assert fit_lines("Konsultasi", 16, 1) == ["Konsultasi"]
    assert fit_lines("\x1b\x00", 16, 1) == []


def test_encode_printable_refuses_unsanitised_text() -> None:
    with pytest.raises(ValueError):
        encode_printable("A\x1bB")
