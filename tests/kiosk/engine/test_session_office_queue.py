"""The session with a queue desk that may be the office queue server's: booking QRs told apart
on the scan screen, refusals with their times, a server that is down, and the ticket and
service screens refreshed on their own thread. A recording desk (STYLE 21); the real desk
against the real server is tested in tests/kiosk/queue_client."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.config.models import UISettings
from kiosk.engine.queue_view import TicketIssued
from kiosk.engine.session import SessionController
from kiosk.engine.session_flows import QueueDeskError, SessionDeps
from kiosk.engine.session_queue import QUEUE_REFRESH_S
from kiosk.engine.view import (
    BookingView,
    ChooseMenu,
    ChooseService,
    CodeScanned,
    MenuOption,
    Priority,
    Screen,
    ServiceView,
    SessionView,
    Tick,
    TicketView,
    Touch,
)

QR = "ADMB1.eyJ2IjoxfQ.c2ln"
SERVICE = ServiceView("A", "Perekaman KTP-el", "KTP-el recording", True, None, "08:00", "15:00",
                      2, None, True)  # fmt: skip


def ticket(ahead: int = 3, **changes: Any) -> TicketView:
    view = TicketView("20261123-A-004", "A-004", "A", "Perekaman KTP-el", "KTP-el recording",
                      datetime(2026, 11, 23, 3, 0, tzinfo=UTC), ahead, None, True)  # fmt: skip
    return replace(view, **changes)


@dataclass
class RecordingDesk:
    takes_bookings = True
    calls: list[tuple[str, object]] = field(default_factory=list)
    fail: QueueDeskError | None = None
    ahead: int = 3
    hold: threading.Event = field(default_factory=threading.Event)

    def _maybe_fail(self) -> None:
        if self.fail is not None:
            raise self.fail

    def services_view(self, now: datetime) -> tuple[ServiceView, ...]:
        self.calls.append(("services", now))
        self._maybe_fail()
        return (SERVICE,)

    def issue_and_print(
        self,
        code: str,
        priority: Priority | None,
        available: bool,
        reference: str | None = None,
    ) -> Any:
        self.calls.append(("issue", (code, priority)))
        self._maybe_fail()
        return TicketIssued(ticket(self.ahead), True, None)

    def reprint(self, ticket_id: str) -> Any:
        self.calls.append(("reprint", ticket_id))
        return TicketIssued(ticket(self.ahead), True, None)

    def check_in(self, qr: str, available: bool) -> Any:
        self.calls.append(("check_in", qr))
        self._maybe_fail()
        return TicketIssued(ticket(0), True, None, BookingView("early", slot="10:30"))

    def refresh(self, current: TicketView) -> TicketView:
        self.calls.append(("refresh", current.ticket_id))
        assert self.hold.wait(5), "the test did not let the refresh answer"
        return replace(current, waiting=self.ahead, estimate_min=4 * self.ahead)

    def reset(self, code: str | None) -> int:
        return 0


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def harness(engine: Any) -> Iterator[Any]:
    desk, clock = RecordingDesk(), Clock()
    deps = SessionDeps(
        ui=UISettings(inactivity_warn_s=60, inactivity_wipe_s=10, session_cap_s=600),
        voucher_keys={},
        registry=engine.registry,
        transaction=engine.transaction,
        printers=engine.printers,
        desk=desk,
        monotonic=clock,
    )
    controller = SessionController(deps)
    controller.start()

    class Harness:
        def __init__(self) -> None:
            self.c, self.desk, self.clock = controller, desk, clock

        def send(self, *intents: Any) -> SessionView:
            for intent in intents:
                controller.send(intent)
            assert controller.wait_idle(5.0)
            return controller.view

        def until(self, check: Any) -> SessionView:
            for _ in range(500):
                if controller.wait_idle(5.0) and check(controller.view):
                    return controller.view
                threading.Event().wait(0.01)
            raise AssertionError(f"not reached: {controller.view}")

    yield Harness()
    desk.hold.set()
    controller.stop()


def test_the_scan_screen_tells_a_booking_qr_apart_and_checks_it_in(harness: Any) -> None:
    harness.send(Touch(), ChooseMenu(MenuOption.PRINT))
    view = harness.send(CodeScanned(QR, "qr"))
    assert harness.desk.calls == [("check_in", QR)]
    assert view.screen is Screen.TICKET
    assert view.booking == BookingView("early", slot="10:30")
    assert view.ticket is not None and view.ticket.number == "A-004"


def test_the_services_offer_a_booking_scan_even_when_printing_is_off(
    harness: Any, engine: Any
) -> None:
    from kiosk.engine.view import ScanBooking

    harness.c.deps.registry_status.mark(False)  # the registry is down: no document printing
    view = harness.send(Touch(), ChooseMenu(MenuOption.QUEUE))
    assert view.bookings and not view.menu[MenuOption.PRINT]
    view = harness.send(ScanBooking())
    assert view.screen is Screen.SCAN
    view = harness.send(CodeScanned(QR, "qr"))
    assert view.screen is Screen.TICKET and ("check_in", QR) in harness.desk.calls


def test_a_refused_booking_stays_on_the_scan_screen_with_its_times(harness: Any) -> None:
    times = BookingView("booking_too_early", slot="14:00", opens="13:00", closes="14:15")
    harness.desk.fail = QueueDeskError("booking_too_early", "409", times)
    harness.send(Touch(), ChooseMenu(MenuOption.PRINT))
    view = harness.send(CodeScanned(QR, "qr"))
    assert view.screen is Screen.SCAN and not view.busy
    assert (view.notice, view.booking) == ("booking_too_early", times)


def test_other_codes_are_not_taken_for_bookings(harness: Any) -> None:
    harness.send(Touch(), ChooseMenu(MenuOption.PRINT))
    view = harness.send(CodeScanned("ADMB2.x.y", "qr"))
    assert view.notice == "code_not_recognised" and harness.desk.calls == []


def test_without_a_queue_a_booking_qr_is_explained(engine: Any) -> None:
    deps = SessionDeps(
        ui=UISettings(), voucher_keys={}, registry=engine.registry,
        transaction=engine.transaction, printers=engine.printers, desk=None,
    )  # fmt: skip
    controller = SessionController(deps)
    controller.start()
    try:
        for intent in (Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(QR, "qr")):
            controller.send(intent)
        assert controller.wait_idle(5.0)
        assert controller.view.notice == "booking_not_here"
    finally:
        controller.stop()


def test_queue_server_down_shows_the_service_screen_with_a_clear_message(harness: Any) -> None:
    harness.desk.fail = QueueDeskError("queue_server_down", "connect refused")
    view = harness.send(Touch(), ChooseMenu(MenuOption.QUEUE))
    assert (view.screen, view.services, view.notice) == (Screen.SERVICE, (), "queue_server_down")
    harness.desk.fail = None  # the server is back: the next refresh fills the screen
    harness.desk.hold.set()
    harness.clock.now += QUEUE_REFRESH_S
    harness.send(Tick(harness.clock.now))
    view = harness.until(lambda v: v.services == (SERVICE,))
    assert view.notice is None


def test_people_ahead_refresh_on_their_own_thread_while_the_citizen_can_still_touch(
    harness: Any,
) -> None:
    harness.send(Touch(), ChooseMenu(MenuOption.QUEUE), ChooseService("A"))
    assert harness.c.view.ticket.waiting == 3
    harness.desk.ahead = 1
    harness.clock.now += QUEUE_REFRESH_S - 0.5
    harness.send(Tick(harness.clock.now))
    assert ("refresh", "20261123-A-004") not in harness.desk.calls  # not due yet
    harness.clock.now += 0.5
    harness.send(Tick(harness.clock.now))  # due: the desk is asked, and holds its answer
    view = harness.send(Tick(harness.clock.now + 0.1))  # the worker is not blocked meanwhile
    assert view.ticket is not None and view.ticket.waiting == 3
    harness.desk.hold.set()
    view = harness.until(lambda v: v.ticket is not None and v.ticket.waiting == 1)
    assert view.ticket is not None and view.ticket.estimate_min == 4
    assert harness.desk.calls.count(("refresh", "20261123-A-004")) == 1
    assert harness.c.view.screen is Screen.TICKET
