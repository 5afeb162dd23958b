"""The append-only, hash-chained audit log."""

from kiosk.audit.log import AuditError, AuditLog, AuditProblem, verify_log

__all__ = ["AuditError", "AuditLog", "AuditProblem", "verify_log"]
