"""Random intent sequences against the session machine (hypothesis): it never fails
internally, ends on ATTRACT with nothing personal after Cancel, and never prints twice."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config.models import UISettings
from kiosk.domain.documents import DocumentType
from kiosk.domain.sim_keys import SIM_KID, sim_voucher_private_key
from kiosk.domain.voucher import VoucherPayload, mint_token, public_key_from_text
from kiosk.engine.journal import TxState
from kiosk.engine.session import SessionController
from kiosk.engine.session_flows import SessionDeps
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
    ReprintTicket,
    Screen,
    SetLanguage,
    StartManualNik,
    StillHere,
    Tick,
    Touch,
)

KEY = "SFIEpK1DbOjDPWIFvTtmmh13fpYxZik_RwOwFkZrA3k"
NIK = "3201010101900001"
_ids = itertools.count(1)

simple = st.sampled_from(
    [Touch(), StartManualNik(), Confirm(), Back(), StillHere(), ReprintTicket(),
     SetLanguage("en"), SetLanguage("xx"), EnterNik(NIK), EnterNik("12"),
     EnterPin("123456"), EnterPin("000000"), EnterPin("12a"),
     CodeScanned(NIK, "code128"), CodeScanned("garbage", "qr"), ChooseService("A")]
)  # fmt: skip
menu = st.sampled_from(list(MenuOption)).map(ChooseMenu)
steps = st.lists(
    st.one_of(
        simple,
        menu,
        st.just("TOKEN"),
        st.just("CHOOSE"),
        st.just("PRINT_FLOW"),
        st.just(Cancel()),
        st.integers(1, 90).map(lambda s: ("TICK", s)),
    ),
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps)
def test_random_intents_keep_the_invariants(engine: Any, sequence: list[Any]) -> None:
    vid = f"P{next(_ids)}"
    now = datetime.now(UTC)
    token = mint_token(
        VoucherPayload(vid, DocumentType.KK, now - timedelta(days=1), now + timedelta(days=5),
                       SIM_KID),
        sim_voucher_private_key(),
    )  # fmt: skip
    engine.registry.add(vid, DocumentType.KK, token=token)
    engine.registry.vouchers[vid].nik = NIK
    clock = [1000.0]
    controller = SessionController(
        SessionDeps(
            ui=UISettings(inactivity_warn_s=60, inactivity_wipe_s=10, session_cap_s=300),
            voucher_keys={SIM_KID: public_key_from_text(KEY)},
            registry=engine.registry,
            transaction=engine.transaction,
            printers=engine.printers,
            monotonic=lambda: clock[0],
        )
    )
    controller.start()
    try:
        expanded: list[Any] = []
        for step in sequence:
            if step == "PRINT_FLOW":
                expanded += [Touch(), ChooseMenu(MenuOption.PRINT), "TOKEN", EnterPin("123456")]
                expanded.append(Confirm())
            else:
                expanded.append(step)
        for step in expanded:
            if step == "TOKEN":
                intent: Any = CodeScanned(token, "qr")
            elif step == "CHOOSE":
                intent = ChooseDocument(vid)
            elif isinstance(step, tuple):
                clock[0] += step[1]
                intent = Tick(clock[0])
            else:
                intent = step
            controller.send(intent)
            assert controller.wait_idle(10)
            view = controller.view
            assert view.error is None or view.error.code != "KIOSK_ERROR", view
            if view.screen is Screen.ATTRACT:
                assert view.document is None and view.choices == ()
                assert not controller.holds_personal_data
            if isinstance(intent, Cancel):
                assert view.screen is Screen.ATTRACT
        state = engine.registry.vouchers[vid].state
        assert state in ("ready", "committed", "locked")  # never left reserved
        mine = [r for r in engine.journal.recent() if r.vid == vid]
        committed = [r for r in mine if r.state is TxState.COMMITTED]
        assert len(committed) == (state == "committed")  # printed once <=> committed
    finally:
        controller.send(Cancel())
        controller.wait_idle(10)
        assert not controller.holds_personal_data
        controller.stop()
