"""Metrics on their own registry, scraped over real HTTP; the heartbeat thread."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from kiosk.engine.availability import RegistryStatus
from kiosk.registry.errors import Unavailable
from kiosk.telemetry.heartbeat import Heartbeat
from kiosk.telemetry.metrics import KioskMetrics

SNAPSHOT = {
    "document": {
        "kind": "document",
        "driver": "sim",
        "status": {"state": "idle", "paper": "near_end"},
        "statistics": {"jobs": 4, "pages": 7},
    },
    "camera": {
        "kind": "camera",
        "driver": "sim",
        "status": {"state": "offline", "paper": "unknown"},
        "statistics": {"decode_attempts": 40, "decode_successes": 3},
    },
}


def test_two_instances_do_not_collide_and_serve_over_http() -> None:
    first = KioskMetrics(
        devices=lambda: SNAPSHOT, outbox_depth=lambda: 2, blanko=lambda: {"card": (41, 10)}
    )
    second = KioskMetrics()
    first.observe_session("printed", 42.0)
    first.observe_transaction("printed", "kk", 0.3, 1.2)
    second.observe_session("ticket", 10.0)
    port = first.serve("127.0.0.1", 0)
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    finally:
        first.stop()
    assert 'kiosk_sessions_total{outcome="printed"} 1.0' in text
    assert 'kiosk_sessions_total{outcome="ticket"}' not in text
    assert 'kiosk_print_transactions_total{doc="kk",outcome="printed"} 1.0' in text
    assert 'kiosk_render_seconds_count{doc="kk"} 1.0' in text
    assert "kiosk_outbox_depth 2.0" in text
    assert 'kiosk_device_state{device="camera",state="offline"} 1.0' in text
    assert 'kiosk_paper_level{device="document",level="near_end"} 1.0' in text
    assert 'kiosk_decode_total{device="camera",result="successes"} 3.0' in text
    assert 'kiosk_blanko_cards{device="card"} 41.0' in text
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)


def test_a_failing_live_source_does_not_break_the_scrape() -> None:
    def broken() -> Any:
        raise RuntimeError("device manager gone")

    metrics = KioskMetrics(devices=broken, outbox_depth=lambda: 0)
    assert b"kiosk_outbox_depth 0.0" in metrics.render()


class RecordingRegistry:
    def __init__(self) -> None:
        self.payloads: list[dict[str, Any]] = []
        self.down = False
        self.beat = threading.Event()

    def heartbeat(self, payload: dict[str, Any]) -> None:
        if self.down:
            raise Unavailable("down")
        self.payloads.append(payload)
        self.beat.set()


def test_heartbeat_sends_payload_and_drives_registry_status() -> None:
    registry = RecordingRegistry()
    status = RegistryStatus()
    heartbeat = Heartbeat(
        registry, lambda: {"kiosk_id": "K1", "outbox_depth": 0}, interval_s=60, status=status
    )
    registry.down = True
    assert heartbeat.beat() is False
    assert status.up is False
    registry.down = False
    heartbeat.start()
    try:
        assert registry.beat.wait(5)
    finally:
        heartbeat.stop()
    assert status.up is True
    assert registry.payloads[0]["kiosk_id"] == "K1"
    assert "sent_at" in registry.payloads[0]
    assert not any(t.name == "heartbeat" for t in threading.enumerate())


def test_journal_states_and_free_space_are_scraped_live() -> None:
    counts = {"committed": 5, "conflict": 1}
    space: dict[str, int | None] = {"free": 500 * 2**20}
    metrics = KioskMetrics(journal_counts=lambda: counts, space=lambda: (space["free"], 64 * 2**20))
    text = metrics.render().decode()
    assert 'kiosk_journal_transactions{state="conflict"} 1.0' in text  # a double print
    assert 'kiosk_journal_transactions{state="suspect"} 0.0' in text  # present, not absent
    assert 'kiosk_journal_transactions{state="committed"} 5.0' in text
    assert "kiosk_state_free_bytes 5.24288e+08" in text
    assert "kiosk_state_min_free_bytes 6.7108864e+07" in text
    assert "kiosk_state_space_low 0.0" in text
    space["free"] = 2**20
    assert "kiosk_state_space_low 1.0" in metrics.render().decode()
    space["free"] = None  # the filesystem cannot be asked: low, and no made-up figure
    text = metrics.render().decode()
    assert "kiosk_state_space_low 1.0" in text
    assert "\nkiosk_state_free_bytes " not in text
