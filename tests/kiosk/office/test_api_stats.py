"""The day's figures per service and counter (JSON and CSV) and IKM feedback."""

from __future__ import annotations

import csv
import io

from fakes.office import Server, issue


def test_figures_per_service_and_counter(any_server: Server) -> None:
    clock = any_server.clock
    with (
        any_server.client("kiosk-1") as kiosk,
        any_server.client("loket-1") as one,
        any_server.client("loket-4") as samsat,
        any_server.client("kepala") as head,
    ):
        tickets = [issue(kiosk, "A").json() for _ in range(4)] + [issue(kiosk, "S").json()]
        for minutes in (4, 6):  # A-001 waits 4 min, serves 10; A-002 waits 20, serves 6
            clock.advance(minutes=minutes)
            called = one.post("/v1/counters/loket-1/call-next").json()
            one.post(f"/v1/tickets/{called['id']}/start")
            clock.advance(minutes=10 if minutes == 4 else 6)
            one.post(f"/v1/tickets/{called['id']}/done")
        no_show = one.post("/v1/counters/loket-1/call-next").json()
        one.post(f"/v1/tickets/{no_show['id']}/no-show")
        called = samsat.post("/v1/counters/loket-4/call-next").json()
        samsat.post(f"/v1/tickets/{called['id']}/done")
        for ticket, score in ((tickets[0], 4), (tickets[1], 3), (tickets[4], 2)):
            answer = kiosk.post(
                "/v1/feedback", json={"ticket": ticket["id"], "service": ticket["service"],
                                      "score": score, "reasons": ["ramah"]},
            )  # fmt: skip
            assert answer.status_code == 201
        repeat = kiosk.post(
            "/v1/feedback", json={"ticket": tickets[0]["id"], "service": "A", "score": 1}
        )
        assert repeat.status_code == 200 and repeat.json()["score"] == 4  # the first answer counts
        by_txid = kiosk.post(
            "/v1/feedback", json={"txid": "tx-print-1", "service": "B", "score": 4}
        )
        assert by_txid.status_code == 201
        report = head.get("/v1/stats").json()
        csv_text = head.get("/v1/stats.csv", params={"day": "2026-11-23"})
        empty = head.get("/v1/stats", params={"day": "2026-11-22"}).json()
    services = {s["id"]: s for s in report["services"]}
    a = services["A"]
    assert (a["issued"], a["served"], a["no_show"], a["waiting"], a["called"]) == (4, 2, 1, 1, 3)
    assert (a["wait_median_min"], a["wait_p90_min"]) == (20.0, 26.0)  # waits 4, 20, 26
    assert (a["service_median_min"], a["service_p90_min"]) == (8.0, 10.0)
    assert (a["ikm"], a["ikm_responses"]) == (87.5, 2)  # (4 + 3) / 2 * 25
    assert services["S"]["ikm"] == 50.0 and services["B"]["ikm"] == 100.0
    counters = {c["id"]: c for c in report["counters"]}
    assert (counters["loket-1"]["served"], counters["loket-1"]["no_show"]) == (2, 1)
    assert counters["loket-1"]["ikm_responses"] == 2 and counters["loket-4"]["served"] == 1
    assert report["total"]["issued"] == 5 and report["office"] == "MPP Uji"
    assert csv_text.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_text.text)))
    assert [(r["scope"], r["id"]) for r in rows][:2] == [("service", "A"), ("service", "B")]
    assert rows[0]["wait_median_min"] == "20.0" and rows[1]["wait_median_min"] == ""
    assert empty["total"]["issued"] == 0 and empty["total"]["ikm"] is None


def test_kiosk_sessions_are_rated_as_adm_once_per_txid(any_server: Server) -> None:
    """Answers about a kiosk's own session (print, check) name its txid under service ADM: a
    row of their own after the catalogue's services, counted once however often they are sent."""
    body = {"txid": "0f3a21c09b2d4e5f", "service": "ADM", "score": 3, "reasons": ["easy"]}
    with any_server.client("kiosk-1") as kiosk, any_server.client("kepala") as head:
        first = kiosk.post("/v1/feedback", json=body)
        again = kiosk.post("/v1/feedback", json={**body, "score": 1, "reasons": []})
        other = kiosk.post("/v1/feedback", json={**body, "txid": "77aa", "score": 4})
        report = head.get("/v1/stats").json()
        csv_text = head.get("/v1/stats.csv").text
        before = head.get("/v1/stats", params={"day": "2026-11-22"}).json()
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json() == first.json() == {"id": first.json()["id"], "service": "ADM", "score": 3}
    adm = report["services"][-1]
    assert (adm["id"], adm["agency"], adm["issued"]) == ("ADM", "Dukcapil", 0)
    assert (adm["ikm"], adm["ikm_responses"]) == (87.5, 2)  # (3 + 4) / 2 * 25
    assert (report["total"]["ikm"], report["total"]["ikm_responses"]) == (87.5, 2)
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [r["id"] for r in rows if r["scope"] == "service"][-1] == "ADM"
    assert "ADM" not in [s["id"] for s in before["services"]]  # only on days that have answers
