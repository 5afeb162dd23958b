"""Cost at rest: what a production-mode kiosk costs a small fanless PC all day.

The kiosk runs with its production drivers, not the simulators: the OpenCV camera (playing a
720p MJPG file at 15 fps, in a loop, as a USB camera would deliver it), the zxing decoder, the
ESC/POS network driver and the registry client over HTTPS. What a kiosk PC talks to runs in
processes of its own, as it would on other machines: ``kiosk registry-sim`` (HTTPS, its own
certificate authority) and ``kiosk virtual-printer`` (ESC/POS over TCP). The document and card
printers are turned off (CUPS would be another process; their drivers are IPP clients).
``kiosk run`` runs from a venv holding what a kiosk PC installs (requirements/kiosk.lock: the
project's dependencies, no extras), hard-linked from this one (ui/demo/runtime_venv.py), with a
copy of the kiosk's packages as its wheel would install them: the developer's venv also holds
the test tools and packages that libraries pick up when present (httpx loads rich, click and
pygments for its command line, httpcore trio, h2 and socksio; 11 MB), which no kiosk loads.

- ``attract_cpu_percent``: CPU of the whole ``kiosk run`` process (all threads) at the attract
  screen, per cent of one core, over a window after it settled (12 s: the camera captures for
  its first 10 s, to know it works). Goal <= 2 %: the camera must not capture while nobody
  scans.
- ``kiosk_rss_mb``: resident memory of that process at the attract screen. Goal <= 200 MB.
- ``scanning_cpu_percent``: CPU of the kiosk (in this process, offscreen, 1920x1080) while a
  scan screen shows the live camera and decodes every frame (720p, 15 fps): the authenticity
  check's, which needs no printer. No goal: the figure says what scanning costs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

KIOSK_ID = "KIOSK-BENCH-01"
KIOSK_KEY = "bench-kiosk-key"
TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process, all its threads (``/proc/PID/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "registry.pem", folder / "registry.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def camera_video(path: Path, seconds: float = 3.0, fps: int = 15) -> Path:
    """A 1280x720 MJPG file of a desk under a camera: texture and sensor noise, no code."""
    import cv2
    import numpy as np

    from devices.camera.scene import add_noise, noise_bank, textured_background

    rng = np.random.default_rng(7)
    background = textured_background(1280, 720, rng)
    noise = noise_bank(1280, 720, 4.0, rng)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (1280, 720))
    for index in range(int(seconds * fps)):
        writer.write(add_noise(background, noise[index % len(noise)]))
    writer.release()
    return path


@contextlib.contextmanager
def service(cmd: list[str], ready: str) -> Iterator[str]:
    """A ``kiosk`` subcommand in its own process; yields its first line starting ``ready``."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().strip()
        if not line.startswith(ready):
            raise RuntimeError(f"{cmd[3]} did not start: {line!r}")
        threading.Thread(target=proc.stdout.read, daemon=True).start()  # drain
        yield line
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def production_config(folder: Path, registry_url: str, ca: Path, printer_port: int) -> Path:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from kiosk.domain.signed import b64url_encode

    def public_key() -> str:
        key = Ed25519PrivateKey.generate().public_key()
        return b64url_encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw))

    (folder / "kiosk.key").write_text(KIOSK_KEY + "\n")
    (folder / "audit.key").write_bytes(os.urandom(32))
    (folder / "audit.key").chmod(0o600)
    video = camera_video(folder / "camera.avi")
    text = f"""
state_dir = "{folder / "state"}"

[kiosk]
id = "{KIOSK_ID}"
name = "Anjungan Dukcapil Mandiri"
office = "Kantor Kecamatan Contoh"
kecamatan = "Contoh"

[registry]
url = "{registry_url}"
kiosk_id = "{KIOSK_ID}"
key_file = "{folder / "kiosk.key"}"
ca_file = "{ca}"

[vouchers.keys]
bench-1 = "{public_key()}"
[vouchers.claim_keys]
bench-doc-1 = "{public_key()}"

[audit]
key_file = "{folder / "audit.key"}"

[devices.camera]
driver = "opencv"
[devices.camera.settings]
device = "{video}"
loop_file = true
width = 1280
height = 720
fps = 15

[devices.code_reader]
driver = "zxing"

[devices.receipt]
driver = "escpos-network"
[devices.receipt.settings]
host = "127.0.0.1"
port = {printer_port}
width_mm = 80

[devices.document]
driver = "cups"
enabled = false
[devices.document.settings]
queue = "adm-a4"

[devices.card]
driver = "cups-card"
enabled = false
[devices.card.settings]
queue = "adm-card"

[ui]
fullscreen = true

[telemetry]
metrics_port = 0

[[queue.services]]
code = "A"
name_id = "Perekaman KTP-el"
name_en = "KTP-el recording"
opens = 00:00:00
closes = 23:59:59
days = [1, 2, 3, 4, 5, 6, 7]
"""
    path = folder / "kiosk.toml"
    path.write_text(text)
    return path


@contextlib.contextmanager
def rig(folder: Path) -> Iterator[Path]:
    """Registry and receipt printer processes, and a production config pointing at them."""
    cert, key = self_signed(folder)
    kiosk = [sys.executable, "-m", "kiosk"]
    registry_cmd = [*kiosk, "registry-sim", "--port", "0", "--db", str(folder / "registry.sqlite"),
                    "--tls-cert", str(cert), "--tls-key", str(key),
                    "--kiosk", f"{KIOSK_ID}:{KIOSK_KEY}"]  # fmt: skip
    printer_cmd = [*kiosk, "virtual-printer", "--tcp", "127.0.0.1:0", "--out",
                   str(folder / "paper")]  # fmt: skip
    with (
        service(registry_cmd, "registry simulator listening on ") as registry,
        service(printer_cmd, "virtual ESC/POS printer listening on ") as printer,
    ):
        port = int(printer.rsplit(":", 1)[1])
        yield production_config(folder, registry.rsplit(" ", 1)[1], cert, port)


def wait_ready(notify: socket.socket, proc: subprocess.Popen[str], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"kiosk run exited {proc.returncode}")
        try:
            if b"READY=1" in notify.recv(4096).split(b"\n"):
                return
        except TimeoutError:
            continue
    raise RuntimeError("kiosk run sent no READY=1")


def kiosk_runtime(dest: Path) -> Path:
    """The ``kiosk`` command of a venv with what a kiosk PC installs (see the module's notes)."""
    from ui.demo.runtime_venv import portable_runtime

    return portable_runtime(dest, user=None, extras=())


def attract_figures(
    config: Path, folder: Path, settle_s: float, window_s: float
) -> dict[str, float]:
    """``kiosk run`` as systemd runs it; CPU and RSS at the attract screen."""
    notify_path = folder / "notify.sock"
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(notify_path))
    notify.settimeout(0.2)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # the runtime's code only
    env.update(QT_QPA_PLATFORM="offscreen", NOTIFY_SOCKET=str(notify_path))
    kiosk = kiosk_runtime(folder / "runtime")
    proc = subprocess.Popen(
        [str(kiosk), "run", "--config", str(config)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        wait_ready(notify, proc, 120.0)
        time.sleep(settle_s)  # the kiosk starts behind the attract screen: devices, recovery
        before, started = process_cpu_s(proc.pid), time.monotonic()
        time.sleep(window_s)
        used, took = process_cpu_s(proc.pid) - before, time.monotonic() - started
        return {"cpu": 100 * used / took, "rss": rss_mb(proc.pid)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        notify.close()


def scanning_figure(config_path: Path, folder: Path, settle_s: float, window_s: float) -> float:
    """The kiosk in this process, on the scan screen with the live camera: CPU per cent."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from kiosk.bootstrap import build_kiosk
    from kiosk.config import load_config
    from kiosk.engine.view import Screen
    from ui.app import build_ui, create_application
    from ui.demo.driver import DemoDriver

    config = load_config(config_path)
    app = create_application()
    kiosk = build_kiosk(config, simulate=False, state_dir=folder / "scan-state")
    kiosk.start()
    ui = build_ui(kiosk, config, app=app, simulate=False, windowed=True)
    try:
        ui.top.resize(1920, 1080)
        ui.top.show()
        driver = DemoDriver(app, ui.window, ui.top, folder, capture=False)
        driver.wait_until(lambda: not ui.window.warming, 30.0, "page warm-up")
        driver.click("attract_tile_check")  # the authenticity check: the same live scan, no printer
        driver.wait_screen(Screen.CHECK_SCAN)
        preview = ui.window.pages[Screen.CHECK_SCAN].preview  # type: ignore[attr-defined]
        driver.wait_until(preview.has_frame, 15.0, "camera frames on the scan screen")
        driver.pump(int(settle_s * 1000))
        before, started = time.process_time(), time.monotonic()
        driver.pump(int(window_s * 1000))
        used, took = time.process_time() - before, time.monotonic() - started
        if ui.window.current_screen is not Screen.CHECK_SCAN:
            raise RuntimeError(f"left the scan screen ({ui.window.current_screen})")
        return 100 * used / took
    finally:
        ui.shutdown()
        ui.top.close()
        kiosk.stop()


def run(quick: bool) -> list[dict[str, Any]]:
    from thirdparty import glibc_malloc

    glibc_malloc.one_arena()  # as kiosk run does, before any thread: the scan figure's kiosk too
    # The camera captures for its first rest_after_s (10 s) after opening, so the status says
    # whether it works; the all-day attract state begins after that.
    settle_s, window_s = (12.0, 8.0) if quick else (12.0, 30.0)
    with tempfile.TemporaryDirectory(prefix="cost-at-rest-") as name:
        folder = Path(name)
        with rig(folder) as config:
            attract = attract_figures(config, folder, settle_s, window_s)
            scanning = scanning_figure(config, folder, 3.0, window_s / 2)
    return [
        {"name": "attract_cpu_percent", "value": round(attract["cpu"], 2), "unit": "% core",
         "target": "<= 2"},
        {"name": "kiosk_rss_mb", "value": round(attract["rss"], 1), "unit": "MB",
         "target": "<= 200"},
        {"name": "scanning_cpu_percent", "value": round(scanning, 1), "unit": "% core",
         "target": None},
    ]  # fmt: skip


if __name__ == "__main__":
    for figure in run("--quick" in sys.argv):
        print(f"{figure['name']:24} {figure['value']:>10} {figure['unit']:7} {figure['target']}")
