"""Issuing and the catalogue over HTTP: the contract's fields, Idempotency-Key, the refusals."""

from __future__ import annotations

from datetime import datetime

from fakes.office import JAKARTA, Server, issue

DESIGN_PATHS = {
    ("get", "/v1/health"),
    ("get", "/v1/services"),
    ("post", "/v1/tickets"),
    ("get", "/v1/tickets/{ticket_id}"),
    ("get", "/v1/counters"),
    ("post", "/v1/counters/{counter}/session"),
    ("post", "/v1/counters/{counter}/call-next"),
    ("post", "/v1/counters/{counter}/recall"),
    ("post", "/v1/tickets/{ticket_id}/start"),
    ("post", "/v1/tickets/{ticket_id}/done"),
    ("post", "/v1/tickets/{ticket_id}/no-show"),
    ("post", "/v1/tickets/{ticket_id}/transfer"),
    ("get", "/v1/events"),
    ("post", "/v1/bookings"),
    ("post", "/v1/bookings/check-in"),
    ("post", "/v1/feedback"),
    ("post", "/v1/alerts"),
    ("get", "/v1/stats"),
    ("get", "/v1/stats.csv"),
}


def test_health_and_openapi_hold_the_contract(server: Server) -> None:
    with server.client() as anyone:
        answer = anyone.get("/v1/health")
        assert answer.headers["server-timing"].startswith("app;dur=")
        health = answer.json()
        assert health["status"] == "ok" and health["day"] == "2026-11-23"
        assert health["server_time"] == "2026-11-23T10:00:00+07:00"
        spec = anyone.get("/openapi.json").json()
    served = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert served >= DESIGN_PATHS


def test_issue_answers_the_contract_fields(any_server: Server) -> None:
    with any_server.client("kiosk-1") as kiosk:
        first = issue(kiosk, "A", priority="lansia")
        second = issue(kiosk, "A")
    assert first.status_code == 201, first.text
    body = first.json()
    for field in ("id", "number", "service", "agency", "priority", "issued_at", "day", "ahead",
                  "estimated_wait_min", "status"):  # fmt: skip
        assert field in body
    assert body["id"] == "20261123-A-001" and body["number"] == "A-001"
    assert (body["agency"], body["priority"], body["status"]) == ("Dukcapil", "lansia", "waiting")
    assert datetime.fromisoformat(body["issued_at"]) == any_server.clock.now
    assert body["issued_at"].endswith("+07:00") and body["day"] == "2026-11-23"
    assert body["estimated_wait_min"] is None  # nothing served yet today: not known
    assert second.json()["number"] == "A-002" and second.json()["ahead"] == 1


def test_the_same_key_gives_the_same_ticket(any_server: Server) -> None:
    with any_server.client("kiosk-1") as kiosk, any_server.client("kiosk-2") as other:
        first = issue(kiosk, "B", key="touch-aaaa-0001")
        again = issue(kiosk, "B", key="touch-aaaa-0001")
        theirs = issue(other, "B", key="touch-aaaa-0001")  # keys belong to one client
        conflict = issue(kiosk, "A", key="touch-aaaa-0001")
        any_server.clock.advance(hours=8)  # closed now; a late retry still gets its ticket
        late = issue(kiosk, "B", key="touch-aaaa-0001")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert theirs.json()["number"] == "B-002"
    assert (
        conflict.status_code == 409 and conflict.json()["error"]["code"] == "idempotency_conflict"
    )
    assert late.status_code == 201 and late.json()["id"] == first.json()["id"]
    assert any_server.store.issued_count("A", any_server.clock.now.date()) == 0


def test_refusals_consume_nothing(server: Server) -> None:
    with server.client("kiosk-1") as kiosk:
        unknown = issue(kiosk, "Z")
        no_priority = issue(kiosk, "E", priority="ibu_hamil")
        numbers = [issue(kiosk, "A").json()["number"] for _ in range(6)]
        quota = issue(kiosk, "A")
        server.clock.now = datetime(2026, 11, 23, 14, 30, tzinfo=JAKARTA)  # Samsat closes 14:00
        closed = issue(kiosk, "S")
        no_key = kiosk.post("/v1/tickets", json={"service": "B"})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "queue_unknown_service")
    assert no_priority.json()["error"]["code"] == "queue_priority_not_allowed"
    assert numbers[-1] == "A-006"
    assert (quota.status_code, quota.json()["error"]["code"]) == (409, "queue_quota")
    assert (closed.status_code, closed.json()["error"]["code"]) == (409, "queue_closed")
    assert no_key.status_code == 422 and no_key.json()["error"]["code"] == "invalid_request"
    day = server.clock.now.date()
    counts = {code: server.store.issued_count(code, day) for code in "ABESZ"}
    assert counts == {"A": 6, "B": 0, "E": 0, "S": 0, "Z": 0}


def test_services_catalogue_with_waiting_and_estimates(server: Server) -> None:
    with server.client("kiosk-1") as kiosk:
        for _ in range(3):
            issue(kiosk, "A")
        services = {s["code"]: s for s in kiosk.get("/v1/services").json()}
    a = services["A"]
    assert (a["agency"], a["prefix"], a["fee"], a["sla_minutes"]) == ("Dukcapil", "A", 0, 15)
    assert a["requirements"] == ["Fotokopi KK"] and a["quota"] == 6
    assert a["hours"] == {"opens": "08:00", "closes": "15:00", "days": [1, 2, 3, 4, 5]}
    assert (a["waiting"], a["estimate"], a["open"]) == (3, None, True)
    assert services["S"]["agency"] == "Samsat" and services["S"]["waiting"] == 0
    assert services["E"]["priority_allowed"] is False


def test_estimate_goes_down_as_counters_serve(server: Server) -> None:
    with server.client("kiosk-1") as kiosk, server.client("loket-1") as counter:
        tickets = [issue(kiosk, "B").json() for _ in range(8)]
        for _ in range(4):  # four served, 5 minutes apart: 3 intervals of 5 minutes
            server.clock.advance(minutes=5)
            called = counter.post("/v1/counters/loket-1/call-next").json()
            counter.post(f"/v1/tickets/{called['id']}/done")
        last = kiosk.get(f"/v1/tickets/{tickets[-1]['id']}").json()
        service = {s["code"]: s for s in kiosk.get("/v1/services").json()}["B"]
    assert (last["ahead"], last["estimated_wait_min"]) == (3, 15)
    assert (service["waiting"], service["estimate"]) == (4, 20)
