"""Two kiosks racing to reserve the same voucher: exactly one wins, every time."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from kiosk.registry import RegistryClient, Reservation, ReservedElsewhere
from kiosk.registry_sim.server import RunningSimulator

ROUNDS = 6


def _race(vid: str, contenders: list[tuple[RegistryClient, str]], tag: str) -> list[object]:
    """Each contender reserves ``vid`` at the same moment; returns what each got."""
    start = threading.Barrier(len(contenders))
    outcomes: list[object] = []

    def reserve(who: RegistryClient, proof: str) -> None:
        start.wait()
        try:
            outcomes.append(who.reserve(vid, proof, f"{tag}-{id(who)}"))
        except ReservedElsewhere as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=reserve, args=c) for c in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    return outcomes


def test_exactly_one_of_two_racing_kiosks_wins(
    sim: RunningSimulator,
    client: RegistryClient,
    other_client: RegistryClient,
    pick: Callable[..., list[dict[str, Any]]],
) -> None:
    for round_no, voucher in enumerate(pick("ready")[:ROUNDS]):
        contenders = [
            (who, who.verify_voucher(voucher["token"], voucher["pin"]).verification)
            for who in (client, other_client)
        ]
        outcomes = _race(voucher["vid"], contenders, f"race-{round_no}")
        winners = [o for o in outcomes if isinstance(o, Reservation)]
        losers = [o for o in outcomes if isinstance(o, ReservedElsewhere)]
        assert (len(winners), len(losers)) == (1, 1), outcomes
        lease = sim.voucher_state(voucher["vid"])["lease"]
        assert lease is not None
        assert lease["rid"] == winners[0].rid
