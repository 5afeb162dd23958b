"""Spoken prompts: what each citizen screen says aloud when it opens and on "Dengarkan".

key ``prompt_<screen>`` -> (Bahasa Indonesia, English). Short, plain instructions; fixed texts
only (never a name, a NIK, a PIN or any number from the session), so the WAV cache, whose file
names are hashes of these texts, never holds personal data. A test checks every Screen has one.
"""

from __future__ import annotations

PROMPT_TEXT: dict[str, tuple[str, str]] = {
    "prompt_attract": (
        "Selamat datang. Sentuh pilihan Anda di layar: cetak dokumen, nomor antrean, "
        "atau cek keaslian dokumen.",
        "Welcome. Touch your choice on the screen: print a document, take a queue number, "
        "or check a document.",
    ),
    "prompt_menu": (
        "Apa yang ingin Anda lakukan? Pilih salah satu tombol besar.",
        "What would you like to do? Choose one of the large buttons.",
    ),
    "prompt_scan": (
        "Tunjukkan kode QR dari SMS atau WhatsApp ke kamera di atas layar, lalu tahan diam.",
        "Show the QR code from your SMS or WhatsApp to the camera above the screen, "
        "and hold still.",
    ),
    "prompt_nik_entry": (
        "Ketik enam belas angka NIK Anda, lalu tekan Lanjut.",
        "Type the sixteen digits of your NIK, then press Continue.",
    ),
    "prompt_pin": (
        "Ketik PIN enam angka Anda. Tutupi layar dengan tangan saat mengetik.",
        "Type your six-digit PIN. Shield the screen with your hand while typing.",
    ),
    "prompt_choose_document": (
        "Pilih dokumen yang ingin Anda cetak.",
        "Choose the document you want to print.",
    ),
    "prompt_confirm": (
        "Periksa jenis dokumen dan nama di layar. Jika benar, tekan Cetak sekarang.",
        "Check the document type and the name on the screen. If they are right, press Print now.",
    ),
    "prompt_printing": (
        "Dokumen Anda sedang dicetak. Mohon tunggu di depan anjungan.",
        "Your document is printing. Please wait at the kiosk.",
    ),
    "prompt_done": (
        "Silakan ambil dokumen Anda di baki kertas di bawah layar. Jangan lupa ambil kembali "
        "ponsel dan kartu Anda. Terima kasih.",
        "Please take your document from the paper tray below the screen. Remember to take "
        "back your phone and your card. Thank you.",
    ),
    "prompt_done_card": (
        "Silakan ambil kartu Anda di slot kartu di bawah layar. Jangan lupa ambil kembali "
        "ponsel dan kartu identitas Anda. Terima kasih.",
        "Please take your card from the card slot below the screen. Remember to take back "
        "your phone and your ID card. Thank you.",
    ),
    "prompt_service": (
        "Pilih layanan untuk nomor antrean Anda. Jika Anda lansia, penyandang disabilitas, "
        "atau ibu hamil, pilih antrean prioritas lebih dulu.",
        "Choose the service for your queue number. If you are elderly, have a disability "
        "or are pregnant, choose the priority queue first.",
    ),
    "prompt_ticket": (
        "Ambil tiket antrean Anda di bawah layar, lalu tunggu nomor Anda dipanggil.",
        "Take your queue ticket below the screen, and wait for your number to be called.",
    ),
    "prompt_check_scan": (
        "Tunjukkan kode QR di pojok bawah dokumen ke kamera di atas layar.",
        "Show the QR code at the bottom corner of the document to the camera above the screen.",
    ),
    "prompt_check_result": (
        "Hasil pemeriksaan ada di layar. Bandingkan jenis, nomor, tanggal, dan nama di layar "
        "dengan yang tercetak di kertas. Jika ada yang berbeda, tunjukkan kepada petugas.",
        "The result is on the screen. Compare the type, number, date and name on the screen "
        "with what is printed on the paper. If anything differs, show it to an officer.",
    ),
    "prompt_error": (
        "Maaf, ada kendala. Baca keterangan di layar. Tekan tombol biru untuk nomor antrean ke "
        "loket yang dapat membantu, atau tekan Panggil petugas.",
        "Sorry, something went wrong. Read the screen. Press the blue button for a queue number "
        "for the counter that can help, or press Call staff.",
    ),
    "prompt_staff_called": (
        "Petugas sudah dipanggil dan segera datang. Mohon tunggu di anjungan.",
        "A staff member has been called and is on the way. Please wait at the kiosk.",
    ),
    "prompt_warning": (
        "Apakah Anda masih di sini? Sentuh layar untuk melanjutkan.",
        "Are you still there? Touch the screen to continue.",
    ),
    "prompt_done_more": (
        "Silakan ambil dokumen Anda. Dokumen keluarga lainnya dapat dicetak sekarang tanpa PIN "
        "lagi: tekan Cetak dokumen keluarga lainnya, atau tekan Selesai.",
        "Please take your document. Your family's other documents can be printed now without "
        "the PIN again: press Print the family's other documents, or press Finish.",
    ),
    "prompt_help": (
        "Kode QR dan PIN dikirim Dukcapil setelah permohonan Anda diproses. Untuk bantuan, "
        "tekan tombol biru dan ambil nomor antrean ke loket.",
        "Dukcapil sends the QR code and PIN once your request is processed. For help, press "
        "the blue button and take a queue number for the counter.",
    ),
    "prompt_info_list": (
        "Pilih layanan untuk melihat persyaratan, biaya, dan waktu layanannya.",
        "Choose a service to see its requirements, fee and service time.",
    ),
    "prompt_info": (
        "Di layar ada persyaratan, biaya, waktu layanan, dan tempat pengaduan.",
        "The screen shows the requirements, the fee, the service time and where to complain.",
    ),
    "prompt_survey": (
        "Bagaimana pelayanan kami hari ini? Sentuh salah satu wajah, lalu tekan Kirim. "
        "Anda boleh melewatinya.",
        "How was our service today? Touch one of the faces, then press Send. You may skip it.",
    ),
    "prompt_error_no_ticket": (
        "Maaf, ada kendala. Baca keterangan di layar, atau tekan Panggil petugas.",
        "Sorry, something went wrong. Read the screen, or press Call staff.",
    ),
}
