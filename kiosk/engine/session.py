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
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from kiosk.config.models import UISettings
from kiosk.domain.nik import Nik, NikError
from kiosk.domain.voucher import VoucherError, VoucherErrorCode, looks_like_token, verify_token
from kiosk.engine.intent_worker import IntentWorker
from kiosk.engine.outcomes import (
    UNDER_REVIEW,
    NextStep,
    TxOutcome,
    TxResult,
    UserError,
    new_reference,
    printer_error,
    survey_reference,
)
from kiosk.engine.outcomes import registry_error as map_registry_error
from kiosk.engine.ports import VerifiedVoucher, VerifiedWithOthers
from kiosk.engine.session_counter import ADM, CounterBranch
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
from kiosk.engine.session_queue import QueueBranch, QueueRefreshed
from kiosk.engine.session_visit import VisitBranch
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
    DocumentSummary,
    EnterNik,
    EnterPin,
    ErrorView,
    Finish,
    MenuOption,
    MoreDocuments,
    PrintProgress,
    PrintStep,
    Rate,
    ReprintTicket,
    ScanBooking,
    ScanFailed,
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
BOOKING_PREFIX = "ADMB1."  # a booking QR of the office queue server (kiosk.queue.booking)


class SessionController(VisitBranch, CounterBranch, QueueBranch, IntentWorker):
    def __init__(self, deps: SessionDeps) -> None:
        self.deps = deps
        self._languages = list(deps.ui.languages)
        self._personal = Personal()
        self._timer = Inactivity(
            deps.ui.inactivity_warn_s, deps.ui.inactivity_wipe_s, deps.ui.session_cap_s
        )
        self._outcome: SessionOutcome | None = None
        self._nik_masked: str | None = None  # masked only: for the audit log
        self._idle_actions: list[Callable[[], None]] = []  # see when_idle
        self.last_result: TxResult | None = None
        self._refreshing = False  # a queue refresh is under way on its own thread
        self._refreshed_at = float("-inf")
        self._handover_code: str | None = None  # the counter service TakeTicket asks for
        self._handover_ref: str | None = None  # the error reference its ticket prints
        self._confirm_from: Screen = Screen.MENU  # where Back from CONFIRM returns
        self._choose_from: Screen = Screen.PIN  # where Back from CHOOSE_DOCUMENT returns
        self._info_from: Screen = Screen.MENU  # where Back from the service information returns
        self._feedback_ref: tuple[str, str, str] | None = None  # (service, kind, ref): survey
        self._printed: DocumentSummary | None = None  # printed last: DONE names it
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

    def when_idle(self, action: Callable[[], None]) -> None:
        """Run ``action`` on this worker between sessions: now if the kiosk is on the attract
        screen, else right after the current session ends. Never during a session, and no
        session can start while it runs. Safe from any thread."""
        self._enqueue(_WhenIdle(action))

    def apply_ui(self, ui: UISettings) -> None:
        """New inactivity timings (a pushed config); only from a :meth:`when_idle` action."""
        self.deps.ui = ui
        self._timer = Inactivity(ui.inactivity_warn_s, ui.inactivity_wipe_s, ui.session_cap_s)

    def _run_idle_actions(self) -> None:
        actions, self._idle_actions = self._idle_actions, []
        for action in actions:
            try:
                action()
            except Exception:
                log.exception("session: an idle-time action failed")

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
        if isinstance(intent, _WhenIdle):  # before the touch below: it is not the citizen's
            self._idle_actions.append(intent.action)
            if screen is Screen.ATTRACT:
                self._run_idle_actions()
            return
        if isinstance(intent, QueueRefreshed):
            self._queue_refreshed(intent)
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
            "booking": None,
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
        # Below the free-space floor nothing that must be journaled starts.
        room = deps.storage is None or not deps.storage.low
        return {
            MenuOption.PRINT: deps.registry_status.up and can_print and room,
            MenuOption.QUEUE: deps.desk is not None and room,
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
        self._run_idle_actions()

    def _error(
        self, error: UserError, outcome: SessionOutcome, reference: str | None = None
    ) -> None:
        self._personal.wipe()
        self._outcome = outcome
        view = ErrorView(error.code, error.next_step.value, reference or new_reference())
        handover = self._offer(error.code, view.reference)
        self._feedback_ref = (ADM, "txid", survey_reference())
        self._go(Screen.ERROR, error=view, choices=(), handover=handover)

    def _tick(self, now: float) -> None:
        if self._view.screen in (Screen.ATTRACT, Screen.PRINTING):
            return
        self._refresh_queue(now)
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
        elif text.startswith(BOOKING_PREFIX):
            self._booking_scanned(text)
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

    def _scan_failed(self, intent: ScanFailed) -> None:
        """Half a code asks for the same code again; anything else cannot be used here."""
        if intent.reason == "incomplete":
            self._publish(notice="scan_incomplete")
        else:
            self._publish(notice="scan_unreadable")

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
        scanned: VerifiedWithOthers | None = None
        found: list[VerifiedVoucher]
        try:
            if personal.token is not None:  # a voucher QR: it, and the holder's other ones
                scanned = registry.verify_voucher(personal.token, intent.digits)
                found = [scanned, *scanned.others]
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
        refusals = [self.deps.transaction.refusal(str(v.vid)) for v in found]
        if scanned is not None and refusals[0] is not None:  # the one asked for is held here
            self._error(refusals[0], SessionOutcome.FAILED)
            return
        if found and all(refusals):  # this kiosk's journal still holds them: not again here
            review = [r for r in refusals if r is UNDER_REVIEW]
            self._error((review or refusals)[0] or UNDER_REVIEW, SessionOutcome.FAILED)
            return
        found = [v for v, refused in zip(found, refusals, strict=True) if refused is None]
        personal.again = again
        personal.choices = list(found)
        pending, personal.pending = personal.pending, None
        first = pending if pending is not None else scanned.vid if scanned is not None else None
        chosen = [v for v in found if v.vid == first]
        if not found:
            self._error(
                UserError("NO_DOCUMENT_READY", NextStep.CONTACT_OFFICER), SessionOutcome.FAILED
            )
        elif chosen or len(found) == 1:
            self._confirm((chosen or found)[0], Screen.MENU)
        else:
            self._choose_from = Screen.PIN
            self._go(Screen.CHOOSE_DOCUMENT, choices=tuple(summary(v) for v in found))

    def _registry_failed(self, exc: RegistryError) -> None:
        if isinstance(exc, Unavailable):
            self.deps.registry_status.mark(False)
        error = map_registry_error(exc)
        self._error(error, SessionOutcome.FAILED)
        if isinstance(exc, Locked):
            self._publish(locked_until=exc.until)

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
            self._feedback_ref = (ADM, "txid", survey_reference())
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

    # authenticity check

    def _check_scanned(self, intent: CodeScanned) -> None:
        claim_keys = self.deps.claim_keys  # None: tests that sign both with one key
        keys = self.deps.voucher_keys if claim_keys is None else claim_keys
        self._outcome = SessionOutcome.CHECKED
        self._feedback_ref = (ADM, "txid", survey_reference())
        self._go(Screen.CHECK_RESULT, authenticity=check_claim(intent.text.strip(), keys))


class _Refresh:
    """Internal intent: re-evaluate the menu."""


@dataclass(frozen=True)
class _WhenIdle:
    """Internal intent: run ``action`` between sessions (see ``when_idle``)."""

    action: Callable[[], None]


TRANSITIONS: dict[tuple[Screen, type], Handler] = {
    (Screen.ATTRACT, Touch): SessionController._start,
    (Screen.MENU, ChooseMenu): SessionController._choose_menu,
    (Screen.MENU, Back): SessionController._finish,
    (Screen.SCAN, CodeScanned): SessionController._scanned,
    (Screen.SCAN, ScanFailed): SessionController._scan_failed,
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
    (Screen.DONE, Finish): SessionController._finish_visit,
    (Screen.DONE, Confirm): SessionController._finish,
    (Screen.DONE, Touch): SessionController._finish,
    (Screen.DONE, Back): SessionController._finish,
    (Screen.SERVICE, ChooseService): SessionController._service_chosen,
    (Screen.SERVICE, Back): SessionController._back_to_menu,
    (Screen.SERVICE, ScanBooking): SessionController._scan_booking,
    (Screen.TICKET, ReprintTicket): SessionController._reprint,
    (Screen.TICKET, Confirm): SessionController._finish,
    (Screen.TICKET, Finish): SessionController._finish_visit,
    (Screen.TICKET, Back): SessionController._finish,
    (Screen.CHECK_SCAN, CodeScanned): SessionController._check_scanned,
    (Screen.CHECK_SCAN, ScanFailed): SessionController._scan_failed,
    (Screen.CHECK_SCAN, Back): SessionController._back_to_menu,
    (Screen.CHECK_RESULT, CodeScanned): SessionController._check_scanned,
    (Screen.CHECK_RESULT, Back): SessionController._back_to_menu,
    (Screen.CHECK_RESULT, Confirm): SessionController._finish,
    (Screen.CHECK_RESULT, Finish): SessionController._finish_visit,
    (Screen.ERROR, Confirm): SessionController._back_to_menu,
    (Screen.ERROR, Back): SessionController._back_to_menu,
    (Screen.ERROR, Touch): SessionController._back_to_menu,
    (Screen.ERROR, TakeTicket): SessionController._take_ticket,
    (Screen.ERROR, Finish): SessionController._finish_visit,
    (Screen.SCAN, ShowHelp): SessionController._show_help,
    (Screen.NIK_ENTRY, ShowHelp): SessionController._show_help,
    (Screen.PIN, ShowHelp): SessionController._show_help,
    (Screen.HELP, TakeTicket): SessionController._take_ticket,
    (Screen.HELP, Back): SessionController._back_to_scan,
    (Screen.MENU, ShowInfo): SessionController._show_info,
    (Screen.SERVICE, ShowInfo): SessionController._show_info,
    (Screen.INFO_LIST, ShowInfo): SessionController._show_info,
    (Screen.INFO_LIST, Back): SessionController._info_back,
    (Screen.INFO, Back): SessionController._info_back,
    (Screen.INFO, TakeTicket): SessionController._take_ticket,
    (Screen.SURVEY, Rate): SessionController._rate,
    (Screen.SURVEY, Back): SessionController._finish,
}
"""(screen, intent type) -> handler. Cancel, SetLanguage, SetLargeText, CallStaff,
DismissStaffCall, StillHere and Tick apply anywhere. Handlers of the controller's mixins:
a visit's documents in kiosk/engine/session_visit.py; help, handover, service information and
the survey in session_counter.py; the queue branch in session_queue.py."""
