"""The queue service: per-service daily numbers, issued atomically and printed as tickets."""

from kiosk.queue.book import QueueBook
from kiosk.queue.desk import IssueResult, TicketDesk
from kiosk.queue.models import QueueRefusal, QueueRefused, ServiceView, Ticket
from kiosk.queue.sqlite_store import SqliteTicketStore
from kiosk.queue.store import TicketStore

__all__ = [
    "IssueResult",
    "QueueBook",
    "QueueRefusal",
    "QueueRefused",
    "ServiceView",
    "SqliteTicketStore",
    "Ticket",
    "TicketDesk",
    "TicketStore",
]
