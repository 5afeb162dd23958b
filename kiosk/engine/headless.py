"""Drive one print session without a screen: what ``kiosk session`` and the benchmarks do."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.engine.session import SessionController
from kiosk.engine.view import (
    Cancel,
    ChooseMenu,
    CodeScanned,
    Confirm,
    EnterPin,
    MenuOption,
    Screen,
    SessionView,
    Touch,
)


@dataclass(frozen=True, slots=True)
class HeadlessOutcome:
    label: str  # printed / released / suspect / an error code
    txid: str | None
    pages: int
    view: SessionView  # the last view (DONE or ERROR), before the session ends

    @property
    def printed(self) -> bool:
        return self.label == "printed"


def run_print_session(
    controller: SessionController, token: str, pin: str, *, timeout_s: float = 900.0
) -> HeadlessOutcome:
    """Touch, choose print, scan ``token``, enter ``pin``, confirm; then end the session."""
    controller.last_result = None
    for intent in (Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(token, "qr"), EnterPin(pin)):
        controller.send(intent)
    controller.wait_idle(timeout_s)
    if controller.view.screen is Screen.CONFIRM:
        controller.send(Confirm())
        controller.wait_idle(timeout_s)
    view = controller.view
    result = controller.last_result
    if result is not None:
        label = result.label
    elif view.error is not None:
        label = view.error.code
    else:
        label = (view.notice or "SESSION_INCOMPLETE").upper()
    if view.screen is not Screen.ATTRACT:
        controller.send(Cancel())
        controller.wait_idle(timeout_s)
    txid = result.txid if result else None
    return HeadlessOutcome(label, txid, result.pages if result else 0, view)
