"""Technician mode screens (PIN, dashboard and its pages) over the kiosk window."""
