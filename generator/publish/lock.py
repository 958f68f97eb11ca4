"""One build of a project at a time: an exclusive ``flock`` on ``.gongkai-cache/build.lock``.

Two builds of the same project would interleave their staging, commit journal and caches. The
second build waits for the first (or, asked not to wait, stops with a message). The kernel releases
the lock when the process holding it exits, however it exits, so a lock left by a killed build is
never in the way: there is no stale lock file to detect or clear. The file holds the holder's
process id, for the message only.

``gongkai build`` takes the lock and then runs the engine, whose plugin takes it again: a process
that holds the lock takes it again at once (the holds are counted). Forked workers close their
inherited copy of the descriptor, so a worker outliving a killed build does not keep the lock.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.cache import CACHE_DIRNAME
from generator.errors import GongkaiError

LOCK_NAME = "build.lock"

# Lock file path -> [descriptor, holds] of the locks this process holds.
_HELD: dict[str, list[int]] = {}


def _close_inherited() -> None:
    for fd, _ in _HELD.values():
        os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_close_inherited)


class BuildLocked(GongkaiError):
    """Another build holds the project's lock and the caller asked not to wait."""


def acquire(root: Path, *, wait: bool = True, notice: Callable[[str], None] | None = None) -> Path | None:
    """Take the project's build lock, waiting for another build to finish when ``wait``; returns
    the lock's path, to :func:`release` it, or None in a read-only project (which builds without a
    cache, and so without a lock, into a site directory elsewhere)."""
    folder = root / CACHE_DIRNAME
    path = folder / LOCK_NAME
    held = _HELD.get(str(path))
    if held is not None:
        held[1] += 1
        return path
    try:
        folder.mkdir(exist_ok=True)
        if not (folder / ".gitignore").exists():
            (folder / ".gitignore").write_text("*\n", encoding="utf-8")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return None
        raise
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            if not wait:
                raise BuildLocked(
                    f"另一个构建（进程 {holder}）正在生成这个项目的网站：请等它结束后再运行，"
                    "或去掉 --no-wait，让这次构建排队等待"
                ) from None
            if notice is not None:
                notice(f"另一个构建（进程 {holder}）正在生成这个项目的网站，等它结束后开始……")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
    except BaseException:
        os.close(fd)
        raise
    _HELD[str(path)] = [fd, 1]
    return path


def release(path: Path | None) -> None:
    """Give back one hold of the lock at ``path``; the last one unlocks it."""
    held = _HELD.get(str(path)) if path is not None else None
    if held is None:
        return
    held[1] -= 1
    if held[1] == 0:
        del _HELD[str(path)]
        os.close(held[0])  # closing the only descriptor releases the flock


@contextmanager
def build_lock(
    root: Path, *, wait: bool = True, notice: Callable[[str], None] | None = None
) -> Iterator[None]:
    path = acquire(root, wait=wait, notice=notice)
    try:
        yield
    finally:
        release(path)
