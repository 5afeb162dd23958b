"""Every citizen screen, driven like a user: views come from the engine, clicks become intents."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from kiosk.domain.documents import DocumentType
from kiosk.engine.view import (
    Back,
    Cancel,
    ChooseDocument,
    ChooseMenu,
    ChooseService,
    Confirm,
    DocumentSummary,
    EnterNik,
    EnterPin,
    ErrorView,
    Finish,
    MenuOption,
    Priority,
    ReprintTicket,
    Screen,
    SetLanguage,
    StartManualNik,
    StillHere,
    TakeTicket,
    Touch,
)
from ui.window import KioskWindow


def label(window: KioskWindow, name: str) -> QLabel:
    found = window.findChild(QLabel, name)
    assert found is not None, name
    return found


def button(window: KioskWindow, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    assert found is not None, name
    return found


def test_every_screen_has_a_page_and_renders(window, show, sample_views) -> None:
    seen = set()
    for fields in sample_views.values():
        show(**fields)
        assert window.current_screen is fields["screen"]
        assert window.current_page.isVisible()
        seen.add(fields["screen"])
    assert seen == set(Screen)


def test_attract_touch_starts(window, show, session, qtbot) -> None:
    show(screen=Screen.ATTRACT)
    qtbot.mouseClick(label(window, "attract_title"), Qt.MouseButton.LeftButton)
    assert session.sent() == [Touch()]  # beside the tiles: the menu
    assert not button(window, "home").isVisible()


@pytest.mark.parametrize(
    ("tile", "option"),
    [
        ("attract_tile_print", MenuOption.PRINT),
        ("attract_tile_queue", MenuOption.QUEUE),
        ("attract_tile_check", MenuOption.CHECK),
    ],
)
def test_attract_tiles_go_straight_to_their_flow(window, show, session, press, tile, option):  # type: ignore[no-untyped-def]
    show(screen=Screen.ATTRACT)
    press(tile)
    assert session.sent() == [Touch(), ChooseMenu(option)]  # one tap: start and choose


def test_menu_options_and_availability(window, show, session, press, sample_views) -> None:
    show(**sample_views["menu"])
    press("menu_print", "menu_queue", "menu_check")
    assert session.sent(ChooseMenu) == [
        ChooseMenu(MenuOption.PRINT),
        ChooseMenu(MenuOption.QUEUE),
        ChooseMenu(MenuOption.CHECK),
    ]
    show(**sample_views["menu_degraded"])
    assert not button(window, "menu_print").isEnabled()
    assert "Sedang tidak tersedia" in button(window, "menu_print").text()
    assert label(window, "menu_notice").isVisible()


def test_scan_manual_nik_and_back(window, show, session, press, sample_views) -> None:
    show(**sample_views["scan"])
    assert label(window, "scan_notice").text().startswith("Kode tidak dikenali")
    press("scan_manual_nik", "scan_back")
    assert session.sent() == [StartManualNik(), Back()]
    show(**sample_views["scan_busy"])
    assert label(window, "scan_notice").text() == "Memeriksa..."
    assert not button(window, "scan_manual_nik").isEnabled()


def test_nik_keypad_enters_sixteen_digits_masked_as_typed(window, show, session, press) -> None:
    show(screen=Screen.NIK_ENTRY)
    digits = "3201014508900001"
    assert not button(window, "nik_ok").isEnabled()
    assert not button(window, "nik_show").isEnabled()  # nothing to show yet
    press(*(f"nik_key_{d}" for d in digits[:15]))
    assert label(window, "nik_display").text() == "•••• •••• •••• ••0_"  # only the last typed
    press("nik_show")
    assert label(window, "nik_display").text() == "3201 0145 0890 000_"
    assert button(window, "nik_show").text() == "Sembunyikan NIK"
    press("nik_show")
    assert label(window, "nik_display").text() == "•••• •••• •••• ••0_"
    assert not button(window, "nik_ok").isEnabled()
    press("nik_key_9", "nik_delete", "nik_key_1")  # a slip, corrected
    press("nik_key_5")  # a 17th digit is ignored
    press("nik_ok")
    assert session.sent(EnterNik) == [EnterNik(digits)]
    assert label(window, "nik_display").text() == "____ ____ ____ ____"  # wiped after sending


def test_a_shown_nik_is_hidden_again_when_the_page_is_left(window, show, press) -> None:
    show(screen=Screen.NIK_ENTRY)
    press("nik_key_3", "nik_key_2", "nik_show")
    assert label(window, "nik_display").text().startswith("32")
    show(screen=Screen.SCAN)
    show(screen=Screen.NIK_ENTRY)
    press("nik_key_7")
    assert label(window, "nik_display").text() == "7___ ____ ____ ____"
    press("nik_key_1")
    assert label(window, "nik_display").text() == "•1__ ____ ____ ____"


def test_pin_is_masked_and_sent_on_its_sixth_digit(window, show, session, press) -> None:
    show(screen=Screen.PIN)
    continues = window.findChildren(QPushButton, "pin_ok")
    assert not any(b.isVisible() for b in continues)  # no continue key: the sixth digit sends
    press("pin_key_1", "pin_key_2", "pin_key_3")
    text = label(window, "pin_display").text()
    assert "1" not in text and text.count("●") == 3 and text.count("○") == 3
    press("pin_clear")
    assert label(window, "pin_display").text().count("●") == 0
    press(*(f"pin_key_{d}" for d in "13579"))
    assert session.sent(EnterPin) == []
    press("pin_key_0")
    assert session.sent(EnterPin) == [EnterPin("135790")]
    assert label(window, "pin_display").text().count("●") == 0  # wiped once sent


def test_wrong_pin_shows_attempts_and_starts_empty(window, show, press, sample_views) -> None:
    show(screen=Screen.PIN)
    press("pin_key_4", "pin_key_4")
    show(**sample_views["pin_wrong"])
    assert label(window, "pin_status").text() == "PIN salah. Sisa percobaan: 2"
    assert label(window, "pin_display").text().count("●") == 0


def test_locked_pin_disables_the_keypad(window, show, sample_views) -> None:
    show(**sample_views["pin_locked"])
    assert "terkunci" in label(window, "pin_status").text()
    assert not button(window, "pin_key_1").isEnabled()
    assert not button(window, "pin_clear").isEnabled()


def test_choose_document_sends_its_vid(window, show, session, press, sample_views) -> None:
    show(**sample_views["choose_document"])
    assert "Kartu Keluarga" in button(window, "choose_doc_0").text()
    assert button(window, "choose_doc_2").isVisible()  # three documents: all on one page
    press("choose_doc_1")
    assert session.sent(ChooseDocument) == [ChooseDocument("V-AK-2")]
    show(**sample_views["choose_none"])
    assert label(window, "choose_empty").isVisible()


def test_choose_document_names_whom_each_document_is_about(window, show, press) -> None:
    parent = "BU** SAN*****"
    kk = DocumentSummary("V-KK-1", DocumentType.KK, parent)
    children = [
        DocumentSummary(f"V-KIA-{i}", DocumentType.KIA, parent, subject_masked=f"A{'*' * i} S***")
        for i in range(1, 10)
    ]
    show(screen=Screen.CHOOSE_DOCUMENT, choices=(kk, *children))
    assert parent in button(window, "choose_doc_0").text()
    assert "A* S***" in button(window, "choose_doc_1").text()  # the child's name, not the parent's
    assert "A** S***" in button(window, "choose_doc_2").text()
    # Every one can be reached, a page at a time (six and "enter the NIK again" lost the rest).
    more = [
        DocumentSummary(f"V-BIO-{i}", DocumentType.BIODATA, parent, None, f"B{'*' * i} S***")
        for i in range(1, 13)
    ]
    show(screen=Screen.CHOOSE_DOCUMENT, choices=(kk, *children, *more))
    seen: set[str] = set()
    for _ in range(30):
        seen |= {
            b.text() for b in window.findChildren(QPushButton)
            if b.objectName().startswith("choose_doc_") and b.objectName()[-1].isdigit()
            and b.isVisible()
        }  # fmt: skip
        forward = button(window, "choose_doc_next")
        if not (forward.isVisible() and forward.isEnabled()):
            break
        assert "lagi" in forward.text()
        press("choose_doc_next")
    assert len(seen) == 22  # each tile's text is distinct: every document was shown
    show(screen=Screen.CHOOSE_DOCUMENT, choices=(kk,))
    assert not button(window, "choose_doc_next").isVisible()


def test_confirm_shows_type_and_masked_name(window, show, session, press, sample_views) -> None:
    show(**sample_views["confirm"])
    assert label(window, "confirm_doc_value").text() == "Kartu Keluarga"
    assert label(window, "confirm_holder_value").text() == "BU** SAN***** WI*******"
    assert "A4" in label(window, "confirm_media").text()
    press("confirm_print", "confirm_back", "confirm_cancel")
    assert session.sent() == [Confirm(), Back(), Cancel()]
    show(**sample_views["confirm_card"])
    assert "kartu" in label(window, "confirm_media").text()


def test_printing_steps_and_progress(window, show, sample_views) -> None:
    show(**sample_views["printing"])
    bar = window.findChild(QProgressBar, "printing_progress")
    assert bar is not None and bar.value() == 600
    assert label(window, "printing_step_reserving").text().startswith("✓")
    assert label(window, "printing_step_printing").text().startswith("▶")
    assert label(window, "printing_step_finishing").text().startswith("•")
    assert not button(window, "home").isVisible()  # a print under way is not cancelled


def test_done_says_take_your_document(window, show, session, press, sample_views) -> None:
    show(**sample_views["done"])
    assert label(window, "done_title").text() == "Silakan ambil dokumen Anda"
    assert not button(window, "done_more").isVisible()
    press("done_finish")
    assert session.sent() == [Finish()]  # the survey next, then the end


def test_error_says_what_next_and_reference(window, show, session, press, sample_views) -> None:
    show(**sample_views["error"])
    assert "Kertas printer habis" in label(window, "error_what").text()
    assert "antrean" in label(window, "error_next").text()
    assert label(window, "error_reference").text() == "Kode untuk petugas: TX-7F3A21"
    assert button(window, "error_take_ticket").text() == "Ambil nomor antrean: Konsultasi"
    press("error_take_ticket")
    assert session.sent() == [TakeTicket()]  # one tap: the engine knows which service
    show(**sample_views["error_locked"])
    assert not button(window, "error_take_ticket").isVisible()  # no counter service offered
    assert "pukul" in label(window, "error_what").text()
    assert "WIT" in label(window, "error_what").text()  # the lock's time carries its zone


def test_service_choice_with_priority(window, show, session, press, sample_views) -> None:
    show(**sample_views["service"])
    text = button(window, "service_A").text()
    assert "Perekaman KTP-el" in text and "12 orang menunggu" in text and "08:00" in text
    assert not button(window, "service_C").isEnabled()
    assert "Kuota" in button(window, "service_C").text()
    press("service_B")
    assert "Tanpa antrean prioritas" not in button(window, "service_E").text()
    assert button(window, "priority_open").text() == "Antrean prioritas: Tidak"
    press("priority_open", "priority_elderly")
    assert button(window, "priority_open").text() == "Antrean prioritas: Lansia"
    assert not button(window, "service_E").isEnabled()  # no priority queue there
    assert "Tanpa antrean prioritas" in button(window, "service_E").text()  # and it says so
    press("service_A")
    assert session.sent(ChooseService) == [
        ChooseService("B", None),
        ChooseService("A", Priority.ELDERLY),
    ]


def test_ticket_not_printed_offers_reprint(window, show, session, press, sample_views) -> None:
    show(**sample_views["ticket"])
    assert label(window, "ticket_number").text() == "A-042"
    assert label(window, "ticket_priority").text() == "Prioritas: Lansia"
    press("ticket_reprint", "ticket_finish")
    assert session.sent() == [ReprintTicket(), Finish()]
    fields: dict[str, Any] = dict(sample_views["ticket"])
    fields["ticket"] = fields["ticket"].__class__(
        **{**{f: getattr(fields["ticket"], f) for f in fields["ticket"].__slots__}, "printed": True}
    )
    show(**fields)
    assert not button(window, "ticket_reprint").isVisible()
    assert label(window, "ticket_status").text() == "Ambil tiket di bawah layar"


def test_check_results(window, show, session, press, sample_views) -> None:
    show(**sample_views["check_valid"])
    assert label(window, "check_verdict").text().endswith("Kode QR ini sah, diterbitkan untuk:")
    assert label(window, "check_number_value").text() == "KK-3201-000042"
    assert "Bandingkan dengan kertasnya" in label(window, "check_compare").text()
    show(**sample_views["check_invalid"])
    assert label(window, "check_verdict").text().endswith("Kode QR ini TIDAK DAPAT DIPASTIKAN")
    assert not label(window, "check_compare").isVisible()
    assert "diubah" in label(window, "check_reason").text()
    assert not label(window, "check_number_value").isVisible()
    press("check_again")
    assert session.sent() == [Back(), ChooseMenu(MenuOption.CHECK)]


def test_language_toggle_and_english_texts(window, show, session, press, sample_views) -> None:
    show(**sample_views["menu"])
    assert button(window, "lang_toggle").text() == "English"
    press("lang_toggle")
    assert session.sent(SetLanguage) == [SetLanguage("en")]
    show(**sample_views["menu"], language="en")
    assert label(window, "menu_title").text() == "What would you like to do?"
    assert button(window, "lang_toggle").text() == "Bahasa Indonesia"
    press("lang_toggle")
    assert session.sent(SetLanguage)[-1] == SetLanguage("id")


def test_language_toggle_on_every_screen(window, show, sample_views) -> None:
    for fields in sample_views.values():
        show(**fields)
        assert button(window, "lang_toggle").isVisible(), fields["screen"]


def test_inactivity_warning_counts_down(window, show, session, press, sample_views) -> None:
    show(**sample_views["warning"])
    assert window.overlay.isVisible()
    assert "7 detik" in label(window, "warning_countdown").text()
    press("warning_still_here")
    assert StillHere() in session.sent(StillHere)
    show(**sample_views["menu"])
    assert not window.overlay.isVisible()


def test_home_cancels_the_session(window, show, session, press, sample_views) -> None:
    show(**sample_views["confirm"])
    press("home")
    assert Cancel() in session.sent()


def test_views_from_the_engine_thread_are_rendered_on_the_gui_thread(
    qtbot, window, session
) -> None:
    rendered_on: list[threading.Thread] = []
    window.screen_shown.connect(lambda _: rendered_on.append(threading.current_thread()))
    worker = threading.Thread(target=lambda: session.publish_fresh(screen=Screen.MENU))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: window.current_screen is Screen.MENU)
    assert rendered_on == [threading.main_thread()]


def test_stale_views_are_ignored(window, show) -> None:
    newer = show(screen=Screen.MENU)
    older = newer.__class__(screen=Screen.ATTRACT, seq=newer.seq - 1)
    window.show_view(older)
    assert window.current_screen is Screen.MENU


def test_tick_timer_sends_monotonic_ticks(qtbot, qapp, session, metrics) -> None:
    from kiosk.engine.view import Tick
    from ui.i18n.catalog import Catalog

    win = KioskWindow(session, metrics=metrics, catalog=Catalog(strict=True), title="t")
    qtbot.addWidget(win)
    win.tick_timer.setInterval(10)
    try:
        qtbot.waitUntil(lambda: sum(isinstance(i, Tick) for i in session.intents) >= 2)
    finally:
        win.shutdown()
    ticks = [i for i in session.intents if isinstance(i, Tick)]
    assert ticks[1].now >= ticks[0].now
    assert session.listener_count == 0  # unsubscribed


@pytest.mark.parametrize(("taps", "expected"), [(5, True), (4, False)])
def test_hidden_technician_gesture(qtbot, window, show, taps, expected) -> None:
    from PySide6.QtCore import QPoint, Qt

    show(screen=Screen.ATTRACT)
    fired: list[bool] = []
    window.technician_requested.connect(lambda: fired.append(True))
    target = window.childAt(QPoint(4, 4)) or window
    for _ in range(taps):
        qtbot.mouseClick(
            target, Qt.MouseButton.LeftButton, pos=target.mapFrom(window, QPoint(4, 4))
        )
    assert bool(fired) is expected


def test_every_interactive_widget_has_an_object_name(window, show, sample_views) -> None:
    from PySide6.QtWidgets import QAbstractButton

    for fields in sample_views.values():
        show(**fields)
    unnamed = [type(w).__name__ for w in window.findChildren(QAbstractButton) if not w.objectName()]
    assert unnamed == []


def test_demo_report_lists_every_shot_in_order(tmp_path) -> None:
    from ui.demo.driver import Scenario, Shot
    from ui.demo.report import write_index

    scenarios = [Scenario("Print <KK>", 0.0, 3.5), Scenario("Queue", 3.5, 5.0, ok=False, note="x")]
    scenarios[0].artefacts.append(("kk virtual paper", "kk-1.pdf"))
    shots = [
        Shot("Print <KK>", "Attract", "attract", "001-attract.png", 0.1),
        Shot("Print <KK>", "Menu", "menu", "002-menu.png", 0.5),
        Shot("Queue", "Ticket", "ticket", "003-ticket.png", 4.0),
    ]
    health = {"camera": {"ok": True, "level": "internal", "text": "streaming", "ms": 1.2}}
    index = write_index(tmp_path, scenarios, shots, health, total_s=5.0, title="Demo")
    html = index.read_text(encoding="utf-8")
    assert html.index("001-attract.png") < html.index("002-menu.png") < html.index("003-ticket")
    assert "Print &lt;KK&gt;" in html and "<KK>" not in html  # escaped
    assert "FAILED" in html and 'href="kk-1.pdf"' in html and "streaming" in html


def test_a_touch_anywhere_on_the_attract_loop_starts(qtbot, window, show, session) -> None:
    from PySide6.QtCore import Qt

    show(screen=Screen.ATTRACT)
    qtbot.mouseClick(label(window, "attract_slide"), Qt.MouseButton.LeftButton)
    assert session.sent() == [Touch()]


def test_warm_up_renders_hidden_pages_but_never_the_one_shown(
    qtbot, window, show, session, sample_views
) -> None:
    show(screen=Screen.ATTRACT)
    window.warm_up()  # the menu page is still hidden when the warm-up is planned ...
    window.show_view(session.publish_fresh(**sample_views["menu_degraded"]))  # ... then shown
    qtbot.waitUntil(lambda: not window.warming)
    assert window.current_screen is Screen.MENU
    assert not button(window, "menu_print").isEnabled()  # still the engine's view, not a sample


def test_a_tap_beside_the_warning_also_keeps_the_session(qtbot, window, show, session):
    from PySide6.QtCore import QPoint, Qt

    show(screen=Screen.MENU, warning_seconds_left=5)
    assert window.overlay.isVisible()
    qtbot.mouseClick(window.overlay, Qt.MouseButton.LeftButton, pos=QPoint(5, 300))
    assert session.sent(StillHere) == [StillHere()]
    assert session.sent(ChooseMenu) == []  # the menu behind the dimmed screen was not pressed


def test_lock_times_are_the_office_local_time(window, show) -> None:
    locked = datetime(2026, 11, 23, 15, 42, tzinfo=UTC)  # 00:42 next day in Jayapura (WIT)
    show(screen=Screen.PIN, locked_until=locked)
    assert "00:42" in label(window, "pin_status").text()
    show(
        screen=Screen.ERROR, locked_until=locked, error=ErrorView("LOCKED", "contact_officer", "R1")
    )
    assert "00:42" in label(window, "error_what").text()
    assert "15:42" not in label(window, "error_what").text()


@pytest.mark.parametrize(
    ("zone", "expected"),
    [("Asia/Jakarta", "WIB"), ("Asia/Pontianak", "WIB"), ("Asia/Makassar", "WITA"),
     ("Asia/Jayapura", "WIT")],
)  # fmt: skip
def test_the_lock_shows_the_office_zone_and_the_date_when_not_today(
    qtbot, metrics, session, zone: str, expected: str
) -> None:
    from zoneinfo import ZoneInfo

    from ui.i18n.catalog import Catalog

    now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 WIB, 11:00 WITA, 12:00 WIT
    window = KioskWindow(
        session, metrics=metrics, catalog=Catalog(strict=True), title="ADM", tick=False,
        office_tz=ZoneInfo(zone), wallclock=lambda: now,
    )  # fmt: skip
    qtbot.addWidget(window)
    window.show()
    for lock, with_date in ((timedelta(minutes=15), False), (timedelta(hours=24), True)):
        view = session.publish_fresh(screen=Screen.PIN, locked_until=now + lock)
        qtbot.waitUntil(
            lambda v=view: window.current_view is not None and window.current_view.seq == v.seq
        )
        text = label(window, "pin_status").text()
        local = (now + lock).astimezone(ZoneInfo(zone))
        assert f"{local:%H:%M} {expected}" in text
        assert ("24-11-2026" in text) is with_date, text
    window.shutdown()
