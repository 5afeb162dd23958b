"""The composition root: a config in, a running kiosk out (STYLE 1).

:func:`build_kiosk` creates the registry client, device manager, journal, outbox, queue desk,
audit log, metrics, heartbeat and session controller; entry points (CLI, UI, tests) call it
and stay thin. Nothing else constructs devices or clients from config.

The one-shot CLIs and the technician mode get their parts here too: :func:`registry_client`,
:func:`diagnostic_kit` (devices and registry for ``kiosk diagnose``) and
:func:`build_technician`.

One module per side of the graph, this package the one entry:

- :mod:`~kiosk.bootstrap.compose`: :func:`build_kiosk`, the whole graph in order;
- :mod:`~kiosk.bootstrap.kiosk`: :class:`Kiosk`, started and stopped;
- :mod:`~kiosk.bootstrap.registry`: the registry client or simulator, trusted keys, audit log;
- :mod:`~kiosk.bootstrap.devices`: the device manager, simulator tools, speaker, device figures;
- :mod:`~kiosk.bootstrap.office`: the office queue server's client, desk, staff calls, survey;
- :mod:`~kiosk.bootstrap.technician`: ``kiosk diagnose``'s kit and technician mode.
"""

from kiosk.bootstrap.compose import build_kiosk, with_page_delay
from kiosk.bootstrap.devices import PRINT_DEVICES, build_devices, device_snapshot
from kiosk.bootstrap.kiosk import Kiosk
from kiosk.bootstrap.registry import (
    audit_log,
    registry_client,
    start_registry_simulator,
    trusted_keys,
)
from kiosk.bootstrap.technician import (
    DiagnosticKit,
    TechnicianParts,
    build_technician,
    diagnostic_kit,
    technician_actions,
)

__all__ = [
    "PRINT_DEVICES",
    "DiagnosticKit",
    "Kiosk",
    "TechnicianParts",
    "audit_log",
    "build_devices",
    "build_kiosk",
    "build_technician",
    "device_snapshot",
    "diagnostic_kit",
    "registry_client",
    "start_registry_simulator",
    "technician_actions",
    "trusted_keys",
    "with_page_delay",
]
