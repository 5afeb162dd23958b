"""How a screen offers a queue ticket for a counter service (help, error, service information):
the service by name on one big button, or why it cannot be taken now."""

from __future__ import annotations

from kiosk.engine.view import ServiceView
from ui.screens.base import ScreenPage


def service_name(page: ScreenPage, service: ServiceView) -> str:
    return service.name_id if page.language == "id" else service.name_en


def handover_text(page: ScreenPage, service: ServiceView) -> str:
    """ "Ambil nomor antrean: Konsultasi", or "Konsultasi: Layanan ini sedang tutup." """
    name = service_name(page, service)
    if service.available:
        return page.t("ticket_for", service=name)
    reason = page.t(service.unavailable_reason or "service_unavailable")
    return page.t("ticket_for_closed", service=name, reason=reason)
