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
    "scan_no_code": ("Punya PIN?", "Have a PIN?"),
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
    "check_invalid": ("Kode QR ini TIDAK DAPAT DIPASTIKAN", "This QR code CANNOT BE CONFIRMED"),
    "check_doc": ("Jenis dokumen", "Document type"),
    "check_number": ("No. Dokumen", "Document no."),
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
    "scan_incomplete": (
        "Kode terbaca sebagian. Pindai sekali lagi dan tahan sampai berbunyi.",
        "Only part of the code was read. Scan it once more and hold it until it beeps.",
    ),
    "scan_unreadable": (
        "Kode ini tidak dapat dibaca. Gunakan kode QR dari Dukcapil atau KTP-el.",
        "This code cannot be read. Use the QR code from Dukcapil or your ID card.",
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
    # Several documents in one visit (issue 14 item 2)
    "family_who": ("{relation}, lahir {year}", "{relation}, born {year}"),
    "family_year": ("Lahir {year}", "Born {year}"),
    "done_more": (
        "Cetak dokumen keluarga lainnya ({n} siap, tanpa PIN lagi)",
        "Print the family's other documents ({n} ready, no PIN again)",
    ),
    "page_previous": ("Sebelumnya", "Previous"),
    "page_next": ("Berikutnya ({n} lagi)", "Next ({n} more)"),
    "pin_again": (
        "Demi keamanan, masukkan PIN sekali lagi untuk dokumen berikutnya.",
        "For your security, enter the PIN once more for the next document.",
    ),
    "relation_kepala_keluarga": ("Kepala keluarga", "Head of family"),
    "relation_suami": ("Suami", "Husband"),
    "relation_istri": ("Istri", "Wife"),
    "relation_anak": ("Anak", "Child"),
    "relation_menantu": ("Menantu", "Child-in-law"),
    "relation_cucu": ("Cucu", "Grandchild"),
    "relation_orang_tua": ("Orang tua", "Parent"),
    "relation_mertua": ("Mertua", "Parent-in-law"),
    "relation_famili_lain": ("Famili lain", "Other relative"),
    "relation_pembantu": ("Pembantu", "Household help"),
    "relation_lainnya": ("Lainnya", "Other"),
    # Help without a QR code or PIN (item 1)
    "help_button": ("Belum punya kode QR / lupa PIN?", "No QR code / forgot the PIN?"),
    "help_button_pin": ("Lupa PIN?", "Forgot the PIN?"),
    "help_title": ("Belum punya kode QR atau lupa PIN?", "No QR code yet, or forgot the PIN?"),
    "help_get_code": (
        "Kode QR dan PIN dikirim Dukcapil lewat SMS, WhatsApp atau email, setelah "
        "permohonan dokumen Anda selesai diproses.",
        "Dukcapil sends the QR code and PIN by SMS, WhatsApp or e-mail once your "
        "document request has been processed.",
    ),
    "help_forgot": (
        "Belum menerima, atau lupa PIN? Petugas loket dapat mengirimkannya lagi setelah "
        "memeriksa KTP-el atau KK Anda.",
        "Not received them, or forgot the PIN? A counter officer can send them again after "
        "checking your ID card or family card.",
    ),
    "help_nik": (
        "Punya PIN tetapi kode QR hilang? Kembali, lalu pilih Ketik NIK.",
        "Have the PIN but lost the QR code? Go back and choose Type your NIK.",
    ),
    "help_no_queue": ("Silakan datang ke loket pelayanan.", "Please go to a service counter."),
    "ticket_for": ("Ambil nomor antrean: {service}", "Take a queue number: {service}"),
    "ticket_for_closed": ("{service}: {reason}", "{service}: {reason}"),
    # Service information (item 9)
    "menu_info": ("Informasi layanan", "Service information"),
    "menu_info_hint": ("Persyaratan, biaya, waktu layanan", "Requirements, fees, service times"),
    "service_info": ("Persyaratan dan biaya", "Requirements and fees"),
    "info_list_title": ("Informasi layanan", "Service information"),
    "info_at_kiosk": ("Dicetak di anjungan ini", "Printed at this kiosk"),
    "info_at_counter": ("Layanan di loket", "At the service counter"),
    "info_requirements": ("Persyaratan", "Requirements"),
    "info_none": ("Tidak ada persyaratan khusus", "No particular requirements"),
    "info_fee": ("Biaya", "Fee"),
    "info_free": ("Rp 0 (gratis)", "Rp 0 (free)"),
    "info_time": ("Waktu layanan", "Service time"),
    "info_minutes": ("± {n} menit", "about {n} minutes"),
    "info_time_unknown": ("Tanyakan kepada petugas", "Ask an officer"),
    "info_hours": ("Jam layanan", "Opening hours"),
    "info_complaint": ("Pengaduan", "Complaints"),
    "info_take_ticket": ("Ambil nomor antrean", "Take a queue number"),
    # Satisfaction survey (item 8)
    "survey_title": ("Bagaimana pelayanan kami hari ini?", "How was our service today?"),
    "survey_anonymous": (
        "Tanpa nama: jawaban Anda tidak terhubung dengan data Anda.",
        "Anonymous: your answer is not linked to your data.",
    ),
    "score_1": ("Tidak baik", "Not good"),
    "score_2": ("Kurang baik", "Not so good"),
    "score_3": ("Baik", "Good"),
    "score_4": ("Sangat baik", "Very good"),
    "survey_why": ("Alasannya (boleh dilewati):", "Why? (you may skip this)"),
    "reason_fast": ("Cepat", "Fast"),
    "reason_easy": ("Mudah", "Easy"),
    "reason_clear": ("Jelas", "Clear"),
    "reason_free": ("Tanpa biaya", "No fee"),
    "reason_slow": ("Lama", "Slow"),
    "reason_hard": ("Sulit dipakai", "Hard to use"),
    "reason_unclear": ("Kurang jelas", "Unclear"),
    "reason_device": ("Alat bermasalah", "Device problem"),
    "survey_send": ("Kirim", "Send"),
    "survey_skip": ("Lewati", "Skip"),
    # Authenticity check that does not overclaim (item 11)
    "check_valid_for": (
        "Kode QR ini sah, diterbitkan untuk:",
        "This QR code is genuine, issued for:",
    ),
    "check_compare": (
        "Bandingkan dengan kertasnya: jenis, nomor, tanggal dan nama harus sama persis. Kode QR "
        "yang sah bisa ditempel pada kertas yang diubah. Jika ada yang berbeda, tunjukkan "
        "dokumen ini kepada petugas.",
        "Compare with the paper: the type, number, date and name must be exactly the same. A "
        "genuine QR code can be stuck on an altered page. If anything differs, show this "
        "document to an officer.",
    ),
    "check_compare_short": (
        "Kode QR yang sah bisa ditempel pada kertas yang diubah: bandingkan semua ini dengan "
        "kertasnya. Jika berbeda, tunjukkan kepada petugas.",
        "A genuine QR code can be stuck on an altered page: compare all this with the paper. "
        "If anything differs, show it to an officer.",
    ),
    "check_summary": ("{doc}, {date}", "{doc}, {date}"),
    "info_part_more": ("Biaya, waktu, pengaduan", "Fee, time, complaints"),
    "info_part_requirements": ("Persyaratan", "Requirements"),
}
