"""The append-only audit log with a keyed (HMAC) hash chain."""

from kiosk.audit.chain_key import AuditKeyError
from kiosk.audit.log import AuditError, AuditHead, AuditLog, AuditProblem, verify_log

__all__ = ["AuditError", "AuditHead", "AuditKeyError", "AuditLog", "AuditProblem", "verify_log"]
