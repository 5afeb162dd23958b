"""Bookings, IKM feedback, staff alerts, counter PIN attempts and secrets in SQL.

A slot's bookings are counted in ``queue_slots`` (one row per service and slot start),
incremented in the transaction that inserts the booking: like ticket numbers, two portals can
never both take a slot's last place. A check-in turns its booking into a ticket in one
transaction, so a booking gives at most one ticket, even when two kiosks scan it at once.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from datetime import date, datetime

from kiosk.queue.sql_base import Row, Tx, as_day, as_time, aware_utc
from kiosk.queue.sql_tickets import SqlTickets
from kiosk.queue.store import (
    Alert,
    Booking,
    BookingUsed,
    Feedback,
    IdempotencyConflict,
    Issued,
    IssueRequest,
    SlotFull,
)

log = logging.getLogger(__name__)

_BOOKING = (
    "SELECT code, service, day, slot_start, slot_end, created_at, client, ticket_id,"
    " checked_in_at FROM queue_bookings"
)
_FEEDBACK = (
    "SELECT id, day, service, score, reasons, at, client, ticket_id, txid FROM queue_feedback"
)
_ALERT = (
    "SELECT id, day, kind, kiosk, screen, at, acknowledged_at, acknowledged_by FROM queue_alerts"
)


def _booking(row: Row) -> Booking:
    slot_start, slot_end, created = as_time(row[3]), as_time(row[4]), as_time(row[5])
    assert slot_start is not None and slot_end is not None and created is not None
    return Booking(
        code=row[0],
        service=row[1],
        day=as_day(row[2]),
        slot_start=slot_start,
        slot_end=slot_end,
        created_at=created,
        client=row[6],
        ticket_id=row[7],
        checked_in_at=as_time(row[8]),
    )


def _feedback(row: Row) -> Feedback:
    at = as_time(row[5])
    assert at is not None
    return Feedback(
        id=int(row[0]),
        day=as_day(row[1]),
        service=row[2],
        score=int(row[3]),
        reasons=tuple(json.loads(row[4])),
        at=at,
        client=row[6],
        ticket_id=row[7],
        txid=row[8],
    )


def _alert(row: Row) -> Alert:
    at = as_time(row[5])
    assert at is not None
    return Alert(
        id=int(row[0]),
        day=as_day(row[1]),
        kind=row[2],
        kiosk=row[3],
        screen=row[4],
        at=at,
        acknowledged_at=as_time(row[6]),
        acknowledged_by=row[7],
    )


class SqlRecords(SqlTickets):
    # --- bookings --------------------------------------------------------------------------

    def book(self, booking: Booking, capacity: int, key: str | None) -> tuple[Booking, bool]:
        aware_utc(booking.created_at)
        with self._tx() as tx:
            if key is not None:
                rows = tx.rows(
                    f"{_BOOKING} WHERE client = ? AND idem_key = ?", (booking.client, key)
                )
                if rows:
                    earlier = _booking(rows[0])
                    if (earlier.service, earlier.slot_start) != (
                        booking.service,
                        booking.slot_start,
                    ):
                        raise ValueError("idempotency key used for another booking")
                    return earlier, False
            (booked,) = tx.rows(
                "INSERT INTO queue_slots (service, slot_start, booked) VALUES (?, ?, 1)"
                " ON CONFLICT (service, slot_start) DO UPDATE SET booked = queue_slots.booked + 1"
                " RETURNING booked",
                (booking.service, self._t(booking.slot_start)),
            )[0]
            if int(booked) > capacity:
                raise SlotFull(f"{booking.service} {booking.slot_start}: {capacity} booked")
            tx.run(
                "INSERT INTO queue_bookings (code, service, day, slot_start, slot_end, created_at,"
                " client, idem_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    booking.code,
                    booking.service,
                    self._d(booking.day),
                    self._t(booking.slot_start),
                    self._t(booking.slot_end),
                    self._t(booking.created_at),
                    booking.client,
                    key,
                ),
            )
        log.info("booking %s for %s at %s", booking.code, booking.service, booking.slot_start)
        return booking, True

    def booking(self, code: str) -> Booking | None:
        rows = self._read(f"{_BOOKING} WHERE code = ?", (code,))
        return _booking(rows[0]) if rows else None

    def check_in(self, code: str, request: IssueRequest) -> Issued:
        with self._tx() as tx:
            rows = tx.rows(f"{_BOOKING} WHERE code = ?{self.for_update}", (code,))
            if not rows:
                raise KeyError(code)
            booking = _booking(rows[0])
            if booking.ticket_id is not None:
                return self._checked_in_before(tx, booking, request)
            issued = self._record(tx, replace(request, booking_code=code))
            tx.run(
                "UPDATE queue_bookings SET ticket_id = ?, checked_in_at = ? WHERE code = ?",
                (issued.ticket.ticket_id, self._t(aware_utc(request.at)), code),
            )
        return issued

    def _checked_in_before(self, tx: Tx, booking: Booking, request: IssueRequest) -> Issued:
        """The same kiosk retrying the same check-in gets its ticket; anyone else: used."""
        earlier = self._by_key(tx, request.client, request.key)
        if earlier is None or earlier.ticket_id != booking.ticket_id:
            raise BookingUsed(booking)
        if earlier.service != request.service:
            raise IdempotencyConflict(earlier)
        return Issued(earlier, False)

    # --- feedback and alerts ---------------------------------------------------------------

    def add_feedback(self, feedback: Feedback) -> tuple[Feedback, bool]:
        aware_utc(feedback.at)
        with self._tx() as tx:
            for column, value in (("ticket_id", feedback.ticket_id), ("txid", feedback.txid)):
                if value is not None:
                    rows = tx.rows(f"{_FEEDBACK} WHERE {column} = ?", (value,))
                    if rows:
                        return _feedback(rows[0]), False
            (new_id,) = tx.rows(
                "INSERT INTO queue_feedback (day, service, score, reasons, at, client, ticket_id,"
                " txid) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    self._d(feedback.day),
                    feedback.service,
                    feedback.score,
                    json.dumps(list(feedback.reasons)),
                    self._t(feedback.at),
                    feedback.client,
                    feedback.ticket_id,
                    feedback.txid,
                ),
            )[0]
        return replace(feedback, id=int(new_id)), True

    def feedback_of_day(self, day: date) -> list[Feedback]:
        rows = self._read(f"{_FEEDBACK} WHERE day = ? ORDER BY id", (self._d(day),))
        return [_feedback(row) for row in rows]

    def add_alert(self, alert: Alert) -> Alert:
        with self._tx() as tx:
            (new_id,) = tx.rows(
                "INSERT INTO queue_alerts (day, kind, kiosk, screen, at) VALUES (?, ?, ?, ?, ?)"
                " RETURNING id",
                (
                    self._d(alert.day),
                    alert.kind,
                    alert.kiosk,
                    alert.screen,
                    self._t(aware_utc(alert.at)),
                ),
            )[0]
        log.warning(
            "a citizen asks for staff at %s (%s, screen %s)", alert.kiosk, alert.kind, alert.screen
        )
        return replace(alert, id=int(new_id))

    def alerts(self, day: date, *, open_only: bool) -> list[Alert]:
        sql = f"{_ALERT} WHERE day = ?"
        if open_only:
            sql += " AND acknowledged_at IS NULL"
        rows = self._read(sql + " ORDER BY id", (self._d(day),))
        return [_alert(row) for row in rows]

    def acknowledge(self, alert_id: int, counter: str, at: datetime) -> Alert | None:
        with self._tx() as tx:
            tx.run(
                "UPDATE queue_alerts SET acknowledged_at = ?, acknowledged_by = ?"
                " WHERE id = ? AND acknowledged_at IS NULL",
                (self._t(aware_utc(at)), counter, alert_id),
            )
            rows = tx.rows(f"{_ALERT} WHERE id = ?", (alert_id,))
        return _alert(rows[0]) if rows else None

    # --- counter PINs and secrets ----------------------------------------------------------

    def pin_attempts(self, counter: str) -> tuple[int, datetime | None]:
        rows = self._read(
            "SELECT wrong, locked_until FROM queue_pins WHERE counter = ?", (counter,)
        )
        if not rows:
            return 0, None
        return int(rows[0][0]), as_time(rows[0][1])

    def save_pin_attempts(self, counter: str, wrong: int, locked_until: datetime | None) -> None:
        until = None if locked_until is None else self._t(aware_utc(locked_until))
        with self._tx() as tx:
            tx.run(
                "INSERT INTO queue_pins (counter, wrong, locked_until) VALUES (?, ?, ?)"
                " ON CONFLICT (counter) DO UPDATE SET wrong = ?, locked_until = ?",
                (counter, wrong, until, wrong, until),
            )

    def secret(self, name: str, fresh: bytes) -> bytes:
        with self._tx() as tx:
            tx.run(
                "INSERT INTO queue_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                (name, fresh.hex()),
            )
            (value,) = tx.rows("SELECT value FROM queue_meta WHERE name = ?", (name,))[0]
        return bytes.fromhex(str(value))
