"""The queue: per-service daily numbers, issued atomically, called by counters, printed as tickets.

The rules live in :mod:`kiosk.queue.rules`; the stores (SQLite, PostgreSQL) share one Protocol
(:mod:`kiosk.queue.store`); the stand-alone kiosk and the office server both use them.
"""

from kiosk.queue.book import QueueBook
from kiosk.queue.desk import IssueResult, TicketDesk
from kiosk.queue.models import (
    Priority,
    QueueRefusal,
    QueueRefused,
    ServiceView,
    Ticket,
    TicketStatus,
)
from kiosk.queue.sqlite_store import SqliteTicketStore
from kiosk.queue.store import QueueStore, TicketStore

__all__ = [
    "IssueResult",
    "Priority",
    "QueueBook",
    "QueueRefusal",
    "QueueRefused",
    "QueueStore",
    "ServiceView",
    "SqliteTicketStore",
    "Ticket",
    "TicketDesk",
    "TicketStatus",
    "TicketStore",
]
