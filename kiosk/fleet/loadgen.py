"""Keep-alive HTTP/1.1 POSTs to one loopback server: the fleet simulation's load generator.

httpx's async pool costs a few milliseconds of CPU per request with many requests waiting,
more than the registry spends answering one; a load generator dearer than the server it
measures ends up measuring itself. This one writes the request bytes and reads a
``Content-Length`` answer on up to ``size`` connections, and nothing else (no redirects, no
chunked bodies, no TLS: the simulation talks to a loopback simulator).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

MAX_BODY = 1_000_000


class LoadGenError(Exception):
    """The server's answer was not a plain HTTP/1.1 answer with a Content-Length."""


class Http11Pool:
    def __init__(self, host: str, port: int, size: int, timeout_s: float = 30.0) -> None:
        self.host, self.port, self.size, self.timeout_s = host, port, size, timeout_s
        self._idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )
        self._open = 0
        self._all: set[asyncio.StreamWriter] = set()

    async def _take(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._idle.empty() and self._open < self.size:
            self._open += 1
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError:
                self._open -= 1
                raise
            self._all.add(writer)
            return reader, writer
        return await self._idle.get()

    def _drop(self, writer: asyncio.StreamWriter) -> None:
        self._open -= 1
        self._all.discard(writer)
        writer.close()

    async def post(self, path: str, headers: Mapping[str, str], body: bytes) -> tuple[int, bytes]:
        """``(status, body)``; raises OSError, TimeoutError or :class:`LoadGenError`."""
        reader, writer = await self._take()
        try:
            status, answer, keep = await asyncio.wait_for(
                self._exchange(reader, writer, path, headers, body), self.timeout_s
            )
        except BaseException:
            self._drop(writer)
            raise
        if keep:
            self._idle.put_nowait((reader, writer))
        else:
            self._drop(writer)
        return status, answer

    async def _exchange(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        path: str,
        headers: Mapping[str, str],
        body: bytes,
    ) -> tuple[int, bytes, bool]:
        lines = [f"POST {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 "Content-Type: application/json", f"Content-Length: {len(body)}",
                 *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        await writer.drain()
        status_line = await reader.readline()
        parts = status_line.split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/1.") or not parts[1].isdigit():
            raise LoadGenError(f"bad status line {status_line[:80]!r}")
        length, keep = 0, True
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length" and value.isdigit():
                length = int(value)
            elif name == "transfer-encoding":
                raise LoadGenError("chunked answers are not read here")
            elif name == "connection" and value == "close":
                keep = False
        if length > MAX_BODY:
            raise LoadGenError("answer too large")
        answer = await reader.readexactly(length) if length else b""
        return int(parts[1]), answer, keep

    async def close(self) -> None:
        for writer in list(self._all):
            writer.close()
        self._all.clear()
