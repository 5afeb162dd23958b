"""Hostile input: every refusal is a clear error in the contract's shape, and nothing is lost or
half-written (the day's tickets are exactly the ones answered 201)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fakes.office import Server, issue


def shape(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return response.status_code, body["error"]["code"]


def chunks(total: int) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b" " * 4096
        sent += 4096


def test_bodies_that_are_refused_before_anything_happens(server: Server) -> None:
    post = {"Idempotency-Key": "hostile-0001", "Content-Type": "application/json"}
    with server.client("kiosk-1") as kiosk:
        big = kiosk.post(
            "/v1/tickets", content=b'{"service": "A"' + b" " * 20_000 + b"}", headers=post
        )
        chunked = kiosk.post("/v1/tickets", content=chunks(40_000), headers=post)
        cases = {
            b"{": "invalid_request",
            b"[]": "invalid_request",
            b'{"service": "A", "extra": 1}': "invalid_request",
            b'{"service": "AB"}': "invalid_request",
            b'{"service": 7}': "invalid_request",
            b'{"service": "A", "priority": "vip"}': "invalid_request",
            b'{"service": "A", "source": "<script>"}': "invalid_request",
            '{"service": "\u00c5"}'.encode(): "invalid_request",
            b"\xff\xfe": "invalid_request",
        }
        answers = {raw: kiosk.post("/v1/tickets", content=raw, headers=post) for raw in cases}
        bad_key = kiosk.post("/v1/tickets", json={"service": "A"}, headers={"Idempotency-Key": "x"})
        bad_id = kiosk.get("/v1/tickets/../../etc/passwd")
        bad_ticket = kiosk.get("/v1/tickets/20261123-A-001'--")
        unknown_path = kiosk.get("/v1/nothing")
        wrong_method = kiosk.delete("/v1/tickets")
    assert shape(big) == (413, "too_large")
    assert shape(chunked)[0] == 413
    for raw, code in cases.items():
        assert shape(answers[raw]) == (422, code), raw
    assert shape(bad_key) == (422, "invalid_request")
    assert shape(bad_id)[0] in (404, 422)
    assert shape(bad_ticket) == (422, "invalid_request")
    assert shape(unknown_path) == (404, "not_found")
    assert shape(wrong_method) == (405, "method_not_allowed")
    assert server.store.tickets_of_day(server.clock.now.date()) == []


def test_hostile_counter_and_booking_inputs(server: Server) -> None:
    with server.client("loket-1") as counter, server.client("kiosk-1") as kiosk:
        assert shape(counter.post("/v1/counters/loket-9/call-next"))[0] == 403
        assert shape(counter.post("/v1/counters/LOKET 1/call-next")) == (422, "invalid_request")
        assert shape(counter.post("/v1/tickets/20261123-A-001/done")) == (
            404,
            "queue_unknown_ticket",
        )
        transfer = counter.post("/v1/tickets/20261123-A-001/transfer", json={"service": "Q"})
        assert shape(transfer) == (404, "queue_unknown_service")
        sign_in = counter.post("/v1/counters/loket-1/session", json={"pin": "1" * 40})
        assert shape(sign_in) == (422, "invalid_request")
        assert "1111" not in sign_in.text  # a PIN is never echoed
        assert shape(counter.post("/v1/counters/nobody/session", json={"pin": "123456"}))[0] == 404
        qr = kiosk.post("/v1/bookings/check-in", json={"qr": "x" * 5000})
        assert shape(qr) == (422, "invalid_request")
        booking = kiosk.post(
            "/v1/bookings", json={"service": "A", "date": "2026-02-30", "slot": "11:00"}
        )
        assert shape(booking) == (422, "invalid_request")
        feedback = kiosk.post("/v1/feedback", json={"service": "A", "score": 5, "ticket": None})
        assert shape(feedback) == (422, "invalid_request")
        nothing = kiosk.post("/v1/feedback", json={"service": "A", "score": 3})
        assert shape(nothing) == (422, "invalid_request")
        ghost = kiosk.post(
            "/v1/feedback", json={"service": "A", "score": 3, "ticket": "20261123-A-404"}
        )
        assert shape(ghost) == (404, "queue_unknown_ticket")
        adm_ticket = kiosk.post(  # ADM rates a kiosk session by its txid, never a ticket
            "/v1/feedback", json={"service": "ADM", "score": 3, "ticket": "20261123-A-001"}
        )
        assert shape(adm_ticket) == (422, "invalid_request")
        not_a_service = kiosk.post(
            "/v1/feedback", json={"service": "ADMX", "score": 3, "txid": "t"}
        )
        assert shape(not_a_service) == (422, "invalid_request")
        alert = kiosk.post("/v1/alerts", json={"kind": "help\n", "kiosk": "kiosk-1", "screen": "x"})
        assert shape(alert) == (422, "invalid_request")
        stats = counter.get("/v1/stats", params={"day": "2026-13-45"})
        assert shape(stats) == (422, "invalid_request")
    day = server.clock.now.date()
    assert server.store.tickets_of_day(day) == [] and server.store.feedback_of_day(day) == []
    assert server.store.alerts(day, open_only=False) == []


@pytest.mark.parametrize("bad", ["unknown", "closed", "quota", "role"])
def test_refusals_leave_the_numbers_continuous(server: Server, bad: str) -> None:
    """Between good issues, a refusal of each kind: the numbers stay 1..N."""
    with server.client("kiosk-1") as kiosk, server.client("tv-1") as display:
        numbers = []
        for n in range(5):
            numbers.append(issue(kiosk, "S").json()["number"])
            if bad == "unknown":
                assert issue(kiosk, "Q").status_code == 404
            elif bad == "role":
                assert issue(display, "S").status_code == 403
            elif bad == "quota":
                for _ in range(7):
                    issue(kiosk, "A")
                assert issue(kiosk, "A").json()["error"]["code"] == "queue_quota"
            elif n == 2:
                server.clock.advance(hours=4)  # Samsat closes at 14:00
                assert issue(kiosk, "S").json()["error"]["code"] == "queue_closed"
                server.clock.advance(hours=-4)
    assert numbers == [f"S-{n:03d}" for n in range(1, 6)]
    tickets = server.store.tickets_of_day(server.clock.now.date())
    assert sorted(t.number for t in tickets if t.service == "S") == [1, 2, 3, 4, 5]
