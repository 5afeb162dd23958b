"""The demo's office queue: one ``kiosk queue-server`` (config/office.toml, SQLite), two kiosks
issuing through it (one also checks in an online booking), two counters signed in on the
counter page and the caller display, in Debian's headless Chromium; screenshots of the pages
(1366 x 768 for a counter PC, 1920 x 1080 for the TV), the kiosks' ticket images and the kiosk's
ticket screen after the check-in.

The office's clock is Monday 23 November 2026 from 09:50 WIB, running at real speed, so the
offices' hours are open whatever day the demo runs.
"""

from __future__ import annotations

import logging
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.engine.office_queue import OfficeQueueDesk
from kiosk.engine.view import (
    Cancel,
    ChooseMenu,
    ChooseService,
    CodeScanned,
    MenuOption,
    Priority,
    Screen,
    SessionView,
    Touch,
)
from ui.demo.driver import DemoDriver, DemoError

log = logging.getLogger(__name__)

OFFICE_START = datetime(2026, 11, 23, 9, 50, tzinfo=ZoneInfo("Asia/Jakarta"))
PINS = {"loket-1": "111111", "loket-4": "444444"}  # config/office.toml's demo PINs


@dataclass
class DemoKiosk:
    name: str
    kiosk: Any  # kiosk.bootstrap.Kiosk

    @property
    def desk(self) -> OfficeQueueDesk:
        desk = self.kiosk.desk
        if not isinstance(desk, OfficeQueueDesk):
            raise DemoError(f"{self.name} does not issue through the queue server")
        return desk


class OfficeClock:
    """The office's time: :data:`OFFICE_START` plus the time the demo has run."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self) -> datetime:
        return OFFICE_START + timedelta(seconds=time.monotonic() - self.started)


def office_queue(driver: DemoDriver, kiosk: Any, out: Path, state: Path) -> None:
    driver.scenario("The office queue: two kiosks, two counters and the caller display")
    with ExitStack() as stack:
        server, keys = stack.enter_context(_queue_server(state / "office"))
        kiosks = [
            stack.enter_context(_kiosk(kiosk, state, server.url, name, keys[name]))
            for name in ("kiosk-1", "kiosk-2")
        ]
        from kiosk.office.browser import HeadlessChromium

        chrome = stack.enter_context(HeadlessChromium())
        display = chrome.new(1920, 1080)
        display.get(f"{server.url}/display#client=tv-1&key={keys['tv-1']}")
        _wait(lambda: display.execute_script("return window.admDisplay.connected"), "the TV")

        services = _drive(kiosks[0], Touch(), ChooseMenu(MenuOption.QUEUE))
        _shoot(driver, services, "kiosk-1: the office's services from the queue server", "service")
        _drive(kiosks[0], Cancel())
        take = _ticket_taker(driver, out)
        take(kiosks[0], "A", None, "kiosk-1: KTP-el recording")
        take(kiosks[0], "A", Priority.ELDERLY, "kiosk-1: KTP-el recording, lansia")
        take(kiosks[1], "S", None, "kiosk-2: vehicle tax (Samsat)")
        take(kiosks[1], "B", None, "kiosk-2: family card")
        take(kiosks[0], "S", Priority.PREGNANT, "kiosk-1: vehicle tax, ibu hamil")
        _booking(driver, kiosks[1], server, keys["portal"], out)

        counters = {}
        for counter_id in ("loket-1", "loket-4"):
            page = chrome.new(1366, 768)
            page.get(f"{server.url}/counter")
            if counter_id == "loket-1":
                _save(page, out, "counter-sign-in", driver, "Counter page: staff sign-in")
            _sign_in(page, counter_id)
            counters[counter_id] = page
        for counter_id, page in counters.items():
            _call_next(page, counter_id)
        kiosks[1].desk.client.alert("help", "service")  # ux14's call-staff button, later
        _wait(lambda: "kiosk-2" in _text(counters["loket-1"], "alerts"), "the staff call")
        _wait(lambda: len(display.execute_script("return window.admDisplay.received")) >= 2,
              "both calls on the TV")  # fmt: skip
        time.sleep(3.8)  # the new-call flash is over: the TV as the waiting room sees it
        _save(counters["loket-1"], out, "counter-loket-1", driver,
              "Counter page, loket 1 (1366 x 768): the called number, actions, waiting list, "
              "today's figures, a staff call from kiosk-2")  # fmt: skip
        _save(counters["loket-4"], out, "counter-loket-4", driver,
              "Counter page, loket 4 (Samsat), in English", english=True)  # fmt: skip
        _save(display, out, "caller-display", driver,
              "Caller display (1920 x 1080): the newest call, every counter's latest, "
              "the last calls, people waiting per service")  # fmt: skip
        spoken = display.execute_script("return window.admDisplay.spoken")
        driver.current.note = (
            f"Queue server {server.url} on SQLite, office clock from 23-11-2026 09:50 WIB. "
            f"Calls spoken on the display: {', '.join(spoken) or 'none yet'}."
        )


# --- the parts -------------------------------------------------------------------------------


@contextmanager
def _queue_server(folder: Path) -> Iterator[tuple[Any, dict[str, str]]]:
    from kiosk.config.loader import repo_root
    from kiosk.config.office import load_office_config
    from kiosk.office.server import build_office, start_in_thread
    from kiosk.queue.sqlite_store import SqliteTicketStore

    folder.mkdir(parents=True, exist_ok=True)
    keys = {name: secrets.token_urlsafe(18) for name in ("kiosk-1", "kiosk-2", "tv-1", "portal")}
    roles = {"kiosk-1": "kiosk", "kiosk-2": "kiosk", "tv-1": "display", "portal": "booking"}
    clients: dict[str, Any] = {name: (roles[name], key) for name, key in keys.items()}
    config = load_office_config(repo_root() / "config" / "office.toml")
    store = SqliteTicketStore(folder / "queue.sqlite")
    office = build_office(config, store, clients, clock=OfficeClock(), speech_dir=folder / "wav")
    running = start_in_thread(office)
    try:
        yield running, keys
    finally:
        running.stop()
        store.close()


@contextmanager
def _kiosk(main: Any, state: Path, url: str, name: str, key: str) -> Iterator[DemoKiosk]:
    """A second headless kiosk on the demo's registry simulator, issuing through ``url``."""
    from kiosk.bootstrap import build_kiosk

    key_file = state / f"{name}.key"
    key_file.write_text(key + "\n")
    key_file.chmod(0o600)
    config = main.config
    queue = config.queue.model_copy(
        update={"server": url, "client_id": name, "key_file": key_file, "timeout_ms": 3000}
    )
    identity = config.kiosk.model_copy(update={"office": "Mal Pelayanan Publik Kabupaten Contoh"})
    config = config.model_copy(update={"queue": queue, "kiosk": identity})
    kiosk = build_kiosk(
        config, simulate=True, state_dir=state / name, registry_url=main.registry_url,
        serve_metrics=False,
    )  # fmt: skip
    kiosk.start(background=False)
    try:
        yield DemoKiosk(name, kiosk)
    finally:
        kiosk.stop()


def _drive(demo: DemoKiosk, *intents: Any) -> SessionView:
    session = demo.kiosk.session
    for intent in intents:
        session.send(intent)
    if not session.wait_idle(30.0):
        raise DemoError(f"{demo.name} did not answer in time")
    view: SessionView = session.view
    return view


def _ticket_taker(driver: DemoDriver, out: Path) -> Callable[..., None]:
    count = [0]

    def take(kiosk: Any, service: str, priority: Priority | None, caption: str) -> None:
        from kiosk.engine.view import Cancel

        view = _drive(
            kiosk, Touch(), ChooseMenu(MenuOption.QUEUE), ChooseService(service, priority)
        )
        if view.screen is not Screen.TICKET or view.ticket is None or not view.ticket.printed:
            raise DemoError(f"{caption}: no ticket ({view.screen.value}, {view.notice})")
        count[0] += 1
        _copy_ticket(kiosk, out, f"office-ticket-{count[0]}", driver,
                     f"{caption}: {view.ticket.number}")  # fmt: skip
        _drive(kiosk, Cancel())

    return take


def _copy_ticket(kiosk: DemoKiosk, out: Path, name: str, driver: DemoDriver, caption: str) -> None:
    tickets = sorted(kiosk.kiosk.paper_dir.rglob("*.png"), key=lambda p: p.stat().st_mtime)
    if not tickets:
        raise DemoError(f"{kiosk.name} printed no ticket")
    shutil.copyfile(tickets[-1], out / f"{name}.png")
    driver.current.artefacts.append((caption, f"{name}.png"))


def _booking(driver: DemoDriver, kiosk: DemoKiosk, server: Any, key: str, out: Path) -> None:
    """An online booking for 10:00, checked in at kiosk-2 at about 09:51: early."""
    import httpx

    headers = {"X-Client-Id": "portal", "Authorization": f"Bearer {key}"}
    body = {"service": "A", "date": "2026-11-23", "slot": "10:00"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=10, trust_env=False) as portal:
        answer = portal.post("/v1/bookings", json=body)
    if answer.status_code != 201:
        raise DemoError(f"booking refused: {answer.text[:200]}")
    view = _drive(
        kiosk, Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(answer.json()["qr"], "qr")
    )
    if view.screen is not Screen.TICKET or view.booking is None:
        raise DemoError(f"the booking was not checked in ({view.screen.value}, {view.notice})")
    caption = f"kiosk-2: booking {answer.json()['code']} checked in ({view.booking.outcome})"
    _copy_ticket(kiosk, out, "office-ticket-booking", driver, caption)
    _shoot(driver, view, "kiosk-2 after scanning a booking QR: early, called from 10:00", "ticket")
    _drive(kiosk, Cancel())


def _shoot(driver: DemoDriver, view: SessionView, caption: str, screen: str) -> None:
    """A headless kiosk's screen as its view is now, drawn by the real screens."""
    from ui.demo.gallery import SampleSession
    from ui.i18n.catalog import Catalog
    from ui.window import KioskWindow

    metrics = driver.window.pages[Screen.ATTRACT].context.metrics
    window = KioskWindow(SampleSession(view), metrics=metrics, catalog=Catalog(),
                         title=driver.window.windowTitle(), tick=False)  # fmt: skip
    try:
        window.resize(1920, 1080)
        window.show()
        driver.pump(80)
        driver.shot_of(window, caption, screen)
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()


def _call_next(page: Any, counter_id: str) -> None:
    page.find_element("id", "call-next").click()
    _wait(lambda: page.execute_script("return !!window.admCounter.current"), f"{counter_id} call")


def _sign_in(page: Any, counter_id: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(page.find_element("id", "counter")).select_by_value(counter_id)
    page.find_element("id", "pin").send_keys(PINS[counter_id])
    page.find_element("id", "signin-button").click()
    _wait(lambda: page.execute_script("return window.admCounter.stats !== undefined"),
          f"{counter_id}'s desk")  # fmt: skip


def _save(page: Any, out: Path, name: str, driver: DemoDriver, caption: str, *,
          english: bool = False) -> None:  # fmt: skip
    if english:
        page.find_element("id", "lang").click()
        time.sleep(0.2)
    page.save_screenshot(str(out / f"{name}.png"))
    driver.current.artefacts.append((caption, f"{name}.png"))


def _text(page: Any, element_id: str) -> str:
    return str(page.execute_script(f"return document.getElementById('{element_id}').textContent"))


def _wait(check: Callable[[], Any], what: str, timeout_s: float = 20.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise DemoError(f"timed out waiting for {what}")
        time.sleep(0.05)
