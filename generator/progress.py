"""What a long job is doing, on stderr: the stage, how far it is, how fast it goes, the time left.

On a terminal it is one line, rewritten in place at most a few times a second and cleared at the
end; elsewhere (a CI log) each stage that took a while leaves one plain line when it ends. Where
nobody reads it (tests, other programs), nothing is printed: ``GONGKAI_PROGRESS`` is ``auto`` (the
default: a line on a terminal, plain lines when ``CI`` is set, else nothing), ``live``, ``plain``
or ``off``.

The job sets the reporter once (:func:`reporting`); the stages, wherever they run in this process,
report to :func:`current`. Forked workers inherit it but never report: their results are counted by
the process that collects them.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

REFRESH = 0.2  # seconds between two updates of the live line
PLAIN_AFTER = 1.0  # a stage shorter than this leaves no plain line


@dataclass
class Stage:
    label: str
    total: int | None
    unit: str
    started: float = field(default_factory=time.monotonic)
    done: int = 0

    def line(self, now: float) -> str:
        elapsed = now - self.started
        text = f"{self.label}"
        if self.total:
            text += f" {self.done:,}/{self.total:,} {self.unit}"
        elif self.done:
            text += f" {self.done:,} {self.unit}"
        if self.done and elapsed >= 0.5:
            rate = self.done / elapsed
            text += f"，{rate:,.0f} {self.unit}/秒"
            if self.total and self.done < self.total:
                text += f"，约剩 {_duration((self.total - self.done) / rate)}"
        return text + f"（{_duration(elapsed)}）"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} 秒" if seconds >= 10 else f"{seconds:.1f} 秒"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} 分 {rest:02d} 秒"


class Progress:
    """Reports stages to ``stream``: ``mode`` is ``live`` (one line rewritten in place),
    ``plain`` (a line when a stage ends) or ``off``."""

    def __init__(self, mode: str = "off", stream: TextIO | None = None) -> None:
        self.mode = mode
        self.stream = stream if stream is not None else sys.stderr
        self._stages: list[Stage] = []
        self._lock = threading.Lock()
        self._shown = 0.0
        self._width = 0

    @contextmanager
    def stage(self, label: str, total: int | None = None, unit: str = "") -> Iterator[Stage]:
        """A stage of the job (stages may overlap, from several threads); ``advance`` it as it goes."""
        current = Stage(label, total, unit)
        with self._lock:
            self._stages.append(current)
            self._draw(force=True)
        try:
            yield current
        finally:
            with self._lock:
                self._stages.remove(current)
                now = time.monotonic()
                if self.mode == "plain" and now - current.started >= PLAIN_AFTER:
                    self.stream.write(current.line(now) + "\n")
                    self.stream.flush()
                self._draw(force=True)

    def advance(self, stage: Stage, count: int = 1) -> None:
        with self._lock:
            stage.done += count
            self._draw()

    def clear(self) -> None:
        """Remove the live line (before other output, and at the end of the job)."""
        with self._lock:
            if self.mode == "live" and self._width:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self._width = 0

    def _draw(self, *, force: bool = False) -> None:
        if self.mode != "live":
            return
        now = time.monotonic()
        if not force and now - self._shown < REFRESH:
            return
        self._shown = now
        text = " · ".join(stage.line(now) for stage in self._stages)
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
        self._width = len(text)


_NONE = Progress("off")
_current = _NONE


def silence() -> None:
    """Report nothing from this process (a forked worker)."""
    global _current
    _current = _NONE


def current() -> Progress:
    """The reporter of the job this process runs (one that prints nothing when there is none)."""
    return _current


def mode_for(stream: TextIO) -> str:
    """The mode ``GONGKAI_PROGRESS`` asks for (``auto``: see the module's description)."""
    wanted = os.environ.get("GONGKAI_PROGRESS", "auto").strip().lower()
    if wanted in ("live", "plain", "off"):
        return wanted
    if stream.isatty():
        return "live"
    return "plain" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "off"


@contextmanager
def reporting(stream: TextIO | None = None) -> Iterator[Progress]:
    """Report the stages of the job run inside to ``stream`` (stderr) in the mode for it."""
    global _current
    stream = stream if stream is not None else sys.stderr
    progress = Progress(mode_for(stream), stream)
    saved, _current = _current, progress
    try:
        yield progress
    finally:
        progress.clear()
        _current = saved


@contextmanager
def stage(label: str, total: int | None = None, unit: str = "") -> Iterator[Stage]:
    """A stage of the current job (see :meth:`Progress.stage`)."""
    with _current.stage(label, total, unit) as current_stage:
        yield current_stage


def advance(stage_: Stage, count: int = 1) -> None:
    _current.advance(stage_, count)


class Steps:
    """Stages one after another, for code that reports as it goes rather than in ``with`` blocks
    (an import reads, then checks, then writes): ``stage`` ends the previous one."""

    def __init__(self, unit: str = "") -> None:
        self.unit = unit
        self._open: contextlib.AbstractContextManager[Stage] | None = None
        self._stage: Stage | None = None

    def stage(self, label: str, total: int | None = None) -> None:
        self.finish()
        self._open = _current.stage(label, total, self.unit)
        self._stage = self._open.__enter__()

    def advance(self, count: int = 1) -> None:
        if self._stage is not None:
            _current.advance(self._stage, count)

    def finish(self) -> None:
        if self._open is not None:
            self._open.__exit__(None, None, None)
            self._open = self._stage = None
