"""Registry strings are hostile: markup prints literally, controls vanish, long values fit."""

from __future__ import annotations

import logging
import secrets
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from document_envelopes import envelope, set_path, text_paths
from pdf_tools import squashed, text_of, words
from PIL import Image

from printing.documents import DocumentDataError, render
from printing.documents.types import DocumentType

_opened: list[str] = []
_watching: list[str] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event == "open" and _watching and args and isinstance(args[0], str | bytes | Path):
        name = str(args[0])
        if any(w in name for w in _watching):
            _opened.append(name)


sys.addaudithook(_audit)


@pytest.fixture
def secret_image() -> Iterator[str]:
    """A real PNG at a short path; any attempt to open it is recorded by the audit hook.

    The folder name is digits only: they all have one width, so the markup fits the KK's
    narrowest column on every run (with mkdtemp's letters, 1 name in 30 was too wide).
    """
    while True:
        directory = Path("/tmp") / f"s{secrets.randbelow(10**8):08d}"
        try:
            directory.mkdir(mode=0o700)
            break
        except FileExistsError:
            continue
    path = directory / "a.png"
    Image.new("RGB", (8, 8), (255, 0, 0)).save(path)
    _opened.clear()
    _watching.append(str(path))
    try:
        yield str(path)
    finally:
        _watching.clear()
        shutil.rmtree(directory)


def _with_every_text_field(doc: DocumentType, make: Any) -> tuple[dict[str, Any], list[str]]:
    env = envelope(doc)
    values = []
    for index, path in enumerate(text_paths(doc)):
        value = make(index)
        set_path(env, path, value)
        values.append(value)
    return env, values


@pytest.mark.parametrize("doc", list(DocumentType))
def test_markup_prints_literally_and_reads_no_file(doc: DocumentType, secret_image: str) -> None:
    env, values = _with_every_text_field(doc, lambda i: f'<img src="{secret_image}"/><b>{i}')
    pdf = render(env).pdf
    assert _opened == [], "the renderer opened the file named in the markup"
    assert b"/Subtype /Image" not in pdf
    text = squashed(text_of(pdf))
    missing = [v for v in values if squashed(v.upper()) not in text]
    assert missing == []


@pytest.mark.parametrize("doc", list(DocumentType))
def test_controls_bidi_and_zero_width_are_stripped(doc: DocumentType) -> None:
    env, _ = _with_every_text_field(
        doc, lambda i: f"Q{i}\u202eR\u200bS\x00T\x1b\x07U\ufeffV\u2066W\r\nX"
    )
    text = squashed(text_of(render(env).pdf))
    for index in range(len(text_paths(doc))):
        assert f"Q{index}RSTUVWX" in text
    for bad in ("\u202e", "\u200b", "\x00", "\x1b", "\ufeff", "\u2066"):
        assert bad not in text


def _long_value(index: int, length: int = 500) -> str:
    words_ = " ".join(f"KATA{index}X{n:03d}" for n in range(60))
    return (words_ + " " + "Z" * 200)[:length]


# A name has at most 60 letters and spaces (Permendagri 73/2022): any one field that long, the
# others as usual, prints whole on every layout and stays on the page.
LEGAL_NAME_MAX = 60


@pytest.mark.parametrize("doc", list(DocumentType))
def test_60_character_values_print_whole_and_stay_on_the_page(doc: DocumentType) -> None:
    for index, path in enumerate(text_paths(doc)):
        env = envelope(doc)
        value = _long_value(index, LEGAL_NAME_MAX)
        set_path(env, path, value)
        pdf = render(env).pdf
        (width, height), found = words(pdf)
        for word in found:
            assert word.x_min >= -0.01 and word.x_max <= width + 0.01, word
            assert word.y_min >= -0.01 and word.y_max <= height + 0.01, word
        on_page = {w.text.strip(",.;:") for w in found}
        assert set(value.upper().split()) <= on_page, (path, value)  # every word, none cut
        assert "…" not in text_of(pdf)


@pytest.mark.parametrize("doc", list(DocumentType))
def test_500_character_values_are_refused_never_printed_cut(doc: DocumentType) -> None:
    env, _ = _with_every_text_field(doc, _long_value)
    with pytest.raises(DocumentDataError) as refused:
        render(env)
    assert "does not fit" in str(refused.value)
    assert "KATA" not in str(refused.value)  # the message holds no part of the (personal) value


def test_a_ktp_with_a_512_character_name_is_refused() -> None:
    env = envelope(DocumentType.KTP)
    env["data"]["name"] = ("NAMA SANGAT PANJANG " * 30)[:511] + "X"
    with pytest.raises(DocumentDataError, match="ktp: a value of 512 characters does not fit"):
        render(env)


def test_long_kk_names_stay_inside_the_name_column() -> None:
    env = envelope(DocumentType.KK)
    for index, member in enumerate(env["data"]["members"]):
        member["name"] = (f"NAMA{index} " + " ".join(["PANJANGSEKALI"] * 12))[:LEGAL_NAME_MAX]
    (_, _), found = words(render(env).pdf)
    # The name column runs from x = 22 + 20 to 22 + 20 + 150 points.
    name_words = [w for w in found if w.text.startswith(("NAMA", "PANJANGSEKALI"))]
    assert len(name_words) >= 20
    for word in name_words:
        assert word.x_min >= 42 and word.x_max <= 192 + 0.5, word


def test_characters_the_font_lacks_are_replaced_visibly(caplog: pytest.LogCaptureFixture) -> None:
    env = envelope(DocumentType.KTP)
    env["data"]["name"] = "Ḥikmah 漢字 Nūr"
    with caplog.at_level(logging.WARNING, logger="printing.drawing.fonts"):
        text = text_of(render(env).pdf)
    assert "ḤIKMAH" in text
    assert "NŪR" in text
    assert "\ufffd\ufffd" in text
    assert "漢" not in text
    assert any("U+6F22" in r.getMessage() for r in caplog.records)
    assert all("IKMAH" not in r.getMessage() for r in caplog.records)


def test_decomposed_accents_are_normalised() -> None:
    env = envelope(DocumentType.KTP)
    env["data"]["name"] = "Nu\u0304r Ce\u0301cile"
    text = text_of(render(env).pdf)
    assert "NŪR CÉCILE" in text


def test_missing_values_print_a_dash() -> None:
    env = envelope(DocumentType.BIODATA)
    for key in ("birth_place", "occupation", "blood_type", "father_name", "passport"):
        env["data"][key] = None
    env["data"]["mother_name"] = "\u200b \u200b"
    lines = [" ".join(line.split()) for line in text_of(render(env).pdf).splitlines()]
    for label in (
        "Tempat Lahir",
        "Jenis Pekerjaan",
        "Golongan Darah",
        "Nama Ayah",
        "Nama Ibu",
        "Nomor Paspor",
    ):
        assert (
            any(line in (f"{label} -", f"{label}") for line in lines)
            or _value_after(lines, label) == "-"
        ), label


def _value_after(lines: list[str], label: str) -> str | None:
    for index, line in enumerate(lines):
        if line == label:
            following = [x for x in lines[index + 1 :] if x]
            return following[0] if following else None
        if line.startswith(label + " "):
            return line[len(label) + 1 :]
    return None


@pytest.mark.parametrize(
    ("doc", "path", "expected"),
    [
        (DocumentType.KK, ("data", "members", 3, "nik"), "data.members.3.nik"),
        (DocumentType.KK, ("data", "kk_number"), "data.kk_number"),
        (DocumentType.KTP, ("data", "nik"), "data.nik"),
        (DocumentType.KIA, ("data", "nik"), "data.nik"),
        (DocumentType.AKTA_KELAHIRAN, ("data", "nik"), "data.nik"),
        (DocumentType.AKTA_KEMATIAN, ("data", "nik"), "data.nik"),
        (DocumentType.BIODATA, ("data", "nik"), "data.nik"),
    ],
)
def test_nik_of_letters_is_rejected_naming_the_field(
    doc: DocumentType, path: tuple[str | int, ...], expected: str
) -> None:
    env = envelope(doc)
    set_path(env, path, "ABCDEFGHIJKLMNOP")
    with pytest.raises(DocumentDataError) as caught:
        render(env)
    assert caught.value.path == expected
    assert "16 digits" in caught.value.message
