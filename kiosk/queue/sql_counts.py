"""The day's counts and lists in SQL (waiting per service, people ahead, completions, who is
at which counter, the latest calls) and the technician's reset. Reads take no write lock."""

from __future__ import annotations

import logging
from datetime import date, datetime

from kiosk.queue.models import AT_COUNTER, Ticket
from kiosk.queue.sql_base import TICKET_COLUMNS, SqlBase, as_time, aware_utc, ticket_from

log = logging.getLogger(__name__)

SELECT_TICKETS = f"SELECT {TICKET_COLUMNS} FROM queue_tickets"  # noqa: S608 (constant columns)
_SELECT = SELECT_TICKETS


class SqlCounts(SqlBase):
    def issued_count(self, service: str, day: date) -> int:
        rows = self._read(
            "SELECT last FROM queue_numbers WHERE service = ? AND day = ?", (service, self._d(day))
        )
        return int(rows[0][0]) if rows else 0

    def waiting_count(self, service: str, day: date) -> int:
        rows = self._read(
            "SELECT COUNT(*) FROM queue_tickets"
            " WHERE day = ? AND service = ? AND status = 'waiting'",
            (self._d(day), service),
        )
        return int(rows[0][0])

    def waiting_counts(self, day: date) -> dict[str, int]:
        rows = self._read(
            "SELECT service, COUNT(*) FROM queue_tickets WHERE day = ? AND status = 'waiting'"
            " GROUP BY service",
            (self._d(day),),
        )
        return {str(service): int(count) for service, count in rows}

    def ahead(self, ticket: Ticket, now: datetime) -> int:
        if not ticket.waiting:
            return 0
        base = (
            "SELECT COUNT(*) FROM queue_tickets WHERE day = ? AND service = ?"
            " AND status = 'waiting' AND ticket_id <> ?"
        )
        args: list[object] = [self._d(ticket.day), ticket.service, ticket.ticket_id]
        due = "(slot_start IS NOT NULL AND slot_start <= ?)"
        earlier = "(slot_start IS NULL AND (issued_at, number, ticket_id) < (?, ?, ?))"
        place = [self._t(ticket.issued_at), ticket.number, ticket.ticket_id]
        if ticket.slot_start is not None:
            sql = f"{base} AND (slot_start, issued_at, number, ticket_id) < (?, ?, ?, ?)"
            args += [self._t(ticket.slot_start), *place]
        elif ticket.priority is not None:
            sql = f"{base} AND ({due} OR ({earlier} AND priority IS NOT NULL))"
            args += [self._t(now), *place]
        else:
            sql = f"{base} AND ({due} OR {earlier})"
            args += [self._t(now), *place]
        return int(self._read(sql, args)[0][0])

    def completions(self, service: str, day: date, limit: int) -> list[datetime]:
        rows = self._read(
            "SELECT finished_at FROM queue_tickets WHERE day = ? AND service = ?"
            " AND status IN ('served', 'no_show') ORDER BY finished_at DESC LIMIT ?",
            (self._d(day), service, limit),
        )
        return sorted(t for row in rows if (t := as_time(row[0])) is not None)

    def reset(self, day: date, service: str | None, at: datetime) -> int:
        sql = (
            "UPDATE queue_tickets SET status = 'cancelled', finished_at = ?"
            " WHERE day = ? AND status = 'waiting'"
        )
        params: list[object] = [self._t(aware_utc(at)), self._d(day)]
        if service is not None:
            sql += " AND service = ?"
            params.append(service)
        with self._tx() as tx:
            count = tx.run(sql, params)
        log.info("queue reset on %s for %s: %d waiting tickets cancelled", day, service, count)
        return count

    def at_counters(self, day: date) -> dict[str, Ticket]:
        at_counter = ", ".join(f"'{s.value}'" for s in sorted(AT_COUNTER))
        rows = self._read(
            f"{_SELECT} WHERE day = ? AND status IN ({at_counter}) AND counter IS NOT NULL",
            (self._d(day),),
        )
        return {str(row[11]): ticket_from(row) for row in rows}

    def recent_calls(self, day: date, limit: int) -> list[Ticket]:
        rows = self._read(
            f"{_SELECT} WHERE day = ? AND last_called_at IS NOT NULL"
            " ORDER BY last_called_at DESC LIMIT ?",
            (self._d(day), limit),
        )
        return [ticket_from(row) for row in rows]

    def tickets_of_day(self, day: date) -> list[Ticket]:
        rows = self._read(f"{_SELECT} WHERE day = ? ORDER BY issued_at, number", (self._d(day),))
        return [ticket_from(row) for row in rows]
