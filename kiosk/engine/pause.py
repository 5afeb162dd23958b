"""A test-only hook that stops the process at one journal boundary, so a test can kill -9 it.

With ``KIOSK_PAUSE_AT=<step>`` in the environment, the first time the engine reaches ``step``
it writes ``<state_dir>/paused-<step>`` and blocks (until killed). Without the variable the
hook does nothing. Steps are the names the transaction and the outbox pass to their hook:
reserving, reserve_answered, reserved, rendered, holding, hold_answered, submitting,
submit_answered, submitted, print_answered, printed, commit_acknowledged, releasing,
release_acknowledged.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path

from kiosk.engine.ports import StepHook, no_pause

log = logging.getLogger(__name__)
ENV = "KIOSK_PAUSE_AT"
_STEP = re.compile(r"[a-z_]{1,40}")


def pause_from_env(state_dir: Path) -> StepHook:
    step = os.environ.get(ENV, "")
    if not step:
        return no_pause
    if not _STEP.fullmatch(step):
        raise ValueError(f"{ENV} must name a step (lowercase letters and _)")
    marker = state_dir / f"paused-{step}"

    def pause(name: str) -> None:
        if name != step:
            return
        log.warning("%s: paused at %s (test hook); waiting to be killed", ENV, name)
        marker.write_text(str(os.getpid()))
        threading.Event().wait()

    return pause
