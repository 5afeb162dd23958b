"""A day's figures per service and per counter, for the office's public report (JSON and CSV).

- ``issued``: tickets issued for the service (``transferred_in``: received from other services);
  ``served``, ``no_show``, ``transferred`` (sent on), ``cancelled``, ``waiting``: by end state.
- wait: from the ticket's arrival in the service (its issue, or its transfer) to its first call;
  service time: from the start (or, without one, the call) to done. Minutes, median and p90
  (nearest rank: the smallest value that at least 90 % of the tickets did not exceed).
- IKM (Indeks Kepuasan Masyarakat, PermenPANRB 14/2017): the mean of the 1-4 answers times 25,
  a 25-100 score, with the number of answers; ``None`` without answers. A counter's IKM counts
  the answers that name a ticket it called. Answers about a kiosk's own self-service (printing a
  document, checking one: service ``ADM``, :data:`KIOSK_SERVICE`) get a row of their own after the
  catalogue's services, on days that have any.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date

from kiosk.config.models import QueueCounter, QueueService
from kiosk.feedback.model import ADM_SERVICE
from kiosk.queue.models import Ticket, TicketStatus
from kiosk.queue.rules import percentile
from kiosk.queue.store import Feedback

KIOSK_SERVICE = ADM_SERVICE  # feedback about a kiosk session, not about a counter service
KIOSK_SERVICE_NAME = "Anjungan Dukcapil Mandiri (cetak dan cek dokumen)"


@dataclass(frozen=True, slots=True)
class Figures:
    scope: str  # "service", "counter" or "total"
    id: str
    name: str
    agency: str
    issued: int
    transferred_in: int
    called: int
    served: int
    no_show: int
    transferred: int
    cancelled: int
    waiting: int
    wait_median_min: float | None
    wait_p90_min: float | None
    service_median_min: float | None
    service_p90_min: float | None
    ikm: float | None
    ikm_responses: int


@dataclass(frozen=True, slots=True)
class DayFigures:
    day: date
    services: list[Figures]
    counters: list[Figures]
    total: Figures

    def rows(self) -> list[Figures]:
        return [*self.services, *self.counters, self.total]


def _minutes(values: Sequence[float], share: float) -> float | None:
    if not values:
        return None
    found = statistics.median(values) if share == 0.5 else percentile(values, share)
    return None if found is None else round(found / 60, 1)


def _figures(
    scope: str,
    key: str,
    name: str,
    agency: str,
    tickets: Sequence[Ticket],
    answers: Sequence[Feedback],
) -> Figures:
    def count(status: TicketStatus) -> int:
        return sum(t.status is status for t in tickets)

    waits = [
        (t.called_at - (t.created_at or t.issued_at)).total_seconds()
        for t in tickets
        if t.called_at is not None
    ]
    service_times = [
        (t.finished_at - t.started_at).total_seconds()
        for t in tickets
        if t.status is TicketStatus.SERVED and t.finished_at and t.started_at
    ]
    scores = [a.score for a in answers]
    return Figures(
        scope=scope,
        id=key,
        name=name,
        agency=agency,
        issued=sum(t.hop == 0 for t in tickets),
        transferred_in=sum(t.hop > 0 for t in tickets),
        called=sum(t.called_at is not None for t in tickets),
        served=count(TicketStatus.SERVED),
        no_show=count(TicketStatus.NO_SHOW),
        transferred=count(TicketStatus.TRANSFERRED),
        cancelled=count(TicketStatus.CANCELLED),
        waiting=count(TicketStatus.WAITING),
        wait_median_min=_minutes(waits, 0.5),
        wait_p90_min=_minutes(waits, 0.9),
        service_median_min=_minutes(service_times, 0.5),
        service_p90_min=_minutes(service_times, 0.9),
        ikm=round(statistics.fmean(scores) * 25, 2) if scores else None,
        ikm_responses=len(scores),
    )


def day_figures(
    day: date,
    tickets: Sequence[Ticket],
    feedback: Sequence[Feedback],
    services: Sequence[QueueService],
    counters: Sequence[QueueCounter],
) -> DayFigures:
    counter_of = {t.ticket_id: t.counter for t in tickets}

    def pick(keep: Callable[[Ticket], bool]) -> list[Ticket]:
        return [t for t in tickets if keep(t)]

    by_service = [
        _figures(
            "service",
            s.code,
            s.name_id,
            s.agency,
            pick(lambda t, code=s.code: t.service == code),  # type: ignore[misc]
            [a for a in feedback if a.service == s.code],
        )
        for s in services
    ]
    kiosk = [a for a in feedback if a.service == KIOSK_SERVICE]
    if kiosk:
        by_service.append(
            _figures("service", KIOSK_SERVICE, KIOSK_SERVICE_NAME, "Dukcapil", [], kiosk)
        )
    by_counter = [
        _figures(
            "counter",
            c.id,
            f"Loket {c.number}",
            c.agency,
            pick(lambda t, cid=c.id: t.counter == cid),  # type: ignore[misc]
            [a for a in feedback if a.ticket_id and counter_of.get(a.ticket_id) == c.id],
        )
        for c in counters
    ]
    total = _figures("total", "all", "Semua layanan", "", tickets, feedback)
    return DayFigures(day, by_service, by_counter, total)


def as_json(figures: DayFigures) -> dict[str, object]:
    return {
        "day": figures.day.isoformat(),
        "services": [asdict(f) for f in figures.services],
        "counters": [asdict(f) for f in figures.counters],
        "total": asdict(figures.total),
    }


def as_csv(figures: DayFigures) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = [f.name for f in fields(Figures)]
    writer.writerow(["day", *names])
    for row in figures.rows():
        values = asdict(row)
        writer.writerow([figures.day.isoformat(), *(_cell(values[n]) for n in names)])
    return out.getvalue()


def _cell(value: object) -> object:
    """A spreadsheet must not run a name from config as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
