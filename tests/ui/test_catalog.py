"""The message catalog: both languages for every key, and every key a screen or the engine uses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui.i18n.catalog import LANGUAGES, MESSAGES, Catalog, UnknownMessageKey, placeholders

UI_ROOT = Path(__file__).resolve().parents[2] / "ui"

# Keys the issue names explicitly.
REQUIRED = {
    "PRINTER_PAPER_OUT",
    "VOUCHER_EXPIRED",
    "WRONG_PIN",
    "LOCKED",
    "REGISTRY_UNAVAILABLE",
    "malformed",
    "bad_signature",
    "unknown_key",
    "expired",
    "queue_closed",
    "queue_quota",
    "printer_unavailable",
    "take_queue_ticket",
    "try_again",
    "contact_officer",
}


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    assert LANGUAGES[0] == "id"  # Bahasa Indonesia first
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        for language in LANGUAGES:
            assert texts[language].strip(), f"{key} is empty in {language}"
        assert placeholders(texts["id"]) == placeholders(texts["en"]), key


def test_required_keys_present() -> None:
    assert set(MESSAGES) >= REQUIRED


def _keys_used_in_source() -> set[str]:
    # A literal key is a whole string argument: self.t("key") or catalog.text("key", ...).
    pattern = re.compile(r"""(?:self\.t|\.text)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*[,)]""")
    keys: set[str] = set()
    for path in UI_ROOT.rglob("*.py"):
        if "technician" in path.parts or "simulator" in path.parts:
            continue
        keys |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_literal_key_in_the_screens_exists() -> None:
    used = _keys_used_in_source()
    assert len(used) > 50  # the scan itself works
    assert used - set(MESSAGES) == set()


def test_indirect_keys_exist() -> None:
    from kiosk.engine.view import PrintStep, Priority
    from ui.screens.attract import SLIDES

    indirect = set(SLIDES)
    indirect |= {f"step_{step.value}" for step in PrintStep}
    indirect |= {f"priority_{p.value}" for p in Priority} | {"priority_none"}
    assert indirect - set(MESSAGES) == set()


def test_every_code_the_engine_and_queue_can_show_has_a_message() -> None:
    from kiosk.domain.voucher import VoucherErrorCode
    from kiosk.engine import outcomes
    from kiosk.queue.models import QueueRefusal

    codes = {code for _, code, _ in outcomes._REGISTRY_CODES}
    codes |= {"REGISTRY_ERROR", "PRINTER_UNAVAILABLE", "KIOSK_ERROR", "NO_DOCUMENT_READY"}
    codes |= {outcomes.PRINT_UNKNOWN.code, outcomes.DOCUMENT_INVALID.code}
    codes |= {step.value for step in outcomes.NextStep}
    codes |= {refusal.value for refusal in QueueRefusal}
    codes |= {f"claim_{code.value}" for code in VoucherErrorCode}
    codes |= {code.value for code in VoucherErrorCode}
    assert codes - set(MESSAGES) == set()


def test_engine_notices_have_messages() -> None:
    source = (UI_ROOT.parent / "kiosk" / "engine" / "session.py").read_text(encoding="utf-8")
    notices = set(re.findall(r"""notice=["']([a-z_]+)["']""", source))
    assert notices  # the engine does publish notices
    assert notices - set(MESSAGES) == set()


def test_printer_fault_codes_have_messages() -> None:
    """Device fault codes reach the citizen as error codes (printer_error keeps upper-case ones)."""
    shape = re.compile(r"""["']((?:PRINTER|CARDS?|CAMERA|DEVICE|JOB|RECEIPT)_[A-Z0-9_]+)["']""")
    codes: set[str] = set()
    for folder in ("devices", "kiosk"):
        for path in (UI_ROOT.parent / folder).rglob("*.py"):
            codes |= set(shape.findall(path.read_text(encoding="utf-8")))
    assert "PRINTER_PAPER_OUT" in codes
    assert codes - set(MESSAGES) == set()


def test_strict_catalog_rejects_unknown_keys_and_lenient_one_falls_back() -> None:
    with pytest.raises(UnknownMessageKey):
        Catalog(strict=True).text("no_such_key", "id")
    lenient = Catalog()
    assert lenient.text("no_such_key", "en") == MESSAGES["ERROR_UNKNOWN"]["en"]
    assert lenient.text("service_waiting", "id", n=3) == "3 orang menunggu"


def test_no_exception_text_or_internal_names_in_messages() -> None:
    for key, texts in MESSAGES.items():
        for text in texts.values():
            assert "Traceback" not in text and "Exception" not in text, key
