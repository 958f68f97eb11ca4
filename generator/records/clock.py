"""The build's "now", which is never the wall clock, so that the same commit builds the same site.

In order: ``SOURCE_DATE_EPOCH`` when it is set (the reproducible-builds convention), else the date
of the project's last git commit, else the newest date in the records. Whichever it is, it is never
earlier than the newest record: a build cannot predate what it publishes, and
``SOURCE_DATE_EPOCH=0`` (which some tools set as a mere placeholder) must not turn every annual
report into one for a year that has not ended yet.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from generator.errors import ProjectError

EPOCH = date(1970, 1, 1)


@dataclass(frozen=True)
class Now:
    seconds: int  # since the Unix epoch, UTC
    source: str  # "SOURCE_DATE_EPOCH", "git" or "records"

    @property
    def date(self) -> date:
        return datetime.fromtimestamp(self.seconds, UTC).date()

    @property
    def datetime(self) -> datetime:
        return datetime.fromtimestamp(self.seconds, UTC)


def _from_environment() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ProjectError(
            f"环境变量 SOURCE_DATE_EPOCH 应为非负整数（自 1970-01-01 UTC 起的秒数），实为 {value!r}"
        )
    return int(value)


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    """The output of ``git -C root ARGS``; None when git is missing or the command fails."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args], input=stdin, capture_output=True, timeout=600, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def git_head(root: Path) -> str:
    """The commit ``root``'s repository stands on ("" outside git)."""
    head = git(root, "rev-parse", "HEAD")
    return head.decode().strip() if head is not None else ""


def last_commit_time(root: Path) -> int | None:
    """The committer time of the last commit of the repository holding ``root``, if there is one."""
    out = git(root, "log", "-1", "--format=%ct")
    text = out.decode().strip() if out is not None else ""
    return int(text) if text.isdigit() else None


def seconds_of(day: date) -> int:
    return (day - EPOCH).days * 86400


def build_now(root: Path, newest_record: date | None) -> Now:
    """The build's now for the project at ``root`` whose newest record is dated ``newest_record``."""
    floor = seconds_of(newest_record) if newest_record is not None else 0
    seconds = _from_environment()
    source = "SOURCE_DATE_EPOCH"
    if seconds is None:
        seconds, source = last_commit_time(root), "git"
    if seconds is None:
        seconds, source = floor, "records"
    return Now(max(seconds, floor), source)
