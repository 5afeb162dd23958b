"""Boot the kiosk the way a kiosk PC does, under cage, and photograph the output with grim.

This is the procedure behind the boot test (tests/scripts/test_cage_boot.py) and the first
screenshot of ``make demo``: ``scripts/adm-kiosk-session`` (what ``adm-kiosk@tty1.service``
runs) starts cage on its headless backend (``WLR_BACKENDS=headless``, pixman renderer, no input
devices), cage starts ``kiosk run`` with simulated devices but the production window (frameless
full screen, no simulator panel), the kiosk says ``READY=1`` on the notify socket once the
attract screen shows, and grim takes what cage composited.

cage (like Xwayland) refuses to run as root, and root is who runs ``make test`` and CI. So the
session runs as an unprivileged user (``nobody``) from a runtime that user can read
(ui/demo/runtime_venv.py). Nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui.demo.runtime_venv import REPO, NoRuntime, portable_runtime

if TYPE_CHECKING:
    from ui.demo.driver import DemoDriver as DemoDriverLike

SESSION_SCRIPT = REPO / "scripts" / "adm-kiosk-session"
UNPRIVILEGED_USER = "nobody"
OUTPUT_SIZE = (1280, 720)  # cage's headless output


class CageBootError(RuntimeError):
    """The session did not come up, or grim could not take the screenshot."""


@dataclass
class CageBoot:
    screenshot: Path
    ready_s: float  # session start to READY=1
    log: str  # the session's output (cage and kiosk)
    notifications: list[str] = field(default_factory=list)


def _owned_dir(path: Path, user: str | None, mode: int) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if user is not None:
        shutil.chown(path, user, user_group(user))
    path.chmod(mode)
    return path


def user_group(user: str) -> str:
    import grp
    import pwd

    return grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name


def _as_user(user: str | None, env: Mapping[str, str], argv: list[str]) -> list[str]:
    command = ["env", "-i", *(f"{k}={v}" for k, v in env.items()), *argv]
    return command if user is None else ["runuser", "-u", user, "--", *command]


def boot_and_screenshot(
    work: Path,
    *,
    kiosk_bin: Path,
    config: Path,
    user: str | None,
    cage_args: str = "-r -r",
    timeout_s: float = 90.0,
) -> CageBoot:
    """Run ``scripts/adm-kiosk-session`` (cage, then ``kiosk run``) as ``user`` until the kiosk
    is READY, photograph the output with grim, then stop the session."""
    runtime = _owned_dir(work / "runtime", user, 0o700)
    notify_path = work / "notify.sock"
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(notify_path))
    notify_path.chmod(0o666)
    notify.settimeout(0.2)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(runtime),
        "LANG": "C.UTF-8",
        "XDG_RUNTIME_DIR": str(runtime),
        "RUNTIME_DIRECTORY": str(runtime),
        "WLR_BACKENDS": "headless",
        "WLR_RENDERER": "pixman",
        "WLR_LIBINPUT_NO_DEVICES": "1",
        "KIOSK_BIN": str(kiosk_bin),
        "KIOSK_CONFIG": str(config),
        "KIOSK_RUN_ARGS": "--simulate",
        "KIOSK_CAGE_ARGS": cage_args,
        "NOTIFY_SOCKET": str(notify_path),
    }
    log_path = work / "session.log"
    started = time.monotonic()
    with log_path.open("wb") as log_file:
        session = subprocess.Popen(
            _as_user(user, env, ["/bin/sh", str(SESSION_SCRIPT)]),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        notes: list[str] = []
        try:
            ready_s = _wait_ready(notify, notes, session, started, timeout_s, log_path)
            shot = _screenshot(work, runtime, user, started + timeout_s)
        finally:
            _stop(session)
            notify.close()
    return CageBoot(shot, ready_s, log_path.read_text(errors="replace"), notes)


def _wait_ready(
    notify: socket.socket,
    notes: list[str],
    session: subprocess.Popen[bytes],
    started: float,
    timeout_s: float,
    log_path: Path,
) -> float:
    while time.monotonic() - started < timeout_s:
        if session.poll() is not None:
            raise CageBootError(
                f"the session exited {session.returncode} before READY=1:\n"
                + log_path.read_text(errors="replace")[-4000:]
            )
        try:
            data = notify.recv(4096).decode(errors="replace")
        except TimeoutError:
            continue
        notes.append(data)
        if "READY=1" in data.split("\n"):
            return time.monotonic() - started
    raise CageBootError(
        f"no READY=1 within {timeout_s:.0f} s:\n" + log_path.read_text(errors="replace")[-4000:]
    )


def _screenshot(work: Path, runtime: Path, user: str | None, deadline: float) -> Path:
    """grim until two shots in a row are the same (the first frames may still be in flight)."""
    env = {"PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": str(runtime), "WAYLAND_DISPLAY": ""}
    sockets = sorted(p.name for p in runtime.glob("wayland-*") if not p.name.endswith(".lock"))
    if not sockets:
        raise CageBootError(f"cage made no Wayland socket in {runtime}")
    env["WAYLAND_DISPLAY"] = sockets[0]
    shots = _owned_dir(work / "shots", user, 0o755)
    previous: bytes | None = None
    for attempt in range(20):
        target = shots / f"shot-{attempt}.png"
        done = subprocess.run(
            _as_user(user, env, ["grim", str(target)]),
            capture_output=True,
            timeout=30,
            check=False,
        )
        if done.returncode != 0:
            raise CageBootError(f"grim failed: {done.stderr.decode(errors='replace')}")
        pixels = _pixels(target)
        if pixels == previous:
            return target
        previous = pixels
        if time.monotonic() > deadline:
            break
        time.sleep(0.3)
    raise CageBootError("the output did not settle (no two equal screenshots in a row)")


def _pixels(path: Path) -> bytes:
    from PIL import Image

    with Image.open(path) as image:
        return image.convert("RGB").tobytes()


def _stop(session: subprocess.Popen[bytes]) -> None:
    if session.poll() is None:
        os.killpg(session.pid, signal.SIGTERM)
        try:
            session.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(session.pid, signal.SIGKILL)
            session.wait(timeout=10)


def screenshot_problems(png: Path, size: tuple[int, int] = OUTPUT_SIZE) -> list[str]:
    """What is wrong with a screenshot of the attract screen on the whole output (empty: fine).

    - the image is the output's size;
    - the kiosk window covers it: no pixel of cage's black background on any edge;
    - no title bar: the top row shows only the kiosk's own backgrounds (the page, and the
      header or help bar), a window decoration is a band of another colour;
    - nothing cut off at the bottom: in every column the last rows are a background (the page
      or the help bar) for at least a few pixels, and there is content in the lower quarter
      (the tiles or the help bar's buttons); a window taller than the output would show a
      button or text in its last row.
    """
    from PIL import Image

    from ui.theme import PAIRS

    backgrounds = (_rgb(PAIRS["header"].bg), _rgb(PAIRS["page"].bg))
    with Image.open(png) as image:
        rgb = image.convert("RGB")
    if rgb.size != size:
        return [f"the screenshot is {rgb.size[0]}x{rgb.size[1]}, the output {size[0]}x{size[1]}"]
    width, height = size
    pixels: Any = rgb.load()
    problems: list[str] = []
    edges = {
        "top": [(x, 0) for x in range(width)],
        "bottom": [(x, height - 1) for x in range(width)],
        "left": [(0, y) for y in range(height)],
        "right": [(width - 1, y) for y in range(height)],
    }
    for edge, points in edges.items():
        black = sum(1 for p in points if pixels[p] == (0, 0, 0))
        if black:
            problems.append(f"{black} px of cage's black background on the {edge} edge")
    if not all(any(_near(pixels[x, 0], bg) for bg in backgrounds) for x in range(width)):
        problems.append("the top row is not the kiosk's own background (a title bar?)")
    margin, lowest = height, 0
    for x in range(width):
        bottom = pixels[x, height - 1]
        run = 0
        if any(_near(bottom, bg) for bg in backgrounds):
            while run < height and _near(pixels[x, height - 1 - run], bottom):
                run += 1
        margin = min(margin, run)
        lowest = max(lowest, height - 1 - run)
    if margin < BOTTOM_MARGIN_PX:
        problems.append(
            f"only {margin} px of background below the lowest content: the last line "
            "is cut off or touches the edge"
        )
    if lowest < height * 3 // 4:
        problems.append("no content in the lower quarter (the start buttons are missing)")
    return problems


BOTTOM_MARGIN_PX = 4


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _near(a: object, b: tuple[int, int, int], tolerance: int = 2) -> bool:
    return isinstance(a, tuple) and all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=False))


def showroom_config(folder: Path, *, state: Path, orientation: str = "landscape") -> Path:
    """config/simulator.toml as a showroom kiosk runs it: full screen (the production window),
    ``orientation``, its state in ``state``. Written to ``folder/kiosk.toml``, next to the
    simulator's kiosk key it names."""
    from kiosk.config.loader import load_config

    source = REPO / "config" / "simulator.toml"
    settings = {
        "": {"state_dir": f'"{state}"'},
        "ui": {"fullscreen": "true", "orientation": f'"{orientation}"'},
    }
    lines: list[str] = []
    section = ""
    for line in source.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            section = stripped.strip("[]").strip()
            lines.append(line)
            lines += [f"{key} = {value}" for key, value in settings.get(section, {}).items()]
            continue
        key = stripped.split("=", 1)[0].strip()
        if key not in settings.get(section, {}):
            lines.append(line)
    top = [f"{key} = {value}" for key, value in settings[""].items()]
    path = folder / "kiosk.toml"
    path.write_text("\n".join(top + lines) + "\n", encoding="utf-8")
    path.chmod(0o644)
    for name in ("sim-kiosk.key",):
        shutil.copy(source.parent / name, folder / name)
        (folder / name).chmod(0o644)
    config = load_config(path)
    if not (config.ui.fullscreen and config.ui.orientation == orientation):
        raise CageBootError(f"{path}: could not set full screen and {orientation}")
    return path


def demo_scenario(driver: DemoDriverLike) -> None:
    """``make demo``'s boot scenario: the kiosk under cage, photographed by grim, checked."""
    from ui.demo.driver import Shot

    scenario = driver.scenario("Boot on a kiosk PC: cage, the production window, grim")
    user = UNPRIVILEGED_USER if os.geteuid() == 0 else None
    work = Path(tempfile.mkdtemp(prefix="kiosk-demo-cage-", dir="/tmp"))
    try:
        work.chmod(0o755)
        kiosk = portable_runtime(work / "runtime", user=user)
        folder = work / "boot"
        state = folder / "state"
        state.mkdir(parents=True)
        folder.chmod(0o755)
        if user is not None:
            shutil.chown(state, user, user_group(user))
        config = showroom_config(folder, state=state)
        boot = boot_and_screenshot(folder, kiosk_bin=kiosk, config=config, user=user)
        name = "cage-attract.png"
        shutil.copy(boot.screenshot, driver.out / name)
        caption = f"grim, {boot.ready_s:.1f} s after the session started (READY=1)"
        driver.shots.append(Shot(scenario.title, caption, "attract", name, round(driver.now(), 2)))
        problems = screenshot_problems(boot.screenshot)
        scenario.ok = not problems
        scenario.note = "; ".join(problems) or (
            "scripts/adm-kiosk-session ran cage (headless backend, output rotated 180 degrees) "
            "around `kiosk run --simulate` with a full-screen config: the attract screen fills "
            "the 1280x720 output, no title bar, nothing cut off."
        )
    except (CageBootError, NoRuntime, OSError, subprocess.SubprocessError) as exc:
        scenario.ok = False
        scenario.note = f"could not boot under cage: {exc}"[:2000]
    finally:
        shutil.rmtree(work, ignore_errors=True)
        scenario.ended_s = round(driver.now(), 2)
