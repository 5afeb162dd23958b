"""Recording fakes for the engine's collaborators (STYLE 21), handed out as fixtures.

The integration tests (tests/integration/test_session_*.py) run the same flows against the
real registry simulator over HTTP, the real renderer and the simulated printers.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from devices.manager import unusable_reason
from devices.model import DeviceError, DeviceFault, DeviceState, DeviceStatus, PaperLevel
from devices.ports import JobOutcome, JobState
from kiosk.audit import AuditLog
from kiosk.domain.documents import DocumentType
from kiosk.engine.journal import Journal
from kiosk.engine.outbox import Outbox
from kiosk.engine.transaction import PrintTransaction
from kiosk.registry.errors import (
    AlreadyPrinted,
    Expired,
    Locked,
    NotFound,
    RegistryError,
    ReservedElsewhere,
    Timeout,
    Unavailable,
    WrongPin,
)


@dataclass(frozen=True)
class FakeVerified:
    vid: str
    doc: DocumentType
    holder_masked: str
    expires: datetime | None
    verification: str
    subject_masked: str | None = None
    relation: str | None = None
    birth_year: int | None = None
    others: tuple[FakeVerified, ...] = ()  # a verify answer: the holder's other ready ones


@dataclass(frozen=True)
class FakeReservation:
    rid: str
    vid: str
    doc: DocumentType
    lease_expires: datetime
    document: dict[str, Any]


@dataclass
class FakeVoucher:
    vid: str
    doc: DocumentType
    pin: str = "123456"
    state: str = "ready"  # ready / reserved / committed / locked
    attempts_left: int = 3
    rid: str | None = None
    reserve_key: str | None = None
    nik: str = "3201010101900001"


@dataclass
class FakeRegistry:
    """An in-memory registry that records every call and can be told to fail."""

    vouchers: dict[str, FakeVoucher] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # token -> vid
    calls: list[tuple[str, Any]] = field(default_factory=list)
    outage: bool = False
    lose_commit_responses: int = 0  # apply the commit, then raise Timeout (lost response)
    lose_reserve_responses: int = 0
    commit_keys: dict[str, str] = field(default_factory=dict)  # key -> rid
    holds: set[str] = field(default_factory=set)  # rids with a printing hold
    printing_error: RegistryError | None = None  # the next printing hold answers this
    lose_printing_responses: int = 0  # grant the hold, then raise Timeout (lost answer)
    commit_attempt_keys: list[str] = field(default_factory=list)  # every commit's key, in order
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def add(self, vid: str, doc: DocumentType = DocumentType.KK, token: str | None = None) -> None:
        self.vouchers[vid] = FakeVoucher(vid, doc)
        if token is not None:
            self.tokens[token] = vid

    def _check_up(self) -> None:
        if self.outage:
            raise Unavailable("registry down")

    def _verified(self, v: FakeVoucher) -> FakeVerified:
        return FakeVerified(v.vid, v.doc, "B*** S******", None, f"proof-{v.vid}")

    def _pin(self, v: FakeVoucher, pin: str) -> None:
        if v.state == "locked":
            raise Locked("locked", until=datetime.now(UTC) + timedelta(minutes=30))
        if pin != v.pin:
            v.attempts_left -= 1
            if v.attempts_left <= 0:
                v.state = "locked"
                raise Locked("locked", until=datetime.now(UTC) + timedelta(minutes=30))
            raise WrongPin("wrong", attempts_left=v.attempts_left)

    def health(self) -> Any:
        self.calls.append(("health", None))
        self._check_up()
        return {"ok": True}

    def verify_voucher(self, token: str, pin: str) -> FakeVerified:
        self.calls.append(("verify", token))
        self._check_up()
        vid = self.tokens.get(token)
        if vid is None:
            raise NotFound("no such voucher")
        v = self.vouchers[vid]
        self._pin(v, pin)
        if v.state == "committed":
            raise AlreadyPrinted("printed")
        return self._verified(v)

    def identify(self, nik: str, pin: str) -> list[FakeVerified]:
        self.calls.append(("identify", nik[:4]))
        self._check_up()
        mine = [v for v in self.vouchers.values() if v.nik == nik]
        for v in mine:
            self._pin(v, pin)
        return [self._verified(v) for v in mine if v.state == "ready"]

    def reserve(self, vid: str, verification: str, idempotency_key: str) -> FakeReservation:
        self.calls.append(("reserve", vid))
        self._check_up()
        v = self.vouchers[vid]
        if v.reserve_key != idempotency_key:
            if v.state == "committed":
                raise AlreadyPrinted("printed")
            if v.state == "reserved":
                raise ReservedElsewhere("held")
            v.state, v.rid, v.reserve_key = "reserved", f"R{next(self._ids)}", idempotency_key
        reservation = FakeReservation(
            str(v.rid), vid, v.doc, datetime.now(UTC) + timedelta(minutes=2), {"doc": v.doc.value}
        )
        if self.lose_reserve_responses:
            self.lose_reserve_responses -= 1
            raise Timeout("answer lost")
        return reservation

    def start_printing(
        self, rid: str, *, pdf_sha256: str, pages: int, printer: str, idempotency_key: str
    ) -> dict[str, str]:
        self.calls.append(("start_printing", rid))
        self._check_up()
        if self.printing_error is not None:
            error, self.printing_error = self.printing_error, None
            raise error
        v = self._by_rid(rid)
        if v.state == "committed":
            raise AlreadyPrinted("printed")
        if v.state != "reserved":
            raise Expired("the lease ran out")
        self.holds.add(rid)
        if self.lose_printing_responses:
            self.lose_printing_responses -= 1
            raise Timeout("answer lost")
        return {"status": "printing"}

    def _by_rid(self, rid: str) -> FakeVoucher:
        for v in self.vouchers.values():
            if v.rid == rid:
                return v
        raise NotFound("no such reservation")

    def commit(
        self, rid: str, *, pdf_sha256: str, pages: int, printer: str, idempotency_key: str
    ) -> dict[str, str]:
        self.calls.append(("commit", rid))
        self.commit_attempt_keys.append(idempotency_key)
        self._check_up()
        v = self._by_rid(rid)
        if v.state == "committed" and self.commit_keys.get(idempotency_key) != rid:
            raise AlreadyPrinted("printed")
        v.state = "committed"
        self.commit_keys[idempotency_key] = rid
        if self.lose_commit_responses:
            self.lose_commit_responses -= 1
            raise Timeout("answer lost")
        return {"status": "committed"}

    def release(self, rid: str, *, reason: str, idempotency_key: str) -> dict[str, str]:
        self.calls.append(("release", rid))
        self._check_up()
        v = self._by_rid(rid)
        if v.state == "reserved":
            v.state, v.rid, v.reserve_key = "ready", None, None
        self.holds.discard(rid)
        return {"status": "released"}

    def heartbeat(self, payload: dict[str, Any]) -> None:
        self.calls.append(("heartbeat", payload))
        self._check_up()

    def count(self, name: str) -> int:
        return sum(1 for call, _ in self.calls if call == name)


@dataclass(frozen=True)
class FakeRendered:
    pdf: bytes
    pages: int
    sha256: str


def fake_render(envelope: Any) -> FakeRendered:
    if envelope.get("broken"):
        raise ValueError("bad document data")
    pdf = b"%PDF-1.7 fake " + repr(sorted(envelope.items())).encode()
    return FakeRendered(pdf, 1, hashlib.sha256(pdf).hexdigest())


class FakePrinter:
    """A document printer whose next job ends as the test says; records what it was given."""

    def __init__(self, name: str = "document") -> None:
        self.name = name
        self.driver = "fake"
        self.state = DeviceState.IDLE
        self.paper = PaperLevel.OK
        self.submitted: list[tuple[str, int]] = []
        self.submit_error: DeviceFault | None = None
        self.submit_raises: Exception | None = None  # raised by submit after queueing the job
        self.refuse_input: Exception | None = None  # raised by submit before queueing anything
        self.wait_raises: Exception | None = None
        self.next_outcome: tuple[JobState, int | None, DeviceFault | None] | None = None
        self.outcomes: dict[str, JobOutcome] = {}
        self.pages_printed = 0

    @property
    def status(self) -> DeviceStatus:
        return DeviceStatus(state=self.state, paper=self.paper)

    def submit(self, pdf: bytes, *, title: str, pages: int) -> str:
        if self.submit_error is not None:
            raise DeviceError(self.submit_error)
        if self.refuse_input is not None:
            raise self.refuse_input
        job_id = f"job-{len(self.submitted) + 1}"
        self.submitted.append((title, pages))
        state, out, fault = self.next_outcome or (JobState.COMPLETED, pages, None)
        self.pages_printed += out or 0
        self.outcomes[job_id] = JobOutcome(job_id, state, out, fault)
        if self.submit_raises is not None:
            raise self.submit_raises
        return job_id

    def wait(self, job_id: str, timeout_s: float) -> JobOutcome:
        if self.wait_raises is not None:
            raise self.wait_raises
        return self.outcomes[job_id]

    def job_outcome(self, job_id: str) -> JobOutcome:
        return self.outcomes.get(job_id, JobOutcome(job_id, JobState.UNKNOWN))


class FakePrinters:
    """The device manager's printing surface over fake printers."""

    def __init__(self) -> None:
        self.document = FakePrinter("document")
        self.card = FakePrinter("card")

    def printer_for(self, media: str) -> FakePrinter | None:
        return {"a4": self.document, "card": self.card}.get(str(media))

    def print_problem(self, media: str) -> str | None:
        printer = self.printer_for(media)
        return "PRINTER_UNAVAILABLE" if printer is None else unusable_reason(printer.status)

    def can_print(self, media: str) -> bool:
        return self.print_problem(media) is None

    def call(self, name: str, fn: Any, timeout_s: float | None = None) -> Any:
        return fn({"document": self.document, "card": self.card}[name])


@dataclass
class Engine:
    journal: Journal
    audit: AuditLog
    registry: FakeRegistry
    printers: FakePrinters
    outbox: Outbox
    transaction: PrintTransaction
    state_dir: Path
    steps: list[str]


@pytest.fixture
def engine(tmp_path: Path) -> Any:
    journal = Journal(tmp_path / "journal.sqlite")
    audit = AuditLog(tmp_path / "audit")
    registry = FakeRegistry()
    printers = FakePrinters()
    steps: list[str] = []
    outbox = Outbox(
        journal, registry, audit=audit, pause=steps.append, base_delay_s=0.01, max_delay_s=0.05
    )
    transaction = PrintTransaction(
        journal=journal,
        registry=registry,
        renderer=fake_render,
        printers=printers,
        outbox=outbox,
        audit=audit,
        pause=steps.append,
    )
    yield Engine(journal, audit, registry, printers, outbox, transaction, tmp_path, steps)
    outbox.stop()
    journal.close()


@pytest.fixture
def fake_verified() -> type[FakeVerified]:
    return FakeVerified
