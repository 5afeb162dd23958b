"""Static check over the whole source tree: nothing that opens a way out of the kiosk.

File, print and colour dialogs (and their relatives) open top-level windows with a file
browser or printer set-up in them: a citizen who reaches one is out of the kiosk. Opening a
URL or a browser does the same. The check reads every Python file that ships or runs on a
kiosk (product packages, scripts, benchmarks) plus the UI resources, and fails the build on
any mention, comments included: a commented-out dialog is one edit from coming back.
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.config.loader import repo_root

FORBIDDEN = re.compile(
    r"\b(QFileDialog|QPrintDialog|QColorDialog|QPrintPreviewDialog|QPrintPreviewWidget"
    r"|QPageSetupDialog|QAbstractPrintDialog|QFontDialog|QInputDialog|QErrorMessage"
    r"|QMessageBox|QProgressDialog|QWizard|getOpenFileNames?|getSaveFileName"
    r"|getExistingDirectory(Url)?|QDesktopServices|openUrl|webbrowser|QWebEngine\w*)\b"
)
SCANNED = ("kiosk", "devices", "printing", "ui", "scripts", "benchmarks")
SUFFIXES = {".py", ".ui", ".qml", ".json", ".sh", ".desktop"}


def _files() -> list[Path]:
    root = repo_root()
    found = []
    for top in SCANNED:
        if (root / top).exists():
            found += [p for p in (root / top).rglob("*") if p.suffix in SUFFIXES and p.is_file()]
    return found


def test_the_scan_covers_the_ui() -> None:
    names = {p.relative_to(repo_root()).as_posix() for p in _files()}
    assert "ui/window.py" in names and "ui/lockdown.py" in names
    assert len(names) > 100


def test_no_dialog_browser_or_url_opener_in_the_source_tree() -> None:
    offenders = []
    for path in _files():
        for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
            if match := FORBIDDEN.search(line):
                offenders.append(f"{path.relative_to(repo_root())}:{number}: {match.group()}")
    assert offenders == []


def test_the_pattern_catches_what_it_should() -> None:
    for line in (
        "from PySide6.QtWidgets import QFileDialog",
        "QPrintDialog(printer).exec()",
        "    colour = QColorDialog.getColor()",
        "name, _ = QtWidgets.QFileDialog.getOpenFileName(self)",
        "QDesktopServices.openUrl(QUrl('file:///'))",
        "import webbrowser",
    ):
        assert FORBIDDEN.search(line), line
    assert not FORBIDDEN.search("class FileDialogueText: pass  # an unrelated name")
