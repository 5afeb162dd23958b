"""The web pages the queue server serves: the counter page (``/counter``), the caller display
(``/display``), their CSS and JavaScript (package data in ``kiosk/office/web``, no build step, no
CDN), the chime and each call's spoken WAV; and the counter page's waiting list
(``GET /v1/counters/{counter}/waiting``).

A page is its HTML with a boot block (JSON, ``<`` escaped) holding the office's name, counters
and services from config and the pages' text from the kiosk's message catalogue, both
languages. Pages and their files need no credentials; the data comes from the API with the
counter's session token or the display's key. Every page answer carries a strict
Content-Security-Policy (scripts and styles from this server only).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel

from kiosk.office.api_errors import ApiError
from kiosk.office.app import Caller, require
from kiosk.office.office import Office
from kiosk.office.routes_queue import ERRORS, CounterId, TicketId
from kiosk.office.speech import SpeechUnavailable, chime_wav
from kiosk.office.web_text import WEB_TEXT
from kiosk.queue.models import Priority, Ticket, TicketStatus

log = logging.getLogger(__name__)

STATIC = {
    "office.css": "text/css; charset=utf-8",
    "common.js": "text/javascript; charset=utf-8",
    "counter.js": "text/javascript; charset=utf-8",
    "display.js": "text/javascript; charset=utf-8",
}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "media-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
WAITING_LIMIT = 200


class WaitingOut(BaseModel):
    id: str
    number: str
    service: str
    priority: Priority | None
    issued_at: datetime
    slot_start: datetime | None


@cache
def _file(name: str) -> bytes:
    return resources.files("kiosk.office").joinpath("web", name).read_bytes()


def boot_data(office: Office) -> dict[str, object]:
    return {
        "office": office.config.office.name,
        "text": {key: {"id": pair[0], "en": pair[1]} for key, pair in WEB_TEXT.items()},
        "counters": [
            {"id": c.id, "number": c.number, "agency": c.agency, "services": list(c.services)}
            for c in office.config.queue.counters
        ],
        "services": [
            {"code": s.code, "name_id": s.name_id, "name_en": s.name_en, "agency": s.agency}
            for s in office.config.queue.services
        ],
    }


def page(office: Office, name: Literal["counter", "display"]) -> bytes:
    boot = json.dumps(boot_data(office), ensure_ascii=False, separators=(",", ":"))
    boot = boot.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _file(f"{name}.html").replace(b"{{BOOT}}", boot.encode())


def pages_router(office: Office) -> APIRouter:
    router = APIRouter(responses=ERRORS)
    rendered = {name: page(office, name) for name in ("counter", "display")}

    @router.get("/counter", include_in_schema=False)
    async def counter_page() -> Response:
        return Response(rendered["counter"], media_type="text/html; charset=utf-8",
                        headers=PAGE_HEADERS)  # fmt: skip

    @router.get("/display", include_in_schema=False)
    async def display_page() -> Response:
        return Response(rendered["display"], media_type="text/html; charset=utf-8",
                        headers=PAGE_HEADERS)  # fmt: skip

    @router.get("/static/chime.wav", include_in_schema=False)
    async def chime() -> Response:
        return Response(chime_wav(), media_type="audio/wav",
                        headers={"Cache-Control": "max-age=86400"})  # fmt: skip

    @router.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        if name not in STATIC:
            raise ApiError(404, "not_found", "no such file")
        headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
        return Response(_file(name), media_type=STATIC[name], headers=headers)

    @router.get("/speech/{ticket_id}.wav", include_in_schema=False)
    def speech(ticket_id: TicketId) -> Response:
        """The spoken call of a ticket that was called (a display plays it after the chime)."""
        ticket = office.store.get(ticket_id)
        counter = office.counters.get(ticket.counter or "") if ticket is not None else None
        if ticket is None or counter is None or ticket.called_at is None:
            raise ApiError(404, "not_found", "no such call")
        if office.voice is None:
            raise ApiError(503, "speech_unavailable", "no voice configured")
        try:
            wav = office.voice.wav(ticket.display_number, counter.number)
        except SpeechUnavailable as exc:
            log.error("spoken call of %s not made: %s", ticket_id, exc)
            raise ApiError(503, "speech_unavailable", "the call could not be spoken") from None
        return Response(wav, media_type="audio/wav", headers={"Cache-Control": "max-age=600"})

    @router.get("/v1/counters/{counter}/waiting", response_model=list[WaitingOut])
    def waiting(counter: CounterId, principal: Caller) -> list[WaitingOut]:
        """The counter's services' waiting tickets, numbers only: bookings whose slot has
        begun, then priority, then the others, each by issue time (about the calling order;
        the priority rule interleaves them)."""
        require(principal, "counter", "admin")
        if principal.role == "counter" and principal.id != counter:
            raise ApiError(403, "forbidden", "a counter sees its own waiting list")
        services = set(office.desk.counter(counter).services)
        now = office.now()
        day = office.book.day(now)
        tz = office.book.tz
        found = [
            t
            for t in office.store.tickets_of_day(day)
            if t.status is TicketStatus.WAITING and t.service in services
        ]

        def order(t: Ticket) -> tuple[int, datetime]:
            if t.slot_start is not None:
                return (0 if t.slot_start <= now else 3, t.slot_start)
            return (1 if t.priority is not None else 2, t.issued_at)

        found.sort(key=order)
        return [
            WaitingOut(
                id=t.ticket_id,
                number=t.display_number,
                service=t.service,
                priority=t.priority,
                issued_at=t.issued_at.astimezone(tz),
                slot_start=None if t.slot_start is None else t.slot_start.astimezone(tz),
            )
            for t in found[:WAITING_LIMIT]
        ]

    return router
