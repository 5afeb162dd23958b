"""``kiosk ticket``: compose one queue ticket's ESC/POS bytes (and, with --png, how it prints).

A preview and test tool: the number is given (``--number``, default 1), nothing is recorded in the
queue. The PNG is the virtual ESC/POS printer's rendering of exactly the bytes written.
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import Literal

from kiosk.cli.common import add_config_option, load_or_report, start_logging
from kiosk.queue.models import ticket_id_for
from printing.tickets import MAX_TICKET_BYTES, TicketData, compose_ticket

log = logging.getLogger(__name__)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--service", required=True, help="service code from [queue] (e.g. A)")
    parser.add_argument("--number", type=int, default=1, help="ticket number 1-9999 (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="file for the ESC/POS bytes")
    parser.add_argument("--png", type=Path, default=None, help="also write the printed image")
    parser.add_argument(
        "--width", type=int, choices=(58, 80), default=None, help="paper width, mm (from config)"
    )
    parser.add_argument("--priority", action="store_true", help="a priority ticket")
    parser.add_argument("--ahead", type=int, default=0, help="people ahead shown (default 0)")
    parser.add_argument(
        "--at",
        type=datetime.fromisoformat,
        default=None,
        help="issue time, office local (e.g. 2026-11-23T14:05); default now",
    )
    add_config_option(parser)


def _write_png(data: bytes, width_mm: int, path: Path) -> None:
    from PIL import Image

    from devices.sim.virtual_escpos.render import render_escpos

    pages = render_escpos(data, width_mm)
    if not pages:
        raise ValueError("the virtual printer printed nothing")
    if len(pages) == 1:
        pages[0].save(path)
        return
    sheet = Image.new("L", (max(p.width for p in pages), sum(p.height for p in pages)), 255)
    top = 0
    for page in pages:
        sheet.paste(page, (0, top))
        top += page.height
    sheet.save(path)


def run(args: argparse.Namespace) -> int:
    start_logging(args)
    config = load_or_report(args.config)
    if config is None:
        return 2
    services = {service.code: service for service in config.queue.services}
    service = services.get(args.service)
    if service is None:
        known = ", ".join(services) or "none configured"
        print(f"kiosk ticket: no service {args.service!r} (known: {known})", file=sys.stderr)
        return 2
    if args.priority and not service.priority_allowed:
        print(f"kiosk ticket: service {service.code} takes no priority tickets", file=sys.stderr)
        return 2
    tz = config.kiosk.tz
    issued_at = datetime.now(tz) if args.at is None else args.at
    issued_at = issued_at.replace(tzinfo=tz) if issued_at.tzinfo is None else issued_at
    issued_at = issued_at.astimezone(tz)
    width: Literal[58, 80] = 58 if (args.width or config.queue.ticket_width_mm) == 58 else 80
    try:
        ticket = TicketData(
            ticket_id=ticket_id_for(service.code, issued_at.date(), args.number),
            office=config.kiosk.office,
            service_name_id=service.name_id,
            service_name_en=service.name_en,
            code=service.code,
            number=args.number,
            issued_at=issued_at,
            people_ahead=args.ahead,
            priority="prioritas" if args.priority else None,
            agency=service.agency,
        )
    except ValueError as exc:
        print(f"kiosk ticket: {exc}", file=sys.stderr)
        return 2
    data = compose_ticket(ticket, width)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(data)
        if args.png is not None:
            args.png.parent.mkdir(parents=True, exist_ok=True)
            _write_png(data, width, args.png)
    except (OSError, ValueError) as exc:
        print(f"kiosk ticket: {exc}", file=sys.stderr)
        return 1
    note = "" if len(data) <= MAX_TICKET_BYTES else f" (over the {MAX_TICKET_BYTES}-byte budget)"
    print(f"{ticket.display_number}: {len(data)} bytes, {width} mm -> {args.out}{note}")
    if args.png is not None:
        print(f"image -> {args.png}")
    return 0
