"""The counter page and the caller display in a real headless Chromium (Debian's chromium and
chromedriver, run as an unprivileged user; nothing downloaded), against the real queue server:
sign in, act on tickets, see the call on the display within 1 s and hear it spoken, staff
calls, the English switch, and the display reconnecting by itself after a server restart."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fakes.office import CLIENTS, PIN, Server, issue, office_config
from fakes.office import Clock as ServerClock

from kiosk.office.browser import HeadlessChromium
from kiosk.office.server import build_office, start_in_thread

pytestmark = pytest.mark.slow
DISPLAY_KEY = CLIENTS["tv-1"][1]


@pytest.fixture(scope="module")
def windows() -> Iterator[tuple[Any, Any]]:
    """An office PC's window (1366 x 768) and the waiting room's TV (1920 x 1080), kept for
    the module: each test's server has its own port, so its own origin and storage."""
    with HeadlessChromium() as chrome:
        yield chrome.new(1366, 768), chrome.new(1920, 1080)


@pytest.fixture
def office_server(tmp_path: Path) -> Iterator[Server]:
    """The queue server with spoken calls (espeak-ng WAVs cached in a temp dir)."""
    from kiosk.queue.sqlite_store import SqliteTicketStore

    store, clock = SqliteTicketStore(tmp_path / "office.sqlite"), ServerClock()
    office = build_office(office_config(), store, CLIENTS, clock=clock, speech_dir=tmp_path / "wav")
    running = start_in_thread(office)
    yield Server(running, store, clock)
    running.stop()
    store.close()


class BadGateway:
    """Answers every request on ``port`` with 502, like a proxy whose upstream is down."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self.sock.settimeout(0.1)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(1)
                with contextlib.suppress(OSError):
                    conn.recv(65536)
                    conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"
                                 b"Connection: close\r\n\r\n")  # fmt: skip

    def __enter__(self) -> BadGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


def wait(check: Callable[[], Any], timeout_s: float = 10.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def js(driver: Any, script: str) -> Any:
    return driver.execute_script(script)


def text(driver: Any, element_id: str) -> str:
    return str(js(driver, f"return document.getElementById('{element_id}').textContent"))


def open_display(display: Any, url: str) -> None:
    display.get(f"{url}/display#client=tv-1&key={DISPLAY_KEY}")
    wait(lambda: js(display, "return window.admDisplay.connected"), what="the display's events")


def sign_in(counter: Any, url: str, pin: str = PIN, counter_id: str = "loket-1") -> None:
    from selenium.webdriver.support.ui import Select

    counter.get(f"{url}/counter")
    Select(counter.find_element("id", "counter")).select_by_value(counter_id)
    counter.find_element("id", "pin").send_keys(pin)
    counter.find_element("id", "signin-button").click()


def click(counter: Any, button: str) -> None:
    wait(lambda: js(counter, f"return !document.getElementById('{button}').disabled"),
         what=f"{button} enabled")  # fmt: skip
    counter.find_element("id", button).click()


def fits(driver: Any, width: int, height: int) -> bool:
    size = js(driver, "const e = document.scrollingElement; return [e.scrollWidth, e.scrollHeight]")
    return bool(size[0] <= width and size[1] <= height)


def test_sign_in_call_next_and_the_call_reaches_the_display_within_a_second(
    office_server: Server, windows: tuple[Any, Any]
) -> None:
    counter, display = windows
    url = office_server.url
    with office_server.client("kiosk-1") as kiosk:
        numbers = [issue(kiosk, "A").json()["number"], issue(kiosk, "B").json()["number"]]
    open_display(display, url)
    sign_in(counter, url, pin="000000")  # wrong first: the server counts, the page says so
    wait(lambda: "4" in text(counter, "signin-message"), what="attempts left")
    assert text(counter, "signin-message") == "PIN salah. Sisa percobaan: 4."
    sign_in(counter, url)
    wait(lambda: js(counter, "return !document.getElementById('desk').hidden"), what="the desk")
    waiting = wait(
        lambda: js(counter, "return (window.admCounter.waiting || []).map(w => w.number)")
    )
    assert waiting == numbers  # numbers only: no names exist on the page
    assert "A-001" in text(counter, "waiting-list") and fits(counter, 1366, 768)

    click(counter, "call-next")
    grey = "return getComputedStyle(document.getElementById('call-next')).backgroundColor"
    wait(lambda: js(counter, grey) == "rgb(228, 231, 236)", 5, "call-next greyed while called")
    seen = wait(lambda: js(display, "return window.admDisplay.received"), 5, "the call on the TV")
    answered = wait(lambda: js(counter, "return window.admCounter.answered"), what="the answer")
    assert seen[0]["ticket"] == answered["ticket"] == "20261123-A-001"
    latency_ms = seen[0]["at"] - answered["at"]
    assert latency_ms < 1000, f"the call reached the display after {latency_ms} ms"
    assert text(display, "hero-number") == "A-001" and text(display, "hero-counter") == "Loket 1"
    assert "A-001" in text(display, "recent") and fits(display, 1920, 1080)
    wait(lambda: "20261123-A-001" in js(display, "return window.admDisplay.spoken"), 20,
         "the spoken call playing (after the chime, the WAV from the server)")  # fmt: skip

    click(counter, "recall")
    wait(lambda: len(js(display, "return window.admDisplay.received")) == 2, 5, "the recall")
    assert js(display, "return window.admDisplay.received[1].recall") is True
    click(counter, "start")
    wait(lambda: "Dilayani sejak" in text(counter, "now"), what="serving")
    click(counter, "done")
    wait(lambda: text(counter, "now") == "Belum ada nomor. Tekan Panggil berikutnya.", what="done")
    click(counter, "call-next")  # B-001 next
    wait(lambda: text(display, "hero-number") == "B-001", 5, "the second call")
    from selenium.webdriver.support.ui import Select

    # The display hears the call before the counter page has its own answer: wait for the page.
    wait(
        lambda: js(
            counter,
            "const s = document.getElementById('transfer-to');"
            " return !s.disabled && !s.querySelector('option[value=A]').disabled",
        ),
        what="the transfer choice open",
    )
    Select(counter.find_element("id", "transfer-to")).select_by_value("A")
    click(counter, "transfer")
    wait(lambda: "B-001" in text(counter, "waiting-list"), what="the transferred ticket waiting")
    figures = wait(lambda: js(counter, "return window.admCounter.stats"), what="figures")
    mine = next(c for c in figures["counters"] if c["id"] == "loket-1")
    assert mine["served"] == 1
    assert "1" in text(counter, "figures")


def test_wrong_pins_lock_the_counter_and_the_page_says_for_how_long(
    office_server: Server, windows: tuple[Any, Any]
) -> None:
    counter, _ = windows
    sign_in(counter, office_server.url, pin="000000")
    for left in (4, 3, 2, 1):
        wait(lambda: f": {left}." in text(counter, "signin-message"), what=f"{left} left")  # noqa: B023
        counter.find_element("id", "pin").send_keys("000000")
        counter.find_element("id", "signin-button").click()
    wait(lambda: "terkunci" in text(counter, "signin-message"), what="the lock")
    assert text(counter, "signin-message") == (
        "Terlalu banyak PIN salah. Loket ini terkunci 15 menit lagi."
    )
    sign_in(counter, office_server.url)  # even the right PIN: locked
    time.sleep(0.3)
    wait(lambda: "terkunci" in text(counter, "signin-message"), what="still locked")
    assert js(counter, "return document.getElementById('desk').hidden") is True


def test_staff_calls_from_kiosks_appear_and_are_taken_in_english(
    office_server: Server, windows: tuple[Any, Any]
) -> None:
    counter, _ = windows
    sign_in(counter, office_server.url)
    wait(lambda: js(counter, "return window.admCounter.alerts !== undefined"), what="the desk")
    counter.find_element("id", "lang").click()
    assert counter.find_element("id", "call-next").text == "Call next"
    with office_server.client("kiosk-2") as kiosk:
        raised = kiosk.post(
            "/v1/alerts", json={"kind": "help", "kiosk": "kiosk-2", "screen": "pin"}
        )
    assert raised.status_code == 201
    wait(lambda: "kiosk-2 asks for an officer (pin)" in text(counter, "alerts"), 5, "the alert")
    js(counter, "document.querySelector('#alerts button').click()")  # the list re-renders
    wait(lambda: "Taken by loket-1" in text(counter, "alerts"), 5, "the alert taken")


def test_the_display_reconnects_by_itself_after_a_server_restart(
    windows: tuple[Any, Any], tmp_path: Path
) -> None:
    from kiosk.queue.sqlite_store import SqliteTicketStore

    _, display = windows
    store = SqliteTicketStore(tmp_path / "office.sqlite")
    clock = ServerClock()
    servers = [start_in_thread(build_office(office_config(), store, CLIENTS, clock=clock))]
    try:
        open_display(display, servers[0].url)
        servers[0].stop()
        wait(lambda: not js(display, "return window.admDisplay.connected"), 20, "the loss")
        assert js(display, "return document.getElementById('offline').hidden") is False
        port = int(servers[0].url.rsplit(":", 1)[1])
        with BadGateway(port):  # a proxy in front answers 502 meanwhile: EventSource gives up
            wait(lambda: js(display, "return window.admDisplay.errors") >= 2, 20, "the 502s")
        office = build_office(office_config(), store, CLIENTS, clock=clock)
        servers.append(start_in_thread(office, port=port))
        wait(lambda: js(display, "return window.admDisplay.connected"), 30, "the reconnect")
        server = Server(servers[1], store, clock)
        with server.client("kiosk-1") as kiosk, server.client("loket-1") as loket:
            assert issue(kiosk, "A").status_code == 201
            assert loket.post("/v1/counters/loket-1/call-next").status_code == 200
        wait(lambda: text(display, "hero-number") == "A-001", 10, "the call after the restart")
        assert js(display, "return document.getElementById('offline').hidden") is True
    finally:
        servers[-1].stop()
        store.close()
