"""Progress of long work (an import, an export, a report, the demo's build, a bench's
generation), told to whoever waits for it.

The work calls `step(text, total)` when it starts a stage (the text in Vietnamese: what is
being done, for the person waiting) and `advance(n)` as it goes. Who listens decides how it
is shown:

- `Progress()` (`NULL`): nobody; costs nothing.
- `TerminalProgress`: the command line. A bar (tqdm) on a terminal; plain lines elsewhere
  (a log, a pipe, CI), one per stage and one per tenth of a stage.
- `FileProgress`: a background job. The state is written to a small JSON file (atomically,
  at most twice a second) that the job's page reads while the job runs; a file rather than
  a row, because an import writes inside one transaction whose rows nobody else sees until it
  commits — and SQLite takes one writer at a time.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm


class Progress:
    """The do-nothing listener; the others override what they show."""

    def step(self, text: str, total: int | None = None) -> None:
        """A new stage of the work; `total` units of it when known."""

    def advance(self, n: int = 1) -> None:
        """`n` more units of the current stage done."""

    def say(self, text: str) -> None:
        """What is being done now, within the current stage (its count unchanged)."""

    def close(self) -> None:
        """The work is over (done or not)."""

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


NULL = Progress()


class TerminalProgress(Progress):
    """A bar on a terminal, plain progress lines otherwise (on `stream`, stderr by default,
    so that a command's own output — a report's JSON — stays clean)."""

    def __init__(self, stream: IO[str] | None = None, *, bar: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.bar = self.stream.isatty() if bar is None else bar
        self._tqdm: Any = None
        self.text = ""
        self.total: int | None = None
        self.done = 0
        self._shown_tenth = -1

    def step(self, text: str, total: int | None = None) -> None:
        self._finish_bar()
        self.text, self.total, self.done, self._shown_tenth = text, total, 0, 0
        if self.bar:
            self._tqdm = tqdm(
                total=total, desc=text, file=self.stream, unit="", leave=True, dynamic_ncols=True
            )
        else:
            suffix = f" ({total:,} mục)".replace(",", ".") if total else ""
            print(f"{text}{suffix}...", file=self.stream, flush=True)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self._tqdm is not None:
            self._tqdm.update(n)
            return
        if self.total:
            tenth = min(10, self.done * 10 // self.total)
            if tenth > self._shown_tenth and tenth < 10:
                self._shown_tenth = tenth
                print(f"  {self.text}: {tenth * 10}%", file=self.stream, flush=True)

    def say(self, text: str) -> None:
        self.text = text
        if self._tqdm is not None:
            self._tqdm.set_description_str(text)
        else:
            print(f"  {text}", file=self.stream, flush=True)

    def _finish_bar(self) -> None:
        if self._tqdm is not None:
            self._tqdm.close()
            self._tqdm = None

    def close(self) -> None:
        self._finish_bar()


class FileProgress(Progress):
    """Writes `{"step", "done", "total", "at"}` to `path` (write a temporary file, then
    rename: a reader sees the old state or the new one, never half a file)."""

    INTERVAL = 0.5  # seconds between two writes while advancing

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text = ""
        self.total: int | None = None
        self.done = 0
        self._written = 0.0

    def step(self, text: str, total: int | None = None) -> None:
        self.text, self.total, self.done = text, total, 0
        self._write()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if time.monotonic() - self._written >= self.INTERVAL:
            self._write()

    def say(self, text: str) -> None:
        self.text = text
        self._write()

    def close(self) -> None:
        self._write()

    def _write(self) -> None:
        self._written = time.monotonic()
        state = {"step": self.text, "done": self.done, "total": self.total, "at": time.time()}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        temporary.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)


def read_state(path: Path) -> dict[str, Any] | None:
    """What a `FileProgress` last wrote, or None (not started, or already cleaned up)."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None
