"""The citizen's words for a voucher this kiosk still holds and for a kiosk that cannot write."""

from __future__ import annotations

import pytest

from kiosk.engine.view import ErrorView, Screen
from tests.ui.test_screens import label


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("VOUCHER_UNDER_REVIEW", "sedang diperiksa petugas"),
        ("KIOSK_STORAGE_FULL", "tidak dapat mencatat transaksi"),
    ],
)
def test_the_new_errors_say_what_happened_and_what_to_do(
    window, show, code: str, words: str
) -> None:  # type: ignore[no-untyped-def]
    show(screen=Screen.ERROR, error=ErrorView(code, "contact_officer", "TX-7F3A21"))
    assert words in label(window, "error_what").text()
    assert "Dokumen Anda" in label(window, "error_what").text()  # and that nothing is lost
    assert label(window, "error_reference").text() == "Kode untuk petugas: TX-7F3A21"
