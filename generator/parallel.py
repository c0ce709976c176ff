"""Run a function over items in forked worker processes, one per CPU, results in order.

Forked workers inherit what the caller has loaded (articles, configuration), the function and
the items instead of receiving them pickled; only an index and each result cross the process
boundary. Where fork is missing, or there is one item, the items run in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def cpus() -> int:
    """CPUs this process may run on (the affinity mask in a container, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def fork_map(fn: Callable[[T], R], items: Sequence[T], workers: int | None = None) -> list[R]:
    """[fn(item) for item in items], spread over up to `workers` (default: cpus()) processes.

    `fn` may be a closure: workers inherit it with the items and are sent only an index."""
    count = min(workers or cpus(), len(items))
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [fn(item) for item in items]
    _inherited[:] = [fn, items]
    try:
        with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(_call, range(len(items))))
    finally:
        _inherited.clear()


def fork_map_each(fn: Callable[[T], R], items: Sequence[T], min_chunk: int) -> list[R]:
    """[fn(item) for item in items], fork_map'ed in chunks of at least `min_chunk` items (about
    four chunks per CPU, so no worker is left with a long last one): a few items stay here."""
    step = max(min_chunk, -(-len(items) // (cpus() * 4)))
    chunks = [items[i : i + step] for i in range(0, len(items), step)]
    done = fork_map(lambda chunk: [fn(item) for item in chunk], chunks)
    return [result for chunk in done for result in chunk]


_inherited: list[Any] = []  # [fn, items] while fork_map runs; workers fork after it is set


def _call(index: int) -> Any:
    fn, items = _inherited
    return fn(items[index])
