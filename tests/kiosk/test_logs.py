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
