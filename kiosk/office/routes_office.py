"""Bookings and their check-in, IKM feedback, staff alerts, the day's figures, the admin reset."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi import Path as PathParam

from kiosk.office.api_errors import ApiError, invalid_request
from kiosk.office.app import Caller, DayQuery, IdempotencyKey, require
from kiosk.office.office import Office
from kiosk.office.routes_queue import ERRORS, idempotency_key
from kiosk.office.wire import (
    AlertIn,
    AlertOut,
    BookingIn,
    BookingOut,
    CheckInIn,
    CheckInOut,
    FeedbackIn,
    FeedbackOut,
    ResetIn,
)
from kiosk.queue import stats
from kiosk.queue.booking import Booked
from kiosk.queue.models import QueueRefusal, QueueRefused
from kiosk.queue.store import Alert, Feedback


def _alert_out(alert: Alert, office: Office) -> AlertOut:
    tz = office.book.tz
    return AlertOut(
        id=alert.id,
        kind=alert.kind,
        kiosk=alert.kiosk,
        screen=alert.screen,
        at=alert.at.astimezone(tz),
        acknowledged_at=None
        if alert.acknowledged_at is None
        else alert.acknowledged_at.astimezone(tz),
        acknowledged_by=alert.acknowledged_by,
    )


def office_router(office: Office) -> APIRouter:
    router = APIRouter(responses=ERRORS)
    tz = office.book.tz

    def booking_out(booked: Booked) -> BookingOut:
        b = booked.booking
        opens, closes = office.bookings.window(b)
        return BookingOut(
            code=b.code,
            qr=booked.qr,
            service=b.service,
            date=b.day,
            slot=f"{b.slot_start.astimezone(tz):%H:%M}",
            slot_start=b.slot_start.astimezone(tz),
            slot_end=b.slot_end.astimezone(tz),
            checkin_opens=opens.astimezone(tz),
            checkin_closes=closes.astimezone(tz),
        )

    @router.post("/v1/bookings", status_code=201, response_model=BookingOut)
    def book(body: BookingIn, principal: Caller, key: IdempotencyKey = None) -> BookingOut:
        require(principal, "booking", "kiosk")
        booked = office.bookings.book_slot(
            body.service,
            body.date,
            body.slot,
            office.now(),
            principal.id,
            idempotency_key(key, required=False),
        )
        return booking_out(booked)

    @router.post("/v1/bookings/check-in", status_code=201, response_model=CheckInOut)
    def check_in(body: CheckInIn, principal: Caller, key: IdempotencyKey = None) -> CheckInOut:
        require(principal, "kiosk")
        now = office.now()
        done = office.bookings.check_in(
            body.qr, now, principal.id, idempotency_key(key, required=False)
        )
        if done.issued.created:
            office.announce(done.issued.ticket)
        ticket = office.ticket(done.issued.ticket, now)
        return CheckInOut(
            **ticket.model_dump(),
            arrival=done.arrival,
            called_from=done.called_from.astimezone(tz),
            minutes_from_slot=done.minutes_from_slot,
        )

    @router.post("/v1/feedback", status_code=201, response_model=FeedbackOut)
    def feedback(body: FeedbackIn, principal: Caller, response: Response) -> FeedbackOut:
        require(principal, "kiosk")
        if body.service != stats.KIOSK_SERVICE:  # ADM: a kiosk session, not a counter service
            office.book.service(body.service)
        if body.ticket is None and body.txid is None:
            raise invalid_request("feedback names a ticket or a txid")
        if body.service == stats.KIOSK_SERVICE and body.ticket is not None:
            raise invalid_request("ADM answers name a kiosk session's txid, not a ticket")
        now = office.now()
        if body.ticket is not None:
            ticket = office.store.get(body.ticket)
            if ticket is None:
                raise QueueRefused(QueueRefusal.UNKNOWN_TICKET, body.ticket)
        saved, created = office.store.add_feedback(
            Feedback(
                day=office.book.day(now),
                service=body.service,
                score=body.score,
                reasons=tuple(body.reasons),
                at=now,
                client=principal.id,
                ticket_id=body.ticket,
                txid=body.txid,
            )
        )
        if not created:
            response.status_code = 200
        return FeedbackOut(id=saved.id, service=saved.service, score=saved.score)

    @router.post("/v1/alerts", status_code=201, response_model=AlertOut)
    def alert(body: AlertIn, principal: Caller) -> AlertOut:
        require(principal, "kiosk")
        if body.kiosk != principal.id:
            raise ApiError(403, "forbidden", "a kiosk raises alerts for itself only")
        now = office.now()
        saved = office.store.add_alert(
            Alert(office.book.day(now), body.kind, body.kiosk, body.screen, now)
        )
        out = _alert_out(saved, office)
        office.hub.publish("alert", out.model_dump(mode="json"))
        return out

    @router.get("/v1/alerts", response_model=list[AlertOut])
    def alerts(
        principal: Caller, open_only: Annotated[bool, Query(alias="open")] = True
    ) -> list[AlertOut]:
        require(principal, "counter", "admin")
        day = office.book.day(office.now())
        return [_alert_out(a, office) for a in office.store.alerts(day, open_only=open_only)]

    @router.post("/v1/alerts/{alert_id}/ack", response_model=AlertOut)
    def acknowledge(
        alert_id: Annotated[int, PathParam(ge=1, le=2**62)], principal: Caller
    ) -> AlertOut:
        require(principal, "counter", "admin")
        saved = office.store.acknowledge(alert_id, principal.id, office.now())
        if saved is None:
            raise ApiError(404, "not_found", "no such alert")
        out = _alert_out(saved, office)
        office.hub.publish("alert", out.model_dump(mode="json"))
        return out

    def figures(day: str | None) -> stats.DayFigures:
        wanted = office.book.day(office.now()) if day is None else _day(day)
        return stats.day_figures(
            wanted,
            office.store.tickets_of_day(wanted),
            office.store.feedback_of_day(wanted),
            office.book.services,
            office.desk.counters,
        )

    @router.get("/v1/stats")
    def day_stats(principal: Caller, day: DayQuery = None) -> dict[str, Any]:
        require(principal, "admin", "counter")
        return {"office": office.config.office.name, **stats.as_json(figures(day))}

    @router.get("/v1/stats.csv", response_class=Response)
    def day_stats_csv(principal: Caller, day: DayQuery = None) -> Response:
        require(principal, "admin", "counter")
        found = figures(day)
        return Response(
            stats.as_csv(found),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="antrean-{found.day}.csv"'},
        )

    @router.post("/v1/admin/reset")
    def reset(body: ResetIn, principal: Caller) -> dict[str, int]:
        require(principal, "admin")
        now = office.now()
        cancelled = office.book.reset(body.service, now)
        office.hub.counts_changed()
        return {"cancelled": cancelled}

    return router


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise invalid_request("invalid day") from None
