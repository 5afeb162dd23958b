"""Technician-mode text: key -> (Bahasa Indonesia, English). Keys start with ``tech_``."""

from __future__ import annotations

TECHNICIAN_TEXT: dict[str, tuple[str, str]] = {
    # PIN
    "tech_title": ("Mode teknisi", "Technician mode"),
    "tech_pin_prompt": ("Masukkan PIN teknisi", "Enter the technician PIN"),
    "tech_pin_wrong": (
        "PIN salah. Sisa percobaan: {n}",
        "Wrong PIN. Attempts left: {n}",
    ),
    "tech_pin_locked_out": (
        "Terlalu banyak PIN salah. Coba lagi dalam {minutes} menit {seconds} detik.",
        "Too many wrong PINs. Try again in {minutes} min {seconds} s.",
    ),
    "tech_pin_reauth": (
        "Sesi teknisi berakhir karena tidak ada aktivitas. Masukkan PIN lagi.",
        "The technician session ended after inactivity. Enter the PIN again.",
    ),
    "tech_disabled": (
        "Mode teknisi tidak aktif: PIN teknisi belum diatur di konfigurasi.",
        "Technician mode is off: no technician PIN is set in the config.",
    ),
    "tech_checking": ("Memeriksa...", "Checking..."),
    "tech_ok": ("Masuk", "Enter"),
    "tech_delete": ("Hapus", "Delete"),
    "tech_clear": ("Kosongkan", "Clear"),
    "tech_close": ("Tutup mode teknisi", "Close technician mode"),
    "tech_lang": ("English", "Bahasa Indonesia"),
    # Navigation
    "tech_nav_status": ("Status perangkat", "Device status"),
    "tech_nav_health": ("Pemeriksaan", "Health checks"),
    "tech_nav_prints": ("Cetak uji", "Test prints"),
    "tech_nav_readers": ("Pembaca kode", "Code readers"),
    "tech_nav_stats": ("Statistik", "Statistics"),
    "tech_nav_refill": ("Isi ulang", "Refills"),
    "tech_nav_suspect": ("Transaksi SUSPECT", "SUSPECT transactions"),
    "tech_nav_queue": ("Antrean", "Queue"),
    "tech_nav_registry": ("Server registri", "Registry"),
    "tech_nav_exit": ("Keluar dari kiosk", "Exit the kiosk"),
    # Shared
    "tech_working": ("Sedang dikerjakan...", "Working..."),
    "tech_failed": ("Gagal: {error}", "Failed: {error}"),
    "tech_confirm": ("Ya, lanjutkan", "Yes, go ahead"),
    "tech_cancel": ("Batal", "Cancel"),
    "tech_col_device": ("Perangkat", "Device"),
    "tech_col_state": ("Keadaan", "State"),
    "tech_col_detail": ("Rincian", "Detail"),
    "tech_col_result": ("Hasil", "Result"),
    "tech_col_ms": ("ms", "ms"),
    "tech_yes": ("baik", "ok"),
    "tech_no": ("MASALAH", "PROBLEM"),
    # Status: beside the devices
    "tech_status_space": (
        "Penyimpanan: {free} MiB bebas (batas {floor} MiB)",
        "Storage: {free} MiB free (floor {floor} MiB)",
    ),
    "tech_status_space_low": (
        "PENYIMPANAN HAMPIR PENUH: {free} MiB bebas, di bawah batas {floor} MiB. Kiosk tidak"
        " menerima layanan baru.",
        "STORAGE NEARLY FULL: {free} MiB free, below the {floor} MiB floor. The kiosk takes"
        " no new sessions.",
    ),
    "tech_status_suspects": ("SUSPECT: {n}", "SUSPECT: {n}"),
    "tech_status_conflicts": (
        "CETAK GANDA: {n} (lihat SUSPECT)",
        "DOUBLE PRINT: {n} (see SUSPECT)",
    ),
    # Health
    "tech_health_internal": ("Pemeriksaan internal", "Internal check"),
    "tech_health_external": ("Pemeriksaan eksternal (mencetak)", "External check (prints)"),
    "tech_health_all_ok": ("Semua baik", "All healthy"),
    "tech_health_problems": ("Ada masalah", "Problems found"),
    # Test prints
    "tech_print_ticket": ("Cetak tiket uji", "Print a test ticket"),
    "tech_print_a4": ("Cetak halaman A4 uji", "Print an A4 test page"),
    "tech_print_card": ("Cetak kartu uji", "Print a test card"),
    "tech_print_ok": ("Berhasil: {detail}", "Done: {detail}"),
    "tech_print_failed": ("Tidak tercetak: {detail}", "Not printed: {detail}"),
    # Code readers
    "tech_readers_hint": (
        "Kode yang terbaca kamera digambar di atas gambarnya. Tabel: bacaan terakhir setiap "
        "pembaca (kamera, pemindai).",
        "Codes the camera reads are drawn over its picture. Table: each reader's last read "
        "(camera, scanners).",
    ),
    "tech_col_reader": ("Pembaca", "Reader"),
    "tech_col_last_read": ("Bacaan terakhir", "Last read"),
    "tech_col_time": ("Waktu", "Time"),
    "tech_read_none": ("belum ada", "none yet"),
    "tech_read_refused": ("ditolak: {reason}", "refused: {reason}"),
    "tech_camera_none": ("Tidak ada kamera", "No camera"),
    "tech_camera_codes": ("Kode terbaca: {codes}", "Codes read: {codes}"),
    # Statistics
    "tech_stats_refresh": ("Muat ulang", "Refresh"),
    "tech_col_counter": ("Penghitung", "Counter"),
    "tech_col_total": ("Total", "Total"),
    "tech_col_since_refill": ("Sejak isi ulang", "Since refill"),
    # Refills
    "tech_refill_paper": ("Kertas {device} sudah diisi", "Paper loaded in {device}"),
    "tech_refill_blanko_label": ("Stok blanko: {n}", "Blanko stock: {n}"),
    "tech_refill_blanko_set": ("Simpan stok blanko", "Save blanko stock"),
    "tech_refill_done": ("Tercatat: isi ulang {device}", "Recorded: {device} refilled"),
    "tech_refill_no_card": ("Tidak ada printer kartu", "No card printer"),
    # SUSPECT
    "tech_suspect_none": ("Tidak ada transaksi SUSPECT.", "No SUSPECT transactions."),
    "tech_suspect_help": (
        "Periksa kertas di printer. Pilih transaksi, lalu putuskan.",
        "Look at the paper in the printer. Pick a transaction, then decide.",
    ),
    "tech_suspect_printed": ("Dokumen tercetak utuh", "The document came out whole"),
    "tech_suspect_not_printed": ("Tidak ada yang tercetak", "Nothing usable came out"),
    "tech_suspect_confirm_printed": (
        "Transaksi {txid}: tandai TERCETAK? Voucher akan dianggap terpakai.",
        "Transaction {txid}: mark as PRINTED? The voucher will be spent.",
    ),
    "tech_suspect_confirm_not_printed": (
        "Transaksi {txid}: tandai TIDAK TERCETAK? Voucher dapat dipakai lagi.",
        "Transaction {txid}: mark as NOT PRINTED? The voucher becomes usable again.",
    ),
    "tech_suspect_done": ("Transaksi {txid}: {state}", "Transaction {txid}: {state}"),
    "tech_col_txid": ("Transaksi", "Transaction"),
    "tech_col_doc": ("Dokumen", "Document"),
    "tech_col_printer": ("Printer", "Printer"),
    "tech_col_reason": ("Alasan", "Reason"),
    # Queue
    "tech_queue_reset_one": ("Reset antrean {code}", "Reset queue {code}"),
    "tech_queue_reset_all": ("Reset semua antrean", "Reset every queue"),
    "tech_queue_waiting": ("{code} {name}: {n} menunggu", "{code} {name}: {n} waiting"),
    "tech_queue_confirm": (
        "Batalkan tiket yang menunggu hari ini ({target})? Nomor tidak dipakai ulang.",
        "Cancel today's waiting tickets ({target})? Numbers are not reused.",
    ),
    "tech_queue_done": ("{n} tiket dibatalkan", "{n} tickets cancelled"),
    "tech_queue_none": ("Tidak ada layanan antrean.", "No queue services."),
    "tech_queue_all": ("semua layanan", "all services"),
    # Registry
    "tech_registry_check": ("Periksa server registri", "Check the registry"),
    "tech_registry_ok": ("Terhubung: {detail}", "Reachable: {detail}"),
    "tech_registry_bad": ("Masalah: {detail}", "Problem: {detail}"),
    # Exit
    "tech_exit_confirm": (
        "Tutup aplikasi kiosk? Warga tidak dapat memakai kiosk sampai dijalankan lagi.",
        "Close the kiosk application? Citizens cannot use it until it is started again.",
    ),
    "tech_exit_not_allowed": (
        "Keluar dari kiosk tidak diizinkan oleh konfigurasi.",
        "Leaving the kiosk is not allowed by the config.",
    ),
}
