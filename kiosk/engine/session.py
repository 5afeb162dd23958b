"""The citizen session: a typed state machine, run on the controller's own worker thread.

Screens send :data:`~kiosk.engine.view.Intent` objects with :meth:`SessionController.send`
(which only queues them) and subscribe to :class:`~kiosk.engine.view.SessionView` updates,
delivered from the worker thread. Every transition is listed in :data:`TRANSITIONS`; an
intent that has no entry for the current screen is ignored. Registry calls, rendering and
printing run on the worker, so ``send`` never blocks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

from kiosk.domain.nik import Nik, NikError
from kiosk.domain.voucher import VoucherError, VoucherErrorCode, looks_like_token, verify_token
from kiosk.engine import session_counter as counter
from kiosk.engine.intent_worker import IntentWorker
from kiosk.engine.outcomes import (
    NextStep,
    TxOutcome,
    TxResult,
    UserError,
    new_reference,
    printer_error,
)
from kiosk.engine.outcomes import registry_error as map_registry_error
from kiosk.engine.session_flows import (
    NIK_PATTERN,
    PIN_PATTERN,
    Inactivity,
    Personal,
    SessionDeps,
    SessionOutcome,
    check_claim,
    summary,
)
from kiosk.engine.view import (
    Back,
    CallStaff,
    Cancel,
    ChooseDocument,
    ChooseMenu,
    ChooseService,
    CodeScanned,
    Confirm,
    DismissStaffCall,
    EnterNik,
    EnterPin,
    ErrorView,
    Finish,
    MenuOption,
    MoreDocuments,
    PrintProgress,
    PrintStep,
    Priority,
    Rate,
    ReprintTicket,
    Screen,
    SessionView,
    SetLanguage,
    SetLargeText,
    ShowHelp,
    ShowInfo,
    StartManualNik,
    StillHere,
    TakeTicket,
    Tick,
    Touch,
)
from kiosk.registry.errors import Locked, RegistryError, Unavailable, WrongPin

log = logging.getLogger(__name__)
Handler = Callable[["SessionController", Any], None]


class SessionController(IntentWorker):
    def __init__(self, deps: SessionDeps) -> None:
        self.deps = deps
        self._languages = list(deps.ui.languages)
        self._personal = Personal()
        self._timer = Inactivity(
            deps.ui.inactivity_warn_s, deps.ui.inactivity_wipe_s, deps.ui.session_cap_s
        )
        self._outcome: SessionOutcome | None = None
        self._nik_masked: str | None = None  # masked only: for the audit log
        self.last_result: TxResult | None = None
        self._handover_code: str | None = None  # the counter service TakeTicket asks for
        self._handover_ref: str | None = None  # the error reference its ticket prints
        self._confirm_from: Screen = Screen.MENU  # where Back from CONFIRM returns
        self._choose_from: Screen = Screen.PIN  # where Back from CHOOSE_DOCUMENT returns
        self._info_from: Screen = Screen.MENU  # where Back from the service information returns
        self._feedback_ref: tuple[str, str, str] | None = None  # (service, kind, ref): survey
        self._printed: Any = None  # the DocumentSummary printed last (DONE says where it is)
        initial = SessionView(screen=Screen.ATTRACT, language=self._languages[0])
        super().__init__(replace(initial, menu=self._menu()))

    @property
    def holds_personal_data(self) -> bool:
        return not self._personal.empty

    def stop(self, timeout_s: float = 10.0) -> None:
        super().stop(timeout_s)
        self._personal.wipe()

    def refresh(self) -> None:
        """Re-evaluate the menu (a device or the registry changed); safe from any thread."""
        self._enqueue(_Refresh())

    def _handler_failed(self) -> None:
        self._error(UserError("KIOSK_ERROR", NextStep.CONTACT_OFFICER), SessionOutcome.FAILED)

    def _handle(self, intent: object) -> None:
        screen = self._view.screen
        if isinstance(intent, Tick):
            self._tick(intent.now)
            return
        if isinstance(intent, _Refresh):
            self._publish(menu=self._menu())
            return
        if screen is not Screen.PRINTING:
            self._timer.touch(self.deps.monotonic())
        if self._view.warning_seconds_left is not None:
            self._publish(warning_seconds_left=None)
        if isinstance(intent, SetLanguage):
            if intent.language in self._languages:
                self._publish(language=intent.language)
            return
        if isinstance(intent, StillHere):
            return
        if isinstance(intent, SetLargeText):
            self._publish(large_text=intent.on)
            return
        if isinstance(intent, CallStaff):
            self._call_staff(screen)
            return
        if isinstance(intent, DismissStaffCall):
            self._publish(staff_called_at=None)
            return
        if isinstance(intent, Cancel):
            if screen not in (Screen.ATTRACT, Screen.PRINTING):
                self._end(SessionOutcome.CANCELLED)
            return
        handler = TRANSITIONS.get((screen, type(intent)))
        if handler is None:
            log.debug("session: %s ignored on %s", type(intent).__name__, screen.value)
            return
        handler(self, intent)

    def _go(self, screen: Screen, **changes: Any) -> None:
        """Enter ``screen``: screen-specific fields reset unless given."""
        fresh: dict[str, Any] = {
            "busy": False,
            "notice": None,
            "progress": None,
            "error": None,
            "authenticity": None,
            "warning_seconds_left": None,
            "attempts_left": None,
            "locked_until": None,
            "handover": None,
            "topics": (),
            "info": None,
        }
        fresh.update(changes)
        self._publish(screen=screen, **fresh)

    def _menu(self) -> dict[MenuOption, bool]:
        deps = self.deps
        can_print = deps.printers.can_print("a4") or deps.printers.can_print("card")
        return {
            MenuOption.PRINT: deps.registry_status.up and can_print,
            MenuOption.QUEUE: deps.desk is not None,
            MenuOption.CHECK: True,
        }

    def _end(self, outcome: SessionOutcome | None = None) -> None:
        """Wipe everything personal and go back to ATTRACT."""
        final = self._outcome or outcome or SessionOutcome.ABANDONED
        seconds = self.deps.monotonic() - self._timer.started
        self._personal.wipe()
        self._outcome = None
        self._nik_masked = None
        self._handover_code = self._handover_ref = None
        self._feedback_ref = self._printed = None
        self._go(
            Screen.ATTRACT,
            language=self._languages[0],
            document=None,
            choices=(),
            services=(),
            ticket=None,
            menu=self._menu(),
            large_text=False,
            staff_called_at=None,
        )
        if self.deps.on_session_end is not None:
            self.deps.on_session_end(final, seconds)

    def _error(
        self, error: UserError, outcome: SessionOutcome, reference: str | None = None
    ) -> None:
        self._personal.wipe()
        self._outcome = outcome
        view = ErrorView(error.code, error.next_step.value, reference or new_reference())
        handover = counter.offer(self, error.code, view.reference)
        self._feedback_ref = (counter.ADM, "txid", view.reference)
        self._go(Screen.ERROR, error=view, choices=(), handover=handover)

    def _tick(self, now: float) -> None:
        if self._view.screen in (Screen.ATTRACT, Screen.PRINTING):
            return
        verdict = self._timer.check(now)
        if verdict == "wipe":
            log.info("session: ended by inactivity or the session cap")
            self._end(SessionOutcome.ABANDONED)
        elif verdict == "changed":
            self._publish(warning_seconds_left=self._timer.seconds_left)

    def _call_staff(self, screen: Screen) -> None:
        """Raise a staff call (delivered elsewhere, never blocking) and say someone is coming."""
        staff = self.deps.staff
        if staff is None:
            log.error("session: staff call pressed on %s, but no staff caller is wired", screen)
            return
        if screen is Screen.ATTRACT:
            self._start(Touch())  # a session, so that the panel ends with it (inactivity)
        call = staff.request(screen.value)
        self._publish(staff_called_at=call.at)

    # -- handlers (see TRANSITIONS) ---------------------------------------------------------

    def _start(self, _: Touch) -> None:
        self._timer.begin(self.deps.monotonic())
        self._outcome = None
        self._go(Screen.MENU, menu=self._menu())

    def _choose_menu(self, intent: ChooseMenu) -> None:
        menu = self._menu()
        if not menu.get(intent.option, False):
            self._publish(menu=menu, notice="option_unavailable")
            return
        if intent.option is MenuOption.PRINT:
            self._go(Screen.SCAN, menu=menu)
        elif intent.option is MenuOption.QUEUE:
            self._show_services()
        else:
            self._go(Screen.CHECK_SCAN, menu=menu)

    def _back_to_menu(self, _: object) -> None:
        self._personal.wipe()
        self._go(Screen.MENU, menu=self._menu(), document=None, choices=(), ticket=None)

    def _back_to_scan(self, _: object) -> None:
        self._personal.wipe()
        self._go(Screen.SCAN, document=None, choices=())

    def _finish(self, _: object) -> None:
        self._end()

    def _scanned(self, intent: CodeScanned) -> None:
        text = intent.text.strip()
        if looks_like_token(text):
            self._scanned_token(text)
        elif NIK_PATTERN.fullmatch(text):
            self._nik_entered(EnterNik(text))
        else:
            self._publish(notice="code_not_recognised")

    def _scanned_token(self, token: str) -> None:
        try:
            payload = verify_token(
                token,
                self.deps.voucher_keys,
                now=self.deps.wallclock(),
                clock_skew=timedelta(seconds=self.deps.clock_skew_s),
            )
        except VoucherError as exc:
            log.info("session: voucher rejected offline (%s)", exc.code.value)
            if exc.code is VoucherErrorCode.EXPIRED:
                self._error(
                    UserError("VOUCHER_EXPIRED", NextStep.CONTACT_OFFICER), SessionOutcome.FAILED
                )
            else:
                self._publish(notice="voucher_invalid")
            return
        self._personal.wipe()
        self._personal.token = token
        self._nik_masked = None
        log.info("session: voucher %s (%s) scanned", payload.vid, payload.doc.value)
        self._go(Screen.PIN)

    def _manual_nik(self, _: StartManualNik) -> None:
        self._go(Screen.NIK_ENTRY)

    def _nik_entered(self, intent: EnterNik) -> None:
        try:
            nik = Nik.parse(intent.digits)
        except NikError:
            self._publish(notice="nik_invalid")
            return
        self._personal.wipe()
        self._personal.nik = nik.value
        self._nik_masked = nik.masked
        self._go(Screen.PIN)

    def _pin_entered(self, intent: EnterPin) -> None:
        if not PIN_PATTERN.fullmatch(intent.digits):
            self._publish(notice="pin_format")
            return
        personal = self._personal
        registry = self.deps.registry
        self._publish(busy=True, notice=None)
        scanned: Any = None
        try:
            if personal.token is not None:  # a voucher QR: it, and the holder's other ones
                scanned = registry.verify_voucher(personal.token, intent.digits)
                found = [scanned, *getattr(scanned, "others", ())]
                again = ("token", personal.token)
            elif personal.nik is not None:
                found = list(registry.identify(personal.nik, intent.digits))
                again = ("nik", personal.nik)
            elif personal.again is not None:  # a proof went stale: the same citizen again
                again = personal.again
                kind, name = again
                pin = intent.digits
                found = list(
                    registry.identify_holder(name, pin)
                    if kind == "token"
                    else registry.identify(name, pin)
                )
            else:
                self._back_to_scan(None)
                return
        except WrongPin as exc:
            self.deps.registry_status.mark(True)
            self._publish(busy=False, attempts_left=exc.attempts_left, notice="pin_wrong")
            return
        except RegistryError as exc:
            self._registry_failed(exc)
            return
        finally:
            self._timer.touch(self.deps.monotonic())
        self.deps.registry_status.mark(True)
        personal.token = personal.nik = None
        personal.again = again
        personal.choices = list(found)
        pending, personal.pending = personal.pending, None
        chosen = [v for v in found if str(v.vid) == pending] or ([scanned] if scanned else [])
        if not found:
            self._error(
                UserError("NO_DOCUMENT_READY", NextStep.CONTACT_OFFICER), SessionOutcome.FAILED
            )
        elif chosen or len(found) == 1:
            self._confirm((chosen or found)[0], Screen.MENU)
        else:
            self._choose_from = Screen.PIN
            self._go(Screen.CHOOSE_DOCUMENT, choices=tuple(summary(v) for v in found))

    def _ask_pin_again(self, result: TxResult, vid: str) -> bool:
        """The registry no longer takes the visit's proof (it is valid a few minutes): nothing
        was reserved, so ask for the PIN again and carry on with the same document, once."""
        personal = self._personal
        stale = (
            result.outcome is TxOutcome.FAILED
            and result.error is not None
            and result.error.code == "SESSION_EXPIRED"
        )
        if not stale or personal.again is None or vid in personal.asked_again:
            return False
        log.info("session: proof no longer accepted; asking for the PIN again")
        personal.asked_again.add(vid)
        personal.pending = vid
        personal.choices = []  # their proofs are as old: fresh ones come with the PIN
        self._go(Screen.PIN, notice="pin_again", document=None, choices=())
        return True

    def _registry_failed(self, exc: RegistryError) -> None:
        if isinstance(exc, Unavailable):
            self.deps.registry_status.mark(False)
        error = map_registry_error(exc)
        self._error(error, SessionOutcome.FAILED)
        if isinstance(exc, Locked):
            self._publish(locked_until=exc.until)

    def _document_chosen(self, intent: ChooseDocument) -> None:
        chosen = [v for v in self._personal.choices if str(v.vid) == intent.vid]
        if chosen:
            self._confirm(chosen[0], Screen.CHOOSE_DOCUMENT)

    def _more_documents(self, _: MoreDocuments) -> None:
        """After a print: the family's documents not printed yet, to choose the next one."""
        choices = tuple(summary(v) for v in self._personal.choices)
        if choices:
            self._choose_from = Screen.DONE
            self._go(Screen.CHOOSE_DOCUMENT, choices=choices)

    def _back_from_choose(self, _: Back) -> None:
        """Back to the print that offered the list (its document still named); else the menu."""
        if self._choose_from is Screen.DONE and self._personal.choices:
            choices = tuple(summary(v) for v in self._personal.choices)
            self._go(Screen.DONE, choices=choices, document=self._printed)
        else:
            self._back_to_menu(None)

    def _confirm(self, verified: Any, came_from: Screen) -> None:
        self._personal.verified = verified
        self._confirm_from = came_from
        self._go(Screen.CONFIRM, document=summary(verified), choices=())

    def _back_from_confirm(self, _: Back) -> None:
        """Back to the list the document was chosen from; from a scanned QR, to the menu."""
        personal = self._personal
        personal.verified = None
        choices = tuple(summary(v) for v in personal.choices)
        if self._confirm_from is Screen.CHOOSE_DOCUMENT:
            self._go(Screen.CHOOSE_DOCUMENT, choices=choices, document=None)
        else:
            self._back_to_menu(None)

    def _confirmed(self, _: Confirm) -> None:
        verified = self._personal.verified
        if verified is None:
            self._back_to_menu(None)
            return
        problem = self.deps.printers.print_problem(summary(verified).doc.media.value)
        if problem is not None:  # the citizen hears what is wrong: paper out, cover open ...
            self._error(printer_error(problem), SessionOutcome.FAILED)
            return
        self._personal.verified = None
        self._go(Screen.PRINTING, busy=True, progress=PrintProgress(PrintStep.RESERVING, 0.0))

        def progress(step: str, fraction: float) -> None:
            self._publish(progress=PrintProgress(PrintStep(step), fraction))

        result = self.deps.transaction.run(verified, progress, nik_masked=self._nik_masked)
        vid = str(verified.vid)
        del verified
        self.last_result = result
        self._timer.touch(self.deps.monotonic())
        personal = self._personal
        personal.choices = [v for v in personal.choices if str(v.vid) != vid]
        if result.outcome is TxOutcome.PRINTED:
            self.deps.registry_status.mark(True)
            self._outcome = SessionOutcome.PRINTED
            self._feedback_ref = (counter.ADM, "txid", result.reference)
            # The family's other ready documents, to print without the PIN again; when none
            # are left, nothing personal stays for the rest of the session.
            others = tuple(summary(v) for v in personal.choices)
            if not others:
                personal.wipe()
            self._printed = self._view.document
            self._go(Screen.DONE, progress=PrintProgress(PrintStep.FINISHING, 1.0), choices=others)
            return
        if self._ask_pin_again(result, vid):
            return
        outcome = {
            TxOutcome.RELEASED: SessionOutcome.RELEASED,
            TxOutcome.SUSPECT: SessionOutcome.SUSPECT,
        }.get(result.outcome, SessionOutcome.FAILED)
        error = result.error or UserError("KIOSK_ERROR", NextStep.CONTACT_OFFICER)
        if error.code == "REGISTRY_UNAVAILABLE":
            self.deps.registry_status.mark(False)
        self._error(error, outcome, result.reference)

    # queue branch

    def _show_services(self) -> None:
        desk = self.deps.desk
        if desk is None:
            return
        services = tuple(desk.services_view(self.deps.wallclock()))
        self._go(Screen.SERVICE, services=services, ticket=None)

    def _service_chosen(self, intent: ChooseService) -> None:
        self._issue(intent.code, intent.priority)

    def _issue(self, code: str, priority: Priority | None, reference: str | None = None) -> None:
        """Issue and print a ticket of ``code`` (``reference``: an error's, printed on it)."""
        desk = self.deps.desk
        if desk is None:
            return
        self._publish(busy=True)
        try:
            result = desk.issue_and_print(
                code, priority, self.deps.tickets_available(), reference=reference
            )
        except Exception as exc:
            log.warning("session: ticket not issued (%s)", type(exc).__name__)
            refusal = getattr(exc, "code", None)
            key = str(refusal) if isinstance(refusal, str) and refusal else "queue_unavailable"
            self._publish(busy=False, notice=key)
            return
        self._outcome = SessionOutcome.TICKET
        self._feedback_ref = (code, "ticket", str(result.ticket.ticket_id))
        self._go(Screen.TICKET, ticket=result.ticket)

    def _reprint(self, _: ReprintTicket) -> None:
        desk, ticket = self.deps.desk, self._view.ticket
        if desk is None or ticket is None:
            return
        self._publish(busy=True)
        try:
            result = desk.reprint(ticket.ticket_id)
        except Exception as exc:
            log.warning("session: reprint failed (%s)", type(exc).__name__)
            self._publish(busy=False, notice="ticket_reprint_failed")
            return
        printed = bool(getattr(result, "printed", result))
        self._publish(busy=False, ticket=replace(ticket, printed=printed))

    # authenticity check

    def _check_scanned(self, intent: CodeScanned) -> None:
        keys = self.deps.claim_keys or self.deps.voucher_keys
        self._outcome = SessionOutcome.CHECKED
        self._feedback_ref = (counter.ADM, "txid", new_reference())
        self._go(Screen.CHECK_RESULT, authenticity=check_claim(intent.text.strip(), keys))


class _Refresh:
    """Internal intent: re-evaluate the menu."""


TRANSITIONS: dict[tuple[Screen, type], Handler] = {
    (Screen.ATTRACT, Touch): SessionController._start,
    (Screen.MENU, ChooseMenu): SessionController._choose_menu,
    (Screen.MENU, Back): SessionController._finish,
    (Screen.SCAN, CodeScanned): SessionController._scanned,
    (Screen.SCAN, StartManualNik): SessionController._manual_nik,
    (Screen.SCAN, Back): SessionController._back_to_menu,
    (Screen.NIK_ENTRY, EnterNik): SessionController._nik_entered,
    (Screen.NIK_ENTRY, Back): SessionController._back_to_scan,
    (Screen.PIN, EnterPin): SessionController._pin_entered,
    (Screen.PIN, Back): SessionController._back_to_scan,
    (Screen.CHOOSE_DOCUMENT, ChooseDocument): SessionController._document_chosen,
    (Screen.CHOOSE_DOCUMENT, Back): SessionController._back_from_choose,
    (Screen.CONFIRM, Confirm): SessionController._confirmed,
    (Screen.CONFIRM, Back): SessionController._back_from_confirm,
    (Screen.DONE, MoreDocuments): SessionController._more_documents,
    (Screen.DONE, Finish): counter.finish,
    (Screen.DONE, Confirm): SessionController._finish,
    (Screen.DONE, Touch): SessionController._finish,
    (Screen.DONE, Back): SessionController._finish,
    (Screen.SERVICE, ChooseService): SessionController._service_chosen,
    (Screen.SERVICE, Back): SessionController._back_to_menu,
    (Screen.TICKET, ReprintTicket): SessionController._reprint,
    (Screen.TICKET, Confirm): SessionController._finish,
    (Screen.TICKET, Finish): counter.finish,
    (Screen.TICKET, Back): SessionController._finish,
    (Screen.CHECK_SCAN, CodeScanned): SessionController._check_scanned,
    (Screen.CHECK_SCAN, Back): SessionController._back_to_menu,
    (Screen.CHECK_RESULT, CodeScanned): SessionController._check_scanned,
    (Screen.CHECK_RESULT, Back): SessionController._back_to_menu,
    (Screen.CHECK_RESULT, Confirm): SessionController._finish,
    (Screen.CHECK_RESULT, Finish): counter.finish,
    (Screen.ERROR, Confirm): SessionController._back_to_menu,
    (Screen.ERROR, Back): SessionController._back_to_menu,
    (Screen.ERROR, Touch): SessionController._back_to_menu,
    (Screen.ERROR, TakeTicket): counter.take_ticket,
    (Screen.ERROR, Finish): counter.finish,
    (Screen.SCAN, ShowHelp): counter.show_help,
    (Screen.NIK_ENTRY, ShowHelp): counter.show_help,
    (Screen.PIN, ShowHelp): counter.show_help,
    (Screen.HELP, TakeTicket): counter.take_ticket,
    (Screen.HELP, Back): SessionController._back_to_scan,
    (Screen.MENU, ShowInfo): counter.show_info,
    (Screen.SERVICE, ShowInfo): counter.show_info,
    (Screen.INFO_LIST, ShowInfo): counter.show_info,
    (Screen.INFO_LIST, Back): counter.info_back,
    (Screen.INFO, Back): counter.info_back,
    (Screen.INFO, TakeTicket): counter.take_ticket,
    (Screen.SURVEY, Rate): counter.rate,
    (Screen.SURVEY, Back): SessionController._finish,
}
"""(screen, intent type) -> handler. Cancel, SetLanguage, SetLargeText, CallStaff,
DismissStaffCall, StillHere and Tick apply anywhere. The help, handover, service-information
and survey handlers live in kiosk/engine/session_counter.py."""
