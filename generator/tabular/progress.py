"""A progress line for long imports and exports, on standard error.

On a terminal it is one line rewritten in place (stage, rows done of all, rows a second, time
left); elsewhere (CI, a log file) a plain line at the start of each stage and at every quarter.
Small jobs print nothing.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

SHOW_FROM = 2000  # rows: below this a job is over before a line would help
REDRAW_SECONDS = 0.2


class Progress:
    def __init__(self, stream: TextIO | None = None, *, tty: bool | None = None) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None and stream is not None else bool(tty)
        self.name, self.total, self.done = "", 0, 0
        self.started = self.drawn = 0.0
        self.quarter = 0

    @classmethod
    def on_stderr(cls) -> Progress:
        return cls(sys.stderr)

    def stage(self, name: str, total: int | None) -> None:
        self.finish()
        self.name, self.total, self.done = name, total or 0, 0
        self.started = self.drawn = time.monotonic()
        self.quarter = 0
        if self._shown() and not self.tty:
            self._write(f"{name}：共 {self.total:,} 行\n")

    def advance(self, rows: int = 1) -> None:
        self.done += rows
        if not self._shown():
            return
        now = time.monotonic()
        if self.tty and now - self.drawn >= REDRAW_SECONDS:
            self.drawn = now
            self._write("\r" + self.line(now) + "\x1b[K")
        elif not self.tty and self.done * 4 >= (self.quarter + 1) * self.total and self.quarter < 3:
            self.quarter = self.done * 4 // self.total
            self._write(self.line(now) + "\n")

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        text = f"{self.name}：{self.done:,}/{self.total:,} 行，每秒 {rate:,.0f} 行"
        if 0 < self.done < self.total:
            text += f"，约剩 {max(self.total - self.done, 0) / rate:,.0f} 秒"
        return text

    def finish(self) -> None:
        if self.name and self._shown() and self.tty:
            self._write("\r" + self.line(time.monotonic()) + "\x1b[K\n")
        self.name = ""

    def _shown(self) -> bool:
        return self.stream is not None and self.total >= SHOW_FROM

    def _write(self, text: str) -> None:
        assert self.stream is not None
        self.stream.write(text)
        self.stream.flush()
