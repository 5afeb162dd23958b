"""Toner, ink and ribbon levels: IPP marker-* attributes into device status and metrics.

The test backend reports levels the way CUPS's usb and snmp backends do (``ATTR:`` lines on
stderr); cupsd keeps them on the queue and the driver reads them with Get-Printer-Attributes.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devices.model import DeviceKind, Marker
from devices.ports import JobState
from devices.printers.printer_status import MAX_MARKERS, markers_from_attributes
from kiosk.telemetry.metrics import KioskMetrics

pytestmark = pytest.mark.slow


def test_levels_reported_by_the_backend_reach_the_status_and_metrics(
    cupsd: Any, queue: str, make_printer: Any, two_page_pdf: bytes
) -> None:
    cupsd.control(queue, "markers=Black_Toner:toner:40:10,Waste_Bin:waste-toner:-3:-1")
    printer = make_printer(queue)
    assert printer.status.markers == ()  # nothing reported before a job ran
    job = printer.submit(two_page_pdf, title="ADM-TEST-markers", pages=2)
    assert printer.wait(job, timeout_s=20).state is JobState.COMPLETED
    status = printer.refresh_status()
    assert status.markers == (
        Marker("Black Toner", "toner", 40, 10),
        Marker("Waste Bin", "waste-toner", None, None),
    )
    assert not status.markers[0].is_low
    snapshot = {"document": {"kind": "document", "driver": "cups",
                             "status": status.to_dict(), "statistics": {}}}  # fmt: skip
    text = KioskMetrics(devices=lambda: snapshot).render().decode()
    assert (
        'kiosk_marker_level_percent{device="document",marker="Black Toner",type="toner"} 40.0'
        in text
    )
    assert "Waste Bin" not in text  # an unknown level is no number


def test_a_card_printer_ribbon_running_low(
    cupsd: Any, queue: str, make_printer: Any, make_pdf: Any
) -> None:
    cupsd.control(queue, "markers=YMCKO_Ribbon:ribbon-wax:4:10")
    printer = make_printer(queue, DeviceKind.CARD, blanko_stock=10)
    job = printer.submit(make_pdf(1), title="ADM-TEST-ribbon", pages=1)
    assert printer.wait(job, timeout_s=20).state is JobState.COMPLETED
    [ribbon] = printer.refresh_status().markers
    assert ribbon == Marker("YMCKO Ribbon", "ribbon-wax", 4, 10) and ribbon.is_low


def test_hostile_marker_answers_give_fewer_fields_never_an_exception() -> None:
    attrs: dict[str, list[Any]] = {
        "marker-names": ["Toner\x00\x1b[31m", b"\xff\xfeRibbon", "", "x" * 5000, *["m"] * 40],
        "marker-types": ["toner"],
        "marker-levels": [150, True, "40"],
        "marker-low-levels": [-2],
    }
    markers = markers_from_attributes(attrs)
    assert markers[0] == Marker("Toner[31m", "toner", None, None)
    assert markers[1].name.endswith("Ribbon") and markers[1].type == "unknown"
    assert len(markers[2].name) == 64
    assert len(markers) <= MAX_MARKERS


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["marker-names", "marker-types", "marker-levels", "marker-low-levels"]),
        st.lists(st.one_of(st.integers(), st.text(), st.binary(), st.booleans(), st.none())),
    )
)
def test_any_marker_attributes_parse(attrs: dict[str, list[Any]]) -> None:
    for marker in markers_from_attributes(attrs):
        assert marker.name and marker.name.isprintable()
        assert marker.level is None or 0 <= marker.level <= 100
