"""Every queue-server answer is hostile input: wrong types, missing offsets, lying sizes, HTML,
a compressed body, an unknown refusal. Each ends as a clear message code for the citizen and
a log line for the technician; nothing is printed."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from fakes.queue_kiosk import DeskFactory
from fuzz.raw_http_server import http_response, raw_http_server

from kiosk.engine.session_flows import QueueDeskError

GOOD_TICKET: dict[str, Any] = {
    "id": "20261123-A-001",
    "number": "A-001",
    "service": "A",
    "agency": "Dukcapil",
    "priority": None,
    "issued_at": "2026-11-23T10:00:00+07:00",
    "day": "2026-11-23",
    "ahead": 0,
    "estimated_wait_min": None,
    "status": "waiting",
    "service_name_id": "Perekaman KTP-el",
    "service_name_en": "KTP-el recording",
}


def answer(status: int, body: bytes, **headers: str) -> bytes:
    return http_response(status, body, {"Content-Type": "application/json", **headers})


HOSTILE = {
    "ahead as a string": answer(201, json.dumps({**GOOD_TICKET, "ahead": "3"}).encode()),
    "ahead as true": answer(201, json.dumps({**GOOD_TICKET, "ahead": True}).encode()),
    "negative ahead": answer(201, json.dumps({**GOOD_TICKET, "ahead": -1}).encode()),
    "time without offset": answer(
        201, json.dumps({**GOOD_TICKET, "issued_at": "2026-11-23T10:00:00"}).encode()
    ),
    "number with a command": answer(
        201, json.dumps({**GOOD_TICKET, "number": "A-001\x1b@"}).encode()
    ),
    "unknown status": answer(201, json.dumps({**GOOD_TICKET, "status": "vip"}).encode()),
    "huge name": answer(201, json.dumps({**GOOD_TICKET, "service_name_id": "x" * 500}).encode()),
    "not JSON": answer(201, b"<html>proxy login</html>"),
    "200 instead of 201": answer(200, json.dumps(GOOD_TICKET).encode()),
    "gzip body": answer(201, b"\x1f\x8b\x08\x00", **{"Content-Encoding": "gzip"}),
    "lying size": answer(201, b"{}", **{"Content-Length": "99999999"}),
    "error without shape": answer(409, b'{"detail": "no"}'),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_answer_is_refused_with_a_message_and_a_log_line(
    name: str, make_desk: DeskFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with raw_http_server() as fake:
        fake.answer = HOSTILE[name]
        kiosk = make_desk(url=fake.url, timeout_s=2.0)
        with caplog.at_level(logging.INFO), pytest.raises(QueueDeskError) as refused:
            kiosk.desk.issue_and_print("A", None, True)
    assert refused.value.code in ("queue_server_bad_answer", "queue_server_down")
    assert kiosk.printer.jobs == []
    assert any("queue server" in r.getMessage() for r in caplog.records if r.levelno >= 30)
    assert "x" * 100 not in caplog.text  # field names are logged, never their values


def test_an_unknown_refusal_code_reads_as_the_generic_message(
    make_desk: DeskFactory, caplog: pytest.LogCaptureFixture
) -> None:
    body = json.dumps({"error": {"code": "vip_lane_closed", "message": "closed"}}).encode()
    with raw_http_server() as fake:
        fake.answer = answer(409, body)
        kiosk = make_desk(url=fake.url)
        with caplog.at_level(logging.INFO), pytest.raises(QueueDeskError) as refused:
            kiosk.desk.issue_and_print("A", None, True)
    assert refused.value.code == "queue_unavailable"  # a key the kiosk's catalog has
    assert "vip_lane_closed" in caplog.text


def test_a_good_answer_from_the_same_fake_prints(make_desk: DeskFactory) -> None:
    """The fake itself is not what refuses: a well-formed answer prints."""
    with raw_http_server() as fake:
        fake.answer = answer(201, json.dumps(GOOD_TICKET).encode())
        kiosk = make_desk(url=fake.url)
        issued = kiosk.desk.issue_and_print("A", None, True)
    assert issued.printed and issued.ticket.number == "A-001"
