"""The session engine against random intent sequences and hostile scanned codes.

A scanned code is the kiosk's first outside input: anyone can hold anything to the camera.
Intents arrive in any order (a double tap, a late press after a timeout). Real engine, real
registry simulator over HTTP, real printers (simulated paper). Whatever the sequence: no
handler raises, the worker never hangs, every view names a real screen, and once the session
is cancelled nothing personal is left in it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fakes.kiosks import started_kiosk
from fuzz.byte_mutations import mutations
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.bootstrap import Kiosk
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
    MenuOption,
    Priority,
    ReprintTicket,
    Screen,
    SetLanguage,
    StartManualNik,
    StillHere,
    Tick,
    Touch,
)
from kiosk.registry_sim.server import RunningSimulator, start_in_thread

pytestmark = pytest.mark.slow
KIOSK_ID, KIOSK_KEY = "KIOSK-SIM-01", "sim-kiosk-key"


class HandlerFailures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Kiosk, RunningSimulator]]:
    base = tmp_path_factory.mktemp("intents")
    sim = start_in_thread(
        db_path=base / "registry.sqlite", seed=9, families=12, kiosks={KIOSK_ID: KIOSK_KEY}
    )
    try:
        with started_kiosk(base / "kiosk", registry_url=sim.url) as kiosk:
            yield kiosk, sim
    finally:
        sim.stop()


@pytest.fixture(scope="module")
def vouchers(world: tuple[Kiosk, RunningSimulator]) -> list[dict[str, Any]]:
    return world[1].list_vouchers()


# Placeholders resolved against the simulator's real vouchers at run time.
REAL_TOKEN, REAL_PIN, REAL_NIK = "<token>", "<pin>", "<nik>"
SAMPLE_TOKEN = "ADM1.eyJkb2MiOiJrayIsImV4cCI6MTc5NTQ0NzI2NH0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
scanned_text = st.one_of(
    st.just(REAL_TOKEN),
    st.just(REAL_NIK),
    st.text(max_size=200),
    st.text(alphabet="0123456789", min_size=15, max_size=17),
    mutations(SAMPLE_TOKEN.encode()).map(lambda b: b.decode("latin-1")),
    st.sampled_from(
        [
            "ADM1." + "A" * 100_000,
            "ADMDOC1.x.y",
            " 3201015508900001 ",
            "３２０１０１５５０８９０００１",
            "\x00" * 50,
            "ADM1..",
            "",
        ]
    ),
)
digits = st.one_of(st.just(REAL_PIN), st.text(max_size=20), st.text("0123456789", max_size=18))
intent = st.one_of(
    st.just(Touch()),
    st.builds(SetLanguage, st.sampled_from(["id", "en", "xx", "", "ID"])),
    st.builds(ChooseMenu, st.sampled_from(list(MenuOption))),
    st.builds(CodeScanned, scanned_text, st.sampled_from(["qr", "code128", "pdf417", "?"])),
    st.just(StartManualNik()),
    st.builds(EnterNik, digits | st.just(REAL_NIK)),
    st.builds(EnterPin, digits),
    st.builds(ChooseDocument, st.text(max_size=70)),
    st.just(Confirm()),
    st.just(Back()),
    st.just(Cancel()),
    st.builds(
        ChooseService,
        st.sampled_from(["A", "B", "E", "Z", "", "AA", "a"]),
        st.none() | st.sampled_from(list(Priority)),
    ),
    st.just(ReprintTicket()),
    st.just(StillHere()),
    st.builds(Tick, st.floats(0, 5_000)),
)


def _resolve(item: Any, voucher: dict[str, Any]) -> Any:
    """Swap the placeholders for the chosen voucher's real token, PIN or NIK."""
    real = {REAL_TOKEN: voucher["token"], REAL_PIN: voucher["pin"], REAL_NIK: voucher["holder_nik"]}
    if isinstance(item, CodeScanned) and item.text in real:
        return CodeScanned(real[item.text], item.format)
    if isinstance(item, EnterPin | EnterNik) and item.digits in real:
        return type(item)(real[item.digits])
    if isinstance(item, Tick):
        return Tick(time.monotonic() + item.now)
    return item


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sequence=st.lists(intent, min_size=1, max_size=14), pick=st.integers(0, 10_000))
def test_random_intent_sequences(
    world: tuple[Kiosk, RunningSimulator],
    vouchers: list[dict[str, Any]],
    sequence: list[Any],
    pick: int,
) -> None:
    kiosk, _ = world
    voucher = vouchers[pick % len(vouchers)]
    failures = HandlerFailures()
    logging.getLogger("kiosk").addHandler(failures)
    try:
        for item in sequence:
            kiosk.session.send(_resolve(item, voucher))
            assert kiosk.session.wait_idle(60), f"the session hung after {type(item).__name__}"
            view = kiosk.session.view
            assert isinstance(view.screen, Screen)
            if view.attempts_left is not None:
                assert 0 <= view.attempts_left <= 3
        for _ in range(3):  # back to the start, whatever screen this ended on
            screen = kiosk.session.view.screen
            if screen is Screen.ATTRACT:
                break
            kiosk.session.send(Confirm() if screen is Screen.DONE else Cancel())
            assert kiosk.session.wait_idle(60)
    finally:
        logging.getLogger("kiosk").removeHandler(failures)
    assert failures.messages == []
    view = kiosk.session.view
    assert view.screen in (Screen.ATTRACT, Screen.MENU), view
    if view.screen is Screen.ATTRACT:
        assert not kiosk.session.holds_personal_data
        assert view.document is None and view.choices == ()


def test_the_real_placeholders_reach_the_registry(world: tuple[Kiosk, RunningSimulator]) -> None:
    """Positive control: the resolved real token and PIN do lead to the confirm screen."""
    kiosk, sim = world
    voucher = next(v for v in sim.list_vouchers() if v["status"] == "ready")
    for item in (Touch(), ChooseMenu(MenuOption.PRINT), CodeScanned(REAL_TOKEN, "qr"),
                 EnterPin(REAL_PIN)):  # fmt: skip
        kiosk.session.send(_resolve(item, voucher))
    assert kiosk.session.wait_idle(30)
    assert kiosk.session.view.screen is Screen.CONFIRM
    kiosk.session.send(Cancel())
    assert kiosk.session.wait_idle(30)
    assert not kiosk.session.holds_personal_data
