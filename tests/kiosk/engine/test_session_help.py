"""The session's help and comfort intents: large text and the staff call, on any screen."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.config.models import UISettings
from kiosk.domain.sim_keys import SIM_KID
from kiosk.engine.session import SessionController
from kiosk.engine.session_flows import SessionDeps
from kiosk.engine.view import (
    CallStaff,
    Cancel,
    ChooseMenu,
    DismissStaffCall,
    MenuOption,
    Screen,
    SessionView,
    SetLargeText,
    Tick,
    Touch,
)
from kiosk.staffcall import StaffCall, StaffCaller

MOMENT = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)


class RecordingSink:
    name = "recording"

    def __init__(self) -> None:
        self.calls: list[StaffCall] = []

    def deliver(self, call: StaffCall) -> None:
        self.calls.append(call)


class Harness:
    def __init__(
        self,
        controller: SessionController,
        staff: StaffCaller,
        sink: RecordingSink,
        clock: list[float],
    ) -> None:
        self.c, self.staff, self.sink, self.clock = controller, staff, sink, clock

    def tick(self, seconds: float) -> SessionView:
        self.clock[0] += seconds
        return self.send(Tick(self.clock[0]))

    def send(self, *intents: Any) -> SessionView:
        for intent in intents:
            self.c.send(intent)
        assert self.c.wait_idle(5.0)
        return self.c.view

    def delivered(self) -> list[StaffCall]:
        assert self.staff.wait_idle(5.0)
        return self.sink.calls


@pytest.fixture
def help_session(engine: Any) -> Any:
    from kiosk.domain.voucher import public_key_from_text

    sink = RecordingSink()
    clock = [1000.0]
    staff = StaffCaller(
        [sink], kiosk_id="KIOSK-7", wallclock=lambda: MOMENT, monotonic=lambda: clock[0]
    )
    deps = SessionDeps(
        ui=UISettings(inactivity_warn_s=60, inactivity_wipe_s=10, session_cap_s=600),
        voucher_keys={SIM_KID: public_key_from_text("SFIEpK1DbOjDPWIFvTtmmh13fpYxZik_RwOwFkZrA3k")},
        registry=engine.registry,
        transaction=engine.transaction,
        printers=engine.printers,
        monotonic=lambda: clock[0],
        staff=staff,
    )
    controller = SessionController(deps)
    controller.start()
    harness = Harness(controller, staff, sink, clock)
    yield harness
    controller.stop()
    staff.close()


def test_a_staff_call_from_a_screen_says_someone_is_coming_and_keeps_the_screen(
    help_session: Harness,
) -> None:
    help_session.send(Touch(), ChooseMenu(MenuOption.PRINT))
    view = help_session.send(CallStaff())
    assert view.screen is Screen.SCAN  # not a dead end: the flow goes on behind the panel
    assert view.staff_called_at == MOMENT
    [call] = help_session.delivered()
    assert (call.screen, call.kiosk) == ("scan", "KIOSK-7")
    view = help_session.send(DismissStaffCall())
    assert view.staff_called_at is None and view.screen is Screen.SCAN


def test_a_staff_call_from_the_attract_loop_starts_a_session_so_it_can_end(
    help_session: Harness,
) -> None:
    view = help_session.send(CallStaff())
    assert view.screen is Screen.MENU and view.staff_called_at == MOMENT
    assert [c.screen for c in help_session.delivered()] == ["attract"]
    view = help_session.send(Cancel())
    assert view.screen is Screen.ATTRACT and view.staff_called_at is None


def test_large_text_lasts_the_session_and_the_next_citizen_starts_normal(
    help_session: Harness,
) -> None:
    view = help_session.send(SetLargeText(True), Touch(), ChooseMenu(MenuOption.PRINT))
    assert view.large_text and view.screen is Screen.SCAN
    assert help_session.send(SetLargeText(False)).large_text is False
    help_session.send(SetLargeText(True))
    view = help_session.send(Cancel())
    assert view.screen is Screen.ATTRACT and view.large_text is False


def test_the_inactivity_wipe_ends_large_text_and_the_staff_panel(help_session: Harness) -> None:
    view = help_session.send(Touch(), SetLargeText(True), CallStaff())
    assert view.large_text and view.staff_called_at is not None
    assert help_session.tick(61).warning_seconds_left is not None
    view = help_session.tick(10)
    assert view.screen is Screen.ATTRACT
    assert (view.large_text, view.staff_called_at) == (False, None)


def test_without_a_staff_caller_the_press_is_logged_not_faked(
    engine: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from kiosk.domain.voucher import public_key_from_text

    deps = SessionDeps(
        ui=UISettings(),
        voucher_keys={SIM_KID: public_key_from_text("SFIEpK1DbOjDPWIFvTtmmh13fpYxZik_RwOwFkZrA3k")},
        registry=engine.registry,
        transaction=engine.transaction,
        printers=engine.printers,
    )
    controller = SessionController(deps)
    controller.start()
    try:
        controller.send(Touch())
        controller.send(CallStaff())
        assert controller.wait_idle(5.0)
        assert controller.view.staff_called_at is None
        assert "no staff caller is wired" in caplog.text
    finally:
        controller.stop()
