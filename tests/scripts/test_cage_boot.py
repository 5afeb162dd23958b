"""The kiosk boots under cage as on a kiosk PC, and its attract screen fills the output.

``scripts/adm-kiosk-session`` (what ``adm-kiosk@tty1.service`` runs) starts Debian's cage on
its headless backend with the pixman renderer and no input devices; cage starts ``kiosk run``
with simulated devices and the production window (full screen, no simulator panel); the kiosk
says READY=1 on a notify socket as it would to systemd; grim photographs the output.

cage and Xwayland refuse to run as root, so the session runs as ``nobody`` from a runtime that
user can read (ui/demo/runtime_venv.py: a venv of Debian's python3.11 with the installed packages
hard-linked in, no download).

The output is rotated (``KIOSK_CAGE_ARGS="-r -r"``, 180 degrees; ``-r`` for portrait): Debian
12's cage 0.1.4 on the headless backend "scans out" a client buffer that covers the output,
and grim then reads back the last frame cage composited itself (the first, at Qt's default
window size). A rotated output is always composited, as a DRM output is for Qt's shared-memory
buffers, so the screenshot is what the panel shows. grim turns the image upright.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from ui.demo import cage
from ui.demo.runtime_venv import portable_runtime
from ui.theme import PAIRS

pytestmark = pytest.mark.slow

USER = cage.UNPRIVILEGED_USER if os.geteuid() == 0 else None


@pytest.fixture(scope="module")
def runtime() -> Iterator[tuple[Path, Path]]:
    """A folder every user can read (pytest's tmp_path is mode 0700) and the kiosk command."""
    work = Path(tempfile.mkdtemp(prefix="kiosk-cage-", dir="/tmp"))
    work.chmod(0o755)
    umask = os.umask(0o077)  # as in `kiosk demo` (the kiosk's entry points keep state private)
    try:
        kiosk = portable_runtime(work / "runtime", user=USER)
    finally:
        os.umask(umask)
    try:
        yield work, kiosk
    finally:
        shutil.rmtree(work, ignore_errors=True)


def boot(work: Path, kiosk: Path, name: str, orientation: str, cage_args: str) -> cage.CageBoot:
    folder = work / name
    state = folder / "state"
    state.mkdir(parents=True)
    folder.chmod(0o755)
    if USER is not None:
        shutil.chown(state, USER, cage.user_group(USER))
    config = cage.showroom_config(folder, state=state, orientation=orientation)
    return cage.boot_and_screenshot(
        folder, kiosk_bin=kiosk, config=config, user=USER, cage_args=cage_args
    )


@pytest.mark.parametrize(
    ("orientation", "cage_args", "size"),
    [("landscape", "-r -r", (1280, 720)), ("portrait", "-r", (720, 1280))],
)
def test_kiosk_boots_under_cage_into_a_full_attract_screen(
    runtime: tuple[Path, Path], orientation: str, cage_args: str, size: tuple[int, int]
) -> None:
    work, kiosk = runtime
    result = boot(work, kiosk, orientation, orientation, cage_args)
    assert any("READY=1" in note.split("\n") for note in result.notifications)
    assert cage.screenshot_problems(result.screenshot, size) == [], result.screenshot
    assert "Traceback" not in result.log, result.log


def attract_like(size: tuple[int, int]) -> Image.Image:
    """A drawing of a good attract screen: header band on top, page, a button near the bottom."""
    width, height = size
    image = Image.new("RGB", size, PAIRS["page"].bg)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width - 1, 100), fill=PAIRS["header"].bg)
    draw.rectangle((20, height - 140, width - 21, height - 24), fill=PAIRS["primary"].bg)
    return image


def problems_of(image: Image.Image, tmp_path: Path) -> list[str]:
    path = tmp_path / "shot.png"
    image.save(path)
    return cage.screenshot_problems(path, (1280, 720))


def test_screenshot_check_passes_a_good_attract_screen(tmp_path: Path) -> None:
    assert problems_of(attract_like((1280, 720)), tmp_path) == []


def test_screenshot_check_finds_a_title_bar(tmp_path: Path) -> None:
    image = attract_like((1280, 720))
    ImageDraw.Draw(image).rectangle((0, 0, 1279, 29), fill="#f0f0f0")  # Qt's decoration band
    assert any("title bar" in p for p in problems_of(image, tmp_path))


def test_screenshot_check_finds_a_window_smaller_than_the_output(tmp_path: Path) -> None:
    image = Image.new("RGB", (1280, 720), (0, 0, 0))
    image.paste(attract_like((853, 480)), (0, 0))  # Qt's default 2/3 size
    found = problems_of(image, tmp_path)
    assert any("right edge" in p for p in found) and any("bottom edge" in p for p in found)


def test_screenshot_check_finds_the_last_line_cut_off(tmp_path: Path) -> None:
    image = attract_like((1280, 720))
    # a last line of text running off the bottom edge (the help bar's navy is a background)
    ImageDraw.Draw(image).rectangle((40, 700, 600, 719), fill=PAIRS["page"].fg)
    assert any("cut off" in p for p in problems_of(image, tmp_path))


def test_screenshot_check_finds_a_wrong_size(tmp_path: Path) -> None:
    assert problems_of(attract_like((1024, 768)), tmp_path) == [
        "the screenshot is 1024x768, the output 1280x720"
    ]
