"""Removing a large directory tree without waiting for it."""

from __future__ import annotations

import subprocess
import sys
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
