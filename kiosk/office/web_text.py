"""Text of the counter page and the caller display: key -> (Bahasa Indonesia, English).

Part of the kiosk's one message catalogue (``ui.i18n.catalog`` merges it, so every key is
checked for both languages and the same placeholders); it lives here because the queue server
serves the pages and ``kiosk`` may not import ``ui``. Placeholders are ``{name}``, filled by
the pages' JavaScript. The display shows both languages at once; the counter page switches.
"""

from __future__ import annotations

WEB_TEXT: dict[str, tuple[str, str]] = {
    # shared
    "web_lang_switch": ("English", "Bahasa Indonesia"),
    "web_counter": ("Loket {n}", "Counter {n}"),
    "web_offline": (
        "Tidak terhubung ke server antrean. Menyambung ulang...",
        "Not connected to the queue server. Reconnecting...",
    ),
    "web_minutes": ("{n} mnt", "{n} min"),
    "web_prio_lansia": ("Lansia", "Elderly"),
    "web_prio_disabilitas": ("Disabilitas", "Disability"),
    "web_prio_ibu_hamil": ("Ibu hamil", "Pregnant"),
    "web_prio_prioritas": ("Prioritas", "Priority"),
    "web_booking": ("Booking {slot}", "Booking {slot}"),
    # counter page: sign-in
    "web_signin_title": ("Masuk ke loket", "Sign in to a counter"),
    "web_signin_counter": ("Nomor loket", "Counter"),
    "web_signin_pin": ("PIN petugas", "Staff PIN"),
    "web_signin_button": ("Masuk", "Sign in"),
    "web_signin_wrong": (
        "PIN salah. Sisa percobaan: {n}.",
        "Wrong PIN. Attempts left: {n}.",
    ),
    "web_signin_locked": (
        "Terlalu banyak PIN salah. Loket ini terkunci {n} menit lagi.",
        "Too many wrong PINs. This counter is locked for {n} more minutes.",
    ),
    "web_signin_failed": (
        "Tidak dapat masuk. Periksa sambungan ke server antrean.",
        "Could not sign in. Check the connection to the queue server.",
    ),
    "web_signout": ("Keluar", "Sign out"),
    # counter page: the current ticket and actions
    "web_current": ("Sedang dilayani", "At this counter"),
    "web_current_none": (
        "Belum ada nomor. Tekan Panggil berikutnya.",
        "No number yet. Press Call next.",
    ),
    "web_status_called": ("Dipanggil {time}", "Called {time}"),
    "web_status_serving": ("Dilayani sejak {time}", "Serving since {time}"),
    "web_recalls": ("Dipanggil ulang {n}x", "Called again {n}x"),
    "web_call_next": ("Panggil berikutnya", "Call next"),
    "web_recall": ("Panggil ulang", "Call again"),
    "web_start": ("Mulai layani", "Start serving"),
    "web_done": ("Selesai", "Done"),
    "web_no_show": ("Tidak hadir", "No-show"),
    "web_transfer": ("Alihkan ke", "Transfer to"),
    "web_transfer_button": ("Alihkan", "Transfer"),
    "web_nobody": ("Tidak ada yang menunggu.", "Nobody is waiting."),
    "web_error_busy": (
        "Selesaikan nomor yang sedang dilayani dahulu.",
        "Finish the current number first.",
    ),
    "web_error_state": (
        "Nomor ini sudah berubah status. Daftar diperbarui.",
        "This number has changed state. The list was refreshed.",
    ),
    "web_error": ("Permintaan gagal ({code}).", "The request failed ({code})."),
    # counter page: waiting list, figures, staff calls
    "web_waiting": ("Menunggu", "Waiting"),
    "web_waiting_count": ("{n} menunggu", "{n} waiting"),
    "web_today": ("Hari ini", "Today"),
    "web_fig_served": ("Dilayani", "Served"),
    "web_fig_no_show": ("Tidak hadir", "No-show"),
    "web_fig_waiting": ("Menunggu", "Waiting"),
    "web_fig_wait": ("Median tunggu", "Median wait"),
    "web_fig_service": ("Median layanan", "Median service"),
    "web_fig_this_counter": ("Loket ini", "This counter"),
    "web_alerts": ("Panggilan petugas", "Staff calls"),
    "web_alerts_none": ("Tidak ada panggilan.", "No calls."),
    "web_alert_help": (
        "{kiosk} meminta bantuan petugas ({screen})",
        "{kiosk} asks for an officer ({screen})",
    ),
    "web_alert_ack": ("Saya tangani", "I will go"),
    "web_alert_taken": ("Ditangani {by}", "Taken by {by}"),
    # caller display
    "web_display_now": ("Nomor antrean", "Queue number"),
    "web_display_go_to": ("Silakan menuju", "Please go to"),
    "web_display_recent": ("Panggilan terakhir", "Recent calls"),
    "web_display_waiting": ("Jumlah menunggu", "People waiting"),
    "web_display_counters": ("Loket", "Counters"),
    "web_display_idle": ("Belum ada panggilan hari ini", "No calls yet today"),
    "web_display_sound": ("Ketuk untuk menyalakan suara", "Tap to turn the sound on"),
    "web_display_setup": (
        "Buka halaman ini sebagai /display#client=ID&key=KUNCI (klien berperan display).",
        "Open this page as /display#client=ID&key=KEY (a client with the display role).",
    ),
}
