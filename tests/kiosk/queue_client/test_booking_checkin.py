"""A booking QR at the kiosk: checked in at the real queue server, the ticket printed here, and
the early / on-time / late rules and every refusal with its times in plain words."""

from __future__ import annotations

import pytest
from fakes.office import Server
from fakes.queue_kiosk import DeskFactory

from kiosk.domain.signed import sign_compact
from kiosk.engine.session_flows import QueueDeskError


def book(server: Server, slot: str, day: str = "2026-11-23", service: str = "A") -> str:
    with server.client("portal") as portal:
        answer = portal.post("/v1/bookings", json={"service": service, "date": day, "slot": slot})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["qr"])


@pytest.mark.parametrize(
    ("minutes_after_ten", "arrival", "late_by"),
    [(0, "early", 0), (32, "on_time", 2), (40, "late", 10)],
)
def test_a_booking_checks_in_and_prints_with_its_arrival_in_words(
    make_desk: DeskFactory, server: Server, minutes_after_ten: int, arrival: str, late_by: int
) -> None:
    qr = book(server, "10:30")
    server.clock.advance(minutes=minutes_after_ten)
    kiosk = make_desk()
    issued = kiosk.desk.check_in(qr, True)
    assert issued.printed and issued.ticket.number == "A-001"
    assert issued.booking is not None
    assert (issued.booking.outcome, issued.booking.slot, issued.booking.minutes) == (
        arrival,
        "10:30",
        late_by,
    )
    assert "A-001" in kiosk.printer.lines()
    assert "Booking pukul 10:30 / Booked for 10:30" in kiosk.printer.lines()


def test_too_early_and_too_late_say_when(make_desk: DeskFactory, server: Server) -> None:
    kiosk = make_desk()
    with pytest.raises(QueueDeskError) as early:
        kiosk.desk.check_in(book(server, "14:00"), True)
    assert early.value.code == "booking_too_early"
    assert early.value.booking is not None
    assert (early.value.booking.slot, early.value.booking.opens) == ("14:00", "13:00")
    late_qr = book(server, "10:30")
    server.clock.advance(minutes=50)  # 10:50: check-in closed at 10:45
    with pytest.raises(QueueDeskError) as late:
        kiosk.desk.check_in(late_qr, True)
    assert late.value.code == "booking_too_late"
    assert late.value.booking is not None and late.value.booking.closes == "10:45"
    assert kiosk.printer.jobs == []


def test_another_days_booking_names_the_date(make_desk: DeskFactory, server: Server) -> None:
    with pytest.raises(QueueDeskError) as early:
        make_desk().desk.check_in(book(server, "09:00", day="2026-11-24"), True)
    assert early.value.booking is not None and early.value.booking.opens == "24-11-2026 08:00"


def test_a_booking_gives_one_ticket(make_desk: DeskFactory, server: Server) -> None:
    qr = book(server, "10:30")
    make_desk("kiosk-1").desk.check_in(qr, True)
    other = make_desk("kiosk-2")
    with pytest.raises(QueueDeskError) as used:
        other.desk.check_in(qr, True)
    assert used.value.code == "booking_used"
    assert other.printer.jobs == []


def test_a_forged_qr_is_refused_by_the_server_or_offline(
    make_desk: DeskFactory, server: Server
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    body = b'{"code":"ABCDEFGH","day":"2026-11-23","kid":"uji-1","slot":"10:30","svc":"A","v":1}'
    forged = sign_compact("ADMB1", body, Ed25519PrivateKey.generate())
    with pytest.raises(QueueDeskError) as by_server:
        make_desk().desk.check_in(forged, True)
    assert by_server.value.code == "booking_invalid_qr"
    trusted = server.running.office.bookings.trusted  # the kid and key the server logs at start
    offline = make_desk(booking_keys=trusted)
    with pytest.raises(QueueDeskError) as refused:
        offline.desk.check_in(forged, True)
    assert refused.value.code == "booking_invalid_qr" and "bad_signature" in refused.value.detail
    assert offline.desk.check_in(book(server, "10:30"), True).printed  # a real one passes
