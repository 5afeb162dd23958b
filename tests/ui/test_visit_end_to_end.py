"""A family's visit end to end on the real kiosk (bootstrap in simulator mode: the registry
simulator over HTTP, simulated printers and camera, the real decoder): three documents in one
visit from the attract screen within the issue's 16 taps, each its own reserve and commit, then
the satisfaction survey, kept in the kiosk's feedback store."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.engine.view import Screen
from tests.ui import test_end_to_end as e2e
from tests.ui.test_end_to_end import _click, _scan, _wait_screen

running = e2e.running  # the same fixture: the real kiosk in simulator mode, and its window

pytestmark = pytest.mark.slow


class TapCounter(QObject):
    """Counts presses on the citizen's buttons (what a tap is: a released press)."""

    def __init__(self) -> None:
        super().__init__()
        self.taps = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and isinstance(watched, QPushButton):
            self.taps += 1
        return False


def _family_kk(kiosk: Any) -> dict[str, Any]:
    """A ready KK voucher whose holder has at least two more ready documents."""
    ready = [v for v in kiosk.simulator.list_vouchers() if v["status"] == "ready"]
    counts = Counter(v["holder_nik"] for v in ready)
    return next(v for v in ready if v["doc"] == "kk" and counts[v["holder_nik"]] >= 3)


def _print_confirmed(qtbot, kiosk: Any, ui: Any) -> None:  # type: ignore[no-untyped-def]
    _wait_screen(qtbot, ui, Screen.CONFIRM)
    _click(qtbot, ui, "confirm_print")
    _wait_screen(qtbot, ui, Screen.DONE, timeout=60_000)


def test_three_documents_of_one_family_in_one_visit_within_16_taps(qtbot, running) -> None:
    kiosk, ui = running
    voucher = _family_kk(kiosk)
    counter = TapCounter()
    QApplication.instance().installEventFilter(counter)
    try:
        _wait_screen(qtbot, ui, Screen.ATTRACT)
        _click(qtbot, ui, "attract_tile_print")
        _wait_screen(qtbot, ui, Screen.SCAN)
        _scan(qtbot, kiosk, ui, voucher["token"], Screen.SCAN)
        _wait_screen(qtbot, ui, Screen.PIN)
        _click(qtbot, ui, *(f"pin_key_{d}" for d in voucher["pin"]))
        _print_confirmed(qtbot, kiosk, ui)
        printed = [ui.window.current_view.document.vid]  # type: ignore[union-attr]
        for _ in range(2):  # the family's next documents: no scan, no PIN
            assert ui.window.current_view.choices  # type: ignore[union-attr]
            _click(qtbot, ui, "done_more")
            _wait_screen(qtbot, ui, Screen.CHOOSE_DOCUMENT)
            _click(qtbot, ui, "choose_doc_0")
            _wait_screen(qtbot, ui, Screen.CONFIRM)
            printed.append(ui.window.current_view.document.vid)  # type: ignore[union-attr]
            _print_confirmed(qtbot, kiosk, ui)
        taps = counter.taps
    finally:
        QApplication.instance().removeEventFilter(counter)
    assert taps <= 16, taps
    assert len(set(printed)) == 3
    for vid in printed:  # each its own exactly-once transaction, committed at the registry
        qtbot.waitUntil(
            lambda v=vid: kiosk.simulator.voucher_state(v)["status"] == "printed", timeout=20_000
        )
    assert len(kiosk.journal.recent(None)) == 3
    _click(qtbot, ui, "done_finish")
    _wait_screen(qtbot, ui, Screen.SURVEY)
    _click(qtbot, ui, "survey_score_4", "survey_reason_0", "survey_send")
    _wait_screen(qtbot, ui, Screen.ATTRACT)
    assert kiosk.feedback is not None
    assert kiosk.feedback_sender is None  # no [queue] server: the answers stay on the kiosk
    [score] = kiosk.feedback.day(
        kiosk.feedback.pending()[0][1].at.astimezone(kiosk.feedback.tz).date()
    )
    assert (score.service, score.answers, score.ikm) == ("ADM", 1, 100.0)
    assert not kiosk.session.holds_personal_data
