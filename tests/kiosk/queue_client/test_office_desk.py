"""The kiosk issues through the office queue server: the server's numbers on the kiosk's paper,
people ahead going down as counters serve, a clear message when the server is down or slow,
one Idempotency-Key per touch kept across retries."""

from __future__ import annotations

import time

import pytest
from fakes.office import Server
from fakes.queue_kiosk import DeskFactory
from fakes.tcp_delay import DelayingRelay

from devices.model import DeviceFault, DeviceState, DeviceStatus
from kiosk.engine.session_flows import QueueDeskError
from kiosk.engine.view import Priority


def test_two_kiosks_print_the_servers_numbers_with_agency_kind_validity_and_estimate(
    make_desk: DeskFactory,
) -> None:
    one, two = make_desk("kiosk-1"), make_desk("kiosk-2")
    first = one.desk.issue_and_print("A", None, True)
    second = two.desk.issue_and_print("A", Priority.ELDERLY, True)
    assert (first.ticket.number, second.ticket.number) == ("A-001", "A-002")  # one queue
    assert first.printed and second.printed
    assert second.ticket.priority is Priority.ELDERLY
    assert second.ticket.waiting == 0  # the priority rule: called before the regular A-001
    lines = two.printer.lines()
    assert lines[:4] == ["MPP Uji", "Dukcapil", "Perekaman KTP-el", "KTP-el recording"]
    assert "A-002" in lines
    assert "PRIORITAS: LANSIA" in lines
    assert "23-11-2026 10:00 WIB" in lines
    assert "Berlaku hari ini / Valid today" in lines
    assert "Di depan Anda / Ahead: 0" in lines
    assert "Perkiraan: tidak diketahui / Est.: not known yet" in lines  # nobody served yet


def test_people_ahead_and_the_estimate_go_down_as_counters_serve(
    make_desk: DeskFactory, server: Server
) -> None:
    kiosk = make_desk()
    tickets = [kiosk.desk.issue_and_print("B", None, True).ticket for _ in range(7)]
    last = tickets[-1]
    first_look = kiosk.desk.refresh(last)
    assert (first_look.waiting, first_look.estimate_min) == (6, None)  # no service times yet
    with server.client("loket-1") as counter:

        def serve_next() -> None:
            called = counter.post("/v1/counters/loket-1/call-next").json()
            server.clock.advance(minutes=6)
            assert counter.post(f"/v1/tickets/{called['id']}/done").status_code == 200

        for _ in range(4):  # 3 intervals of 6 minutes: the estimate is known
            serve_next()
        seen = kiosk.desk.refresh(last)
        assert (seen.waiting, seen.estimate_min, seen.status) == (2, 12, "waiting")
        serve_next()
        assert (kiosk.desk.refresh(last).waiting, kiosk.desk.refresh(last).estimate_min) == (1, 6)
        serve_next()
        counter.post("/v1/counters/loket-1/call-next")  # ours
    called_now = kiosk.desk.refresh(last)
    assert (called_now.status, called_now.counter_number, called_now.waiting) == ("called", 1, 0)


def test_services_come_from_the_server_with_waiting_counts(make_desk: DeskFactory) -> None:
    kiosk = make_desk()
    kiosk.desk.issue_and_print("A", None, True)
    views = {v.code: v for v in kiosk.desk.services_view(kiosk.desk.clock())}
    assert set(views) == {"A", "B", "S", "E"}
    assert views["A"].waiting == 1 and views["A"].available
    assert views["E"].priority_allowed is False
    assert (views["S"].opens, views["S"].closes) == ("08:00", "14:00")


def test_a_refusal_is_the_servers_reason_and_no_paper(make_desk: DeskFactory) -> None:
    kiosk = make_desk()
    with pytest.raises(QueueDeskError) as refused:
        kiosk.desk.issue_and_print("E", Priority.PREGNANT, True)  # no priority line there
    assert refused.value.code == "queue_priority_not_allowed"
    for _ in range(6):
        kiosk.desk.issue_and_print("A", None, True)
    with pytest.raises(QueueDeskError) as full:
        kiosk.desk.issue_and_print("A", None, True)
    assert full.value.code == "queue_quota"
    assert len(kiosk.printer.jobs) == 6


def test_a_printer_that_cannot_print_refuses_before_the_server_issues(
    make_desk: DeskFactory, server: Server
) -> None:
    kiosk = make_desk()
    kiosk.printer.status = DeviceStatus(state=DeviceState.OFFLINE)
    with pytest.raises(QueueDeskError) as refused:
        kiosk.desk.issue_and_print("A", None, True)
    assert refused.value.code == "printer_unavailable"
    assert server.store.waiting_counts(server.clock().date()) == {}  # no number consumed


def test_a_print_failure_keeps_the_servers_number_for_a_reprint(make_desk: DeskFactory) -> None:
    kiosk = make_desk()
    kiosk.printer.outcomes.append(DeviceFault("PAPER_OUT", "sensor"))
    failed = kiosk.desk.issue_and_print("A", None, True)
    assert not failed.printed and failed.fault_code == "PAPER_OUT"
    again = kiosk.desk.reprint(failed.ticket.ticket_id)
    assert again.printed and again.ticket.number == failed.ticket.number == "A-001"
    assert kiosk.printer.jobs[0] == kiosk.printer.jobs[1]  # the same ticket, byte for byte


def test_server_down_is_a_clear_message_within_the_deadline(make_desk: DeskFactory) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    kiosk = make_desk(url=url, timeout_s=1.0)
    started = time.monotonic()
    with pytest.raises(QueueDeskError) as down:
        kiosk.desk.issue_and_print("A", None, True)
    assert down.value.code == "queue_server_down"
    assert time.monotonic() - started < 3.0  # the one deadline (1 s), not a hang
    with pytest.raises(QueueDeskError) as no_services:
        kiosk.desk.services_view(kiosk.desk.clock())
    assert no_services.value.code == "queue_server_down"
    assert kiosk.printer.jobs == []


def test_a_slow_server_times_out_and_the_next_touch_gets_the_same_ticket(
    make_desk: DeskFactory, server: Server
) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    relay = DelayingRelay((host, int(port)), delay_s=2.0)
    try:
        kiosk = make_desk(url=relay.url, timeout_s=0.8)
        with pytest.raises(QueueDeskError) as slow:
            kiosk.desk.issue_and_print("A", None, True)
        assert slow.value.code == "queue_server_down"
        assert kiosk.printer.jobs == []
        day = server.clock().date()
        wait_until(lambda: server.store.waiting_counts(day) == {"A": 1})  # the server did issue
        relay.delay_s = 0.0
        again = kiosk.desk.issue_and_print("A", None, True)  # the citizen touches A again
        assert again.ticket.number == "A-001"  # the same key: the same ticket, not A-002
        assert server.store.waiting_counts(day) == {"A": 1}
        assert kiosk.desk.issue_and_print("A", None, True).ticket.number == "A-002"  # new touch
    finally:
        relay.close()


def wait_until(condition: object, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
