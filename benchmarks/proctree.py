"""Memory of a whole process tree, sampled from /proc (Linux), for the benchmarks.

A build may spawn processes (Gongkai's worker processes, Pagefind's) that run at the same time as
it; `resource.getrusage` reports only the largest single process. Here the tree under one process
is found from the parent ids in /proc/*/stat at every sample, and the memory of all its processes
alive at that moment is added up:

- RSS (resident set size, /proc/PID/statm): what `ps` and `top` show. Pages shared between
  processes (a forked worker's copy-on-write pages, shared libraries) count once in every process
  that maps them, so the sum overstates a tree of forked workers.
- PSS (proportional set size, /proc/PID/smaps_rollup): each shared page divided among the
  processes that map it, so the sum is what the tree really holds. Reading it walks the page
  tables, so it is sampled only when asked for.

A process that leaves the tree (a detached child whose parent has exited) is no longer counted;
memory held for less than the sampling interval may be missed.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass

PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_pids(pid: int) -> list[int]:
    """``pid`` and all its descendants alive now."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class PeakSampler(threading.Thread):
    """Samples the tree under ``pid`` every ``interval`` seconds until ``stop`` is set, keeping
    the largest sum of RSS (and of PSS with ``pss=True``) and the most processes seen at once."""

    def __init__(self, pid: int, interval: float = 0.1, *, pss: bool = False) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.pss = pss
        self.peak_rss = 0
        self.peak_pss = 0
        self.most_processes = 0
        self.stop = threading.Event()

    def sample(self) -> None:
        pids = tree_pids(self.pid)
        self.most_processes = max(self.most_processes, len(pids))
        self.peak_rss = max(self.peak_rss, sum(_rss(p) for p in pids))
        if self.pss:
            self.peak_pss = max(self.peak_pss, sum(_pss(p) for p in pids))

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.interval)


@dataclass
class Measured:
    seconds: float  # wall time from starting the command to its exit
    peak_rss: int  # bytes: the largest sum of RSS over the command's process tree
    peak_pss: int  # bytes: the largest sum of PSS over it
    processes: int  # the most processes in the tree at one sample
    stdout: str
    stderr: str


def run_measured(command: list[str], *, interval: float = 0.1, **popen) -> Measured:
    """Run ``command`` in a child process, sampling its process tree's memory every ``interval``
    seconds; raise ``CalledProcessError`` (with its output) when it fails."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)
    sampler = PeakSampler(child.pid, interval, pss=True)
    sampler.start()
    stdout, stderr = child.communicate()
    seconds = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, command, stdout, stderr)
    return Measured(seconds, sampler.peak_rss, sampler.peak_pss, sampler.most_processes, stdout, stderr)
