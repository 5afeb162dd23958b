"""The demo's walk-through: each scenario is what a citizen (or the simulator) does, in order.

Vouchers, PINs and NIKs come from the registry simulator's own list; codes reach the kiosk
through the simulated camera, so the real decoder reads them.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from devices.faults import Fault
from devices.ports import CodeFormat
from kiosk.engine.view import Screen
from ui.demo.driver import DemoDriver, DemoError
from ui.demo.supplies import PaperTray, VoucherPicker, step_of
from ui.demo.visit_steps import survey

log = logging.getLogger(__name__)

WRONG_PIN = "000000"


class Walkthrough:
    def __init__(self, driver: DemoDriver, kiosk: Any, out: Path) -> None:
        self.d = driver
        self.kiosk = kiosk
        self.out = out
        self.camera = kiosk.devices.get("camera")
        self.vouchers = VoucherPicker(kiosk.simulator.list_vouchers())
        self.tray = PaperTray(kiosk.paper_dir, out)
        self.claim_text: str | None = None

    # -- small steps ------------------------------------------------------------------------

    def begin(self) -> None:
        """From the attract loop to the menu: a touch beside the tiles."""
        d = self.d
        d.wait_screen(Screen.ATTRACT)
        attract = d.window.pages[Screen.ATTRACT]
        d.tap(getattr(attract, "title", attract))
        d.wait_screen(Screen.MENU)

    def show_code(self, text: str, fmt: CodeFormat, leave: Screen) -> None:
        """Hold a code to the simulated camera until the kiosk moves on from ``leave``."""
        d = self.d
        self.wait_preview(leave)
        # The citizen's hand, not the kiosk: drawing the code into the camera scene is heavy
        # image work that must not run on (and be counted against) the GUI thread.
        holder = threading.Thread(target=self.camera.present, args=(text, fmt), name="hand")
        holder.start()
        d.wait_until(lambda: not holder.is_alive(), 10.0, "the code to be held up")
        try:
            d.wait_until(
                lambda: d.window.current_screen is not leave or d.view().busy,
                20.0,
                "the code to be read",
            )
        finally:
            self.camera.remove()

    def wait_preview(self, screen: Screen) -> None:
        """Wait until the scan page's live preview shows camera frames."""
        preview = getattr(self.d.window.pages[screen], "preview", None)
        if preview is not None:
            self.d.wait_until(preview.has_frame, 10.0, "the camera preview")

    def voucher_to_pin(self, voucher: dict[str, Any], *, shots: bool, tile: bool = False) -> None:
        """To the scan screen (from the attract tile, or the menu), show the QR, on to the PIN."""
        d = self.d
        d.click("attract_tile_print" if tile else "menu_print")
        d.wait_screen(Screen.SCAN)
        if shots:
            self.wait_preview(Screen.SCAN)
            d.shot("Scan: live camera with where to hold the code")
        self.show_code(voucher["token"], CodeFormat.QR, Screen.SCAN)
        d.wait_screen(Screen.PIN)

    def enter_pin(self, pin: str, caption: str | None = None) -> None:
        """Type the PIN; its sixth digit sends it (a shot before that one, with ``caption``)."""
        d = self.d
        d.type_digits("pin", pin[:-1])
        if caption:
            d.shot(caption)
        d.type_digits("pin", pin[-1])
        d.wait_until(lambda: not d.view().busy and d.view().seq > 0, 20.0, "the PIN check")
        d.pump(50)

    def end_session(self) -> None:
        d = self.d
        if d.window.current_screen is not Screen.ATTRACT:
            d.click("home")
        d.wait_screen(Screen.ATTRACT)

    def wait_after_pin(self) -> Screen:
        d = self.d
        d.wait_until(
            lambda: (
                d.window.current_screen is not Screen.PIN
                or d.view().notice is not None
                or d.view().attempts_left is not None
            ),
            20.0,
            "the registry's answer",
        )
        d.pump(30)
        screen = d.window.current_screen
        assert screen is not None
        return screen

    # -- scenarios --------------------------------------------------------------------------

    def print_document(self, doc: str, title: str, *, english: bool = False) -> None:
        """Print ``doc`` with a voucher: one tap on the attract tile, the QR, the PIN (its
        sixth digit sends it), "print now": the KK's taps are the issue's journey goal."""
        d = self.d
        d.scenario(title)
        voucher = self.vouchers.take(doc)
        d.wait_screen(Screen.ATTRACT)
        d.shot("Attract loop: the tiles are buttons")
        if english:
            d.click("lang_toggle")
            d.wait_until(lambda: d.view().language == "en", 5.0, "English")
        taps = d.taps
        self.voucher_to_pin(voucher, shots=True, tile=True)
        d.shot("PIN keypad")
        self.enter_pin(voucher["pin"], "PIN typed: only dots are shown")
        d.wait_screen(Screen.CONFIRM)
        d.shot("Confirm: document type and masked name")
        d.click("confirm_print")
        d.wait_until(lambda: d.window.current_screen is Screen.PRINTING, 10.0, "printing")
        d.wait_until(
            lambda: (
                d.window.current_screen is not Screen.PRINTING
                or step_of(d.view()) in ("printing", "finishing")
            ),
            30.0,
            "the printing step",
        )
        if d.window.current_screen is Screen.PRINTING:
            d.shot("Printing: steps and progress")
        d.wait_screen(Screen.DONE, timeout_s=60.0)
        if doc == "kk":
            d.measure.journey("print a KK with a voucher QR", d.taps - taps, 8, "done")
        d.shot("Done: take your document, and your phone and card")
        files = self.tray.collect(doc, d.wait_until)
        d.current.artefacts += [(f"{doc} virtual paper", name) for name in files]
        finish_and_skip_survey(self)
        if doc == "kk":
            self.claim_text = self._claim_from(files)
        if english and d.view().language != "id":  # a new session starts in Bahasa Indonesia
            d.click("lang_toggle")
            d.wait_until(lambda: d.view().language == "id", 5.0, "Bahasa Indonesia")

    def _claim_from(self, files: list[str]) -> str | None:
        """The verification QR's text, read from the printed page with the real decoder."""
        import cv2

        reader = self.kiosk.devices.code_reader
        for name in files:
            if name.endswith(".png"):
                image = cv2.imread(str(self.out / name))
                for code in reader.decode(image) if image is not None else []:
                    if code.text.startswith("ADMDOC1."):
                        return str(code.text)
        log.warning("demo: no verification QR found on the printed page")
        return None

    def identify_by_nik(self) -> None:
        d = self.d
        d.scenario("Print without a QR: NIK typed on the keypad")
        nik, pin = self.vouchers.holder_with_shared_pin()
        self.begin()
        d.click("menu_print")
        d.wait_screen(Screen.SCAN)
        d.click("scan_manual_nik")
        d.wait_screen(Screen.NIK_ENTRY)
        d.type_digits("nik", nik[:10])
        d.shot("NIK keypad, part typed: only the last digit shows")
        d.click("nik_show")
        d.shot("Shown to check it (10 of 16 digits here)")
        d.click("nik_show")
        d.type_digits("nik", nik[10:])
        d.shot("All 16 typed, masked: nothing readable over a shoulder")
        d.click("nik_ok")
        d.wait_screen(Screen.PIN)
        self.enter_pin(pin)
        screen = self.wait_after_pin()
        d.shot("Ready documents for this NIK" if screen is Screen.CHOOSE_DOCUMENT else "Confirm")
        if screen is Screen.CHOOSE_DOCUMENT:
            d.click("choose_doc_0")
            d.wait_screen(Screen.CONFIRM)
            d.shot("Confirm the chosen document")
        d.current.note = "cancelled at the confirm screen: nothing printed, voucher still ready"
        self.end_session()

    def nik_barcode(self) -> None:
        d = self.d
        d.scenario("Print with the NIK barcode on an ID card")
        nik, pin = self.vouchers.holder_with_shared_pin()
        self.begin()
        d.click("menu_print")
        d.wait_screen(Screen.SCAN)
        self.show_code(nik, CodeFormat.CODE128, Screen.SCAN)
        d.wait_screen(Screen.PIN)
        d.shot("The NIK barcode was read: now the PIN")
        self.enter_pin(pin)
        screen = self.wait_after_pin()
        d.shot("The ready document for this NIK")
        d.current.note = f"cancelled at {screen.value}: nothing printed, the voucher stays ready"
        self.end_session()

    def wrong_pin(self) -> None:
        d = self.d
        d.scenario("A wrong PIN")
        voucher = self.vouchers.take()
        self.begin()
        self.voucher_to_pin(voucher, shots=False)
        self.enter_pin(WRONG_PIN if voucher["pin"] != WRONG_PIN else "111111")
        self.wait_after_pin()
        d.shot("Wrong PIN: tries left")
        self.end_session()

    def locked_voucher(self) -> None:
        d = self.d
        d.scenario("A voucher locked after three wrong PINs")
        voucher = self.vouchers.take()
        self.begin()
        self.voucher_to_pin(voucher, shots=False)
        wrong = WRONG_PIN if voucher["pin"] != WRONG_PIN else "111111"
        for _ in range(3):
            if d.window.current_screen is not Screen.PIN:
                break
            self.enter_pin(wrong)
            self.wait_after_pin()
        d.wait_screen(Screen.ERROR)
        d.shot("Locked: what happened, what next, reference")
        finish_and_skip_survey(self)

    def queue_ticket_two_taps(self) -> None:
        d = self.d
        d.scenario("A queue ticket in two taps from the attract loop")
        d.wait_screen(Screen.ATTRACT)
        taps = d.taps
        d.click("attract_tile_queue")
        d.wait_screen(Screen.SERVICE)
        d.shot("One tap: the services")
        d.click("service_B")
        d.wait_screen(Screen.TICKET)
        d.measure.journey("a queue ticket", d.taps - taps, 2, "ticket")
        d.shot("Two taps: the ticket")
        files = self.tray.collect("ticket-two-taps", d.wait_until)
        d.current.artefacts += [("ticket", name) for name in files]
        finish_and_skip_survey(self)

    def queue_ticket(self) -> None:
        d = self.d
        d.scenario("A queue ticket (priority: elderly)")
        self.begin()
        d.click("menu_queue")
        d.wait_screen(Screen.SERVICE)
        d.click("priority_open")
        d.pump(50)
        d.shot("Priority queue: who may use it")
        d.click("priority_elderly")
        d.shot("Services: hours, people waiting, priority")
        d.click("service_A")
        d.wait_screen(Screen.TICKET)
        d.shot("Ticket printed")
        files = self.tray.collect("ticket", d.wait_until)
        d.current.artefacts += [("ticket", name) for name in files]
        finish_and_skip_survey(self)

    def paper_out(self) -> None:
        """The paper runs out while a two-page biodata prints: page 1 is out, page 2 is not.

        The fault is injected after Confirm, while the kiosk prints; a page came out, so the
        print is SUSPECT (never reprinted, never released) and the citizen is sent to an
        officer, who finds it on the technician's SUSPECT page."""
        d = self.d
        d.scenario("The printer runs out of paper mid-session")
        voucher = self.vouchers.take("biodata")
        self.begin()
        self.voucher_to_pin(voucher, shots=False)
        self.enter_pin(voucher["pin"])
        d.wait_screen(Screen.CONFIRM)
        faults = self.kiosk.faults
        try:
            d.click("confirm_print")
            d.wait_until(lambda: d.window.current_screen is Screen.PRINTING, 10.0, "printing")
            faults.inject("document", Fault.PAPER_OUT_MID_JOB)  # while it prints
            d.wait_screen(Screen.ERROR, timeout_s=60.0)
            d.shot("Paper out after page 1: not certain, an officer checks it")
            files = self.tray.collect("biodata-paper-out", d.wait_until)
            d.current.artefacts += [("what came out (page 1 of 2)", name) for name in files]
            self.ticket_from_error("Ticket for the counter that helps, the error's Ref on it",
                                   "ticket-paper-out")  # fmt: skip
        finally:
            faults.clear("document", Fault.PAPER_OUT_MID_JOB)  # the technician refills
        state = self.kiosk.simulator.voucher_state(voucher["vid"])
        [record] = [r for r in self.kiosk.journal.recent() if r.vid == voucher["vid"]]
        d.current.note = (
            f"journal: {record.state.value}; voucher at the registry: {state.get('status', '?')}"
        )

    def ticket_from_error(self, caption: str, tray_name: str) -> None:
        """From an error screen: one tap for a ticket to the counter service that can solve it
        ([handover] in the config; the ticket prints the error's reference), keep its image."""
        d = self.d
        d.click("error_take_ticket")
        d.wait_screen(Screen.TICKET)
        d.shot(caption)
        files = self.tray.collect(tray_name, d.wait_until)
        d.current.artefacts += [("ticket", name) for name in files]
        finish_and_skip_survey(self)

    def registry_down(self) -> None:
        d = self.d
        d.scenario("The registry goes down: printing stops, the queue still works")
        voucher = self.vouchers.take()
        self.kiosk.simulator.set_outage(True)
        try:
            self.begin()
            self.voucher_to_pin(voucher, shots=False)
            self.enter_pin(voucher["pin"])
            d.wait_screen(Screen.ERROR, timeout_s=60.0)
            d.shot("Registry unreachable: take a queue ticket")
            self.ticket_from_error("The queue works without the registry", "ticket-offline")
            self.begin()
            d.shot("Menu while the registry is down")
            self.end_session()
        finally:
            self.kiosk.simulator.set_outage(False)

    def authenticity(self) -> None:
        d = self.d
        d.scenario("Checking a printed document's authenticity")
        if self.claim_text is None:
            raise DemoError("no printed document QR to check")
        self.begin()
        d.click("menu_check")
        d.wait_screen(Screen.CHECK_SCAN)
        self.wait_preview(Screen.CHECK_SCAN)
        d.shot("Check: hold the document's QR to the camera")
        self.show_code(self.claim_text, CodeFormat.QR, Screen.CHECK_SCAN)
        d.wait_screen(Screen.CHECK_RESULT)
        d.shot("A genuine QR code, issued for ...: compare it with the paper")
        d.click("check_again")
        d.wait_screen(Screen.CHECK_SCAN)
        head, body, signature = self.claim_text.split(".")
        forged_body = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
        self.show_code(f"{head}.{forged_body}.{signature}", CodeFormat.QR, Screen.CHECK_SCAN)
        d.wait_screen(Screen.CHECK_RESULT)
        d.shot("An altered document is not confirmed")
        self.end_session()

    def inactivity(self) -> None:
        d = self.d
        d.scenario("Walking away: the inactivity warning, then the wipe")
        self.begin()
        d.click("menu_queue")
        d.wait_screen(Screen.SERVICE)
        d.wait_until(lambda: d.view().warning_seconds_left is not None, 30.0, "the warning")
        d.pump(50)
        d.shot("Are you still there? (countdown)")
        d.wait_screen(Screen.ATTRACT, timeout_s=30.0)
        d.shot("Session wiped, back to the attract loop")

    def portrait(self) -> None:
        d = self.d
        d.scenario("The same screens on a portrait panel (1080 x 1920): controls low")
        d.top.resize(1080, 1920)
        d.pump(50)
        d.wait_screen(Screen.ATTRACT)
        d.shot("Attract, portrait: the tiles in the lower two thirds")
        self.begin()
        d.shot("Menu, portrait")
        d.click("menu_print")
        d.wait_screen(Screen.SCAN)
        self.wait_preview(Screen.SCAN)
        d.shot("Scan, portrait")
        d.click("scan_manual_nik")
        d.wait_screen(Screen.NIK_ENTRY)
        d.shot("NIK keypad, portrait")
        d.click("large_text")
        d.wait_until(lambda: d.view().large_text, 15.0, "large text")
        d.pump(50)
        d.shot("NIK keypad, portrait, large text")
        self.end_session()
        d.click("attract_tile_queue")
        d.wait_screen(Screen.SERVICE)
        d.shot("Services, portrait")
        self.end_session()
        d.top.resize(1920, 1080)
        d.pump(50)

    def help_and_large_text(self) -> None:
        """The help bar: large text, the spoken prompt, a staff call and its panel."""
        d = self.d
        d.scenario("Help on every screen: large text, Dengarkan, Panggil petugas")
        d.wait_screen(Screen.ATTRACT)
        d.click("large_text")
        d.wait_until(lambda: d.view().large_text, 15.0, "large text")
        d.pump(50)
        d.shot("Large text on the attract loop (body text 48 px)")
        d.click("attract_tile_print")
        d.wait_screen(Screen.SCAN)
        self.wait_preview(Screen.SCAN)
        d.shot("Scan, large text")
        d.click("listen")  # says the scan screen's instruction again (id, espeak-ng)
        d.click("call_staff")
        d.wait_until(lambda: d.view().staff_called_at is not None, 15.0, "the staff call")
        d.pump(50)
        d.shot("Panggil petugas: someone is coming (the call is in the technician log)")
        d.click("staff_call_close")
        d.wait_until(lambda: d.view().staff_called_at is None, 15.0, "the panel to close")
        d.click("scan_manual_nik")
        d.wait_screen(Screen.NIK_ENTRY)
        d.shot("NIK keypad, large text")
        self.end_session()
        d.current.note = "the staff call: kiosk_staff_calls_total and an audit entry"


def finish_and_skip_survey(walk: Walkthrough) -> None:
    """ "Selesai", then "Lewati" on the satisfaction survey (the family visit answers it)."""
    survey(walk, rate=False)
