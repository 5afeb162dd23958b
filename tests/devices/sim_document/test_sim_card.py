"""The simulated card printer: CR80 virtual cards and the blanko counter."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image

from devices.drivers import DriverContext
from devices.faults import Fault
from devices.model import (
    CardLevel,
    DeviceError,
    DeviceKind,
    HealthLevel,
    StatusEvent,
    StatusEventKind,
)
from devices.ports import JobState

CR80_POINTS = (85.6 / 25.4 * 72, 53.98 / 25.4 * 72)


def cards_on_paper(context: DriverContext) -> list[str]:
    assert context.paper_dir is not None
    folder = context.paper_dir / "cards"
    return sorted(p.name for p in folder.glob("*.png")) if folder.exists() else []


def test_cards_are_counted_off_with_low_and_out_events(
    make_printer: Any, make_pdf: Any, context: DriverContext
) -> None:
    card = make_printer(DeviceKind.CARD, blanko_stock=3, blanko_low=1, png_dpi=300)
    events: list[StatusEvent] = []
    card.subscribe(events.append)
    assert card.blanko() == (3, 1)
    assert card.status.cards is CardLevel.OK

    outcome = card.wait(card.submit(make_pdf(2, CR80_POINTS), title="ADM-KIA-1", pages=2), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.COMPLETED, 2)
    assert card.blanko() == (1, 1)
    assert card.status.cards is CardLevel.LOW
    assert StatusEventKind.CARDS_LOW in [e.kind for e in events]
    assert cards_on_paper(context) == ["job-000001-p01.png", "job-000001-p02.png"]
    assert context.paper_dir is not None
    with Image.open(context.paper_dir / "cards" / "job-000001-p01.png") as image:
        width, height = image.size
    assert abs(width - 1011) <= 2
    assert abs(height - 638) <= 2

    card.wait(card.submit(make_pdf(1, CR80_POINTS), title="ADM-KTP-2", pages=1), 20)
    assert card.blanko() == (0, 1)
    assert card.status.cards is CardLevel.OUT
    assert StatusEventKind.CARDS_OUT in [e.kind for e in events]
    with pytest.raises(DeviceError) as refused:
        card.submit(make_pdf(1, CR80_POINTS), title="ADM-KTP-3", pages=1)
    assert refused.value.fault.code == "CARDS_OUT"
    assert card.statistics()["cards"] == 3
    assert not card.check_health(HealthLevel.INTERNAL).ok

    card.refill_blanko(40)
    assert card.blanko() == (40, 1)
    assert card.status.cards is CardLevel.OK


def test_the_count_survives_a_restart(make_printer: Any, make_pdf: Any) -> None:
    card = make_printer(DeviceKind.CARD, blanko_stock=5)
    card.wait(card.submit(make_pdf(1, CR80_POINTS), title="ADM-KTP-1", pages=1), 20)
    card.close()
    again = make_printer(DeviceKind.CARD, blanko_stock=50)
    assert again.blanko() == (4, 10)


def test_blanko_out_fault_refuses_cards_until_cleared(make_printer: Any, make_pdf: Any) -> None:
    card = make_printer(DeviceKind.CARD, blanko_stock=20)
    events: list[StatusEvent] = []
    card.subscribe(events.append)
    card.inject(Fault.BLANKO_OUT)
    assert card.status.cards is CardLevel.OUT
    assert events[-1].kind is StatusEventKind.CARDS_OUT
    with pytest.raises(DeviceError) as refused:
        card.submit(make_pdf(1, CR80_POINTS), title="ADM-KTP-1", pages=1)
    assert refused.value.fault.code == "CARDS_OUT"

    card.clear(Fault.BLANKO_OUT)
    assert card.status.cards is CardLevel.OK
    assert card.blanko() == (20, 10)


def test_blanko_running_out_mid_job_stops_it(make_printer: Any, make_pdf: Any) -> None:
    card = make_printer(DeviceKind.CARD, blanko_stock=1, blanko_low=0)
    # The caller said one card; the document holds two. The hopper decides.
    outcome = card.wait(card.submit(make_pdf(2, CR80_POINTS), title="ADM-KIA-1", pages=1), 20)
    assert (outcome.state, outcome.pages_out) == (JobState.ABORTED, 1)
    assert outcome.fault is not None
    assert outcome.fault.code == "CARDS_OUT"
    assert card.blanko() == (0, 0)


def test_no_stock_counted_means_no_cards(make_printer: Any, make_pdf: Any) -> None:
    card = make_printer(DeviceKind.CARD)
    assert card.blanko() == (0, 10)
    with pytest.raises(DeviceError):
        card.submit(make_pdf(1, CR80_POINTS), title="ADM-KTP-1", pages=1)


def test_external_health_prints_a_test_card(make_printer: Any, context: DriverContext) -> None:
    card = make_printer(DeviceKind.CARD, blanko_stock=2)
    result = card.check_health(HealthLevel.EXTERNAL)
    assert result.ok, result.text
    assert cards_on_paper(context) == ["job-000001-p01.png"]
    assert card.blanko()[0] == 1
