"""Scanning without Qt: every code reader's codes, debounced and checked, for screens to follow."""

from kiosk.scan.events import LastRead, PreviewFrame, ScanEvent, ScannedCode, ScanRefused, SeenCode
from kiosk.scan.service import CAMERA, ScanService

__all__ = [
    "CAMERA",
    "LastRead",
    "PreviewFrame",
    "ScanEvent",
    "ScanRefused",
    "ScanService",
    "ScannedCode",
    "SeenCode",
]
