"""Tickets in SQL: numbering, the call, the lifecycle, transfers and the day's counts.

A number comes from ``queue_numbers``: one row per service and day, incremented with
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` inside the transaction that inserts the
ticket. The row stays locked until that transaction ends (SQLite: the database write lock), so
concurrent writers take turns, and a rollback or a crash before ``COMMIT`` takes the increment
back with the ticket: no duplicate, no gap.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from kiosk.queue.models import (
    Priority,
    QuotaExhausted,
    Ticket,
    TicketStatus,
    priority_of,
    ticket_id_for,
)
from kiosk.queue.rules import (
    Action,
    Heads,
    LifecycleCode,
    LifecycleError,
    choose_next,
    transferable,
    transition,
)
from kiosk.queue.sql_base import TICKET_COLUMNS, Tx, aware_utc, placeholders, ticket_from
from kiosk.queue.sql_counts import SELECT_TICKETS, SqlCounts
from kiosk.queue.store import IdempotencyConflict, Issued, IssueRequest

log = logging.getLogger(__name__)

_SELECT = SELECT_TICKETS
_WAITING = f"{_SELECT} WHERE day = ? AND status = 'waiting'"
_ORDER = " ORDER BY issued_at, number, ticket_id LIMIT 1"


class SqlTickets(SqlCounts):
    def _one(self, tx: Tx, sql: str, params: Sequence[object]) -> Ticket | None:
        rows = tx.rows(sql, params)
        return ticket_from(rows[0]) if rows else None

    # --- issue -----------------------------------------------------------------------------

    def record(self, request: IssueRequest) -> Issued:
        aware_utc(request.at)
        try:
            with self._tx() as tx:
                return self._record(tx, request)
        except Exception as exc:
            if not self._is_conflict(exc) or request.key is None:
                raise
        with self._tx() as tx:  # a concurrent request with the same key won: return its ticket
            return self._record(tx, request)

    def _by_key(self, tx: Tx, client: str | None, key: str | None) -> Ticket | None:
        if client is None or key is None:
            return None
        return self._one(tx, f"{_SELECT} WHERE client = ? AND idem_key = ?", (client, key))

    def _record(self, tx: Tx, request: IssueRequest) -> Issued:
        earlier = self._by_key(tx, request.client, request.key)
        if earlier is not None:
            if (earlier.service, earlier.priority) != (request.service, request.priority):
                raise IdempotencyConflict(earlier)
            return Issued(earlier, False)
        day = self._d(request.day)
        (last,) = tx.rows(
            "INSERT INTO queue_numbers (service, day, last) VALUES (?, ?, 1)"
            " ON CONFLICT (service, day) DO UPDATE SET last = queue_numbers.last + 1"
            " RETURNING last",
            (request.service, day),
        )[0]
        if request.quota is not None and last > request.quota:
            raise QuotaExhausted(
                f"{request.service}: {request.quota} of {request.quota} issued on {request.day}"
            )
        ticket = Ticket(
            ticket_id=ticket_id_for(request.service, request.day, int(last)),
            service=request.service,
            prefix=request.service,
            day=request.day,
            number=int(last),
            priority=request.priority,
            issued_at=request.at,
            source=request.source,
            created_at=request.at,
            booking_code=request.booking_code,
            slot_start=request.slot_start,
        )
        self._insert(tx, ticket, request.client, request.key)
        log.info("issued %s (priority=%s)", ticket.ticket_id, ticket.priority)
        return Issued(ticket, True)

    def _insert(self, tx: Tx, t: Ticket, client: str | None, key: str | None) -> None:
        created = t.created_at or t.issued_at
        tx.run(
            "INSERT INTO queue_tickets (ticket_id, service, prefix, day, number, hop, priority,"
            " source, status, issued_at, created_at, booking_code, slot_start, transferred_from,"
            " client, idem_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                t.ticket_id,
                t.service,
                t.letter,
                self._d(t.day),
                t.number,
                t.hop,
                None if t.priority is None else t.priority.value,
                t.source,
                t.status.value,
                self._t(t.issued_at),
                self._t(created),
                t.booking_code,
                None if t.slot_start is None else self._t(t.slot_start),
                t.transferred_from,
                client,
                key,
            ),
        )

    def issue(
        self,
        service: str,
        day: date,
        *,
        priority: Priority | bool | None,
        quota: int,
        at: datetime,
    ) -> Ticket:
        request = IssueRequest(service, day, at, priority=priority_of(priority), quota=quota)
        return self.record(request).ticket

    def find_by_key(self, client: str, key: str) -> Ticket | None:
        with self._reader() as tx:
            return self._by_key(tx, client, key)

    def get(self, ticket_id: str) -> Ticket | None:
        with self._reader() as tx:
            return self._one(tx, f"{_SELECT} WHERE ticket_id = ?", (ticket_id,))

    def record_print(self, ticket_id: str, *, printed: bool, at: datetime) -> None:
        with self._tx() as tx:
            tx.run(
                "UPDATE queue_tickets SET print_attempts = print_attempts + 1,"
                " printed_at = CASE WHEN ? THEN COALESCE(printed_at, ?) ELSE printed_at END"
                " WHERE ticket_id = ?",
                (printed, self._t(aware_utc(at)), ticket_id),
            )

    # --- the counter -----------------------------------------------------------------------

    def _locked(self, tx: Tx, ticket_id: str) -> Ticket | None:
        return self._one(tx, f"{_SELECT} WHERE ticket_id = ?{self.for_update}", (ticket_id,))

    def act(
        self, ticket_id: str, action: Action, counter: str | None, at: datetime
    ) -> Ticket | None:
        at = aware_utc(at)
        with self._tx() as tx:
            ticket = self._locked(tx, ticket_id)
            if ticket is None:
                return None
            target = transition(ticket, action, counter)
            if target is None:
                return ticket
            started = ticket.started_at or ticket.last_called_at or at
            changed = replace(ticket, status=target)
            if target is TicketStatus.SERVING:
                changed = replace(changed, started_at=at)
            else:
                if target is TicketStatus.SERVED:
                    changed = replace(changed, started_at=started)
                changed = replace(changed, finished_at=at)
            tx.run(
                "UPDATE queue_tickets SET status = ?, started_at = ?, finished_at = ?"
                " WHERE ticket_id = ? AND status = ?",
                (
                    target.value,
                    None if changed.started_at is None else self._t(changed.started_at),
                    None if changed.finished_at is None else self._t(changed.finished_at),
                    ticket_id,
                    ticket.status.value,
                ),
            )
        log.info("ticket %s: %s -> %s", ticket_id, ticket.status.value, target.value)
        return changed

    def mark_served(self, ticket_id: str, at: datetime) -> Ticket | None:
        return self.act(ticket_id, Action.SERVE, None, at)

    def call_next(
        self, counter: str, services: Sequence[str], day: date, at: datetime, every_n: int
    ) -> Ticket | None:
        at = aware_utc(at)
        if not services:
            return None
        d = self._d(day)
        with self._reader() as reader:  # the common idle case, without the day's call lock
            self._not_busy(reader, d, counter)
            among = f" AND service IN ({placeholders(len(services))})"
            waiting = reader.rows(
                "SELECT 1 FROM queue_tickets WHERE day = ? AND status = 'waiting'"  # noqa: S608
                f"{among} LIMIT 1",
                (d, *services),
            )
        if not waiting:
            return None
        with self._tx() as tx:
            self._lock_lines(tx, day, counter, services)
            self._not_busy(tx, d, counter)
            seq_sql, seq_args = self._next_call_seq(d)
            while True:
                chosen = choose_next(
                    self._heads(tx, d, services, at), self._since(tx, d, services), every_n
                )
                if chosen is None:
                    return None
                changed = tx.run(
                    "UPDATE queue_tickets SET status = 'called', counter = ?,"  # noqa: S608
                    f" call_seq = {seq_sql}, called_at = COALESCE(called_at, ?), last_called_at = ?"
                    " WHERE ticket_id = ? AND status = 'waiting'",
                    (counter, *seq_args, self._t(at), self._t(at), chosen.ticket_id),
                )
                if changed == 1:
                    break  # else a reset cancelled it meanwhile: choose again
        log.info("%s called %s", counter, chosen.ticket_id)
        return replace(
            chosen,
            status=TicketStatus.CALLED,
            counter=counter,
            called_at=chosen.called_at or at,
            last_called_at=at,
        )

    def _not_busy(self, tx: Tx, d: object, counter: str) -> None:
        busy = self._one(
            tx,
            f"{_SELECT} WHERE day = ? AND counter = ? AND status IN ('called', 'serving')",
            (d, counter),
        )
        if busy is not None:
            raise LifecycleError(
                LifecycleCode.COUNTER_BUSY,
                f"{counter} has {busy.ticket_id} {busy.status.value}",
                busy,
            )

    def _heads(self, tx: Tx, d: object, services: Sequence[str], at: datetime) -> Heads:
        """The four line heads in one query (one round trip under the call lock)."""
        among = f" AND service IN ({placeholders(len(services))})"
        slot = " ORDER BY slot_start, issued_at, number, ticket_id LIMIT 1"
        lines = (
            ("due", " AND slot_start <= ?", slot, (self._t(at),)),
            ("priority", " AND slot_start IS NULL AND priority IS NOT NULL", _ORDER, ()),
            ("regular", " AND slot_start IS NULL AND priority IS NULL", _ORDER, ()),
            ("early", " AND slot_start > ?", slot, (self._t(at),)),
        )
        parts, args = [], []
        for name, where, order, extra in lines:
            parts.append(
                f"SELECT * FROM (SELECT '{name}' AS head, {TICKET_COLUMNS} FROM queue_tickets"  # noqa: S608
                f" WHERE day = ? AND status = 'waiting'{among}{where}{order}) AS line_{name}"
            )
            args += [d, *services, *extra]
        found = {row[0]: ticket_from(row[1:]) for row in tx.rows(" UNION ALL ".join(parts), args)}
        return Heads(
            due_booking=found.get("due"),
            priority=found.get("priority"),
            regular=found.get("regular"),
            early_booking=found.get("early"),
        )

    def _since(self, tx: Tx, d: object, services: Sequence[str]) -> int | None:
        """Regular tickets called since the last priority call of these services today (in
        call order: ``call_seq`` is given under the day's call lock, times may be equal)."""
        among = f" AND service IN ({placeholders(len(services))})"
        called = (
            "FROM queue_tickets WHERE day = ? AND call_seq IS NOT NULL AND slot_start IS NULL"
            + among
        )
        last = f"(SELECT MAX(call_seq) {called} AND priority IS NOT NULL)"
        last_value, count = tx.rows(
            f"SELECT {last}, (SELECT COUNT(*) {called} AND priority IS NULL AND call_seq > {last})",
            (d, *services, d, *services, d, *services),
        )[0]
        return None if last_value is None else int(count)

    def recall(self, counter: str, day: date, at: datetime) -> Ticket:
        at = aware_utc(at)
        with self._tx() as tx:
            ticket = self._one(
                tx,
                f"{_SELECT} WHERE day = ? AND counter = ? AND status = 'called'{self.for_update}",
                (self._d(day), counter),
            )
            if ticket is None:
                raise LifecycleError(LifecycleCode.NOTHING_TO_RECALL, f"{counter}: no call")
            tx.run(
                "UPDATE queue_tickets SET recalls = recalls + 1, last_called_at = ?"
                " WHERE ticket_id = ?",
                (self._t(at), ticket.ticket_id),
            )
        return replace(ticket, recalls=ticket.recalls + 1, last_called_at=at)

    def transfer(
        self, ticket_id: str, to_service: str, counter: str | None, at: datetime
    ) -> Ticket | None:
        at = aware_utc(at)
        with self._tx() as tx:
            ticket = self._locked(tx, ticket_id)
            if ticket is None:
                return None
            transferable(ticket, to_service, counter)
            moved = Ticket(
                ticket_id=ticket_id_for(ticket.letter, ticket.day, ticket.number, ticket.hop + 1),
                service=to_service,
                prefix=ticket.letter,
                day=ticket.day,
                number=ticket.number,
                hop=ticket.hop + 1,
                priority=ticket.priority,
                issued_at=ticket.issued_at,  # keeps its place in the line
                source="transfer",
                created_at=at,
                transferred_from=ticket.ticket_id,
            )
            self._insert(tx, moved, None, None)
            started = ticket.started_at or ticket.last_called_at or at
            tx.run(
                "UPDATE queue_tickets SET status = 'transferred', finished_at = ?,"
                " started_at = ?, transferred_to = ? WHERE ticket_id = ?",
                (self._t(at), self._t(started), moved.ticket_id, ticket_id),
            )
        log.info("%s transferred %s to %s as %s", counter, ticket_id, to_service, moved.ticket_id)
        return moved
