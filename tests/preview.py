"""`gongkai serve` as the preview tests and the serve benchmark run it: a real server process on a
free port, and an edit of an entry's title as a clerk saves it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE_ENTRY_FILE = "catalog/fgw/entries/2024/00001.yaml"
SAMPLE_ENTRY_URL = "entries/11449950MB2C93029C/2024-00001/"

# Run in every document the browser opens: when the page is shown (the first frame after its DOM
# is ready), note the time on the wall clock the test shares with the browser.
SHOWN_AT = """
document.addEventListener("DOMContentLoaded", () => {
  requestAnimationFrame(() => { window.gongkaiShownAt = Date.now(); });
});
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(root: Path, *args: str, timeout: float = 300) -> Iterator[tuple[str, subprocess.Popen, float]]:
    """Run ``gongkai serve`` on ``root``; yields its URL, the process (its output in
    ``root/serve.log``) and the seconds it took to serve its first page."""
    port = free_port()
    log = open(root / "serve.log", "wb")  # noqa: SIM115 - open while the server runs
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(root), "-a", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(url, process, timeout)
        yield url, process, time.perf_counter() - start
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def wait_for(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gongkai serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers: with the error overlay
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"gongkai serve did not answer at {url} within {timeout} s")


def retitle(path: Path, title: str) -> float:
    """Give the entry file at ``path`` the title ``title`` as an editor saves it; returns the wall
    clock time (ms) when the file was saved."""
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
    assert count == 1, path
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return time.time() * 1000
