"""What a technician can do, each action authorized by the session and written to the audit log.

Every method here may block (device I/O, registry calls, scrypt): the UI runs them on a worker
thread. Each one first calls :meth:`TechnicianSession.authorize` (raises ``NotAuthorized``
unless the session is OPEN, and counts as activity), then does the work through the same
objects the citizen flow uses (device manager, journal, queue desk, registry client), then
appends ``technician_action`` to the audit log with who, what and outcome. A failure is audited
too, then re-raised for the screen to show.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from devices.model import HealthLevel
from devices.ports import JobState
from devices.printers.job_input import health_check_pdf
from kiosk.diagnose.checks import CheckResult, DiagnosticReport, RegistryProbe, check_registry
from kiosk.diagnose.checks import diagnose as run_diagnose
from kiosk.engine.availability import FreeSpace
from kiosk.engine.journal import Journal, TxRecord, TxState
from kiosk.engine.recovery import resolve_suspect
from kiosk.speech.settings import AudioSettings
from kiosk.technician.consumables import Consumables, RefillInfo
from kiosk.technician.session import WHO, Auditor, TechnicianSession
from printing.tickets.diagnostic import diagnostic_ticket

if TYPE_CHECKING:
    from devices.manager import DeviceManager
    from kiosk.engine.session_flows import QueueDesk

log = logging.getLogger(__name__)
T = TypeVar("T")

PRINT_TIMEOUT_S = 60.0


class TestPrint(StrEnum):
    __test__ = False  # not a pytest test class

    TICKET = "ticket"
    A4 = "a4"
    CARD = "card"


_TEST_PRINT_DEVICE = {TestPrint.TICKET: "receipt", TestPrint.A4: "document", TestPrint.CARD: "card"}


class ActionError(Exception):
    """An action that could not be done (no such device, exit not allowed, ...)."""


@dataclass(frozen=True, slots=True)
class PrintResult:
    kind: TestPrint
    ok: bool
    text: str


@dataclass(frozen=True, slots=True)
class QueueLine:
    code: str
    name_id: str
    name_en: str
    waiting: int


@dataclass(frozen=True, slots=True)
class KioskAttention:
    """What the status page shows beside the devices: room to write, and what needs a look."""

    free_bytes: int | None  # None: the state dir's filesystem could not be asked
    floor_bytes: int
    space_low: bool  # below the floor: the kiosk starts no new session
    suspects: int  # SUSPECT transactions awaiting a decision
    conflicts: int  # CONFLICT: printed here and elsewhere (a double print, an alarm)


@dataclass(frozen=True, slots=True)
class DeviceStats:
    name: str
    counters: dict[str, float]
    refill: RefillInfo
    blanko: tuple[int, int] | None  # (cards left, low threshold) for card printers


class AudioControl(Protocol):
    """The spoken prompts' controls (kiosk.speech.Announcer)."""

    @property
    def settings(self) -> AudioSettings: ...
    def set_volume(self, volume: int) -> AudioSettings: ...
    def set_muted(self, muted: bool) -> AudioSettings: ...
    def say(self, text: str, language: str) -> None: ...


class TechnicianActions:
    def __init__(
        self,
        session: TechnicianSession,
        *,
        devices: DeviceManager,
        journal: Journal,
        audit: Auditor,
        state_dir: Path,
        registry: RegistryProbe | None,
        desk: QueueDesk | None = None,
        wake_outbox: Callable[[], None] = lambda: None,
        consumables: Consumables | None = None,
        storage: FreeSpace | None = None,
        on_refill: Callable[[str, str], None] = lambda name, what: None,
        speech: AudioControl | None = None,
    ) -> None:
        self.session = session
        self.devices = devices
        self.journal = journal
        self.audit = audit
        self.state_dir = Path(state_dir)
        self.registry = registry
        self.desk = desk
        self._wake_outbox = wake_outbox
        self.storage = storage
        self._on_refill = on_refill  # (device, "paper" | "blanko"); a simulator's faults end
        self.consumables = consumables or Consumables(self.state_dir / "technician.sqlite")
        self.speech = speech

    def close(self) -> None:
        self.consumables.close()

    # -- the audited envelope -------------------------------------------------------------

    def _act(self, what: str, fn: Callable[[], T], outcome: Callable[[T], str]) -> T:
        self.session.authorize()
        try:
            result = fn()
        except Exception as exc:
            self.audit.append(
                "technician_action", who=WHO, what=what, outcome="failed", error=type(exc).__name__
            )
            log.warning("technician action %s failed: %s", what, exc)
            raise
        self.audit.append("technician_action", who=WHO, what=what, outcome=outcome(result))
        return result

    # -- reading (authorized, not audited: nothing changes) ---------------------------------

    def device_status(self) -> dict[str, Any]:
        self.session.authorize()
        return self.devices.snapshot()

    def suspects(self) -> list[TxRecord]:
        """SUSPECT transactions (a decision is owed) and CONFLICTs (double prints) alike."""
        self.session.authorize()
        return self.journal.recent(frozenset({TxState.SUSPECT, TxState.CONFLICT}))

    def attention(self) -> KioskAttention:
        self.session.authorize()
        counts = self.journal.counts()
        reading = self.storage.reading() if self.storage is not None else None
        return KioskAttention(
            free_bytes=reading.free_bytes if reading is not None else None,
            floor_bytes=reading.floor_bytes if reading is not None else 0,
            space_low=reading.low if reading is not None else False,
            suspects=counts.get(TxState.SUSPECT.value, 0),
            conflicts=counts.get(TxState.CONFLICT.value, 0),
        )

    def queue_lines(self) -> list[QueueLine]:
        self.session.authorize()
        if self.desk is None:
            return []
        views = self.desk.services_view(datetime.now(UTC))
        return [QueueLine(v.code, v.name_id, v.name_en, v.waiting) for v in views]

    def statistics(self) -> list[DeviceStats]:
        self.session.authorize()
        out = []
        for name in self.devices.names:
            device = self.devices.get(name)
            if device is None:
                continue
            counters = dict(device.statistics())
            blanko_fn = getattr(device, "blanko", None)
            blanko: tuple[int, int] | None = None
            if callable(blanko_fn):
                left, low = blanko_fn()
                blanko = (int(left), int(low))
            out.append(DeviceStats(name, counters, self.consumables.info(name, counters), blanko))
        return out

    # -- actions ---------------------------------------------------------------------------

    def health(self, level: HealthLevel) -> DiagnosticReport:
        return self._act(
            f"health_{level.value}",
            lambda: run_diagnose(
                self.devices, level, registry=self.registry, state_dir=self.state_dir
            ),
            lambda report: "ok" if report.ok else "problems",
        )

    def test_print(self, kind: TestPrint) -> PrintResult:
        return self._act(
            f"test_print_{kind.value}",
            lambda: self._test_print(kind),
            lambda result: "ok" if result.ok else "failed",
        )

    def _test_print(self, kind: TestPrint) -> PrintResult:
        name = _TEST_PRINT_DEVICE[kind]
        if self.devices.get(name) is None:
            return PrintResult(kind, False, f"no {name} printer configured")
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        if kind is TestPrint.TICKET:
            job = diagnostic_ticket(
                "ADM TEST TICKET", f"technician test {stamp}", f"ADM-TEST-{secrets.token_hex(4)}"
            )
            outcome = self.devices.call(
                name, lambda d: d.print_raw(job, 20.0), timeout_s=PRINT_TIMEOUT_S
            )
        else:
            size = {"width_mm": 85.6, "height_mm": 54.0} if kind is TestPrint.CARD else {}
            pdf = health_check_pdf(f"technician test print {stamp}", **size)
            job_id = self.devices.call(
                name, lambda d: d.submit(pdf, title="ADM-TEST-PAGE", pages=1), timeout_s=30.0
            )
            outcome = self.devices.call(
                name, lambda d: d.wait(job_id, PRINT_TIMEOUT_S), timeout_s=PRINT_TIMEOUT_S + 5
            )
        ok = outcome.state is JobState.COMPLETED
        text = f"{name}: job {outcome.job_id} {outcome.state.value}"
        if outcome.fault is not None:
            text += f" ({outcome.fault.code})"
        return PrintResult(kind, ok, text)

    def refill_paper(self, name: str) -> RefillInfo:
        """Paper was loaded into ``name``: new baseline; a simulator's paper faults end."""
        return self._act(f"refill_paper_{name}", lambda: self._refill(name, "paper"), _ok)

    def refill_blanko(self, stock: int) -> RefillInfo:
        """The card hopper now holds ``stock`` blanko cards."""

        def run() -> RefillInfo:
            device = self.devices.get("card")
            if device is None or not callable(getattr(device, "refill_blanko", None)):
                raise ActionError("no card printer with a blanko counter")
            self.devices.call("card", lambda d: d.refill_blanko(stock))
            return self._refill("card", "blanko")

        return self._act(f"refill_blanko_{stock}", run, _ok)

    def _refill(self, name: str, what: str) -> RefillInfo:
        device = self.devices.get(name)
        if device is None:
            raise ActionError(f"no device {name!r}")
        self._on_refill(name, what)
        if callable(getattr(device, "query_status", None)):
            self.devices.call(name, lambda d: d.query_status(5.0), timeout_s=10.0)
        counters = dict(device.statistics())
        self.consumables.record_refill(name, what, counters)
        return self.consumables.info(name, counters)

    def resolve(self, txid: str, *, printed: bool) -> TxRecord:
        def run() -> TxRecord:
            record = resolve_suspect(self.journal, self.audit, txid, printed=printed)  # type: ignore[arg-type]
            self._wake_outbox()
            return record

        decision = "printed" if printed else "not_printed"
        return self._act(f"resolve_{decision}", run, lambda r: f"{r.txid}:{r.state.value}")

    def reset_queue(self, code: str | None) -> int:
        def run() -> int:
            if self.desk is None:
                raise ActionError("no queue services configured")
            return self.desk.reset(code)

        return self._act(f"queue_reset_{code or 'all'}", run, lambda n: f"{n}_cancelled")

    def check_registry(self) -> CheckResult:
        return self._act(
            "registry_check",
            lambda: check_registry(self.registry),
            lambda result: "ok" if result.ok else "problems",
        )

    def request_exit(self) -> None:
        """Allowed only with ``technician.allow_exit``; the UI then closes the kiosk."""

        def run() -> None:
            if not self.session.allow_exit:
                raise ActionError("leaving the kiosk is not allowed by the config")

        self._act("exit_kiosk", run, lambda _: "ok")

    # -- spoken prompts: volume and mute --------------------------------------------------

    def _speech(self) -> AudioControl:
        if self.speech is None:
            raise ActionError("spoken prompts are off (ui.speech in the config, or no espeak-ng)")
        return self.speech

    def audio(self) -> AudioSettings | None:
        """Volume and mute now; None when spoken prompts are off."""
        self.session.authorize()
        return None if self.speech is None else self.speech.settings

    def set_volume(self, volume: int) -> AudioSettings:
        volume = max(0, min(100, volume))
        return self._act(
            f"audio_volume_{volume}", lambda: self._speech().set_volume(volume), lambda _: "ok"
        )

    def set_muted(self, muted: bool) -> AudioSettings:
        what = "audio_mute" if muted else "audio_unmute"
        return self._act(what, lambda: self._speech().set_muted(muted), lambda _: "ok")

    def play_sample(self, text: str, language: str) -> None:
        """Say ``text`` (a catalogue prompt) at the current volume, to hear it."""
        self.session.authorize()
        self._speech().say(text, language)

    def logout(self) -> None:
        self.session.logout()


def _ok(_: object) -> str:
    return "ok"
