"""The queue's storage port: small on purpose, so a shared server-side store can replace SQLite.

Contract for every implementation:
- :meth:`TicketStore.issue` assigns the next number of ``(service, day)`` and records it in one
  atomic step before returning; a crash at any point leaves either the recorded ticket or nothing,
  so numbers are never duplicated and never skipped.
- Times are aware datetimes; ``day`` is the office-local date decided by the caller.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from kiosk.queue.models import Ticket


class TicketStore(Protocol):
    def issue(self, service: str, day: date, *, priority: bool, quota: int, at: datetime) -> Ticket:
        """Record and return the next ticket.

        Raises :class:`QuotaExhausted` if ``quota`` is reached and :class:`StoreUnavailable` if
        the ticket could not be recorded; in both cases nothing is recorded.
        """
        ...

    def get(self, ticket_id: str) -> Ticket | None: ...

    def record_print(self, ticket_id: str, *, printed: bool, at: datetime) -> None:
        """Count a print attempt; ``printed`` sets ``printed_at`` (first success kept)."""
        ...

    def mark_served(self, ticket_id: str, at: datetime) -> Ticket | None:
        """The counter served it (first time kept); None if there is no such ticket."""
        ...

    def issued_count(self, service: str, day: date) -> int: ...

    def waiting_count(
        self,
        service: str,
        day: date,
        *,
        before_number: int | None = None,
        priority_only: bool = False,
    ) -> int:
        """Tickets of the day neither served nor reset (optionally only those numbered lower)."""
        ...

    def recent_served_at(self, service: str, day: date, limit: int) -> list[datetime]:
        """The ``limit`` latest ``served_at`` times of the day, oldest first."""
        ...

    def reset(self, day: date, service: str | None, at: datetime) -> int:
        """Cancel the day's waiting tickets (of one service or all); returns how many."""
        ...

    def close(self) -> None: ...
