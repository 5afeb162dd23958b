"""A headless Chromium for tests and the demo: Debian's ``chromium`` driven through its
``chromedriver`` with selenium. Never for an office (staff and the TV use a normal browser).

Nothing is downloaded: chromedriver is started here from ``/usr/bin/chromedriver`` and selenium
only talks to it over loopback (``webdriver.Remote``), so Selenium Manager never runs.
Chromium refuses to run as root with its sandbox on, so as root both run as an unprivileged
user (``runuser -u nobody``) with the sandbox on, in a fresh temporary profile that user owns.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CHROMIUM = Path(os.environ.get("KIOSK_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("KIOSK_CHROMEDRIVER", "/usr/bin/chromedriver"))
RUN_AS = "nobody"
START_TIMEOUT_S = 30.0
FLAGS = (
    "--headless=new",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--autoplay-policy=no-user-gesture-required",  # the caller display's chime and voice
    "--mute-audio",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--lang=id-ID",
)


class BrowserUnavailable(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class HeadlessChromium:
    """chromedriver on a loopback port; :meth:`new` opens a browser window (a session)."""

    def __init__(self) -> None:
        for tool in (CHROMIUM, CHROMEDRIVER):
            if not tool.is_file():
                raise BrowserUnavailable(f"{tool} is missing: install Debian's chromium-driver")
        self.dir = Path(tempfile.mkdtemp(prefix="adm-chromium-"))
        self.user = RUN_AS if os.geteuid() == 0 else None
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self.dir.chmod(0o700)
        self.port = _free_port()
        argv = [str(CHROMEDRIVER), f"--port={self.port}", "--allowed-ips=127.0.0.1"]
        if self.user is not None:
            argv = ["/usr/sbin/runuser", "-u", self.user, "--", *argv]
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(self.dir), "LANG": "C.UTF-8"}
        self._log = (self.dir / "chromedriver.log").open("wb")
        self._process = subprocess.Popen(
            argv, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._sessions: list[Any] = []
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                break
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.close()
                raise BrowserUnavailable("chromedriver did not start")
            time.sleep(0.05)

    def new(self, width: int, height: int) -> Any:
        """A new Chromium window of ``width`` x ``height`` CSS pixels (a selenium WebDriver)."""
        from selenium import webdriver
        from selenium.webdriver.chrome.options import Options

        options = Options()
        options.binary_location = str(CHROMIUM)
        profile = self.dir / f"profile-{len(self._sessions)}"
        for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
            options.add_argument(flag)
        driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{self.port}", options=options)
        driver.set_window_size(width, height)
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        if inner != [width, height]:  # the window's frame: make the page itself that size
            driver.set_window_size(2 * width - inner[0], 2 * height - inner[1])
        self._sessions.append(driver)
        return driver

    def close(self) -> None:
        for driver in self._sessions:
            with contextlib.suppress(Exception):
                driver.quit()
        self._sessions.clear()
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, 9)
                self._process.wait(5)
        self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> HeadlessChromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
