"""The citizen session state machine, without Qt, against recording fakes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, get_args, get_type_hints

import pytest

from devices.model import DeviceState, PaperLevel
from kiosk.config.models import UISettings
from kiosk.domain.documents import DocumentType
from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
from kiosk.domain.voucher import VoucherPayload, mint_token
from kiosk.engine.journal import TxState
from kiosk.engine.session import TRANSITIONS, SessionController
from kiosk.engine.session_flows import SessionDeps, SessionOutcome
from kiosk.engine.view import (
    Back,
    Cancel,
    ChooseDocument,
    ChooseMenu,
    ChooseService,
    CodeScanned,
    Confirm,
    EnterNik,
    EnterPin,
    Intent,
    MenuOption,
    Priority,
    Screen,
    SessionView,
    SetLanguage,
    StartManualNik,
    StillHere,
    Tick,
    Touch,
)

NIK = "3201010101900001"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def token(vid: str, *, expired: bool = False) -> str:
    now = datetime.now(UTC)
    exp = now - timedelta(hours=1) if expired else now + timedelta(days=7)
    payload = VoucherPayload(vid, DocumentType.KK, now - timedelta(days=8), exp, SIM_KID)
    return mint_token(payload, sim_voucher_private_key())


@dataclass(frozen=True)
class FakeTicket:
    ticket_id: str
    printed: bool


@dataclass(frozen=True)
class FakeIssue:
    ticket: Any
    printed: bool
    fault: Any = None


class FakeDesk:
    takes_bookings = False

    def __init__(self) -> None:
        self.issued: list[tuple[str, Priority | None, bool]] = []

    def services_view(self, now: datetime) -> list[str]:
        return ["A", "B"]

    def issue_and_print(
        self,
        code: str,
        priority: Priority | None,
        printer_available: bool,
        reference: str | None = None,
    ) -> Any:
        self.issued.append((code, priority, printer_available))
        return FakeIssue(FakeTicket("T1", printer_available), printer_available)

    def reprint(self, ticket_id: str) -> bool:
        return True


@pytest.fixture
def session(engine: Any) -> Any:
    from kiosk.domain.voucher import public_key_from_text

    clock = Clock()
    ended: list[SessionOutcome] = []
    views: list[SessionView] = []
    keys = {SIM_KID: public_key_from_text("SFIEpK1DbOjDPWIFvTtmmh13fpYxZik_RwOwFkZrA3k")}
    deps = SessionDeps(
        ui=UISettings(inactivity_warn_s=60, inactivity_wipe_s=10, session_cap_s=600),
        voucher_keys=keys,
        registry=engine.registry,
        transaction=engine.transaction,
        printers=engine.printers,
        desk=FakeDesk(),
        monotonic=clock,
        on_session_end=lambda outcome, seconds: ended.append(outcome),
    )
    controller = SessionController(deps)
    controller.subscribe(views.append)
    controller.start()

    class Harness:
        def __init__(self) -> None:
            self.c, self.clock, self.ended, self.views, self.engine = (
                controller,
                clock,
                ended,
                views,
                engine,
            )

        def send(self, *intents: Any) -> SessionView:
            for intent in intents:
                controller.send(intent)
            assert controller.wait_idle(5.0)
            return controller.view

        def tick(self, seconds: float) -> SessionView:
            clock.now += seconds
            return self.send(Tick(clock.now))

    yield Harness()
    controller.stop()


def start_print(h: Any, vid: str = "V1") -> str:
    t = token(vid)
    h.engine.registry.add(vid, DocumentType.KK, token=t)
    h.send(Touch(), ChooseMenu(MenuOption.PRINT))
    return t


def test_voucher_pin_confirm_prints_and_wipes(session: Any) -> None:
    t = start_print(session)
    assert session.c.view.screen is Screen.SCAN
    assert session.send(CodeScanned(t, "qr")).screen is Screen.PIN
    view = session.send(EnterPin("123456"))
    assert view.screen is Screen.CONFIRM
    assert view.document is not None and view.document.holder_masked == "B*** S******"
    view = session.send(Confirm())
    assert view.screen is Screen.DONE
    assert session.engine.registry.vouchers["V1"].state == "committed"
    steps = [v.progress.step.value for v in session.views if v.progress]
    assert steps[:2] == ["reserving", "reserving"] and "printing" in steps
    assert not session.c.holds_personal_data
    view = session.send(Confirm())
    assert view.screen is Screen.ATTRACT
    assert view.document is None and view.choices == () and view.error is None
    assert session.ended == [SessionOutcome.PRINTED]


def test_views_are_published_in_order(session: Any) -> None:
    start_print(session)
    seqs = [v.seq for v in session.views]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_forged_or_foreign_code_stays_on_scan(session: Any) -> None:
    start_print(session)
    view = session.send(CodeScanned("ADM1.abc.def", "qr"))
    assert view.screen is Screen.SCAN and view.notice == "voucher_invalid"
    view = session.send(CodeScanned("hello world", "qr"))
    assert view.notice == "code_not_recognised"
    assert session.engine.registry.calls == []  # nothing went to the registry


def test_expired_voucher_is_refused_offline(session: Any) -> None:
    start_print(session)
    view = session.send(CodeScanned(token("V9", expired=True), "qr"))
    assert view.screen is Screen.ERROR
    assert view.error is not None and view.error.code == "VOUCHER_EXPIRED"
    assert session.engine.registry.calls == []


def test_wrong_pin_counts_down_then_locks(session: Any) -> None:
    t = start_print(session)
    session.send(CodeScanned(t, "qr"))
    assert session.send(EnterPin("12345")).notice == "pin_format"
    view = session.send(EnterPin("000000"))
    assert view.screen is Screen.PIN and view.attempts_left == 2 and view.notice == "pin_wrong"
    session.send(EnterPin("000000"))
    view = session.send(EnterPin("000000"))
    assert view.screen is Screen.ERROR
    assert view.error is not None and view.error.code == "VOUCHER_LOCKED"
    assert view.locked_until is not None


def test_nik_barcode_identifies_and_offers_a_choice(session: Any) -> None:
    session.engine.registry.add("V1", DocumentType.KK)
    session.engine.registry.add("V2", DocumentType.BIODATA)
    session.send(Touch(), ChooseMenu(MenuOption.PRINT))
    assert session.send(CodeScanned(NIK, "code128")).screen is Screen.PIN
    view = session.send(EnterPin("123456"))
    assert view.screen is Screen.CHOOSE_DOCUMENT
    assert [c.vid for c in view.choices] == ["V1", "V2"]
    assert NIK not in repr(view)
    view = session.send(ChooseDocument("V2"))
    assert view.screen is Screen.CONFIRM and view.document is not None
    assert view.document.doc is DocumentType.BIODATA
    assert session.send(Confirm()).screen is Screen.DONE
    [entry] = [e for e in session.engine.audit.entries() if e["event"] == "print"]
    assert entry["nik"] == "3201********0001"
    assert NIK not in (session.engine.state_dir / "audit" / "audit.log").read_text()


def test_manual_nik_entry(session: Any) -> None:
    session.engine.registry.add("V1", DocumentType.KK)
    session.send(Touch(), ChooseMenu(MenuOption.PRINT), StartManualNik())
    assert session.c.view.screen is Screen.NIK_ENTRY
    assert session.send(EnterNik("1234")).notice == "nik_invalid"
    assert session.send(EnterNik(NIK)).screen is Screen.PIN
    assert session.send(EnterPin("123456")).screen is Screen.CONFIRM


def test_registry_down_switches_printing_off_but_not_the_queue(session: Any) -> None:
    t = start_print(session)
    session.engine.registry.outage = True
    session.send(CodeScanned(t, "qr"))
    view = session.send(EnterPin("123456"))
    assert view.error is not None and view.error.code == "REGISTRY_UNAVAILABLE"
    assert view.error.next_step == "take_queue_ticket"
    view = session.send(Back())
    assert view.screen is Screen.MENU
    assert view.menu[MenuOption.PRINT] is False and view.menu[MenuOption.QUEUE] is True
    assert session.send(ChooseMenu(MenuOption.PRINT)).notice == "option_unavailable"
    assert session.send(ChooseMenu(MenuOption.QUEUE)).screen is Screen.SERVICE


def test_printers_down_switch_printing_off(session: Any) -> None:
    session.engine.printers.document.state = DeviceState.OFFLINE
    session.engine.printers.card.state = DeviceState.OFFLINE
    view = session.send(Touch())
    assert view.menu[MenuOption.PRINT] is False


def test_paper_out_before_confirm_sends_to_the_queue(session: Any) -> None:
    t = start_print(session)
    session.send(CodeScanned(t, "qr"), EnterPin("123456"))
    printer = session.engine.printers.document
    printer.paper = PaperLevel.OUT  # the printer is up (IDLE): only the paper is gone
    assert printer.state is DeviceState.IDLE
    view = session.send(Confirm())
    assert view.screen is Screen.ERROR
    assert view.error is not None and view.error.code == "PRINTER_PAPER_OUT"
    assert view.error.next_step == "take_queue_ticket"
    # refused before anything irreversible: no reservation, no job, the voucher stays ready
    assert session.engine.registry.count("reserve") == 0
    assert printer.submitted == []
    assert session.engine.registry.vouchers["V1"].state == "ready"


def test_paper_out_at_confirm_says_paper_out(session: Any) -> None:
    t = start_print(session)
    session.send(CodeScanned(t, "qr"), EnterPin("123456"))
    session.engine.printers.document.paper = PaperLevel.OUT
    view = session.send(Confirm())
    assert view.screen is Screen.ERROR
    assert view.error is not None
    assert view.error.code == "PRINTER_PAPER_OUT"  # not a generic "printer unavailable"
    assert view.error.next_step == "take_queue_ticket"
    assert session.engine.registry.vouchers["V1"].state == "ready"


def test_suspect_shows_contact_officer_with_the_journal_reference(session: Any) -> None:
    from devices.ports import JobState

    session.engine.printers.document.next_outcome = (JobState.UNKNOWN, None, None)
    t = start_print(session)
    view = session.send(CodeScanned(t, "qr"), EnterPin("123456"), Confirm())
    assert view.error is not None and view.error.code == "PRINT_OUTCOME_UNKNOWN"
    assert session.c.last_result is not None
    assert view.error.reference == session.c.last_result.txid


def test_inactivity_warns_then_wipes(session: Any) -> None:
    t = start_print(session)
    session.send(CodeScanned(t, "qr"))
    assert session.tick(59).warning_seconds_left is None
    assert session.tick(2).warning_seconds_left == 9
    assert session.send(StillHere()).warning_seconds_left is None
    session.tick(61)
    view = session.tick(10)
    assert view.screen is Screen.ATTRACT
    assert not session.c.holds_personal_data
    assert session.ended == [SessionOutcome.ABANDONED]


def test_hard_cap_ends_a_busy_session(session: Any) -> None:
    session.send(Touch())
    for _ in range(12):
        session.clock.now += 50
        session.send(SetLanguage("en"), Tick(session.clock.now))
    assert session.c.view.screen is Screen.ATTRACT
    assert session.c.view.language == "id"  # the next citizen starts in the default language
    assert any(v.language == "en" for v in session.views)


def test_cancel_wipes_from_anywhere(session: Any) -> None:
    t = start_print(session)
    session.send(CodeScanned(t, "qr"))
    view = session.send(Cancel())
    assert view.screen is Screen.ATTRACT
    assert not session.c.holds_personal_data
    assert session.ended == [SessionOutcome.CANCELLED]


def test_queue_ticket(session: Any) -> None:
    session.send(Touch(), ChooseMenu(MenuOption.QUEUE))
    assert session.c.view.services == ("A", "B")
    view = session.send(ChooseService("A", Priority.ELDERLY))
    assert view.screen is Screen.TICKET
    assert view.ticket is not None
    session.send(Confirm())
    assert session.ended == [SessionOutcome.TICKET]


def test_authenticity_check(session: Any) -> None:
    from datetime import date

    from kiosk.domain.document_claim import DocumentClaim, mint_document_claim

    claim = DocumentClaim("D123", DocumentType.KK, date(2026, 1, 5), "B*** S******", SIM_KID)
    text = mint_document_claim(claim, sim_voucher_private_key())
    session.send(Touch(), ChooseMenu(MenuOption.CHECK))
    view = session.send(CodeScanned(text, "qr"))
    assert view.screen is Screen.CHECK_RESULT
    assert view.authenticity is not None and view.authenticity.valid
    assert view.authenticity.issued_on == "05-01-2026"
    view = session.send(CodeScanned(text[:-4] + "AAAA", "qr"))
    assert view.authenticity is not None and not view.authenticity.valid


def test_same_voucher_scanned_twice_prints_once(session: Any) -> None:
    t = start_print(session)
    session.send(CodeScanned(t, "qr"), CodeScanned(t, "qr"), EnterPin("123456"))
    session.send(Confirm(), Confirm())
    session.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(t, "qr"))
    view = session.send(EnterPin("123456"))
    assert view.error is not None and view.error.code == "VOUCHER_ALREADY_PRINTED"
    assert session.engine.printers.document.pages_printed == 1


def test_every_transition_targets_a_real_handler() -> None:
    intents = set(get_args(Intent))
    for (screen, intent), handler in TRANSITIONS.items():
        where = f"{screen.value} + {intent.__name__} -> {handler!r}"
        assert isinstance(screen, Screen) and intent in intents, where
        # a method of the controller (not a lambda or a stray function) ...
        name = getattr(handler, "__name__", "")
        assert getattr(SessionController, name, None) is handler, where
        # ... that takes this intent: its parameter is annotated with the intent or a base of it
        hints = get_type_hints(handler)
        hints.pop("return", None)
        (accepts,) = hints.values()
        assert isinstance(accepts, type) and issubclass(intent, accepts), where
    screens = {screen for screen, _ in TRANSITIONS}
    assert Screen.PRINTING not in screens  # nothing interrupts a print


def hold_in_journal(h: Any, vid: str, state: TxState) -> None:
    """This kiosk's journal holds ``vid`` (an earlier print of it ended ``state``)."""
    record = h.engine.journal.begin(vid, "kk", None)
    h.engine.journal.advance(record.txid, state, rid="R-earlier")


def test_a_voucher_this_kiosk_holds_as_suspect_is_refused_after_the_pin(session: Any) -> None:
    t = start_print(session)
    hold_in_journal(session, "V1", TxState.SUSPECT)
    session.send(CodeScanned(t, "qr"))
    view = session.send(EnterPin("123456"))
    assert view.screen is Screen.ERROR
    assert view.error is not None and view.error.code == "VOUCHER_UNDER_REVIEW"
    assert view.error.next_step == "contact_officer"
    assert session.engine.registry.count("reserve") == 0


def test_identify_leaves_out_what_this_kiosk_holds(session: Any) -> None:
    registry = session.engine.registry
    registry.add("V1", DocumentType.KK)
    registry.add("V2", DocumentType.AKTA_KELAHIRAN)
    hold_in_journal(session, "V1", TxState.SUSPECT)
    session.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(NIK, "code128"))
    view = session.send(EnterPin("123456"))
    assert view.screen is Screen.CONFIRM  # only V2 is offered
    assert view.document is not None and view.document.vid == "V2"
    hold_in_journal(session, "V2", TxState.SUBMITTED)
    session.send(Back(), ChooseMenu(MenuOption.PRINT), CodeScanned(NIK, "code128"))
    view = session.send(EnterPin("123456"))
    assert view.screen is Screen.ERROR  # every one of them is held here
    assert view.error is not None and view.error.code == "VOUCHER_UNDER_REVIEW"


def test_below_the_free_space_floor_the_menu_starts_nothing_that_writes(session: Any) -> None:
    import os

    from kiosk.engine.availability import FreeSpace

    free = {"blocks": 10**9}

    def statvfs(path: str) -> os.statvfs_result:
        fields = list(os.statvfs(path))
        fields[4] = free["blocks"]  # f_bavail
        return os.statvfs_result(fields)

    session.c.deps.storage = FreeSpace(session.engine.state_dir, 64, statvfs=statvfs)
    view = session.send(Touch())
    assert view.menu[MenuOption.PRINT] and view.menu[MenuOption.QUEUE]
    free["blocks"] = 1
    session.c.refresh()
    view = session.send(ChooseMenu(MenuOption.PRINT))
    assert view.menu == {MenuOption.PRINT: False, MenuOption.QUEUE: False, MenuOption.CHECK: True}
    assert view.screen is Screen.MENU and view.notice == "option_unavailable"
