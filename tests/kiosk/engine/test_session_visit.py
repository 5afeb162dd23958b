"""A whole visit, without Qt: a family's documents one after the other without the PIN again
(each its own reserve and commit), the PIN asked again only when the registry no longer takes
the visit's proof, help without a code, errors that hand over to a counter with their reference,
service information, and the satisfaction survey at the end."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import pytest

from kiosk.config.models import UISettings
from kiosk.domain.documents import DocumentType
from kiosk.domain.sim_keys import SIM_KID
from kiosk.domain.voucher import public_key_from_text
from kiosk.engine.journal import TxState
from kiosk.engine.session import SessionController
from kiosk.engine.session_flows import SessionDeps, SessionOutcome
from kiosk.engine.view import (
    Back,
    Cancel,
    ChooseDocument,
    ChooseMenu,
    CodeScanned,
    Confirm,
    EnterNik,
    EnterPin,
    Finish,
    InfoView,
    MenuOption,
    MoreDocuments,
    Priority,
    Rate,
    Screen,
    ServiceView,
    SessionView,
    ShowHelp,
    ShowInfo,
    StartManualNik,
    TakeTicket,
    TicketView,
    Touch,
)
from kiosk.feedback import FeedbackAnswer
from kiosk.registry.errors import ProofRejected
from tests.kiosk.engine.conftest import FakeRegistry, FakeVoucher
from tests.kiosk.engine.test_session import NIK, Clock, hold_in_journal, token

SIM_KEY = {SIM_KID: public_key_from_text("SFIEpK1DbOjDPWIFvTtmmh13fpYxZik_RwOwFkZrA3k")}
FAMILY = (
    ("V1", DocumentType.KK, "KEPALA KELUARGA", 1980),
    ("V2", DocumentType.KIA, "ANAK", 2015),
    ("V3", DocumentType.AKTA_KELAHIRAN, "ANAK", 2015),
    ("V4", DocumentType.BIODATA, "ISTRI", 1984),
)


@dataclass(frozen=True)
class FamilyVerified:
    vid: str
    doc: DocumentType
    holder_masked: str
    expires: datetime | None
    verification: str
    relation: str | None = None
    birth_year: int | None = None
    others: tuple[Any, ...] = ()
    subject_masked: str | None = None


@dataclass
class FamilyRegistry(FakeRegistry):
    """The fake registry with the family contract: verify lists the holder's other ready
    vouchers, identify takes a token, and proofs minted before ``stale_before`` are refused."""

    minted: int = 0
    stale_before: int = 0
    about: dict[str, tuple[str, int]] = field(default_factory=dict)  # vid -> (relation, year)

    def _verified(self, v: FakeVoucher) -> Any:
        self.minted += 1
        relation, year = self.about.get(v.vid, (None, None))
        return FamilyVerified(
            v.vid, v.doc, "B*** S******", None, f"proof-{self.minted}-{v.vid}", relation, year
        )

    def verify_voucher(self, token: str, pin: str) -> Any:
        first = super().verify_voucher(token, pin)
        holder = self.vouchers[first.vid].nik
        others = [
            self._verified(v)
            for v in self.vouchers.values()
            if v.nik == holder and v.vid != first.vid and v.state == "ready"
        ]
        return replace(first, others=tuple(others))

    def identify_holder(self, token: str, pin: str) -> list[Any]:
        self.calls.append(("identify_holder", token[:8]))
        return self.identify(self.vouchers[self.tokens[token]].nik, pin)

    def reserve(self, vid: str, verification: str, idempotency_key: str) -> Any:
        if int(verification.split("-")[1]) < self.stale_before:
            self.calls.append(("reserve", vid))
            raise ProofRejected("verification proof has expired; verify the PIN again")
        return super().reserve(vid, verification, idempotency_key)

    def stale_now(self) -> None:
        """Every proof handed out so far has run out."""
        self.stale_before = self.minted + 1


SERVICES = {
    code: ServiceView(code, f"Layanan {code}", f"Service {code}", True, None, "08:00", "15:00",
                      3, 10, True)
    for code in "BE"
}  # fmt: skip


class RecordingDesk:
    takes_bookings = False

    def __init__(self) -> None:
        self.issued: list[tuple[str, str | None]] = []

    def services_view(self, now: datetime) -> list[ServiceView]:
        return list(SERVICES.values())

    def issue_and_print(
        self,
        code: str,
        priority: Priority | None,
        printer_available: bool,
        reference: str | None = None,
    ) -> Any:
        self.issued.append((code, reference))
        ticket = TicketView(
            f"T{len(self.issued)}", f"{code}-00{len(self.issued)}", code, "x", "x",
            datetime(2026, 11, 23, 2, tzinfo=UTC), 0, None, True,
        )  # fmt: skip
        return type("Issued", (), {"ticket": ticket, "printed": True})()

    def reprint(self, ticket_id: str) -> Any:
        return True


class RecordingFeedback:
    def __init__(self) -> None:
        self.answers: list[FeedbackAnswer] = []

    def record(self, answer: FeedbackAnswer) -> int:
        self.answers.append(answer)
        return len(self.answers)


INFO = (
    InfoView("doc:kk", "Kartu Keluarga", "Family card", ("Kode QR",), ("QR code",), 0, 5, "L", "L"),
    InfoView("queue:B", "Layanan B", "Service B", ("KK",), ("KK",), 0, 60, "L", "L", "B",
             "08:00", "15:00"),
)  # fmt: skip


class Visit:
    def __init__(self, engine: Any, registry: FamilyRegistry) -> None:
        self.engine = engine
        self.registry = registry
        self.desk = RecordingDesk()
        self.feedback = RecordingFeedback()
        self.ended: list[SessionOutcome] = []
        self.views: list[SessionView] = []
        deps = SessionDeps(
            ui=UISettings(),
            voucher_keys=SIM_KEY,
            registry=registry,
            transaction=engine.transaction,
            printers=engine.printers,
            desk=self.desk,
            monotonic=Clock(),
            on_session_end=lambda outcome, seconds: self.ended.append(outcome),
            handover={"no_code": "E", "DOCUMENT_DATA_INVALID": "B"},
            handover_default="E",
            info=INFO,
            feedback=self.feedback,
        )
        self.c = SessionController(deps)
        self.c.subscribe(self.views.append)

    def send(self, *intents: Any) -> SessionView:
        for intent in intents:
            self.c.send(intent)
        assert self.c.wait_idle(5.0)
        return self.c.view

    def family(self, nik: str = NIK) -> str:
        """The family's four vouchers under one PIN; returns the KK's token."""
        kk = token("V1")
        for vid, doc, relation, year in FAMILY:
            self.registry.vouchers[vid] = FakeVoucher(vid, doc, nik=nik)
            self.registry.about[vid] = (relation, year)
        self.registry.tokens[kk] = "V1"
        return kk

    def reserves(self) -> list[str]:
        return [vid for call, vid in self.registry.calls if call == "reserve"]


@pytest.fixture
def visit(engine: Any) -> Iterator[Visit]:
    registry = FamilyRegistry()
    engine.transaction.registry = registry
    engine.outbox.registry = registry
    v = Visit(engine, registry)
    v.c.start()
    yield v
    v.c.stop()


def test_a_family_prints_three_documents_in_one_visit_without_the_pin_again(visit: Visit) -> None:
    kk = visit.family()
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(kk, "qr"))
    view = visit.send(EnterPin("123456"))
    assert view.screen is Screen.CONFIRM and view.document is not None
    assert view.document.vid == "V1"  # the scanned voucher first
    view = visit.send(Confirm())
    assert view.screen is Screen.DONE
    assert [(c.vid, c.relation, c.birth_year) for c in view.choices] == [
        ("V2", "ANAK", 2015),
        ("V3", "ANAK", 2015),
        ("V4", "ISTRI", 1984),
    ]
    assert visit.c.holds_personal_data  # the family's proofs, until the visit ends
    view = visit.send(MoreDocuments())
    assert view.screen is Screen.CHOOSE_DOCUMENT and len(view.choices) == 3
    view = visit.send(ChooseDocument("V3"))
    assert view.screen is Screen.CONFIRM and view.document is not None
    assert view.document.doc is DocumentType.AKTA_KELAHIRAN
    view = visit.send(Confirm())
    assert view.screen is Screen.DONE and [c.vid for c in view.choices] == ["V2", "V4"]
    view = visit.send(MoreDocuments(), ChooseDocument("V2"), Confirm())
    assert view.screen is Screen.DONE and [c.vid for c in view.choices] == ["V4"]
    states = {vid: v.state for vid, v in visit.registry.vouchers.items()}
    assert states == {"V1": "committed", "V2": "committed", "V3": "committed", "V4": "ready"}
    # Each its own exactly-once transaction: one reserve and one commit per document.
    assert visit.reserves() == ["V1", "V3", "V2"]
    assert visit.registry.count("verify") == 1 and visit.registry.count("identify") == 0
    assert visit.engine.outbox.flush(5.0)
    assert visit.registry.count("commit") == 3
    txids = {r.txid for r in visit.engine.journal.recent(None)}
    assert len(txids) == 3


def test_what_this_kiosk_holds_is_never_offered_again_in_a_family_visit(visit: Visit) -> None:
    """A print of the family's KK ended uncertain here: its QR gives the review error (not the
    family's list), and a member's document held here is left out of the list."""
    kk = visit.family()
    hold = type("Held", (), {"engine": visit.engine})()
    hold_in_journal(hold, "V1", TxState.SUSPECT)
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(kk, "qr"))
    view = visit.send(EnterPin("123456"))
    assert view.screen is Screen.ERROR and view.error is not None
    assert view.error.code == "VOUCHER_UNDER_REVIEW" and view.choices == ()
    assert not visit.c.holds_personal_data
    visit.registry.tokens[token("V2")] = "V2"
    hold_in_journal(hold, "V3", TxState.SUBMITTED)
    visit.send(Back(), ChooseMenu(MenuOption.PRINT), CodeScanned(token("V2"), "qr"))
    view = visit.send(EnterPin("123456"), Confirm())
    assert view.screen is Screen.DONE
    assert [c.vid for c in view.choices] == ["V4"]  # not V1 nor V3: held here
    assert visit.reserves() == ["V2"]


def test_back_from_a_family_document_returns_to_the_list_then_to_the_print(
    visit: Visit,
) -> None:
    kk = visit.family()
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(kk, "qr"), EnterPin("123456"))
    visit.send(Confirm(), MoreDocuments(), ChooseDocument("V4"))
    view = visit.send(Back())
    assert view.screen is Screen.CHOOSE_DOCUMENT
    assert [c.vid for c in view.choices] == ["V2", "V3", "V4"]
    view = visit.send(Back())
    assert view.screen is Screen.DONE and len(view.choices) == 3
    assert view.document is not None and view.document.vid == "V1"  # still says where it is
    assert visit.reserves() == ["V1"]


def test_the_last_document_leaves_nothing_personal(visit: Visit) -> None:
    t = token("V1")
    visit.registry.add("V1", DocumentType.KK, token=t)
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(t, "qr"), EnterPin("123456"))
    view = visit.send(Confirm())
    assert view.screen is Screen.DONE and view.choices == ()
    assert not visit.c.holds_personal_data


def test_every_ready_document_is_listed_not_just_six(visit: Visit) -> None:
    for i in range(9):
        visit.registry.add(f"V{i}", DocumentType.BIODATA)
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), StartManualNik(), EnterNik(NIK))
    view = visit.send(EnterPin("123456"))
    assert view.screen is Screen.CHOOSE_DOCUMENT and len(view.choices) == 9
    view = visit.send(ChooseDocument("V8"), Confirm())
    assert view.screen is Screen.DONE and len(view.choices) == 8


def test_a_stale_proof_asks_for_the_pin_again_then_prints_the_same_document(
    visit: Visit,
) -> None:
    kk = visit.family()
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(kk, "qr"), EnterPin("123456"))
    visit.send(Confirm())  # the KK printed; its voucher is spent
    visit.send(MoreDocuments(), ChooseDocument("V2"))
    visit.registry.stale_now()  # minutes went by: the registry no longer takes the proofs
    view = visit.send(Confirm())
    assert view.screen is Screen.PIN and view.notice == "pin_again"
    assert view.error is None
    assert visit.registry.vouchers["V2"].state == "ready"  # nothing was reserved
    view = visit.send(EnterPin("123456"))
    # Named by the scanned token (that voucher is printed now): fresh proofs, same document.
    assert ("identify_holder", kk[:8]) in visit.registry.calls
    assert view.screen is Screen.CONFIRM and view.document is not None
    assert view.document.vid == "V2"
    view = visit.send(Confirm())
    assert view.screen is Screen.DONE and [c.vid for c in view.choices] == ["V3", "V4"]
    assert visit.registry.vouchers["V2"].state == "committed"


def test_a_stale_proof_on_the_nik_path_identifies_by_nik_again(visit: Visit) -> None:
    visit.family()
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(NIK, "code128"))
    visit.send(EnterPin("123456"), ChooseDocument("V4"))
    visit.registry.stale_now()
    assert visit.send(Confirm()).screen is Screen.PIN
    view = visit.send(EnterPin("123456"))
    assert view.screen is Screen.CONFIRM and view.document is not None
    assert view.document.vid == "V4"
    assert visit.registry.count("identify") == 2


def test_the_pin_is_asked_again_once_per_document_then_it_is_an_error(visit: Visit) -> None:
    kk = visit.family()
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(kk, "qr"), EnterPin("123456"))
    visit.registry.stale_now()
    assert visit.send(Confirm()).screen is Screen.PIN
    visit.send(EnterPin("123456"))
    visit.registry.stale_now()  # refused again, at once: not a loop
    view = visit.send(Confirm())
    assert view.screen is Screen.ERROR and view.error is not None
    assert view.error.code == "SESSION_EXPIRED"


def test_help_without_a_code_offers_the_counter_in_one_tap(visit: Visit) -> None:
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT))
    view = visit.send(ShowHelp())
    assert view.screen is Screen.HELP
    assert view.handover is not None and view.handover.code == "E"
    view = visit.send(TakeTicket())
    assert view.screen is Screen.TICKET and visit.desk.issued == [("E", None)]
    visit.send(Cancel(), Touch(), ChooseMenu(MenuOption.PRINT), StartManualNik())
    assert visit.send(ShowHelp()).screen is Screen.HELP  # from the NIK keypad as well
    assert visit.send(Back()).screen is Screen.SCAN


def test_an_error_hands_over_to_its_counter_with_its_reference(visit: Visit) -> None:
    t = token("V1")
    visit.registry.add("V1", DocumentType.KK, token=t)
    visit.engine.printers.document.submit_error = None
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(t, "qr"), EnterPin("123456"))
    from devices.model import PaperLevel

    visit.engine.printers.document.paper = PaperLevel.OUT
    view = visit.send(Confirm())
    assert view.screen is Screen.ERROR and view.error is not None
    assert view.handover is not None and view.handover.code == "E"  # the default
    reference = view.error.reference
    view = visit.send(TakeTicket())
    assert view.screen is Screen.TICKET
    assert visit.desk.issued == [("E", reference)]  # printed on the ticket as "Ref: ..."


def test_the_error_mapping_chooses_the_service(visit: Visit) -> None:
    visit.engine.transaction.renderer = lambda envelope: (_ for _ in ()).throw(ValueError("x"))
    t = token("V1")
    visit.registry.add("V1", DocumentType.KK, token=t)
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(t, "qr"), EnterPin("123456"))
    view = visit.send(Confirm())
    assert view.error is not None and view.error.code == "DOCUMENT_DATA_INVALID"
    assert view.handover is not None and view.handover.code == "B"


def test_service_information_from_the_menu_and_a_ticket_from_it(visit: Visit) -> None:
    visit.send(Touch())
    view = visit.send(ShowInfo())
    assert view.screen is Screen.INFO_LIST and [t.key for t in view.topics] == [
        "doc:kk",
        "queue:B",
    ]
    view = visit.send(ShowInfo("doc:kk"))
    assert view.screen is Screen.INFO and view.info is not None and view.handover is None
    assert visit.send(TakeTicket()).screen is Screen.INFO  # no ticket for a kiosk document
    assert visit.send(Back()).screen is Screen.INFO_LIST
    view = visit.send(ShowInfo("queue:B"))
    assert view.handover is not None and view.handover.code == "B"
    assert visit.send(TakeTicket()).screen is Screen.TICKET
    assert visit.desk.issued == [("B", None)]
    visit.send(Finish(), Back())  # skip the survey
    visit.send(Touch(), ChooseMenu(MenuOption.QUEUE), ShowInfo())
    assert visit.send(Back()).screen is Screen.SERVICE  # back where it was opened


def test_the_survey_after_a_print_keeps_the_answer_then_ends(visit: Visit) -> None:
    t = token("V1")
    visit.registry.add("V1", DocumentType.KK, token=t)
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(t, "qr"), EnterPin("123456"))
    visit.send(Confirm())
    view = visit.send(Finish())
    assert view.screen is Screen.SURVEY
    view = visit.send(Rate(4, ("fast", "slow")))  # "slow" is not offered for a 4
    assert view.screen is Screen.SURVEY and visit.feedback.answers == []
    view = visit.send(Rate(4, ("fast", "easy")))
    assert view.screen is Screen.ATTRACT
    [answer] = visit.feedback.answers
    assert (answer.service, answer.score, answer.reasons, answer.ticket) == (
        "ADM",
        4,
        ("fast", "easy"),
        None,
    )
    # Sent under a random id of its own: nothing links the answer to the print or its voucher.
    assert visit.c.last_result is not None and visit.c.last_result.txid is not None
    assert answer.txid is not None and answer.txid.startswith("S") and len(answer.txid) == 17
    assert answer.txid not in (visit.c.last_result.txid, visit.c.last_result.reference)
    assert answer.txid not in [r.txid for r in visit.engine.journal.recent()]
    assert visit.ended == [SessionOutcome.PRINTED]


def test_the_survey_after_a_ticket_names_the_ticket_and_can_be_skipped(visit: Visit) -> None:
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), ShowHelp(), TakeTicket())
    view = visit.send(Finish(), Rate(1, ("slow",)))
    assert view.screen is Screen.ATTRACT
    [answer] = visit.feedback.answers
    assert (answer.service, answer.ticket, answer.score) == ("E", "T1", 1)
    visit.send(Touch(), ChooseMenu(MenuOption.PRINT), ShowHelp(), TakeTicket(), Finish())
    assert visit.send(Back()).screen is Screen.ATTRACT  # "Lewati": nothing kept
    assert len(visit.feedback.answers) == 1


def test_no_survey_without_a_recorder_or_after_nothing_was_done(visit: Visit) -> None:
    visit.send(Touch(), ShowInfo())
    visit.c.deps.feedback = None
    visit.send(Back(), ChooseMenu(MenuOption.PRINT), ShowHelp(), TakeTicket())
    assert visit.send(Finish()).screen is Screen.ATTRACT
