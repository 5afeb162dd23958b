"""Simulated kiosks for tests: the simulator config made fast, and a kiosk started and stopped.

Plain Python (no Qt), so engine, fuzz and security tests use it as the UI tests do.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from pathlib import Path

from kiosk.bootstrap import Kiosk, build_kiosk, with_page_delay
from kiosk.config import KioskConfig, load_config, repo_root
from kiosk.engine.journal import TxState


def fast_sim_config(
    *, page_delay_ms: int = 0, families: int | None = None, speech: bool = False
) -> KioskConfig:
    """config/simulator.toml with the simulated printers' time per page set (0: instant).

    Spoken prompts are off unless ``speech`` (tests/kiosk/speech and the UI's speech test run
    espeak-ng and aplay; elsewhere they would only cost time and a worker thread).
    """
    config = with_page_delay(load_config(repo_root() / "config" / "simulator.toml"), page_delay_ms)
    if not speech:
        config = config.model_copy(update={"ui": config.ui.model_copy(update={"speech": False})})
    if families is None:
        return config
    simulator = config.simulator.model_copy(update={"families": families})
    return config.model_copy(update={"simulator": simulator})


@contextlib.contextmanager
def started_kiosk(
    state: Path, *, registry_url: str | None = None, config: KioskConfig | None = None
) -> Iterator[Kiosk]:
    """A simulated kiosk (its own registry simulator unless ``registry_url``), then stopped."""
    kiosk = build_kiosk(
        config or fast_sim_config(),
        simulate=True,
        state_dir=state,
        registry_url=registry_url,
        serve_metrics=False,
    )
    kiosk.start(background=False)
    try:
        yield kiosk
    finally:
        kiosk.stop()


def journal_suspect(kiosk: Kiosk) -> str:
    """A real reservation at the kiosk's registry simulator, journalled as SUSPECT (a printer
    that stopped answering mid-job); returns its txid, for the technician's decision."""
    voucher = next(v for v in kiosk.simulator.list_vouchers() if v["status"] == "ready")
    verified = kiosk.registry.verify_voucher(voucher["token"], voucher["pin"])
    record = kiosk.journal.begin(verified.vid, verified.doc.value, verified.verification)
    reservation = kiosk.registry.reserve(verified.vid, verified.verification, record.reserve_key)
    kiosk.journal.advance(record.txid, TxState.RESERVED, rid=reservation.rid)
    kiosk.journal.advance(
        record.txid,
        TxState.SUSPECT,
        pdf_sha256=hashlib.sha256(b"the rendered document").hexdigest(),
        pages=1,
        printer="document",
        job_id="sim-1",
        reason="test: the printer stopped answering",
    )
    return record.txid
