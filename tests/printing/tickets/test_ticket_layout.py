"""Queue ticket bytes: exact, small, and decoded by the virtual printer's own parser."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.sim.virtual_escpos.commands import (
    Cut,
    LineFeed,
    QrCommand,
    SetCharSize,
    Skipped,
    Text,
)
from devices.sim.virtual_escpos.parser import parse_escpos
from devices.sim.virtual_escpos.render import render_escpos
from printing.tickets import MAX_TICKET_BYTES, TicketData, compose_ticket
from printing.tickets.layout import COLUMNS, estimate_words, issued_text

JAKARTA = ZoneInfo("Asia/Jakarta")
LONG = "Mal Pelayanan Publik Kabupaten Bogor, Kantor Kecamatan Cibinong, Jawa Barat " * 4


def ticket(**changes: object) -> TicketData:
    fields: dict[str, object] = {
        "ticket_id": "20261123-A-042",
        "office": "Kantor Kecamatan Cibinong",
        "service_name_id": "Perekaman KTP-el",
        "service_name_en": "KTP-el recording",
        "code": "A",
        "number": 42,
        "issued_at": datetime(2026, 11, 23, 14, 5, tzinfo=JAKARTA),
        "people_ahead": 12,
    }
    fields.update(changes)
    return TicketData(**fields)  # type: ignore[arg-type]


def qr(module: int, content: bytes) -> bytes:
    store = len(content) + 3
    return (
        b"\x1d(k\x04\x001A2\x00"  # model 2
        + b"\x1d(k\x03\x001C"
        + bytes([module])  # module size, dots
        + b"\x1d(k\x03\x001E1"  # error correction M
        + b"\x1d(k"
        + bytes([store & 0xFF, store >> 8])
        + b"1P0"
        + content
        + b"\x1d(k\x03\x001Q0"  # print
    )


FOOTER = {
    58: b"Tunjukkan QR di loket\nShow QR at the counter\n",
    80: b"Tunjukkan QR di loket / Show QR at the counter\n",
}


ESTIMATE_UNKNOWN = {
    58: b"Perkiraan: tidak diketahui\nEst.: not known yet\n",
    80: b"Perkiraan: tidak diketahui / Est.: not known yet\n",
}


def golden(width: int, module: int, reference: bytes = b"") -> bytes:
    return (
        b"\x1b@\x1c.\x1bt\x00\x1ba\x01"  # init, leave Kanji mode, CP437, centre
        + b"\x1bE\x01Kantor Kecamatan Cibinong\n\x1bE\x00"
        + b"Perekaman KTP-el\nKTP-el recording\n\n"
        + b"\x1d!\x33A-042\n\x1d!\x00"  # 4 x 4 number, back to 1 x 1
        + b"23-11-2026 14:05 WIB\nBerlaku hari ini / Valid today\n"
        + b"Di depan Anda / Ahead: 12\n"
        + ESTIMATE_UNKNOWN[width]  # early in the day: no service times yet
        + reference
        + b"\n"
        + qr(module, b"20261123-A-042")
        + b"\n"
        + FOOTER[width]
        + b"\x1bd\x06\x1dV\x00"  # feed 6 lines, full cut
    )


@pytest.mark.parametrize(("width", "module"), [(58, 6), (80, 8)])
def test_ticket_bytes_are_exact(width: int, module: int) -> None:
    assert compose_ticket(ticket(), width) == golden(width, module)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "band"),
    [
        ("lansia", b"PRIORITAS: LANSIA"),
        ("disabilitas", b"PRIORITAS: DISABILITAS"),
        ("ibu_hamil", b"PRIORITAS: IBU HAMIL"),
        ("prioritas", b"PRIORITAS / PRIORITY"),  # a kind that was not recorded
    ],
)
def test_priority_ticket_has_an_inverted_band_with_its_kind(kind: str, band: bytes) -> None:
    data = compose_ticket(ticket(priority=kind, estimate_minutes=23), 58)
    assert b"\x1d!\x00\x1dB\x01 " + band + b" \x1dB\x00\n23-11-2026" in data
    assert b"Ahead: 12\nPerkiraan: sekitar 25 menit\nEst.: about 25 min\n\n\x1d(k" in data
    wide = compose_ticket(ticket(priority=kind, estimate_minutes=23), 80)
    assert b"Ahead: 12\nPerkiraan: sekitar 25 menit / Est.: about 25 min\n\n\x1d(k" in wide


def test_a_checked_in_booking_carries_its_slot() -> None:
    data = compose_ticket(ticket(booking_slot="10:30"), 80)
    assert b"\x1d!\x00Booking pukul 10:30 / Booked for 10:30\n23-11-2026 14:05 WIB\n" in data
    narrow = compose_ticket(ticket(booking_slot="10:30"), 58)
    assert b"Booking pukul 10:30\nBooked for 10:30\n" in narrow


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (None, ("tidak diketahui", "not known yet")),
        (0, ("kurang dari 5 menit", "under 5 min")),
        (4, ("kurang dari 5 menit", "under 5 min")),
        (5, ("sekitar 5 menit", "about 5 min")),
        (23, ("sekitar 25 menit", "about 25 min")),
        (57, ("sekitar 55 menit", "about 55 min")),
        (58, ("sekitar 1 jam", "about 1 h")),
        (76, ("sekitar 1 jam 15 menit", "about 1 h 15 min")),
        (479, ("sekitar 8 jam", "about 8 h")),
        (480, ("lebih dari 8 jam", "over 8 hours")),
    ],
)
def test_the_estimate_is_said_in_words(minutes: int | None, words: tuple[str, str]) -> None:
    assert estimate_words(minutes) == words


@pytest.mark.parametrize(("width", "module"), [(58, 6), (80, 8)])
def test_a_handed_over_ticket_prints_the_errors_reference(width: int, module: int) -> None:
    data = compose_ticket(ticket(reference="7F3A21C09B2D"), width)  # type: ignore[arg-type]
    assert data == golden(width, module, b"Ref: 7F3A21C09B2D\n")
    assert len(data) <= MAX_TICKET_BYTES


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("Asia/Jakarta", "23-11-2026 14:05 WIB"),
        ("Asia/Makassar", "23-11-2026 15:05 WITA"),
        ("Asia/Jayapura", "23-11-2026 16:05 WIT"),
    ],
)
def test_time_is_printed_in_the_office_zone(zone: str, expected: str) -> None:
    moment = datetime(2026, 11, 23, 14, 5, tzinfo=JAKARTA).astimezone(ZoneInfo(zone))
    assert issued_text(moment) == expected
    assert expected.encode() in compose_ticket(ticket(issued_at=moment), 58)


@pytest.mark.parametrize("width", [58, 80])
def test_long_names_stay_within_budget_and_columns(width: int) -> None:
    worst = ticket(
        ticket_id="K01-20261123-A-9999-REPR",
        office=LONG,
        agency=LONG,
        service_name_id=LONG,
        service_name_en=LONG,
        number=9999,
        people_ahead=99_999,
        priority="disabilitas",
        estimate_minutes=9_999,
    )
    booked = dataclasses.replace(worst, priority=None, booking_slot="14:30")  # not both at once
    # an error handed over (a journal id): the kiosk issues those without priority or booking
    handed = dataclasses.replace(worst, priority=None, reference="f" * 32)
    for one in (worst, booked, handed):
        assert len(compose_ticket(one, width)) <= MAX_TICKET_BYTES  # type: ignore[arg-type]
    data = compose_ticket(worst, width) + compose_ticket(handed, width)  # type: ignore[arg-type]
    line = b""
    scale = 1
    for command in parse_escpos(data):
        if isinstance(command, SetCharSize):
            scale = command.width
        elif isinstance(command, Text):
            line += command.data
        elif isinstance(command, LineFeed):
            assert len(line) * scale <= COLUMNS[width], line
            line = b""
    assert b"..." in data  # long names are shortened visibly


HOSTILE = [
    "\x1b@\x1dV\x00\x00\x10\x04\x01\x1b\x70\x00\x19\xfa",  # init, cut, NUL, DLE EOT, drawer kick
    "A\x1d(k\x04\x001A2\x00B\x1c&\x18\x0c\x7f\x9b\x85\x1a",  # a QR header, Kanji on, C1
    "Jl. Melati\u202e\u200b\ufeff No. 7\udcff\ud800 日本 😀 Ñoño Āḍī ﬁ Ｗ",
    "\r\n\t\v\x1e\x1f" * 20,
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("width", [58, 80])
def test_hostile_text_never_becomes_a_command(text: str, width: int) -> None:
    benign = parse_escpos(compose_ticket(ticket(), width))  # type: ignore[arg-type]
    data = compose_ticket(  # type: ignore[arg-type]
        ticket(office=text, agency=text, service_name_id=text, service_name_en=text + " x"),
        width,
    )
    commands = parse_escpos(data)
    assert not [c for c in commands if isinstance(c, Skipped)]
    # Only text and line breaks may differ: every command of the ticket is one of ours.
    structure = [c for c in commands if not isinstance(c, Text | LineFeed)]
    assert structure == [c for c in benign if not isinstance(c, Text | LineFeed)]
    for command in commands:
        if isinstance(command, Text):
            assert all(b >= 0x20 and b != 0x7F for b in command.data), command
    assert data.startswith(b"\x1b@") and data.count(b"\x1b@") == 1
    assert data.endswith(b"\x1dV\x00") and data.count(b"\x1dV") == 1
    assert len(data) <= MAX_TICKET_BYTES


def test_code_page_characters_are_mapped_and_the_rest_replaced() -> None:
    data = compose_ticket(ticket(office="Café Ñ ā 日"), 80)
    assert b"\x1bE\x01Caf\x82 \xa5 a ?\n" in data  # CP437: é 0x82, Ñ 0xA5; ā -> a; 日 -> ?


@pytest.mark.parametrize("width", [58, 80])
def test_qr_decodes_from_the_virtual_printers_image(width: int) -> None:
    data = compose_ticket(ticket(priority="lansia", estimate_minutes=3), width)  # type: ignore[arg-type]
    qr_commands = [c for c in parse_escpos(data) if isinstance(c, QrCommand)]
    assert [c.function for c in qr_commands] == [65, 67, 69, 80, 81]
    pages = render_escpos(data, width)
    assert len(pages) == 1
    assert pages[0].width == {58: 384, 80: 576}[width]
    found = zxingcpp.read_barcodes(pages[0])
    assert [(r.format, r.text) for r in found] == [
        (zxingcpp.BarcodeFormat.QRCode, "20261123-A-042")
    ]
    assert isinstance(parse_escpos(data)[-1], Cut)


@pytest.mark.parametrize(
    "changes",
    [
        {"ticket_id": "a-1"},
        {"ticket_id": "X" * 25},
        {"ticket_id": "A\x1b"},
        {"code": "AB"},
        {"number": 0},
        {"number": 10_000},
        {"people_ahead": -1},
        {"estimate_minutes": -5},
        {"priority": "vip"},
        {"booking_slot": "10.00"},
        {"issued_at": datetime(2026, 11, 23, 14, 5)},
        {"reference": ""},
        {"reference": "R\x1bd\x00"},
        {"reference": "X" * 33},
    ],
)
def test_ticket_data_rejects_bad_values(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ticket(**changes)


def test_width_must_be_58_or_80() -> None:
    with pytest.raises(ValueError):
        compose_ticket(ticket(), 76)  # type: ignore[arg-type]


@pytest.mark.parametrize("width", [58, 80])
def test_raster_qr_for_printers_without_native_qr(
    width: int, capsys: pytest.CaptureFixture[str]
) -> None:
    data = compose_ticket(ticket(), width, native_qr=False)  # type: ignore[arg-type]
    assert b"\x1d(k" not in data and b"\x1dv0" in data
    assert len(data) > 8 * len(compose_ticket(ticket(), width))  # type: ignore[arg-type]
    (page,) = render_escpos(data, width)
    assert [r.text for r in zxingcpp.read_barcodes(page)] == ["20261123-A-042"]
    assert capsys.readouterr().out == ""  # python-escpos's image() warning is not triggered


@given(
    texts=st.lists(st.text(max_size=150), min_size=4, max_size=4),
    width=st.sampled_from([58, 80]),
    priority=st.sampled_from([None, "lansia", "ibu_hamil"]),
)
@settings(max_examples=150, deadline=None)
def test_any_text_keeps_the_ticket_structure(
    texts: list[str], width: int, priority: str | None
) -> None:
    office, agency, name_id, name_en = texts
    data = compose_ticket(  # type: ignore[arg-type]
        ticket(
            office=office,
            agency=agency,
            service_name_id=name_id,
            service_name_en=name_en,
            priority=priority,
        ),
        width,
    )
    assert len(data) <= MAX_TICKET_BYTES
    commands = parse_escpos(data)
    benign = parse_escpos(compose_ticket(ticket(priority=priority), width))  # type: ignore[arg-type]
    assert not [c for c in commands if isinstance(c, Skipped)]
    assert [c for c in commands if not isinstance(c, Text | LineFeed)] == [
        c for c in benign if not isinstance(c, Text | LineFeed)
    ]
