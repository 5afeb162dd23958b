"""Online bookings: slot capacity, the signed QR, the check-in window, replayed and forged QRs."""

from __future__ import annotations

import json
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fakes.office import JAKARTA, Server, issue

from kiosk.domain.signed import b64url_decode_strict, b64url_encode, sign_compact


def book(server: Server, slot: str = "11:00", day: str = "2026-11-23", service: str = "A"):  # type: ignore[no-untyped-def]
    with server.client("portal") as portal:
        return portal.post("/v1/bookings", json={"service": service, "date": day, "slot": slot})


def check_in(server: Server, qr: str, kiosk: str = "kiosk-1", key: str = "scan-000001"):  # type: ignore[no-untyped-def]
    with server.client(kiosk) as client:
        return client.post(
            "/v1/bookings/check-in", json={"qr": qr}, headers={"Idempotency-Key": key}
        )


def test_book_a_slot_until_it_is_full(any_server: Server) -> None:
    first = book(any_server)
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["service"], body["date"], body["slot"]) == ("A", "2026-11-23", "11:00")
    assert body["qr"].startswith("ADMB1.") and len(body["code"]) == 8
    assert body["checkin_opens"] == "2026-11-23T10:00:00+07:00"
    assert body["checkin_closes"] == "2026-11-23T11:15:00+07:00"
    payload = json.loads(b64url_decode_strict(body["qr"].split(".")[1]))
    assert payload == {
        "v": 1, "kid": "uji-1", "code": body["code"], "svc": "A", "day": "2026-11-23",
        "slot": "11:00",
    }  # fmt: skip
    assert book(any_server).status_code == 201
    full = book(any_server)
    assert (full.status_code, full.json()["error"]["code"]) == (409, "booking_full")
    assert book(any_server, "11:30").status_code == 201  # the next slot has room


def test_slots_that_cannot_be_booked(server: Server) -> None:
    cases = {
        ("09:30", "2026-11-23", "A"): "booking_no_such_slot",  # already begun (now 10:00)
        ("11:10", "2026-11-23", "A"): "booking_no_such_slot",  # not a slot start
        ("11:00", "2026-11-28", "A"): "booking_no_such_slot",  # Saturday: closed
        ("11:00", "2026-12-30", "A"): "booking_no_such_slot",  # beyond 14 days ahead
        ("11:00", "2026-11-24", "B"): "booking_not_offered",
    }
    for (slot, day, service), expected in cases.items():
        answer = book(server, slot, day, service)
        assert (answer.status_code, answer.json()["error"]["code"]) == (409, expected), answer.text
    unknown = book(server, "11:00", "2026-11-24", "Z")
    assert unknown.json()["error"]["code"] == "queue_unknown_service"
    with server.client("tv-1") as display:
        refused = display.post(
            "/v1/bookings", json={"service": "A", "date": "2026-11-24", "slot": "11:00"}
        )
    assert refused.status_code == 403


def test_check_in_window_and_the_call_before_walk_ins(any_server: Server) -> None:
    qr = book(any_server, "11:30").json()["qr"]
    early = check_in(any_server, qr)  # 10:00: the window opens at 10:30
    assert (early.status_code, early.json()["error"]["code"]) == (410, "booking_too_early")
    assert early.json()["error"]["window_opens"] == "2026-11-23T10:30:00+07:00"
    any_server.clock.now = datetime(2026, 11, 23, 11, 10, tzinfo=JAKARTA)
    with any_server.client("kiosk-1") as kiosk:
        walk_in = issue(kiosk, "A").json()
    ticket = check_in(any_server, qr)
    assert ticket.status_code == 201, ticket.text
    body = ticket.json()
    assert (body["arrival"], body["minutes_from_slot"]) == ("early", -20)
    assert body["called_from"] == "2026-11-23T11:30:00+07:00" and body["booking_code"]
    assert body["number"] == "A-002" and body["status"] == "waiting"
    with any_server.client("loket-1") as counter:
        before_slot = counter.post("/v1/counters/loket-1/call-next").json()
        assert before_slot["id"] == walk_in["id"]  # not called before its slot
        counter.post(f"/v1/tickets/{before_slot['id']}/done")
        with any_server.client("kiosk-1") as kiosk:
            later_walk_in = issue(kiosk, "A").json()
        any_server.clock.now = datetime(2026, 11, 23, 11, 30, tzinfo=JAKARTA)
        at_slot = counter.post("/v1/counters/loket-1/call-next").json()
        assert at_slot["id"] == body["id"]  # its slot began: before the walk-in
        counter.post(f"/v1/tickets/{at_slot['id']}/done")
        assert counter.post("/v1/counters/loket-1/call-next").json()["id"] == later_walk_in["id"]


def test_replayed_forged_and_late_qrs(any_server: Server) -> None:
    qr = book(any_server, "10:30").json()["qr"]
    first = check_in(any_server, qr, key="scan-aaaa-01")
    assert first.status_code == 201 and first.json()["arrival"] == "early"
    retry = check_in(any_server, qr, key="scan-aaaa-01")  # the same kiosk, answer lost
    assert retry.status_code == 201 and retry.json()["id"] == first.json()["id"]
    replay = check_in(any_server, qr, kiosk="kiosk-2", key="scan-bbbb-01")
    assert (replay.status_code, replay.json()["error"]["code"]) == (409, "booking_used")
    _, body, signature = qr.split(".")
    tampered_body = json.loads(b64url_decode_strict(body)) | {"slot": "14:00"}
    tampered = f"ADMB1.{b64url_encode(json.dumps(tampered_body).encode())}.{signature}"
    other_key = sign_compact("ADMB1", b64url_decode_strict(body), Ed25519PrivateKey.generate())
    for forged in (tampered, other_key, "ADMB1.x.y", "ADM1." + qr[6:], "A" * 400):
        answer = check_in(any_server, forged, kiosk="kiosk-2", key="scan-cccc-01")
        assert (answer.status_code, answer.json()["error"]["code"]) == (400, "booking_invalid_qr")
    late_qr = book(any_server, "12:00").json()["qr"]
    any_server.clock.now = datetime(2026, 11, 23, 12, 16, tzinfo=JAKARTA)
    late = check_in(any_server, late_qr)
    assert (late.status_code, late.json()["error"]["code"]) == (410, "booking_too_late")
    assert late.json()["error"]["window_closes"] == "2026-11-23T12:15:00+07:00"
    day = any_server.clock.now.date()
    assert any_server.store.issued_count("A", day) == 1  # only the first check-in took a number


def test_a_qr_signed_by_this_office_for_no_booking_is_unknown(server: Server) -> None:
    office = server.running.office
    from dataclasses import replace

    booked = book(server).json()
    stored = office.store.booking(booked["code"])
    assert stored is not None
    stray = office.bookings.qr(replace(stored, code="ZZZZ2345"))
    answer = check_in(server, stray)
    assert (answer.status_code, answer.json()["error"]["code"]) == (404, "booking_unknown")
