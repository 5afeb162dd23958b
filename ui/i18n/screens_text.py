"""Citizen-facing text of the screens: key -> (Bahasa Indonesia, English).

Bahasa Indonesia comes first: it is the default language of every kiosk. Placeholders use
``str.format`` names (``{n}``) and must appear in both languages.
"""

from __future__ import annotations

SCREEN_TEXT: dict[str, tuple[str, str]] = {
    # Header and shared controls
    "lang_toggle": ("English", "Bahasa Indonesia"),
    "lang_toggle_hint": ("Ganti bahasa", "Change language"),
    "home": ("Kembali ke awal", "Start over"),
    "back": ("Kembali", "Back"),
    "cancel": ("Batal", "Cancel"),
    "ok": ("OK", "OK"),
    "finish": ("Selesai", "Finish"),
    "please_wait": ("Mohon tunggu...", "Please wait..."),
    # Help bar (every screen)
    "call_staff": ("Panggil petugas", "Call staff"),
    "listen": ("Dengarkan", "Listen"),
    "text_large": ("Huruf besar", "Large text"),
    "text_normal": ("Huruf biasa", "Normal text"),
    # Staff call panel
    "staff_call_title": ("Petugas segera datang", "A staff member is coming"),
    "staff_call_body": (
        "Mohon tunggu di anjungan ini. Jika belum ada yang datang dalam 5 menit, "
        "silakan ke meja informasi.",
        "Please wait at this kiosk. If nobody has come within 5 minutes, "
        "please go to the information desk.",
    ),
    "staff_call_when": ("Dipanggil pukul {time}", "Called at {time}"),
    "staff_call_close": ("Tutup, saya tunggu", "Close, I will wait"),
    # Attract loop
    "attract_title": ("Anjungan Dukcapil Mandiri", "Self-service Civil Registry Kiosk"),
    "attract_touch": ("Sentuh layar untuk mulai", "Touch the screen to start"),
    "attract_slide_print": (
        "Cetak dokumen kependudukan Anda sendiri: KK, KTP-el, KIA, akta",
        "Print your own civil documents: family card, ID card, child ID, certificates",
    ),
    "attract_slide_queue": (
        "Ambil nomor antrean untuk layanan di loket",
        "Take a queue number for the service counters",
    ),
    "attract_slide_check": (
        "Periksa keaslian dokumen dengan memindai kode QR-nya",
        "Check a document is genuine by scanning its QR code",
    ),
    # Menu
    "menu_title": ("Apa yang ingin Anda lakukan?", "What would you like to do?"),
    "menu_print": ("Cetak dokumen", "Print a document"),
    "menu_print_hint": (
        "Dengan kode QR dari SMS atau WhatsApp, dan PIN Anda",
        "With the QR code from your SMS or WhatsApp, and your PIN",
    ),
    "menu_queue": ("Ambil nomor antrean", "Take a queue ticket"),
    "menu_queue_hint": ("Untuk layanan di loket petugas", "For services at the counter"),
    "menu_check": ("Cek keaslian dokumen", "Check a document"),
    "menu_check_hint": (
        "Pindai kode QR pada dokumen cetak",
        "Scan the QR code on a printed document",
    ),
    "menu_unavailable": ("Sedang tidak tersedia", "Not available right now"),
    # Scan
    "scan_title": ("Tunjukkan kode QR Anda ke kamera", "Show your QR code to the camera"),
    "scan_step_1": (
        "1. Buka kode QR dari SMS/WhatsApp, atau siapkan KTP-el Anda",
        "1. Open the QR code from your SMS/WhatsApp, or take out your ID card",
    ),
    "scan_step_2": (
        "2. Pegang kode di dalam kotak, sekitar 20 cm dari kamera",
        "2. Hold the code inside the box, about 20 cm from the camera",
    ),
    "scan_step_3": (
        "3. Tahan diam sampai layar berganti",
        "3. Hold still until the screen changes",
    ),
    "scan_camera_here": ("Kamera di atas layar", "Camera above the screen"),
    "scan_short": (
        "Pegang kode di dalam kotak, 20 cm dari kamera.",
        "Hold the code inside the box, 20 cm from the camera.",
    ),
    "check_short": (
        "Pegang kode QR dokumen di dalam kotak.",
        "Hold the document's QR code inside the box.",
    ),
    "scan_no_code": ("Tidak punya kode QR?", "No QR code?"),
    "scan_manual_nik": ("Ketik NIK", "Type your NIK"),
    "scan_preview_waiting": ("Menyalakan kamera...", "Starting the camera..."),
    "scan_verifying": ("Memeriksa kode...", "Checking the code..."),
    # Manual NIK entry
    "nik_title": ("Ketik NIK Anda", "Type your NIK"),
    "nik_hint": (
        "16 angka, tertera di KTP-el atau KK Anda",
        "16 digits, printed on your ID card or family card",
    ),
    "nik_count": ("{n} dari 16 angka", "{n} of 16 digits"),
    "nik_show": ("Tampilkan NIK", "Show the NIK"),
    "nik_hide": ("Sembunyikan NIK", "Hide the NIK"),
    "keypad_delete": ("Hapus", "Delete"),
    "keypad_clear": ("Ulang", "Clear"),
    "keypad_ok": ("Lanjut", "Continue"),
    # PIN
    "pin_title": ("Masukkan PIN 6 angka", "Enter your 6-digit PIN"),
    "pin_hint": (
        "PIN dikirim bersama kode QR. Tutupi layar saat mengetik.",
        "The PIN came with the QR code. Shield the screen while typing.",
    ),
    "pin_attempts_left": ("PIN salah. Sisa percobaan: {n}", "Wrong PIN. Tries left: {n}"),
    "pin_locked": (
        "PIN terkunci karena salah 3 kali. Coba lagi setelah {time}, atau datang ke loket.",
        "The PIN is locked after 3 wrong tries. Try again after {time}, or go to a counter.",
    ),
    "pin_locked_plain": (
        "PIN terkunci karena salah 3 kali. Silakan datang ke loket.",
        "The PIN is locked after 3 wrong tries. Please go to a counter.",
    ),
    # Choose document (identify path)
    "choose_title": ("Pilih dokumen yang akan dicetak", "Choose the document to print"),
    "choose_none": (
        "Tidak ada dokumen yang siap dicetak untuk NIK ini",
        "No document is ready to print for this NIK",
    ),
    "choose_for": ("Atas nama {name}", "For {name}"),
    "choose_more": (
        "{count} dokumen lain menunggu: setelah mencetak, masukkan NIK lagi",
        "{count} more documents are waiting: after printing, enter your NIK again",
    ),
    # Confirm
    "confirm_title": ("Periksa sebelum mencetak", "Check before printing"),
    "confirm_document": ("Dokumen", "Document"),
    "confirm_holder": ("Atas nama", "Name"),
    "confirm_print": ("Cetak sekarang", "Print now"),
    "confirm_media_card": (
        "Dicetak pada kartu blanko. Ambil kartu di slot kartu.",
        "Printed on a blank card. Take it from the card slot.",
    ),
    "confirm_media_a4": (
        "Dicetak pada kertas A4. Ambil di baki kertas.",
        "Printed on A4 paper. Take it from the paper tray.",
    ),
    # Printing
    "printing_title": ("Dokumen sedang dicetak", "Your document is printing"),
    "printing_hint": (
        "Jangan tinggalkan anjungan sampai selesai",
        "Please stay at the kiosk until it is finished",
    ),
    "step_reserving": ("Mengambil data dari Dukcapil", "Getting the data from Dukcapil"),
    "step_rendering": ("Menyiapkan dokumen", "Preparing the document"),
    "step_printing": ("Mencetak", "Printing"),
    "step_finishing": ("Menyelesaikan", "Finishing"),
    # Done
    "done_title": ("Silakan ambil dokumen Anda", "Please take your document"),
    "done_hint_a4": ("Di baki kertas di bawah layar", "From the paper tray below the screen"),
    "done_hint_card": ("Di slot kartu di bawah layar", "From the card slot below the screen"),
    "done_remember": (
        "Jangan lupa: ambil kembali ponsel dan kartu Anda, juga dokumen yang sudah dicetak.",
        "Remember: take back your phone and your card, and the printed document.",
    ),
    "done_thanks": ("Terima kasih", "Thank you"),
    # Errors
    "error_title": ("Maaf, ada kendala", "Sorry, something went wrong"),
    "error_what_next": ("Yang dapat Anda lakukan", "What you can do"),
    "error_reference": ("Kode untuk petugas: {ref}", "Code for the officer: {ref}"),
    "error_take_ticket": ("Ambil nomor antrean", "Take a queue ticket"),
    "error_try_again": ("Coba lagi", "Try again"),
    # Queue: services
    "service_title": ("Pilih layanan", "Choose a service"),
    "service_hours": ("Buka {opens}–{closes} {zone}", "Open {opens}–{closes} {zone}"),
    "service_waiting": ("{n} orang menunggu", "{n} people waiting"),
    "service_waiting_short": ("{n} menunggu", "{n} waiting"),
    "service_estimate": ("± {n} menit", "about {n} min"),
    "service_unavailable": ("Tidak tersedia", "Not available"),
    "service_no_priority": ("Tanpa antrean prioritas", "No priority queue"),
    "priority_title": ("Antrean prioritas (jika berhak)", "Priority queue (if eligible)"),
    "priority_button": ("Antrean prioritas: {kind}", "Priority queue: {kind}"),
    "service_more": ("Layanan lain", "More services"),
    "service_previous": ("Sebelumnya", "Previous"),
    "priority_none": ("Tidak", "No"),
    "priority_elderly": ("Lansia", "Elderly"),
    "priority_disabled": ("Disabilitas", "Disability"),
    "priority_pregnant": ("Ibu hamil", "Pregnant"),
    # Queue: ticket
    "ticket_title": ("Nomor antrean Anda", "Your queue number"),
    "ticket_printed": ("Ambil tiket di bawah layar", "Take your ticket below the screen"),
    "ticket_not_printed": (
        "Tiket belum tercetak. Catat nomor ini atau cetak ulang.",
        "The ticket did not print. Note this number or print it again.",
    ),
    "ticket_reprint": ("Cetak ulang tiket", "Print the ticket again"),
    "ticket_waiting": ("{n} orang di depan Anda", "{n} people ahead of you"),
    "ticket_priority": ("Prioritas: {kind}", "Priority: {kind}"),
    # Authenticity check
    "check_title": ("Pindai kode QR pada dokumen", "Scan the QR code on the document"),
    "check_hint": (
        "Kode QR ada di pojok bawah dokumen. Pegang dokumen di dalam kotak.",
        "The QR code is at the bottom corner. Hold the document inside the box.",
    ),
    "check_valid": ("Dokumen ASLI", "The document is GENUINE"),
    "check_invalid": ("Dokumen TIDAK DAPAT DIPASTIKAN", "The document CANNOT BE CONFIRMED"),
    "check_doc": ("Jenis dokumen", "Document type"),
    "check_number": ("Nomor dokumen", "Document number"),
    "check_issued": ("Diterbitkan", "Issued on"),
    "check_holder": ("Atas nama", "Name"),
    "check_again": ("Periksa dokumen lain", "Check another document"),
    # Inactivity
    "warning_title": ("Apakah Anda masih di sini?", "Are you still there?"),
    "warning_countdown": (
        "Sesi akan berakhir dalam {n} detik dan data Anda dihapus",
        "The session ends in {n} seconds and your data is cleared",
    ),
    "warning_still_here": ("Ya, saya masih di sini", "Yes, I am still here"),
    # Transient notices (SessionView.notice)
    "code_not_recognised": (
        "Kode tidak dikenali. Gunakan kode QR dari Dukcapil atau KTP-el.",
        "Code not recognised. Use the QR code from Dukcapil or your ID card.",
    ),
    "nik_invalid": (
        "NIK tidak valid. Periksa kembali 16 angka Anda.",
        "That NIK is not valid. Check the 16 digits again.",
    ),
    "verifying": ("Memeriksa...", "Checking..."),
    "pin_incomplete": ("PIN harus 6 angka", "The PIN has 6 digits"),
    "pin_format": ("PIN harus 6 angka", "The PIN has 6 digits"),
    "pin_wrong": ("PIN salah. Coba lagi.", "Wrong PIN. Try again."),
    "voucher_invalid": (
        "Kode QR ini tidak sah. Gunakan kode QR asli dari Dukcapil.",
        "This QR code is not valid. Use the original QR code from Dukcapil.",
    ),
    "option_unavailable": (
        "Pilihan ini sedang tidak tersedia. Silakan pilih yang lain.",
        "This option is not available right now. Please choose another.",
    ),
    "ticket_reprint_failed": (
        "Tiket belum dapat dicetak ulang. Catat nomor Anda dan tunjukkan ke petugas.",
        "The ticket could not be printed again. Note your number and show it to an officer.",
    ),
    "error_locked_until": (
        "Dapat dicoba lagi setelah pukul {time}.",
        "You can try again after {time}.",
    ),
}
