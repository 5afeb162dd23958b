"""The office queue server (``kiosk queue-server``): the queue API of DESIGN section 5 over the
stores of :mod:`kiosk.queue`, for kiosks, counters, displays and the booking portal."""
