"""The CUPS card printer: the document driver on a CR80 queue plus the blanko counter."""

from __future__ import annotations

from typing import Any

import pytest

from devices.drivers import DriverContext
from devices.model import (
    CardLevel,
    DeviceError,
    DeviceKind,
    HealthLevel,
    StatusEvent,
    StatusEventKind,
)
from devices.ports import JobState

pytestmark = pytest.mark.slow


def test_no_blanko_counted_yet_refuses_to_print(
    cupsd: Any, queue: str, make_printer: Any, make_pdf: Any
) -> None:
    card = make_printer(queue, DeviceKind.CARD)
    assert card.blanko() == (0, 10)
    assert card.status.cards is CardLevel.OUT
    with pytest.raises(DeviceError) as refused:
        card.submit(make_pdf(1), title="ADM-KTP-1", pages=1)
    assert refused.value.fault.code == "CARDS_OUT"
    assert cupsd.captured(queue) == {}
    assert not card.check_health(HealthLevel.INTERNAL).ok


def test_cards_printed_are_counted_off_with_low_and_out_events(
    cupsd: Any, queue: str, make_printer: Any, make_pdf: Any, context: DriverContext
) -> None:
    card = make_printer(queue, DeviceKind.CARD, blanko_low=1)
    events: list[StatusEvent] = []
    card.subscribe(events.append)
    card.refill_blanko(3)
    assert card.blanko() == (3, 1)
    assert card.status.cards is CardLevel.OK

    outcome = card.wait(card.submit(make_pdf(2), title="ADM-KIA-1", pages=2), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.COMPLETED, 2)
    assert card.blanko() == (1, 1)
    assert card.status.cards is CardLevel.LOW
    assert events[-1].kind is StatusEventKind.CARDS_LOW

    with pytest.raises(DeviceError):
        card.submit(make_pdf(2), title="ADM-KIA-2", pages=2)  # two cards, one left

    card.wait(card.submit(make_pdf(1), title="ADM-KTP-3", pages=1), 20)
    assert card.blanko() == (0, 1)
    assert card.status.cards is CardLevel.OUT
    assert StatusEventKind.CARDS_OUT in [e.kind for e in events]
    assert card.statistics()["cards"] == 3
    assert len(cupsd.captured(queue)) == 2

    card.close()
    again = make_printer(queue, DeviceKind.CARD, blanko_low=1, blanko_stock=50)
    assert again.blanko() == (0, 1)  # the count survives a restart; the initial stock is unused


def test_a_failed_card_job_uses_no_blanko(
    cupsd: Any, queue: str, make_printer: Any, make_pdf: Any
) -> None:
    card = make_printer(queue, DeviceKind.CARD, blanko_stock=5)
    cupsd.control(queue, "fail")
    outcome = card.wait(card.submit(make_pdf(1), title="ADM-KTP-9", pages=1), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 0)
    assert card.blanko() == (5, 10)


def test_a_card_printer_out_of_media_reports_cards_out(
    cupsd: Any, queue: str, make_printer: Any, make_pdf: Any
) -> None:
    card = make_printer(queue, DeviceKind.CARD, blanko_stock=20)
    events: list[StatusEvent] = []
    card.subscribe(events.append)
    cupsd.control(queue, "media-empty")
    outcome = card.wait(card.submit(make_pdf(1), title="ADM-KTP-4", pages=1), 20)
    assert outcome.state is JobState.ABORTED
    assert outcome.fault is not None
    assert outcome.fault.code == "CARDS_OUT"
    assert StatusEventKind.CARDS_OUT in [e.kind for e in events]


def test_refill_rejects_nonsense(cupsd: Any, queue: str, make_printer: Any) -> None:
    card = make_printer(queue, DeviceKind.CARD)
    for bad in (-1, 10**9, True):
        with pytest.raises(ValueError):
            card.refill_blanko(bad)
    assert card.blanko()[0] == 0
