"""Work in forked worker processes that inherit their state instead of receiving it pickled.

A build's state (the records of 100,000 entries, the site plan, the page shell) takes seconds to
pickle and gigabytes to copy; a forked worker shares the parent's memory until it writes to it. So
the state is handed over by the fork itself: it is registered here before the workers are started,
and each batch is sent with the number of its state. Functions receive the state as an argument,
never through a module global of their own.

Workers are forked (``fork`` start method): start them before any other thread of this process
runs, or make sure no such thread holds a lock (a forked process inherits locks as they are, held
by a thread it does not have).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
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
    generator.progress)."""
    progress.silence()


def _call(task: tuple[int, Any]) -> Any:
    number, item = task
    function, state = _STATES[number]
    return function(state, item)


def fork_map(
    function: Callable[[S, T], R], state: S, items: Iterable[T], processes: int, *, ordered: bool = False
) -> Iterator[R]:
    """``function(state, item)`` for each of ``items`` in ``processes`` forked workers; the results
    as they come (in the items' order with ``ordered``)."""
    # The state is registered before the pool forks its workers.
    context = multiprocessing.get_context("fork")
    with _registered(function, state) as number, context.Pool(processes, _worker_start) as pool:
        tasks = ((number, item) for item in items)
        yield from (pool.imap if ordered else pool.imap_unordered)(_call, tasks)


@contextmanager
def fork_call(function: Callable[[S, None], R], state: S) -> Iterator[Callable[[], R]]:
    """Run ``function(state, None)`` in one forked process beside this one; yields a function that
    waits for its result."""
    context = multiprocessing.get_context("fork")
    with _registered(function, state) as number, context.Pool(1, _worker_start) as pool:
        pending = pool.apply_async(_call, ((number, None),))
        yield pending.get
