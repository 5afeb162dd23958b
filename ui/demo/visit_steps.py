"""The demo's walk through a whole visit: a family's three documents in one visit (a measured
journey), help without a code, service information, a ticket handed over from an error, and
the satisfaction survey. Each uses the real kiosk as a citizen would (ui.demo.script)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from kiosk.engine.view import Screen
from ui.demo.driver import DemoError
from ui.demo.supplies import step_of

FAMILY_GOAL_TAPS = 16  # issue 14: three documents of one family in one visit


def family_voucher(walk: Any) -> dict[str, Any]:
    """A KK voucher whose holder has at least two more ready documents (the family's)."""
    ready = [v for v in walk.kiosk.simulator.list_vouchers() if v.get("status") == "ready"]
    used = walk.vouchers.used
    counts = Counter(v["holder_nik"] for v in ready if v["vid"] not in used)
    for voucher in ready:
        family = counts[voucher["holder_nik"]] >= 3
        if voucher["doc"] == "kk" and voucher["vid"] not in used and family:
            walk.vouchers.reserve_holder(voucher["holder_nik"])
            return voucher
    raise DemoError("no family with three ready documents left in the simulator")


def _print_and_collect(walk: Any, label: str, caption: str | None) -> list[str]:
    d = walk.d
    d.wait_screen(Screen.CONFIRM)
    if caption:
        d.shot(caption)
    d.click("confirm_print")
    d.wait_until(
        lambda: (
            d.window.current_screen is not Screen.PRINTING
            or step_of(d.view()) in ("printing", "finishing")
        ),
        60.0,
        "printing",
    )
    d.wait_screen(Screen.DONE, timeout_s=60.0)
    files: list[str] = walk.tray.collect(label, d.wait_until)
    d.current.artefacts += [(f"{label} virtual paper", name) for name in files]
    return files


def family_visit(walk: Any) -> None:
    """Three documents of one family from the attract screen: the KK with its voucher QR and
    the PIN, then two more from "Cetak dokumen keluarga lainnya", no scan and no PIN again."""
    d = walk.d
    d.scenario("A family's three documents in one visit (no scan, no PIN again)")
    voucher = family_voucher(walk)
    d.wait_screen(Screen.ATTRACT)
    taps = d.taps
    walk.voucher_to_pin(voucher, shots=False, tile=True)
    walk.enter_pin(voucher["pin"])
    _print_and_collect(walk, "family-1", "Confirm: the scanned KK")
    d.shot("Done: the family's other documents are one tap away")
    printed = [d.view().document.vid if d.view().document else "?"]
    for number in (2, 3):
        d.click("done_more")
        d.wait_screen(Screen.CHOOSE_DOCUMENT)
        if number == 2:
            d.shot("The family's ready documents: type, masked name, relation, birth year")
        d.click("choose_doc_0")
        caption = "Confirm the next document (its own transaction)" if number == 2 else None
        d.wait_screen(Screen.CONFIRM)
        printed.append(d.view().document.vid if d.view().document else "?")
        _print_and_collect(walk, f"family-{number}", caption)
    d.measure.journey(
        "print three documents of one family in one visit", d.taps - taps, FAMILY_GOAL_TAPS, "done"
    )
    d.shot("Three documents printed: finish, or more")
    states = [walk.kiosk.simulator.voucher_state(vid).get("status") for vid in printed]
    d.current.note = f"vouchers after the visit: {', '.join(states)}"
    survey(walk, rate=True)


def survey(walk: Any, *, rate: bool) -> None:
    """From DONE/TICKET/CHECK_RESULT: "Selesai", then the survey (answered, or skipped)."""
    d = walk.d
    finish = next(
        name
        for name in ("done_finish", "ticket_finish", "check_finish", "error_finish")
        if _visible(d, name)
    )
    d.click(finish)
    d.wait_screen(Screen.SURVEY)
    if not rate:
        d.click("survey_skip")
        d.wait_screen(Screen.ATTRACT)
        return
    d.shot("Survey (IKM): four faces, skippable")
    d.click("survey_score_4")
    d.pump(30)
    d.shot("A face chosen: optional reasons")
    d.click("survey_reason_0", "survey_send")
    d.wait_screen(Screen.ATTRACT)
    store = walk.kiosk.feedback
    if store is not None:
        total, pending = store.counts()
        d.current.note += f"; survey answers kept: {total} (not yet sent: {pending})"


def _visible(d: Any, name: str) -> bool:
    from PySide6.QtWidgets import QPushButton

    return any(b.isVisible() for b in d.window.findChildren(QPushButton, name))


def help_without_code(walk: Any) -> None:
    d = walk.d
    d.scenario("No QR code yet, or a forgotten PIN: help, and the counter in one tap")
    walk.begin()
    d.click("menu_print")
    d.wait_screen(Screen.SCAN)
    d.click("scan_help")
    d.wait_screen(Screen.HELP)
    d.shot("Help: how to get the QR code and PIN, and a ticket for the counter")
    d.click("help_take_ticket")
    d.wait_screen(Screen.TICKET)
    d.shot("One tap: the ticket for the counter that helps")
    files = walk.tray.collect("ticket-help", d.wait_until)
    d.current.artefacts += [("ticket", name) for name in files]
    survey(walk, rate=False)


def service_information(walk: Any) -> None:
    d = walk.d
    d.scenario("Service information: requirements, fee, service time, complaints")
    walk.begin()
    d.click("menu_info")
    d.wait_screen(Screen.INFO_LIST)
    d.shot("Every document printed here and every counter service")
    d.click("info_topic_0")
    d.wait_screen(Screen.INFO)
    d.shot("A document printed here: requirements, Rp 0, minutes, LAPOR!")
    d.click("info_back")
    d.wait_screen(Screen.INFO_LIST)
    topics = d.view().topics
    index = next(i for i, t in enumerate(topics) if t.queue_code)
    while not _visible(d, f"info_topic_{index}"):
        d.click("info_topic_next")
    d.click(f"info_topic_{index}")
    d.wait_screen(Screen.INFO)
    d.shot("A counter service: requirements, fee, time, hours with the zone, and a ticket")
    d.click("info_back")
    d.wait_screen(Screen.INFO_LIST)
    d.click("info_list_back")
    d.wait_screen(Screen.MENU)
    d.click("menu_queue")
    d.wait_screen(Screen.SERVICE)
    d.click("service_info")
    d.wait_screen(Screen.INFO_LIST)
    d.shot("The same from the service list")
    walk.end_session()
