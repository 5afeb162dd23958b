"""Queue tickets as ESC/POS bytes (58 mm and 80 mm), with text that can never become a command."""

from printing.tickets.layout import MAX_TICKET_BYTES, TicketData, compose_ticket
from printing.tickets.printable import printable

__all__ = ["MAX_TICKET_BYTES", "TicketData", "compose_ticket", "printable"]
