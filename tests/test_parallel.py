"""Forked workers: results and errors come back, the one-off process exits as soon as it is done,
recycled workers are replaced by fresh forks, and the objects frozen for the forks are unfrozen in
this process."""

from __future__ import annotations

import gc
import os
import time

import pytest

from generator import parallel


def _pid_and_double(state, item):
    return os.getpid(), state * item


def _pid_and_frozen(state, item):
    return os.getpid(), gc.get_freeze_count(), state + item


def _fail(state, item):
    raise FileNotFoundError(2, "missing", state)


def _done(state, item):
    return {"written": state, "pid": os.getpid()}


def test_fork_map_runs_in_workers_and_leaves_nothing_frozen_here():
    results = list(parallel.fork_map(_pid_and_double, 3, range(6), 2, ordered=True))
    assert [value for _, value in results] == [0, 3, 6, 9, 12, 15]
    assert os.getpid() not in {pid for pid, _ in results}
    assert gc.get_freeze_count() == 0


def test_recycled_workers_are_new_forks_that_inherit_a_frozen_state():
    inherited = [object() for _ in range(1000)]  # noqa: F841 (exists at the forks)
    results, frozen_here = [], []
    for result in parallel.fork_map(_pid_and_frozen, 100, range(12), 2, ordered=True, recycle=3):
        results.append(result)
        frozen_here.append(gc.get_freeze_count())
    assert [value for _, _, value in results] == list(range(100, 112))
    pids = [pid for pid, _, _ in results]
    assert len(set(pids)) >= 4 and all(pids.count(pid) <= 3 for pid in pids)  # each did 3 at most
    assert all(count > 1000 for _, count, _ in results)  # the workers' collector leaves it alone
    assert all(count > 1000 for count in frozen_here)  # and so does this process's, meanwhile
    assert gc.get_freeze_count() == 0


def test_fork_call_returns_the_result_and_its_process_has_exited_before_it_is_asked_for():
    with parallel.fork_call(_done, "data/catalog.csv") as result:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(_children()) > 0:
            time.sleep(0.05)
        assert _children() == []  # exited: what it held is freed while the caller works on
        assert gc.get_freeze_count() == 0
        made = result()
    assert made["written"] == "data/catalog.csv" and made["pid"] != os.getpid()


def test_fork_call_raises_the_error_of_its_process():
    with parallel.fork_call(_fail, "data/catalog.xlsx") as result, pytest.raises(FileNotFoundError) as raised:
        result()
    assert raised.value.filename == "data/catalog.xlsx"


def _children() -> list[int]:
    import multiprocessing

    return [p.pid for p in multiprocessing.active_children()]


def _die_holding_the_result_queue() -> None:
    """In a pool worker: take the lock of the pool's result queue, as a worker sending a result
    does, and die holding it, as a worker killed at that moment does."""
    import signal
    import sys

    frame = sys._getframe()
    while "outqueue" not in frame.f_locals:  # multiprocessing.pool.worker(inqueue, outqueue, ...)
        frame = frame.f_back
    frame.f_locals["outqueue"]._wlock.acquire()
    os.kill(os.getpid(), signal.SIGKILL)


def test_closing_a_pool_that_a_dead_worker_left_locked_does_not_wait_for_ever(monkeypatch):
    """A worker killed while it held the lock of the pool's result queue leaves it locked, and
    Pool.terminate then waits for ever (a build that stopped on an error in its page workers hung
    so). Closing the pool waits a bounded time."""
    import multiprocessing

    monkeypatch.setattr(parallel, "CLOSE_WAIT", 2.0)
    pool = multiprocessing.get_context("fork").Pool(1)
    first = list(pool._pool)
    pool.apply_async(_die_holding_the_result_queue)
    deadline = time.monotonic() + 20
    while any(p.exitcode is None for p in first) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(p.exitcode is not None for p in first)
    start = time.monotonic()
    parallel._close(pool)
    assert time.monotonic() - start < 10
    for process in pool._pool:  # the worker that replaced the dead one, which terminate never reached
        process.kill()
