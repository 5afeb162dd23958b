"""Staff calls and survey answers through the kiosk's queue client, against the REAL queue
server on 127.0.0.1:0 (the ``server`` fixture of this folder)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fakes.devices import wait_for
from fakes.office import CLIENTS, Server, issue, office_config
from fakes.office import Clock as ServerClock

from kiosk.feedback import FeedbackAnswer, FeedbackSender, FeedbackStore
from kiosk.feedback.office_delivery import OfficeFeedbackDelivery
from kiosk.feedback.ports import FeedbackRefused
from kiosk.office.server import build_office, start_in_thread
from kiosk.queue.sqlite_store import SqliteTicketStore
from kiosk.queue_client.client import QueueServer, QueueServerClient
from kiosk.staffcall import StaffCall, StaffCallKind, StaffCallUndelivered
from kiosk.staffcall.office_sink import OfficeAlertSink

MOMENT = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def client(server: Server, client_id: str = "kiosk-1", key: str | None = None) -> QueueServerClient:
    return QueueServerClient(QueueServer(server.url, client_id, key or CLIENTS[client_id][1], 4.0))


def dead_url() -> str:
    """A loopback address nobody listens on (the port was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def call(screen: str = "pin") -> StaffCall:
    return StaffCall("SC-7F3A21", StaffCallKind.HELP, "KIOSK-7", screen, MOMENT)


def test_a_staff_call_becomes_an_open_alert_on_the_counter_pages(server: Server) -> None:
    kiosk = client(server)
    try:
        OfficeAlertSink(kiosk).deliver(call("pin"))
    finally:
        kiosk.close()
    with server.client("loket-1") as counter:
        [alert] = counter.get("/v1/alerts").json()
    # the kiosk is named by its client id at the server: it raises alerts for itself only
    assert (alert["kind"], alert["kiosk"], alert["screen"]) == ("help", "kiosk-1", "pin")
    assert alert["acknowledged_at"] is None


def test_a_refused_staff_call_is_undelivered(server: Server) -> None:
    kiosk = client(server, key="not-the-kiosk-key")
    try:
        with pytest.raises(StaffCallUndelivered, match="queue server"):
            OfficeAlertSink(kiosk).deliver(call())
    finally:
        kiosk.close()
    with server.client("loket-1") as counter:
        assert counter.get("/v1/alerts").json() == []


def answer(score: int = 4, service: str = "ADM", **refs: str | None) -> FeedbackAnswer:
    refs = refs or {"txid": "0f3a21c09b2d4e5f8a7b6c5d4e3f2a1b"}
    reasons = ("fast",) if score >= 3 else ("slow",)
    return FeedbackAnswer(at=MOMENT, service=service, score=score, reasons=reasons, **refs)


def stats_row(server: Server, service: str) -> dict[str, object]:
    with server.client("kepala") as admin:
        figures = admin.get("/v1/stats").json()
    [row] = [r for r in figures["services"] if r["id"] == service]
    return row


def test_survey_answers_reach_the_office_report_once(server: Server) -> None:
    """A ticket session rated under its service, a kiosk session (print, check) as ADM with its
    txid; sent again (the acknowledgement lost), each is stored once."""
    with server.client("kiosk-1") as kiosk_http:
        ticket = issue(kiosk_http, "B").json()["id"]
    kiosk = client(server)
    delivery = OfficeFeedbackDelivery(kiosk)
    try:
        rated_ticket = answer(2, "B", ticket=ticket)
        assert delivery.deliver(rated_ticket) and delivery.deliver(rated_ticket)
        assert delivery.deliver(answer(4)) and delivery.deliver(answer(4))
    finally:
        kiosk.close()
    assert (stats_row(server, "B")["ikm"], stats_row(server, "B")["ikm_responses"]) == (50.0, 1)
    kiosk_row = stats_row(server, "ADM")
    assert (kiosk_row["ikm"], kiosk_row["ikm_responses"], kiosk_row["issued"]) == (100.0, 1, 0)
    assert len(server.store.feedback_of_day(server.clock().date())) == 2


def test_a_repeated_answer_gets_the_first_answer_back_with_200(server: Server) -> None:
    body = {"service": "ADM", "score": 3, "reasons": ["easy"], "txid": "R7F3A21C0"}
    with server.client("kiosk-1") as kiosk_http:
        first = kiosk_http.post("/v1/feedback", json=body)
        again = kiosk_http.post("/v1/feedback", json={**body, "score": 1, "reasons": []})
        with_ticket = kiosk_http.post(
            "/v1/feedback", json={**body, "txid": None, "ticket": "20261123-A-001"}
        )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json() == {"id": first.json()["id"], "service": "ADM", "score": 3}
    assert with_ticket.status_code == 422  # ADM rates a kiosk session (a txid), not a ticket


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (answer(4, "B", ticket="20261123-B-099"), "queue_unknown_ticket"),
        (answer(4, "Q"), "queue_unknown_service"),
    ],
)
def test_an_answer_the_office_refuses_is_refused_for_good(
    server: Server, bad: FeedbackAnswer, code: str
) -> None:
    kiosk = client(server)
    try:
        with pytest.raises(FeedbackRefused) as refused:
            OfficeFeedbackDelivery(kiosk).deliver(bad)
    finally:
        kiosk.close()
    assert refused.value.code == code


def test_a_kiosk_the_office_does_not_know_or_cannot_reach_sends_later(server: Server) -> None:
    wrong_key = client(server, key="not-the-kiosk-key")
    try:
        assert OfficeFeedbackDelivery(wrong_key).deliver(answer()) is False  # 401: keys fixed
    finally:
        wrong_key.close()
    down = QueueServerClient(QueueServer(dead_url(), "kiosk-1", CLIENTS["kiosk-1"][1], 1.0))
    try:
        assert OfficeFeedbackDelivery(down).deliver(answer()) is False
    finally:
        down.close()
    assert server.store.feedback_of_day(server.clock().date()) == []


def test_the_sender_delivers_once_the_office_server_is_back(tmp_path: Path) -> None:
    """Answers kept while the server is down go out, oldest first, when it comes back on the
    same address; one the office refuses is set aside and does not block the others."""
    url = dead_url()
    store = FeedbackStore(tmp_path / "feedback.sqlite", ZoneInfo("Asia/Jakarta"))
    kiosk = QueueServerClient(QueueServer(url, "kiosk-1", CLIENTS["kiosk-1"][1], 1.0))
    sender = FeedbackSender(store, OfficeFeedbackDelivery(kiosk), retry_s=0.05)
    office_store = SqliteTicketStore(tmp_path / "office.sqlite")
    running = None
    try:
        store.record(answer(4, txid="TX-first"))
        store.record(answer(4, "B", ticket="20261123-B-099"))  # the office has no such ticket
        store.record(answer(1, txid="TX-third"))
        assert not sender.send_pending()
        assert store.counts() == (3, 3)
        sender.start()
        port = int(url.rsplit(":", 1)[1])
        office = build_office(office_config(), office_store, CLIENTS, clock=ServerClock())
        running = start_in_thread(office, port=port)
        wait_for(lambda: store.counts() == (3, 0), 15.0)
        day = ServerClock()().date()
        assert [f.txid for f in office_store.feedback_of_day(day)] == ["TX-first", "TX-third"]
    finally:
        sender.stop()
        kiosk.close()
        if running is not None:
            running.stop()
        office_store.close()
        store.close()
