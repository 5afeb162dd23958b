"""Citizen-facing error messages and next steps: key -> (Bahasa Indonesia, English).

Error keys are the codes the engine puts in ``ErrorView.code`` / ``AuthenticityView.reason`` /
``ServiceView.unavailable_reason`` (upper case for session errors, lower case for token and
queue reasons); next steps are the keys of ``ErrorView.next_step``. No message ever carries
exception text: the log has the detail, the citizen gets what happened and what to do.
"""

from __future__ import annotations

ERROR_TEXT: dict[str, tuple[str, str]] = {
    # Printers and devices
    "PRINTER_PAPER_OUT": (
        "Kertas printer habis. Dokumen Anda belum dicetak dan tetap dapat dicetak nanti.",
        "The printer is out of paper. Your document was not printed and can be printed later.",
    ),
    "PRINTER_COVER_OPEN": (
        "Tutup printer terbuka. Dokumen Anda belum dicetak.",
        "The printer cover is open. Your document was not printed.",
    ),
    "PRINTER_JAM": (
        "Kertas tersangkut di printer. Dokumen Anda belum dicetak.",
        "Paper is jammed in the printer. Your document was not printed.",
    ),
    "PRINTER_OFFLINE": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_UNAVAILABLE": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINT_FAILED": (
        "Pencetakan gagal. Dokumen Anda tetap dapat dicetak nanti.",
        "Printing failed. Your document can still be printed later.",
    ),
    "PRINT_UNCERTAIN": (
        "Pencetakan terhenti di tengah jalan. Petugas akan memeriksa dokumen Anda.",
        "Printing stopped part-way. An officer will check your document.",
    ),
    "CARD_BLANKO_OUT": (
        "Kartu blanko habis. Dokumen Anda belum dicetak.",
        "The blank cards have run out. Your document was not printed.",
    ),
    "CAMERA_LOST": (
        "Kamera sedang tidak berfungsi.",
        "The camera is not working right now.",
    ),
    # Every device fault code (devices/): most mean the printer cannot print now
    "PRINTER_BAD_DOCUMENT": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_CANCEL_FAILED": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_CLOSED": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_ERROR": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_INTERNAL": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_JOB_ABORTED": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_JOB_CANCELED": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_NOT_ACCEPTING": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_NO_ANSWER": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_POWER_LOST": (
        "Printer kehilangan daya. Dokumen Anda belum dicetak.",
        "The printer lost power. Your document was not printed.",
    ),
    "PRINTER_REFUSED": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_STOPPED": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "PRINTER_TIMEOUT": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "DEVICE_CLOSED": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "DEVICE_TIMEOUT": (
        "Printer sedang tidak dapat digunakan. Dokumen Anda belum dicetak.",
        "The printer cannot be used right now. Your document was not printed.",
    ),
    "JOB_UNKNOWN": (
        "Hasil pencetakan belum pasti. Petugas akan memeriksa dokumen Anda.",
        "The print result is not certain. An officer will check your document.",
    ),
    "RECEIPT_PRINT_FAILED": (
        "Tiket tidak dapat dicetak.",
        "The ticket could not be printed.",
    ),
    "CARDS_OUT": (
        "Kartu blanko habis. Dokumen Anda belum dicetak.",
        "The blank cards have run out. Your document was not printed.",
    ),
    "PRINTER_SUBMIT_UNCERTAIN": (
        "Belum pasti apakah dokumen sudah dikirim ke printer. Petugas akan memeriksanya.",
        "It is not certain the document reached the printer. An officer will check it.",
    ),
    # Vouchers and the registry
    "VOUCHER_EXPIRED": (
        "Kode QR ini sudah kedaluwarsa.",
        "This QR code has expired.",
    ),
    "VOUCHER_ALREADY_PRINTED": (
        "Dokumen ini sudah pernah dicetak.",
        "This document has already been printed.",
    ),
    "VOUCHER_NOT_FOUND": (
        "Kode QR ini tidak terdaftar.",
        "This QR code is not registered.",
    ),
    "VOUCHER_INVALID": (
        "Kode QR ini tidak sah.",
        "This QR code is not valid.",
    ),
    "VOUCHER_RESERVED_ELSEWHERE": (
        "Dokumen ini sedang dicetak di anjungan lain.",
        "This document is being printed at another kiosk.",
    ),
    "WRONG_PIN": (
        "PIN salah.",
        "The PIN is wrong.",
    ),
    "LOCKED": (
        "PIN terkunci karena salah 3 kali.",
        "The PIN is locked after 3 wrong tries.",
    ),
    "NO_DOCUMENTS": (
        "Tidak ada dokumen yang siap dicetak untuk NIK ini.",
        "No document is ready to print for this NIK.",
    ),
    "NIK_INVALID": (
        "NIK tidak valid.",
        "That NIK is not valid.",
    ),
    "REGISTRY_UNAVAILABLE": (
        "Layanan data Dukcapil sedang tidak dapat dihubungi.",
        "The Dukcapil data service cannot be reached right now.",
    ),
    "RATE_LIMITED": (
        "Layanan sedang sibuk.",
        "The service is busy right now.",
    ),
    "SESSION_EXPIRED": (
        "Waktu sesi habis. Data Anda sudah dihapus.",
        "The session timed out. Your data has been cleared.",
    ),
    "INTERNAL": (
        "Terjadi kendala pada anjungan.",
        "The kiosk had a problem.",
    ),
    "ERROR_UNKNOWN": (
        "Terjadi kendala pada anjungan.",
        "The kiosk had a problem.",
    ),
    # Codes the engine uses (kiosk/engine/outcomes.py, session.py)
    "PIN_WRONG": (
        "PIN salah.",
        "The PIN is wrong.",
    ),
    "VOUCHER_LOCKED": (
        "PIN terkunci karena salah 3 kali. Dokumen tidak dapat dicetak dengan kode ini sekarang.",
        "The PIN is locked after 3 wrong tries. This code cannot print the document now.",
    ),
    "VOUCHER_IN_USE": (
        "Dokumen ini sedang diproses di anjungan lain.",
        "This document is being processed at another kiosk.",
    ),
    "VOUCHER_UNDER_REVIEW": (
        "Pencetakan dokumen ini sebelumnya belum pasti selesai, jadi dokumen ini sedang"
        " diperiksa petugas. Dokumen Anda tidak hilang.",
        "An earlier print of this document did not clearly finish, so an officer is checking"
        " it. Your document is not lost.",
    ),
    "KIOSK_STORAGE_FULL": (
        "Anjungan tidak dapat mencatat transaksi saat ini. Dokumen Anda belum dicetak dan tetap"
        " dapat dicetak nanti.",
        "The kiosk cannot record transactions right now. Your document was not printed and can"
        " be printed later.",
    ),
    "REGISTRY_BUSY": (
        "Layanan data Dukcapil sedang sibuk.",
        "The Dukcapil data service is busy right now.",
    ),
    "REGISTRY_ERROR": (
        "Layanan data Dukcapil menolak permintaan ini.",
        "The Dukcapil data service refused this request.",
    ),
    "KIOSK_NOT_AUTHORISED": (
        "Anjungan ini belum terdaftar di layanan Dukcapil.",
        "This kiosk is not registered with the Dukcapil service.",
    ),
    "KIOSK_ERROR": (
        "Terjadi kendala pada anjungan.",
        "The kiosk had a problem.",
    ),
    "NO_DOCUMENT_READY": (
        "Tidak ada dokumen yang siap dicetak untuk NIK ini.",
        "No document is ready to print for this NIK.",
    ),
    "PRINT_OUTCOME_UNKNOWN": (
        "Pencetakan terhenti dan belum pasti hasilnya. Dokumen Anda tidak hilang: petugas akan"
        " memeriksanya.",
        "Printing stopped and its result is not certain. Your document is not lost: an officer"
        " will check it.",
    ),
    "DOCUMENT_DATA_INVALID": (
        "Data dokumen tidak lengkap sehingga tidak dapat dicetak.",
        "The document data is incomplete, so it cannot be printed.",
    ),
    "PRINTER_NEAR_END": (
        "Kertas printer hampir habis.",
        "The printer is nearly out of paper.",
    ),
    "PRINTER_DISCONNECTED": (
        "Printer terputus. Dokumen Anda belum dicetak.",
        "The printer was disconnected. Your document was not printed.",
    ),
    # Token and document-claim reasons (authenticity check and offline voucher checks)
    "malformed": (
        "Kode ini bukan kode dokumen Dukcapil atau rusak.",
        "This is not a Dukcapil document code, or it is damaged.",
    ),
    "bad_signature": (
        "Tanda tangan elektronik tidak cocok: dokumen mungkin telah diubah.",
        "The electronic signature does not match: the document may have been altered.",
    ),
    "unknown_key": (
        "Kode ditandatangani oleh penerbit yang tidak dikenal.",
        "The code was signed by an unknown issuer.",
    ),
    "expired": (
        "Kode ini sudah kedaluwarsa.",
        "This code has expired.",
    ),
    "too_large": (
        "Kode ini terlalu panjang untuk kode Dukcapil.",
        "This code is too long to be a Dukcapil code.",
    ),
    "not_yet_valid": (
        "Kode ini belum berlaku. Periksa jam anjungan ke petugas.",
        "This code is not valid yet. Ask an officer to check the kiosk clock.",
    ),
    "unsupported_version": (
        "Versi kode ini tidak didukung anjungan ini.",
        "This kiosk does not support this code version.",
    ),
    "wrong_kind": (
        "Ini bukan kode dokumen. Untuk mencetak, pilih menu Cetak dokumen.",
        "This is not a document code. To print, choose Print a document.",
    ),
    "claim_malformed": (
        "Kode ini bukan kode dokumen Dukcapil atau rusak.",
        "This is not a Dukcapil document code, or it is damaged.",
    ),
    "claim_bad_signature": (
        "Tanda tangan elektronik tidak cocok: dokumen mungkin telah diubah atau palsu.",
        "The electronic signature does not match: the document may be altered or forged.",
    ),
    "claim_unknown_key": (
        "Kode ditandatangani oleh penerbit yang tidak dikenal.",
        "The code was signed by an unknown issuer.",
    ),
    "claim_expired": (
        "Masa berlaku kode pada dokumen ini sudah habis.",
        "The code on this document has expired.",
    ),
    "claim_not_yet_valid": (
        "Kode ini belum berlaku. Minta petugas memeriksa jam anjungan.",
        "This code is not valid yet. Ask an officer to check the kiosk clock.",
    ),
    "claim_unsupported_version": (
        "Versi kode ini tidak didukung anjungan ini.",
        "This kiosk does not support this code version.",
    ),
    # Queue reasons
    "queue_closed": (
        "Layanan ini sedang tutup.",
        "This service is closed now.",
    ),
    "queue_quota": (
        "Kuota antrean hari ini sudah habis.",
        "Today's queue numbers have run out.",
    ),
    "printer_unavailable": (
        "Printer tiket sedang tidak dapat digunakan.",
        "The ticket printer cannot be used right now.",
    ),
    "queue_unknown_service": (
        "Layanan ini tidak dikenal.",
        "This service is not known.",
    ),
    "queue_priority_not_allowed": (
        'Layanan ini tidak memiliki antrean prioritas. Pilih "Tidak" untuk prioritas.',
        'This service has no priority queue. Choose "No" for priority.',
    ),
    "queue_unknown_ticket": (
        "Tiket ini tidak ditemukan.",
        "This ticket was not found.",
    ),
    "queue_ticket_closed": (
        "Tiket ini sudah tidak berlaku dan tidak dapat dicetak ulang.",
        "This ticket is no longer valid and cannot be printed again.",
    ),
    "queue_unavailable": (
        "Nomor antrean tidak dapat diambil sekarang.",
        "A queue number cannot be taken right now.",
    ),
}

NEXT_STEP_TEXT: dict[str, tuple[str, str]] = {
    "take_queue_ticket": (
        "Ambil nomor antrean dan datang ke loket petugas.",
        "Take a queue ticket and go to the officer's counter.",
    ),
    "try_again": (
        "Silakan coba lagi.",
        "Please try again.",
    ),
    "try_later": (
        "Silakan coba lagi beberapa saat lagi, atau ambil nomor antrean.",
        "Please try again in a little while, or take a queue ticket.",
    ),
    "try_again_later": (
        "Silakan coba lagi beberapa saat lagi.",
        "Please try again in a little while.",
    ),
    "contact_officer": (
        "Hubungi petugas dan sebutkan kode di bawah.",
        "Ask an officer for help and show them the code below.",
    ),
    "scan_again": (
        "Pindai kode QR sekali lagi.",
        "Scan the QR code once more.",
    ),
    "request_new_voucher": (
        "Minta kode QR baru melalui layanan Dukcapil.",
        "Ask Dukcapil for a new QR code.",
    ),
    "come_back_tomorrow": (
        "Silakan datang kembali pada hari kerja berikutnya.",
        "Please come back on the next working day.",
    ),
    "none": (
        "Tidak ada yang perlu dilakukan.",
        "Nothing else is needed.",
    ),
}
