"""Work in forked worker processes that inherit their state instead of receiving it pickled.

A build's state (the records of 100,000 entries, the site plan, the page shell) takes seconds to
pickle and gigabytes to copy; a forked worker shares the parent's memory until it writes to it. So
the state is handed over by the fork itself: it is registered here before the workers are started,
and each batch is sent with the number of its state. Functions receive the state as an argument,
never through a module global of their own.

Workers are forked (``fork`` start method): start them before any other thread of this process
runs, or make sure no such thread holds a lock (a forked process inherits locks as they are, held
by a thread it does not have).

"Shares until it writes" holds for the state only if the worker does not write to it by itself
reading: Python's cycle collector writes into the header of every object it examines, so a worker's
full collection would copy every page of the inherited state (at 1,000,000 entries each worker
grew to the parent's 6 GB). The objects that exist when the workers are forked are therefore
frozen (``gc.freeze``: the workers' collector leaves them alone), in this process while it forks
and in each worker as it starts.

Reading still writes: every object a worker uses has its reference count changed, so the page
holding it is copied, and a long-lived worker ends up with a private copy of most of what it
inherited (at 100,000 entries, 60% of the parent's memory in each page worker). ``fork_map`` with
``recycle`` replaces each worker after that many items by a fresh fork, which shares everything
again; this process stays frozen until the pool is closed, so the new forks inherit a frozen state
and this process's own collector does not copy the pages it shares with them.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

from generator import progress

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_STATES: dict[int, tuple[Callable, Any]] = {}  # state number -> (function, state), inherited by the fork
_NUMBERS = itertools.count()


def workers(jobs: int | None) -> int:
    """How many worker processes ``jobs`` asks for (None: one per CPU)."""
    return jobs if jobs is not None else (os.cpu_count() or 1)


def batches(items: list[T], size: int) -> list[list[T]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


@contextmanager
def _registered(function: Callable, state: Any) -> Iterator[int]:
    number = next(_NUMBERS)
    _STATES[number] = (function, state)
    try:
        yield number
    finally:
        del _STATES[number]


def _worker_start() -> None:
    """A worker never reports progress: the process that collects its results counts them (see
    generator.progress). What it inherited is frozen for its collector (see above)."""
    gc.freeze()
    progress.silence()


# How long closing a pool may take before this process goes on without it (see _close).
CLOSE_WAIT = 30.0


def _close(pool) -> None:
    """``pool.terminate()``, waited for at most :data:`CLOSE_WAIT` seconds. Terminating kills the
    workers (SIGTERM), then joins the pool's threads; a worker killed while it held the lock of the
    pool's result queue (it was sending a result) leaves it locked for ever, and CPython's pool then
    waits on it for ever, in its task handler or in this thread, and a build that stopped on an
    error with it. The pool is then left to a daemon thread and the process's end. (A worker that
    leaves by an exception instead, to release the lock, can miss the signal while it waits on the
    task queue's lock, and then it is the worker that never ends.)"""
    closer = threading.Thread(target=pool.terminate, name="close pool", daemon=True)
    closer.start()
    closer.join(CLOSE_WAIT)


def _call(task: tuple[int, Any]) -> Any:
    number, item = task
    function, state = _STATES[number]
    return function(state, item)


def fork_map(
    function: Callable[[S, T], R],
    state: S,
    items: Iterable[T],
    processes: int,
    *,
    ordered: bool = False,
    recycle: int | None = None,
) -> Iterator[R]:
    """``function(state, item)`` for each of ``items`` in ``processes`` forked workers; the results
    as they come (in the items' order with ``ordered``). With ``recycle``, a worker is replaced by
    a new fork after that many items (see the module's description)."""
    # The state is registered before the pool forks its workers, all of them as it is made.
    context = multiprocessing.get_context("fork")
    with _registered(function, state) as number:
        if recycle is None:
            pool = _forking(lambda: context.Pool(processes, _worker_start))
        else:
            gc.freeze()  # until the pool is closed: its workers are forked as they are replaced
            pool = context.Pool(processes, _worker_start, maxtasksperchild=recycle)
        try:
            tasks = ((number, item) for item in items)
            yield from (pool.imap if ordered else pool.imap_unordered)(_call, tasks)
        finally:
            _close(pool)
            if recycle is not None:
                gc.unfreeze()


@contextmanager
def fork_call(function: Callable[[S, None], R], state: S) -> Iterator[Callable[[], R]]:
    """Run ``function(state, None)`` in one forked process beside this one; yields a function that
    waits for its result. The process sends its result as soon as it has it (a thread of this
    process receives it) and exits, so what it made and what it copied of this process's memory
    are freed then, not when the caller asks for the result."""
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    received: list[tuple[bool, Any]] = []
    with _registered(function, state) as number:
        process = context.Process(target=_send_call, args=(writer, number), daemon=True)
        _forking(process.start)
        writer.close()
        receiver = threading.Thread(target=_receive, args=(reader, received), daemon=True)
        receiver.start()

        def result() -> R:
            receiver.join()
            process.join()
            if not received:
                raise RuntimeError(
                    f"the forked process ended without a result (exit code {process.exitcode})"
                )
            ok, value = received[0]
            if not ok:
                raise value
            return value

        try:
            yield result
        finally:
            if process.is_alive():
                process.terminate()
            process.join()
            receiver.join()
            reader.close()


def _forking(start: Callable[[], R]) -> R:
    """``start()``, which forks, with the objects that exist now frozen for the cycle collector
    (see the module's description); they are unfrozen here once it has returned."""
    gc.freeze()
    try:
        return start()
    finally:
        gc.unfreeze()


def _send_call(writer, number: int) -> None:
    _worker_start()
    try:
        outcome: tuple[bool, Any] = (True, _call((number, None)))
    except BaseException as exc:  # sent to the caller, which raises it
        outcome = (False, exc)
    try:
        writer.send(outcome)
    except Exception as exc:  # an exception or result that cannot be pickled
        writer.send((False, RuntimeError(f"the forked process's result could not be sent: {exc!r}")))
    writer.close()


def _receive(reader, received: list) -> None:
    with suppress(EOFError):  # the process ended without sending
        received.append(reader.recv())
