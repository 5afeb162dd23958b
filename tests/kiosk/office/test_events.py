"""Server-sent events: a display hears a call within a second, and catches up on reconnect."""

from __future__ import annotations

import time

from fakes.office import CLIENTS, EventReader, Server, issue


def test_a_call_reaches_the_display_within_a_second(any_server: Server) -> None:
    display = EventReader(any_server.url, "tv-1", CLIENTS["tv-1"][1])
    try:
        assert display.status == 200
        first_counts, _ = display.next("counts")
        assert first_counts == {"day": "2026-11-23", "waiting": {}}
        with any_server.client("kiosk-1") as kiosk, any_server.client("loket-1") as counter:
            ticket = issue(kiosk, "A").json()
            counts, _ = display.next("counts")
            assert counts["waiting"] == {"A": 1}
            sent = time.monotonic()
            assert counter.post("/v1/counters/loket-1/call-next").status_code == 200
            call, arrived = display.next("call")
            assert arrived - sent < 1.0, f"the call took {arrived - sent:.3f} s"
            assert (call["number"], call["counter_number"], call["recall"]) == ("A-001", 1, False)
            assert call["ticket"] == ticket["id"] and call["service_name_id"] == "Perekaman KTP-el"
            counter.post("/v1/counters/loket-1/recall")
            recall, _ = display.next("call")
            assert recall["recall"] is True
    finally:
        display.close()


def test_a_new_stream_replays_the_latest_calls(server: Server) -> None:
    with server.client("kiosk-1") as kiosk, server.client("loket-1") as counter:
        for _ in range(7):
            issue(kiosk, "B")
        for _ in range(6):
            called = counter.post("/v1/counters/loket-1/call-next").json()
            counter.post(f"/v1/tickets/{called['id']}/done")
            server.clock.advance(seconds=20)
    display = EventReader(server.url, "tv-1", CLIENTS["tv-1"][1])
    try:
        replayed = [display.next("call")[0] for _ in range(5)]
        assert [c["number"] for c in replayed] == ["B-002", "B-003", "B-004", "B-005", "B-006"]
        assert all(c["replay"] for c in replayed)
        assert display.next("counts")[0]["waiting"] == {"B": 1}
    finally:
        display.close()


def test_alerts_reach_counter_pages(server: Server) -> None:
    page = EventReader(server.url, "loket-1", CLIENTS["loket-1"][1])
    try:
        with server.client("kiosk-1") as kiosk, server.client("loket-1") as counter:
            raised = kiosk.post(
                "/v1/alerts", json={"kind": "help", "kiosk": "kiosk-1", "screen": "pin"}
            )
            assert raised.status_code == 201
            alert, _ = page.next("alert")
            assert (alert["kiosk"], alert["screen"], alert["acknowledged_at"]) == (
                "kiosk-1",
                "pin",
                None,
            )
            listed = counter.get("/v1/alerts").json()
            assert [a["id"] for a in listed] == [raised.json()["id"]]
            acked = counter.post(f"/v1/alerts/{alert['id']}/ack").json()
            assert acked["acknowledged_by"] == "loket-1"
            assert counter.get("/v1/alerts").json() == []
            assert len(counter.get("/v1/alerts", params={"open": "false"}).json()) == 1
            other = kiosk.post(
                "/v1/alerts", json={"kind": "help", "kiosk": "kiosk-2", "screen": "pin"}
            )
            assert other.status_code == 403  # a kiosk speaks for itself only
    finally:
        page.close()


def test_event_stream_key_in_the_query_for_browsers(server: Server) -> None:
    with server.client() as browser:
        key = CLIENTS["tv-1"][1]
        with browser.stream("GET", "/v1/events", params={"client": "tv-1", "key": key}) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
        wrong = browser.get("/v1/events", params={"client": "tv-1", "key": "nope"})
        assert wrong.status_code == 401
        elsewhere = browser.get("/v1/services", params={"client": "tv-1", "key": key})
        assert elsewhere.status_code == 401  # only the event stream takes the key this way
