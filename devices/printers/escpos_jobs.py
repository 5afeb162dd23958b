"""What the receipt driver prints on its own (the health-check ticket) and how it counts jobs."""

from __future__ import annotations

from devices.printers.escpos_link import escpos_printer_module


def test_ticket(device: str, qr_text: str) -> bytes:
    """A short test ticket with a native QR code holding ``qr_text`` (no personal data)."""
    dummy = escpos_printer_module().Dummy()
    dummy.hw("INIT")
    dummy.set(align="center", bold=True)
    dummy.textln("TES PRINTER / PRINTER TEST")
    dummy.set(align="center", bold=False)
    dummy.textln(device)
    dummy.textln(qr_text)
    dummy.qr(qr_text, native=True, size=6)
    dummy.set(align="left")
    dummy.cut()
    output: bytes = dummy.output
    return output


def count_lines_and_cuts(data: bytes) -> tuple[int, int]:
    """Printed lines (line feeds) and cuts in a job, read with the virtual printer's parser."""
    from devices.sim.virtual_escpos.commands import Cut, LineFeed
    from devices.sim.virtual_escpos.parser import parse_escpos

    commands = parse_escpos(data)
    lines = sum(isinstance(c, LineFeed) for c in commands)
    cuts = sum(isinstance(c, Cut) for c in commands)
    return lines, cuts
