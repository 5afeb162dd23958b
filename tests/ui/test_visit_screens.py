"""The screens of a whole visit (pytest-qt, offscreen): help without a code, the family's other
documents, service information, errors that hand over, the survey, the authenticity check that
does not overclaim. Each renders a view and sends intents; none decides anything."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.domain.documents import DocumentType
from kiosk.engine.view import (
    Back,
    ChooseDocument,
    DocumentSummary,
    Finish,
    MoreDocuments,
    Rate,
    Screen,
    ShowHelp,
    ShowInfo,
    TakeTicket,
)
from tests.ui.conftest import NOW
from tests.ui.test_panel_sizes import PANELS
from tests.ui.test_screens import button, label
from ui.demo.screen_checks import fit_problems, goal_problems
from ui.i18n.catalog import Catalog
from ui.theme import TouchMetrics, stylesheet
from ui.window import KioskWindow


def test_help_explains_and_takes_a_ticket_for_its_counter_in_one_tap(
    window, show, session, press, sample_views
) -> None:
    show(**sample_views["help"])
    assert "SMS, WhatsApp atau email" in label(window, "help_get_code").text()
    assert "lupa PIN" in label(window, "help_forgot").text()
    assert button(window, "help_take_ticket").text() == "Ambil nomor antrean: Konsultasi"
    press("help_take_ticket", "help_back")
    assert session.sent() == [TakeTicket(), Back()]
    show(**sample_views["help_no_queue"])  # a kiosk without a queue: it says where to go
    assert not button(window, "help_take_ticket").isVisible()
    assert label(window, "help_notice").text() == "Silakan datang ke loket pelayanan."
    show(**sample_views["help"], language="en")
    assert button(window, "help_take_ticket").text() == "Take a queue number: Consultation"


@pytest.mark.parametrize(("state", "name"), [("scan", "scan_help"), ("nik_entry", "nik_help"),
                                             ("pin", "pin_help")])  # fmt: skip
def test_the_help_is_one_tap_from_the_scan_nik_and_pin_screens(
    window, show, session, press, sample_views, state: str, name: str
) -> None:
    show(**sample_views[state])
    assert "PIN" in button(window, name).text()
    press(name)
    assert session.sent(ShowHelp) == [ShowHelp()]


def test_family_documents_say_who_each_is_about_in_both_languages(
    window, show, session, press, sample_views
) -> None:
    show(**sample_views["choose_family"])
    texts = [button(window, f"choose_doc_{i}").text() for i in range(3)]
    assert texts[1] == "Kartu Identitas Anak\nTI*** MA***** WI*****\nAnak, lahir 2015"
    assert texts[2].endswith("Anak, lahir 2015")
    show(**sample_views["choose_family"], language="en")
    assert button(window, "choose_doc_1").text().endswith("Child, born 2015")
    odd = DocumentSummary("V-9", DocumentType.KTP, "SI** RA******", None, None, "CUCU TIRI", 2001)
    show(screen=Screen.CHOOSE_DOCUMENT, choices=(odd,))
    assert button(window, "choose_doc_0").text().endswith("Cucu tiri, lahir 2001")  # as sent
    press("choose_doc_0")
    assert session.sent(ChooseDocument) == [ChooseDocument("V-9")]


def test_done_offers_the_familys_other_documents_then_finish(
    window, show, session, press, sample_views
) -> None:
    show(**sample_views["done_more"])
    assert button(window, "done_more").text() == (
        "Cetak dokumen keluarga lainnya (5 siap, tanpa PIN lagi)"
    )
    assert not label(window, "done_thanks").isVisible()
    assert label(window, "done_remember").isVisible()  # the reminder stays
    press("done_more", "done_finish")
    assert session.sent() == [MoreDocuments(), Finish()]
    assert "keluarga lainnya" in window.prompt_text()
    show(**sample_views["done"])
    assert not button(window, "done_more").isVisible()


def test_the_pin_asked_again_says_why(window, show, sample_views) -> None:
    show(**sample_views["pin_again"])
    assert "sekali lagi" in label(window, "pin_status").text()


def test_an_error_offers_its_counter_or_says_why_it_cannot(window, show, sample_views) -> None:
    show(**sample_views["error_closed_counter"])
    take = button(window, "error_take_ticket")
    assert take.isVisible() and not take.isEnabled()
    assert take.text() == "Pindah datang / keluar: Kuota antrean hari ini sudah habis."
    show(**sample_views["error"], notice="queue_closed")  # the ticket was refused after all
    assert label(window, "error_next").text() == "Layanan ini sedang tutup."


def test_service_information_list_and_one_service(
    window, show, session, press, sample_views
) -> None:
    show(**sample_views["info_list"])
    first = button(window, "info_topic_0")
    assert first.text() == "Kartu Keluarga\nDicetak di anjungan ini"
    press("info_topic_0")
    assert session.sent(ShowInfo) == [ShowInfo("doc:kk")]
    show(**sample_views["info_queue"])
    assert label(window, "info_title").text() == "Perubahan Kartu Keluarga"
    requirements = label(window, "info_requirements_value").text()
    assert requirements.splitlines() == [
        "• Kartu Keluarga lama", "• KTP-el", "• Dokumen pendukung perubahan",
    ]  # fmt: skip
    assert label(window, "info_fee_value").text() == "Rp 0 (gratis)"
    assert label(window, "info_time_value").text() == "± 60 menit"
    assert label(window, "info_hours_value").text() == "Buka 00:00–23:59 WIT"  # office zone
    assert "LAPOR!" in label(window, "info_complaint_value").text()
    press("info_take_ticket", "info_back")
    assert session.sent()[-2:] == [TakeTicket(), Back()]
    paid = replace(sample_views["info_queue"]["info"], fee_rp=350_000, sla_minutes=None)
    show(screen=Screen.INFO, info=paid, language="en")
    assert label(window, "info_fee_value").text() == "Rp 350.000"
    assert label(window, "info_time_value").text() == "Ask an officer"
    assert label(window, "info_requirements_value").text().startswith("• The old family card")
    show(**sample_views["info_document"])  # printed here: no ticket, no counter hours
    assert not button(window, "info_take_ticket").isVisible()
    assert not label(window, "info_hours_value").isVisible()


def test_service_information_from_the_menu_and_the_service_list(
    window, show, session, press, sample_views
) -> None:
    show(**sample_views["menu"])
    press("menu_info")
    show(**sample_views["service"])
    press("service_info")
    assert session.sent(ShowInfo) == [ShowInfo(), ShowInfo()]


def test_large_text_shows_the_information_in_two_parts(window, show, press, sample_views) -> None:
    show(**sample_views["info_queue"], large_text=True)
    assert label(window, "info_requirements_value").isVisible()
    assert not label(window, "info_complaint_value").isVisible()
    press("info_part")
    assert not label(window, "info_requirements_value").isVisible()
    assert label(window, "info_complaint_value").isVisible()
    assert label(window, "info_fee_value").isVisible()


def test_the_survey_asks_a_face_then_optional_reasons(
    window, show, session, press, sample_views
) -> None:
    show(**sample_views["survey"])
    assert [button(window, f"survey_score_{s}").text() for s in (1, 2, 3, 4)] == [
        "Tidak baik", "Kurang baik", "Baik", "Sangat baik",
    ]  # fmt: skip
    assert not button(window, "survey_send").isEnabled()
    assert not button(window, "survey_reason_0").isVisible()
    press("survey_score_2")
    assert button(window, "survey_reason_0").text() == "Lama"
    press("survey_reason_0", "survey_reason_3", "survey_score_4")  # another face: fresh chips
    assert button(window, "survey_reason_0").text() == "Cepat"
    assert not button(window, "survey_reason_0").isChecked()
    press("survey_reason_1", "survey_send")
    assert session.sent(Rate) == [Rate(4, ("easy",))]
    press("survey_skip")
    assert session.sent()[-1] == Back()
    show(screen=Screen.ATTRACT)
    show(**sample_views["survey"])  # a new session's survey starts empty
    assert not button(window, "survey_send").isEnabled()
    assert not button(window, "survey_score_4").isChecked()


def test_the_check_says_what_to_compare_in_large_text_too(window, show, sample_views) -> None:
    show(**sample_views["check_valid"], large_text=True)
    summary = label(window, "check_summary").text()
    assert summary.splitlines() == [
        "Atas nama BU** SAN*****", "Kartu Keluarga, 23-11-2026", "No. Dokumen KK-3201-000042",
    ]  # fmt: skip
    assert "kertas yang diubah" in label(window, "check_compare").text()
    assert not label(window, "check_number_value").isVisible()


SURVEY_AND_PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("survey", ("survey_score_2", "survey_reason_3")),  # the longest reasons: "Alat bermasalah"
    ("info_queue", ("info_part",)),  # the longest second part: counter hours as well
]


@pytest.mark.parametrize("panel", list(PANELS))
def test_chosen_faces_and_the_second_part_fit_every_panel(
    qapp, session, sample_views, panel: str
) -> None:
    """States the engine's views alone do not reach (a face chosen, the information's second
    part) checked like every screen: nothing clipped or overlapping, targets and text size."""
    width, height, scale = PANELS[panel]
    metrics = TouchMetrics(96, scale)
    sheet = qapp.styleSheet()
    qapp.setStyleSheet(stylesheet(metrics))
    window = KioskWindow(
        session, metrics=metrics, catalog=Catalog(strict=True), title="ADM Kecamatan Cibinong",
        tick=False, office_tz=ZoneInfo("Asia/Jakarta"), wallclock=lambda: NOW,
    )  # fmt: skip
    window.resize(width, height)
    window.show()
    problems: list[str] = []
    try:
        for large in (False, True):
            for language in ("id", "en"):
                for state, presses in SURVEY_AND_PARTS:
                    fields: dict[str, Any] = sample_views[state]
                    window.show_view(
                        session.publish_fresh(**fields, language=language, large_text=large)
                    )
                    for name in presses:
                        found = [b for b in window.findChildren(QPushButton, name) if b.isVisible()]
                        if found:  # the parts toggle exists in large landscape only
                            found[0].click()
                    for _ in range(3):
                        QApplication.processEvents()
                    found_problems = fit_problems(window)
                    if scale == 1.0:
                        found_problems += goal_problems(
                            window, large=large, portrait=height > width
                        )
                    tag = f"{panel} {language} {'large' if large else 'normal'} {state} {presses}"
                    problems += [f"{tag}: {p}" for p in found_problems]
    finally:
        window.shutdown()
        window.close()
        window.deleteLater()
        qapp.setStyleSheet(sheet)
    assert problems == []
