"""Staff calls and survey answers through the kiosk's queue client, against the REAL queue
server on 127.0.0.1:0 (the ``server`` fixture of this folder)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fakes.office import CLIENTS, Server

from kiosk.queue_client.client import QueueServer, QueueServerClient
from kiosk.staffcall import StaffCall, StaffCallKind, StaffCallUndelivered
from kiosk.staffcall.office_sink import OfficeAlertSink

MOMENT = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


def client(server: Server, client_id: str = "kiosk-1", key: str | None = None) -> QueueServerClient:
    return QueueServerClient(QueueServer(server.url, client_id, key or CLIENTS[client_id][1], 4.0))


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
