"""What the queue server serves for its pages, over HTTP: the HTML with its boot data and CSP,
only the listed static files, the counter's waiting list (its own only), the chime, and the
spoken call of a called ticket (espeak-ng, cached by text, numbers in Indonesian words)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.office import CLIENTS, Server, issue, office_config
from fakes.office import Clock as ServerClock

from kiosk.office.server import build_office, start_in_thread
from kiosk.office.speech import CACHE_FILES, call_text
from kiosk.queue.sqlite_store import SqliteTicketStore
from ui.i18n.catalog import MESSAGES


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    store, clock = SqliteTicketStore(tmp_path / "office.sqlite"), ServerClock()
    office = build_office(
        office_config(), store, CLIENTS, clock=clock, speech_dir=tmp_path / "speech"
    )
    running = start_in_thread(office)
    yield Server(running, store, clock)
    running.stop()
    store.close()


def boot(html: str) -> dict[str, object]:
    found = re.search(r'<script id="boot" type="application/json">(.*?)</script>', html, re.S)
    assert found is not None
    return dict(json.loads(found.group(1)))


@pytest.mark.parametrize("page", ["counter", "display"])
def test_pages_carry_their_boot_data_and_a_strict_policy(server: Server, page: str) -> None:
    with server.client() as browser:
        answer = browser.get(f"/{page}")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"] == "no-store"
    data = boot(answer.text)
    assert data["office"] == "MPP Uji"
    assert [c["id"] for c in data["counters"]] == ["loket-1", "loket-2", "loket-4"]  # type: ignore[attr-defined,index]
    text = data["text"]
    assert isinstance(text, dict)
    for key, pair in text.items():  # the very entries of the kiosk's one catalogue
        assert MESSAGES[key] == pair
    assert "http" not in re.sub(r"(href|src)=\"/", "", answer.text).split("<body")[1]  # no CDN


def test_boot_data_cannot_close_its_script_block(tmp_path: Path) -> None:
    config = office_config()
    office_block = config.office.model_copy(update={"name": "</script><script>alert(1)</script>"})
    hostile = config.model_copy(update={"office": office_block})
    store = SqliteTicketStore(tmp_path / "x.sqlite")
    running = start_in_thread(build_office(hostile, store, CLIENTS, clock=ServerClock()))
    try:
        with Server(running, store, ServerClock()).client() as browser:
            html = browser.get("/display").text
        assert html.count("</script>") == 3  # boot, common.js, display.js: nothing injected
        assert boot(html)["office"] == "</script><script>alert(1)</script>"
    finally:
        running.stop()
        store.close()


def test_only_the_listed_files_are_served(server: Server) -> None:
    with server.client() as browser:
        assert (
            browser.get("/static/counter.js").headers["content-type"].startswith("text/javascript")
        )
        assert browser.get("/static/chime.wav").content[:4] == b"RIFF"
        for name in ("../office.py", "counter.html", "%2e%2e%2fapp.py", "web_text.py"):
            assert browser.get(f"/static/{name}").status_code == 404, name


def test_the_waiting_list_is_numbers_in_calling_groups_for_the_counter_only(
    server: Server,
) -> None:
    with server.client("kiosk-1") as kiosk:
        for service, priority in (("A", None), ("B", None), ("S", None), ("A", "lansia")):
            assert issue(kiosk, service, priority=priority).status_code == 201
    with server.client("loket-1") as counter:
        waiting = counter.get("/v1/counters/loket-1/waiting").json()
        assert [w["number"] for w in waiting] == ["A-002", "A-001", "B-001"]  # priority first
        assert set(waiting[0]) == {"id", "number", "service", "priority", "issued_at", "slot_start"}
        assert counter.get("/v1/counters/loket-2/waiting").status_code == 403
    with server.client("tv-1") as display:
        assert display.get("/v1/counters/loket-1/waiting").status_code == 403
    with server.client("kepala") as admin:
        assert admin.get("/v1/counters/loket-4/waiting").json()[0]["number"] == "S-001"
        assert admin.get("/v1/counters/loket-9/waiting").status_code == 404


def test_a_called_ticket_is_spoken_in_indonesian_words_and_cached(
    server: Server, tmp_path: Path
) -> None:
    assert call_text("A-012", 3) == "Nomor antrean, A, dua belas. Silakan menuju loket tiga."
    assert call_text("K-105", 12) == (
        "Nomor antrean, Ka, seratus lima. Silakan menuju loket dua belas."
    )
    with server.client("kiosk-1") as kiosk, server.client("loket-1") as counter:
        ticket = issue(kiosk, "A").json()["id"]
        with server.client() as browser:
            assert browser.get(f"/speech/{ticket}.wav").status_code == 404  # not called yet
            counter.post("/v1/counters/loket-1/call-next")
            first = browser.get(f"/speech/{ticket}.wav")
            again = browser.get(f"/speech/{ticket}.wav")
            assert browser.get("/speech/..%2Fx.wav").status_code in (404, 422)
    assert first.status_code == 200 and first.headers["content-type"] == "audio/wav"
    assert first.content[:4] == b"RIFF" and len(first.content) > 20_000  # a few seconds
    assert again.content == first.content
    assert len(list((tmp_path / "speech").glob("*.wav"))) == 1  # made once
    assert CACHE_FILES >= 100
