"""Staff calls: a citizen at the kiosk asks for help ("Panggil petugas").

:class:`StaffCaller` takes the request from the session (never blocking it) and delivers the
:class:`StaffCall` to every :class:`StaffCallSink` on its own worker thread: always the
technician log (a log line and an audit entry), and, when an office queue server is configured,
its ``POST /v1/alerts`` (a second sink with the same port).
"""

from kiosk.staffcall.caller import StaffCaller
from kiosk.staffcall.log_sink import TechnicianLogSink
from kiosk.staffcall.port import (
    StaffCall,
    StaffCallKind,
    StaffCallSink,
    StaffCallUndelivered,
)

__all__ = [
    "StaffCall",
    "StaffCallKind",
    "StaffCallSink",
    "StaffCallUndelivered",
    "StaffCaller",
    "TechnicianLogSink",
]
