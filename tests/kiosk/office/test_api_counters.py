"""Counters over HTTP: roles, the call, recall, lifecycle, transfer, staff sign-in and lockout."""

from __future__ import annotations

from fakes.office import PIN, Server, issue


def code(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return response.status_code, response.json()["error"]["code"]


def test_a_counter_calls_serves_and_transfers(any_server: Server) -> None:
    with any_server.client("kiosk-1") as kiosk, any_server.client("loket-1") as counter:
        assert counter.post("/v1/counters/loket-1/call-next").status_code == 204
        first = issue(kiosk, "A").json()
        second = issue(kiosk, "A").json()
        called = counter.post("/v1/counters/loket-1/call-next")
        assert called.status_code == 200 and called.json()["id"] == first["id"]
        assert (called.json()["status"], called.json()["counter_number"]) == ("called", 1)
        assert code(counter.post("/v1/counters/loket-1/call-next")) == (409, "counter_busy")
        any_server.clock.advance(seconds=30)
        recalled = counter.post("/v1/counters/loket-1/recall").json()
        assert recalled["recalls"] == 1 and recalled["called_at"].startswith("2026-11-23T10:00:30")
        assert counter.post(f"/v1/tickets/{first['id']}/start").json()["status"] == "serving"
        assert counter.post(f"/v1/tickets/{first['id']}/start").status_code == 200  # idempotent
        assert code(counter.post(f"/v1/tickets/{first['id']}/no-show")) == (409, "wrong_state")
        assert counter.post(f"/v1/tickets/{first['id']}/done").json()["status"] == "served"
        now_second = counter.post("/v1/counters/loket-1/call-next").json()
        assert now_second["id"] == second["id"]
        moved = counter.post(f"/v1/tickets/{second['id']}/transfer", json={"service": "B"})
        assert moved.status_code == 200
        assert (moved.json()["number"], moved.json()["service"]) == ("A-002", "B")
        assert moved.json()["issued_at"] == second["issued_at"]
        old = kiosk.get(f"/v1/tickets/{second['id']}").json()
        assert (old["status"], old["transferred_to"]) == ("transferred", moved.json()["id"])
        counters = {c["id"]: c for c in kiosk.get("/v1/counters").json()}
        assert counters["loket-1"]["current"] is None and counters["loket-4"]["services"] == ["S"]
        again = counter.post("/v1/counters/loket-1/call-next").json()
        assert again["id"] == moved.json()["id"]
        assert counter.post(f"/v1/tickets/{again['id']}/no-show").json()["status"] == "no_show"


def test_roles_are_enforced(server: Server) -> None:
    with (
        server.client("kiosk-1") as kiosk,
        server.client("tv-1") as display,
        server.client("loket-1") as dukcapil,
        server.client("loket-2") as other,
        server.client("portal") as portal,
    ):
        ticket = issue(kiosk, "S").json()
        issue(kiosk, "A")
        assert code(display.post("/v1/counters/loket-1/call-next")) == (403, "forbidden")
        assert code(issue(display, "A")) == (403, "forbidden")
        assert code(kiosk.post("/v1/counters/loket-1/call-next")) == (403, "forbidden")
        assert code(portal.post("/v1/counters/loket-1/recall")) == (403, "forbidden")
        # a Dukcapil counter cannot call Samsat's line, nor act for another counter
        samsat = dukcapil.post("/v1/counters/loket-1/call-next", json={"service": "S"})
        assert code(samsat) == (403, "not_your_service")
        assert code(dukcapil.post("/v1/counters/loket-2/call-next")) == (403, "forbidden")
        assert code(dukcapil.post(f"/v1/tickets/{ticket['id']}/start")) == (403, "not_your_ticket")
        called = dukcapil.post("/v1/counters/loket-1/call-next").json()
        assert code(other.post(f"/v1/tickets/{called['id']}/done")) == (403, "not_your_ticket")
        assert code(kiosk.get("/v1/stats")) == (403, "forbidden")
        assert code(kiosk.get("/v1/events")) == (403, "forbidden")
    assert server.store.get(ticket["id"]).waiting  # type: ignore[union-attr]
    with server.client(**{"X-Client-Id": "kiosk-1", "Authorization": "Bearer wrong"}) as wrong:
        assert code(wrong.get("/v1/services")) == (401, "unauthorized")
    with server.client(**{"X-Client-Id": "nobody", "Authorization": "Bearer kiosk-one-key"}) as x:
        assert code(x.get("/v1/services")) == (401, "unauthorized")
    with server.client() as anonymous:
        assert code(anonymous.post("/v1/counters/loket-1/call-next")) == (401, "unauthorized")


def test_staff_sign_in_with_pin_and_lockout(server: Server) -> None:
    with server.client() as page:
        attempts = [
            page.post("/v1/counters/loket-1/session", json={"pin": "000000"}) for _ in range(4)
        ]
        assert [a.json()["error"]["attempts_left"] for a in attempts] == [4, 3, 2, 1]
        assert code(attempts[0]) == (403, "wrong_pin")
        last = page.post("/v1/counters/loket-1/session", json={"pin": "000001"})
        assert code(last) == (423, "locked") and last.headers["Retry-After"] == "900"
        locked = page.post("/v1/counters/loket-1/session", json={"pin": PIN})
        assert code(locked) == (423, "locked")  # even the right PIN, while locked
        server.clock.advance(seconds=901)
        signed = page.post("/v1/counters/loket-1/session", json={"pin": PIN})
        assert signed.status_code == 200, signed.text
        token = signed.json()["token"]
        no_pin = page.post("/v1/counters/loket-2/session", json={"pin": PIN})
        assert code(no_pin) == (404, "unknown_counter")
    staff = {"X-Client-Id": "loket-1", "Authorization": f"Bearer {token}"}
    with server.client(**staff) as counter:
        assert counter.post("/v1/counters/loket-1/call-next").status_code == 204
        server.clock.advance(hours=13)  # the session lasts 12 hours
        assert code(counter.post("/v1/counters/loket-1/call-next")) == (401, "unauthorized")
    stolen = {"X-Client-Id": "loket-2", "Authorization": f"Bearer {token}"}
    with server.client(**stolen) as other:
        assert code(other.post("/v1/counters/loket-2/call-next")) == (401, "unauthorized")


def test_lockout_survives_a_restart(start_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.queue.sqlite_store import SqliteTicketStore

    first = start_server(SqliteTicketStore(tmp_path / "shared.sqlite"))
    with first.client() as page:
        for _ in range(5):
            page.post("/v1/counters/loket-1/session", json={"pin": "999999"})
    second = start_server(SqliteTicketStore(tmp_path / "shared.sqlite"))
    with second.client() as page:
        assert code(page.post("/v1/counters/loket-1/session", json={"pin": PIN})) == (423, "locked")


def test_priority_rule_over_http(server: Server) -> None:
    with server.client("kiosk-1") as kiosk, server.client("loket-2") as counter:
        for n in range(4):
            issue(kiosk, "B")
            if n < 2:
                issue(kiosk, "B", priority="disabilitas")
        calls = []
        while (called := counter.post("/v1/counters/loket-2/call-next")).status_code == 200:
            calls.append(called.json()["number"] + ("P" if called.json()["priority"] else ""))
            counter.post(f"/v1/tickets/{called.json()['id']}/done")
    # priority_every_n = 2: the first priority ticket first, then two regular ones, ...
    assert calls == ["B-002P", "B-001", "B-003", "B-004P", "B-005", "B-006"]
