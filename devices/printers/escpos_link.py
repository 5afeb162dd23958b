"""Byte links to a receipt printer, opened through python-escpos's connectors.

python-escpos is imported lazily through :mod:`thirdparty.escpos_loader` (a private, checked
capabilities cache; no temporary directories, no root log handler), shared with ``printing``.
Every read and write here has a timeout; a link that breaks raises :class:`LinkError` with the
number of bytes that did go out.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from types import ModuleType
from typing import Any, Protocol

from thirdparty.escpos_loader import escpos_printer_module

__all__ = ["Link", "LinkError", "NetworkLink", "SerialLink", "UsbLink", "escpos_printer_module"]

log = logging.getLogger(__name__)

CHUNK = 4096


class LinkError(Exception):
    """The link failed. ``lost``: the printer is gone (reconnect); ``written``: bytes sent."""

    def __init__(self, message: str, *, lost: bool, written: int = 0) -> None:
        super().__init__(message)
        self.lost = lost
        self.written = written


class Link(Protocol):
    description: str

    @property
    def is_open(self) -> bool: ...

    def open(self) -> None:
        """Connect; raises LinkError(lost=True) when the printer is not there."""

    def close(self) -> None: ...

    def write(self, data: bytes, timeout_s: float) -> int:
        """Send all of ``data`` within ``timeout_s``; returns len(data) or raises LinkError."""
        ...

    def read_byte(self, timeout_s: float) -> int | None:
        """One byte, or None if none came in time; LinkError(lost=True) if the link closed."""
        ...

    def discard_input(self) -> None:
        """Drop stale bytes (late answers); LinkError(lost=True) if the peer has closed."""


class ConnectorLink:
    """Shared logic: a python-escpos printer object whose ``_raw`` sends bytes."""

    description = "printer"

    def __init__(self) -> None:
        self._printer: Any = None

    def _make(self, module: ModuleType) -> Any:
        raise NotImplementedError

    def _set_write_timeout(self, timeout_s: float) -> None:
        raise NotImplementedError

    @property
    def is_open(self) -> bool:
        return self._printer is not None

    def open(self) -> None:
        self.close()
        printer = self._make(escpos_printer_module())
        try:
            printer.open()
        except Exception as exc:  # DeviceNotFoundError, NoBackendError, OSError, ...
            self._drop(printer)
            raise LinkError(f"cannot open {self.description}: {exc}", lost=True) from exc
        self._printer = printer

    def close(self) -> None:
        printer, self._printer = self._printer, None
        if printer is not None:
            self._drop(printer)

    @staticmethod
    def _drop(printer: Any) -> None:
        try:
            printer.close()
        except Exception:  # a vanished serial port fails its flush; close the port itself
            log.debug("closing the connector failed", exc_info=True)
            device = getattr(printer, "_device", None)
            with contextlib.suppress(Exception):
                if device:
                    device.close()
            printer._device = False  # or python-escpos's __del__ tries (and fails) again

    def _require(self) -> Any:
        if self._printer is None:
            raise LinkError("link is not open", lost=True)
        return self._printer

    def write(self, data: bytes, timeout_s: float) -> int:
        printer = self._require()
        deadline = time.monotonic() + timeout_s
        written = 0
        while written < len(data):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise LinkError("write timed out", lost=False, written=written)
            self._set_write_timeout(remaining)
            chunk = data[written : written + CHUNK]
            try:
                printer._raw(chunk)
            except Exception as exc:
                lost = not _is_timeout(exc)
                raise LinkError(f"write failed: {exc}", lost=lost, written=written) from exc
            written += len(chunk)
        return written


def _is_timeout(exc: BaseException) -> bool:
    name = type(exc).__name__
    return isinstance(exc, TimeoutError) or "Timeout" in name


class NetworkLink(ConnectorLink):
    def __init__(self, host: str, port: int, connect_timeout_s: float) -> None:
        super().__init__()
        self.host, self.port, self.connect_timeout_s = host, port, connect_timeout_s
        self.description = f"tcp {host}:{port}"

    def _make(self, module: ModuleType) -> Any:
        return module.Network(self.host, self.port, timeout=self.connect_timeout_s)

    def _socket(self) -> socket.socket:
        sock: socket.socket = self._require().device
        return sock

    def _set_write_timeout(self, timeout_s: float) -> None:
        self._socket().settimeout(timeout_s)

    def read_byte(self, timeout_s: float) -> int | None:
        sock = self._socket()
        sock.settimeout(max(timeout_s, 0.001))
        try:
            data = sock.recv(1)
        except TimeoutError:
            return None
        except OSError as exc:
            raise LinkError(f"read failed: {exc}", lost=True) from exc
        if not data:
            raise LinkError("the printer closed the connection", lost=True)
        return data[0]

    def discard_input(self) -> None:
        sock = self._socket()
        sock.setblocking(False)
        try:
            while True:
                data = sock.recv(4096)
                if not data:
                    raise LinkError("the printer closed the connection", lost=True)
        except BlockingIOError:
            return
        except OSError as exc:
            raise LinkError(f"connection failed: {exc}", lost=True) from exc
        finally:
            sock.setblocking(True)


class SerialLink(ConnectorLink):
    """pyserial through python-escpos, with ``timeout`` (reads) and ``write_timeout`` set."""

    def __init__(self, device: str, serial_args: dict[str, Any], rtscts: bool = False) -> None:
        super().__init__()
        self.device, self.serial_args, self.rtscts = device, serial_args, rtscts
        self.description = f"serial {device}"

    def open(self) -> None:
        super().open()
        if self.rtscts:  # python-escpos has no parameter for it; pyserial applies it at once
            self._port().rtscts = True

    def _make(self, module: ModuleType) -> Any:
        return module.Serial(self.device, **self.serial_args)

    def _port(self) -> Any:
        return self._require().device

    def _set_write_timeout(self, timeout_s: float) -> None:
        self._port().write_timeout = timeout_s

    def read_byte(self, timeout_s: float) -> int | None:
        port = self._port()
        port.timeout = max(timeout_s, 0.001)
        try:
            data = port.read(1)
        except Exception as exc:  # SerialException: the adapter was unplugged
            raise LinkError(f"read failed: {exc}", lost=True) from exc
        return data[0] if data else None

    def discard_input(self) -> None:
        try:
            self._port().reset_input_buffer()
        except Exception as exc:
            raise LinkError(f"serial port failed: {exc}", lost=True) from exc


class UsbLink(ConnectorLink):
    def __init__(
        self, vendor_id: int, product_id: int, in_ep: int, out_ep: int, profile: str | None = None
    ) -> None:
        super().__init__()
        self.vendor_id, self.product_id = vendor_id, product_id
        self.in_ep, self.out_ep, self.profile = in_ep, out_ep, profile
        self.description = (
            f"usb {vendor_id:04x}:{product_id:04x} (in 0x{in_ep:02x}, out 0x{out_ep:02x})"
        )

    def _make(self, module: ModuleType) -> Any:
        return module.Usb(
            self.vendor_id,
            self.product_id,
            in_ep=self.in_ep,
            out_ep=self.out_ep,
            profile=self.profile,
        )

    def _set_write_timeout(self, timeout_s: float) -> None:
        self._require().timeout = max(1, int(timeout_s * 1000))  # pyusb takes milliseconds

    def read_byte(self, timeout_s: float) -> int | None:
        device = self._require().device
        try:
            data = device.read(self.in_ep, 64, max(1, int(timeout_s * 1000)))
        except Exception as exc:
            if _is_timeout(exc):
                return None
            raise LinkError(f"read failed: {exc}", lost=True) from exc
        return int(data[-1]) if len(data) else None

    def discard_input(self) -> None:
        while self.read_byte(0.001) is not None:
            pass
