"""Removing a large directory tree without waiting for it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

_REMOVE = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def remove_detached(path: Path) -> None:
    """Remove ``path`` in a detached process, which outlives this one if need be. Deleting
    100,000 files takes seconds that the build need not wait for; whoever leaves such a tree also
    removes, at its next start, whatever the process did not."""
    subprocess.Popen(
        [sys.executable, "-c", _REMOVE, str(path)],
        start_new_session=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def remove_in_thread(path: Path, aside: Path) -> None:
    """Rename ``path`` to ``aside`` and remove it in a thread of this process. For a process that
    goes on after its build (the preview of ``gongkai serve``): removing the hundreds of emptied
    directories of a committed staging directory took about half a second on a busy disk, before
    the browsers could reload. The path is free again at once; a tree the thread did not finish
    is removed by the next build that cleans its stale directories."""
    try:
        path.rename(aside)
    except OSError:
        shutil.rmtree(path, ignore_errors=True)
        return
    threading.Thread(target=shutil.rmtree, args=(aside,), kwargs={"ignore_errors": True}, daemon=True).start()
