"""Citizen-facing text of the office queue at the kiosk: the queue server's state, booking QRs
(checked in, or why not, with their times in plain words) and a ticket being called.
Key -> (Bahasa Indonesia, English), as in :mod:`ui.i18n.screens_text`."""

from __future__ import annotations

OFFICE_QUEUE_TEXT: dict[str, tuple[str, str]] = {
    # the office queue server (kiosk.engine.office_queue)
    "queue_server_down": (
        "Antrean kantor sedang tidak dapat dihubungi. Silakan coba lagi sebentar lagi, "
        "atau tanyakan kepada petugas.",
        "The office queue cannot be reached right now. Please try again shortly, "
        "or ask an officer.",
    ),
    "queue_server_bad_answer": (
        "Antrean kantor memberi jawaban yang tidak dapat dibaca. Silakan tanyakan kepada petugas.",
        "The office queue gave an answer the kiosk cannot read. Please ask an officer.",
    ),
    # the services screen, when the office queue takes online bookings
    "service_scan_booking": (
        "Sudah booking online? Pindai kode booking Anda",
        "Booked online? Scan your booking code",
    ),
    # booking QRs (antrean online), refused
    "booking_not_here": (
        "Anjungan ini tidak melayani booking online. Silakan ambil nomor antrean biasa.",
        "This kiosk does not take online bookings. Please take an ordinary queue ticket.",
    ),
    "booking_invalid_qr": (
        "Kode booking ini tidak dikenal di kantor ini. Periksa bahwa ini kode booking kantor ini.",
        "This booking code is not one of this office's. Check it is this office's booking code.",
    ),
    "booking_unknown": (
        "Booking ini tidak ditemukan. Silakan tanyakan kepada petugas.",
        "This booking was not found. Please ask an officer.",
    ),
    "booking_used": (
        "Booking ini sudah dipakai untuk mengambil nomor antrean.",
        "This booking has already been used for a queue number.",
    ),
    "booking_too_early": (
        "Terlalu awal untuk booking pukul {slot}. Silakan pindai lagi mulai {opens}.",
        "Too early for your {slot} booking. Please scan it again from {opens}.",
    ),
    "booking_too_late": (
        "Waktu check-in booking pukul {slot} sudah lewat (dibuka sampai {closes}). "
        "Silakan ambil nomor antrean biasa.",
        "Check-in for your {slot} booking has closed (it was open until {closes}). "
        "Please take an ordinary queue ticket.",
    ),
    # booking QRs, checked in (the ticket screen)
    "booking_early": (
        "Anda datang lebih awal. Nomor Anda dipanggil mulai pukul {slot}, sebelum antrean biasa.",
        "You are early. Your number is called from {slot}, before the walk-in queue.",
    ),
    "booking_on_time": (
        "Tepat waktu untuk booking pukul {slot}. Nomor Anda dipanggil sebelum antrean biasa.",
        "On time for your {slot} booking. Your number is called before the walk-in queue.",
    ),
    "booking_late": (
        "Anda terlambat {minutes} menit dari booking pukul {slot}. "
        "Nomor Anda tetap dipanggil sebelum antrean biasa.",
        "You are {minutes} minutes late for your {slot} booking. "
        "Your number is still called before the walk-in queue.",
    ),
    # the ticket screen, refreshed from the queue
    "ticket_estimate": (
        "Perkiraan waktu tunggu: sekitar {n} menit",
        "Estimated wait: about {n} minutes",
    ),
    "ticket_estimate_unknown": (
        "Perkiraan waktu tunggu: belum diketahui",
        "Estimated wait: not known yet",
    ),
    "ticket_called": (
        "Nomor Anda dipanggil: silakan menuju loket {counter}.",
        "Your number is being called: please go to counter {counter}.",
    ),
    "ticket_valid_today": ("Berlaku hari ini", "Valid today only"),
}
