"""A small HTTP/1.1 keep-alive client on asyncio streams, for the load generator.

The load generator shares the machine's two cores with the server it measures; every
microsecond it spends is taken from the server, so it speaks just enough HTTP/1.1
(Content-Length bodies, keep-alive) to drive the JSON API and nothing more.
"""

from __future__ import annotations

import asyncio
import time


class Lost(Exception):
    """The connection failed before a whole response arrived: nothing acknowledged."""


class Connection:
    def __init__(self, host: str, port: int, headers: dict[str, str] | None = None) -> None:
        self.host, self.port = host, port
        self.base = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: str = ""
    ) -> tuple[int, bytes, float]:
        """One request: (status, body, seconds). Raises Lost on any connection failure."""
        try:
            if self.writer is None:
                await self._open()
            assert self.reader is not None and self.writer is not None
            started = time.perf_counter()
            self.writer.write(
                (
                    f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.base}"
                    f"{headers}Content-Length: {len(body)}\r\n\r\n"
                ).encode("latin-1")
                + body
            )
            head = await self.reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length, close = 0, False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"connection" and value.strip().lower() == b"close":
                    close = True
            data = await self.reader.readexactly(length) if length else b""
            elapsed = time.perf_counter() - started
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
            self.close()
            raise Lost(str(e)) from e
        if close:
            self.close()
        return status, data, elapsed
