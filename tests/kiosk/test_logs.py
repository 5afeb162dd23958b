import io
import logging

from kiosk.logs import RedactionFilter, redact


def test_redaction_of_messages_args_and_exceptions() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactionFilter())
    log = logging.getLogger("test.redaction")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("verify nik=%s", "3201051708900001")
        log.warning("header Authorization: Bearer s3cr3t-kiosk-key")
        try:
            raise ValueError("bad NIK 3275014101900002")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert "3201051708900001" not in text and "3201********0001" in text
    assert "3275014101900002" not in text and "3275********0002" in text
    assert "s3cr3t-kiosk-key" not in text


def test_redact_keeps_other_numbers() -> None:
    assert redact("ticket A-042 at 08:15, 12 people") == "ticket A-042 at 08:15, 12 people"


JOURNAL_CHILD = """
import logging, sys
from kiosk.logs import setup_logging
setup_logging("INFO")
log = logging.getLogger("kiosk.test")
log.info("started")
log.warning("paper near end")
log.error("printer offline, NIK 3201051708900001")
log.debug("not shown")
try:
    raise RuntimeError("boom")
except RuntimeError:
    log.exception("job failed")
"""


def run_child(tmp_path, journal: bool) -> str:
    import os
    import subprocess
    import sys

    out = tmp_path / "stderr.txt"
    with out.open("w") as stderr:
        status = os.fstat(stderr.fileno())
        env = {**os.environ, "JOURNAL_STREAM": f"{status.st_dev}:{status.st_ino}"}
        if not journal:
            env["JOURNAL_STREAM"] = f"{status.st_dev}:{status.st_ino + 1}"  # another stream
        subprocess.run([sys.executable, "-c", JOURNAL_CHILD], stderr=stderr, env=env, check=True)
    return out.read_text()


def test_under_journald_every_line_carries_its_syslog_priority(tmp_path) -> None:
    lines = run_child(tmp_path, journal=True).splitlines()
    assert lines[:3] == [
        "<6>kiosk.test: started",
        "<4>kiosk.test: paper near end",
        "<3>kiosk.test: printer offline, NIK 3201********0001",
    ]
    assert lines[3] == "<3>kiosk.test: job failed"
    assert lines[4] == "<3>Traceback (most recent call last):"
    assert all(line.startswith("<3>") for line in lines[3:]) and lines[-1].endswith("boom")


def test_elsewhere_lines_keep_their_time_stamp_and_level(tmp_path) -> None:
    text = run_child(tmp_path, journal=False)
    assert "<" not in text.splitlines()[0]
    assert " WARNING kiosk.test: paper near end" in text
