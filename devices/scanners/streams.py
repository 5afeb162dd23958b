"""Byte streams a scanner driver reads: an event device (grabbed), a serial port, a pipe.

Each ``read`` waits at most its timeout and returns the bytes that came (``b""`` for none);
an ``OSError`` means the device is gone (unplugged). Opening raises :class:`ScannerOpenError`
with the fault a technician needs to see.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
from typing import Any, Protocol

from devices.model import DeviceFault
from devices.scanners.keymap import KEY_ENTER, KEY_TAB

CHUNK = 4096


class ByteStream(Protocol):
    description: str

    def read(self, timeout_s: float) -> bytes:
        """Bytes that came within ``timeout_s`` (``b""`` for none); OSError if gone."""
        ...

    def close(self) -> None: ...


class ScannerOpenError(Exception):
    def __init__(self, fault: DeviceFault) -> None:
        super().__init__(str(fault))
        self.fault = fault


class FdStream:
    """A readable file descriptor (an event device, or a pipe in simulation)."""

    def __init__(self, fd: int, description: str) -> None:
        self._fd: int | None = fd
        self.description = description

    def read(self, timeout_s: float) -> bytes:
        fd = self._fd
        if fd is None:
            raise OSError(errno.EBADF, "stream closed")
        ready, _, _ = select.select([fd], [], [], max(0.0, timeout_s))
        if not ready:
            return b""
        data = os.read(fd, CHUNK)
        if not data:
            raise OSError(errno.ENODEV, "end of stream: the device is gone")
        return data

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)


class EvdevStream(FdStream):
    """An input event device opened with python-evdev and grabbed (EVIOCGRAB): while the kiosk
    holds it, no keystroke of the scanner reaches anything else (the desktop, the kiosk's own
    window, a terminal)."""

    def __init__(self, path: str) -> None:
        try:
            from evdev import InputDevice
        except ImportError as exc:
            raise ScannerOpenError(
                DeviceFault("SCANNER_DRIVER_MISSING", f"python-evdev is not installed: {exc}")
            ) from exc
        try:
            device = InputDevice(path)
        except OSError as exc:
            raise ScannerOpenError(
                DeviceFault("SCANNER_OFFLINE", f"cannot open {path}: {exc.strerror or exc}")
            ) from exc
        try:
            keys = device.capabilities().get(0x01, [])  # EV_KEY
            if KEY_ENTER not in keys and KEY_TAB not in keys:
                raise ScannerOpenError(
                    DeviceFault(
                        "SCANNER_NOT_A_KEYBOARD",
                        f"{path} ({device.name!r}) has no Enter or Tab key",
                        "check devices.scanners.*.settings.device",
                    )
                )
            try:
                device.grab()
            except OSError as exc:
                raise ScannerOpenError(
                    DeviceFault(
                        "SCANNER_NOT_GRABBED",
                        f"{path}: exclusive access refused ({exc.strerror or exc})",
                        "not read: its keystrokes would reach other programs",
                    )
                ) from exc
        except BaseException:
            device.close()
            raise
        self._device: Any = device
        super().__init__(device.fd, f"{device.name!r} at {path}")

    def close(self) -> None:
        device, self._device = self._device, None
        self._fd = None
        if device is None:
            return
        with contextlib.suppress(OSError):  # unplugged: nothing left to release
            device.ungrab()
        device.close()


class SerialStream:
    """A serial port through pyserial, opened exclusively (no second reader can share it)."""

    def __init__(self, path: str, **serial_args: Any) -> None:
        import serial

        try:
            self._port: Any = serial.Serial(path, timeout=0, exclusive=True, **serial_args)
        except (OSError, ValueError) as exc:  # SerialException is an OSError
            raise ScannerOpenError(
                DeviceFault("SCANNER_OFFLINE", f"cannot open {path}: {exc}")
            ) from exc
        self.description = f"serial {path}"

    def read(self, timeout_s: float) -> bytes:
        port = self._port
        if port is None:
            raise OSError(errno.EBADF, "stream closed")
        try:  # select here: changing pyserial's timeout would reconfigure the port each time
            ready, _, _ = select.select([port.fileno()], [], [], max(0.0, timeout_s))
            if not ready:
                return b""
            return bytes(port.read(min(max(port.in_waiting, 1), CHUNK)))
        except OSError:  # SerialException included: the adapter was pulled
            raise
        except Exception as exc:  # pyserial raises TypeError etc. on a port closed under it
            raise OSError(errno.EIO, f"serial read failed: {exc}") from exc

    def close(self) -> None:
        port, self._port = self._port, None
        if port is not None:
            with contextlib.suppress(OSError):  # the adapter is gone
                port.close()
