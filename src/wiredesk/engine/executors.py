"""Executors that map the per-article phase over batches: in-process, a local process pool, or Dask.

All three take an iterator of batches and yield results *in submission order*, with a bounded number of
batches in flight, so memory is bounded by the batch size and the window, not by the corpus, and the single
writer (the store) can record which input files are complete. Models are loaded once per worker process: the
loaders in ``wiredesk.nlp`` cache per process.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Iterable, Iterator
from typing import Any

ENGINES = ("local", "processes", "dask")


def _one_thread_per_worker() -> None:
    """Worker initializer: the engine's parallelism is one process per core, so BLAS/OpenMP pools inside each
    worker must be single-threaded; otherwise OpenBLAS threads spin against each other and a 2-worker pool runs
    slower than one process. (Dask's nanny sets the same limits for its workers.)"""
    import os

    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # threadpoolctl comes with scikit-learn; without it the env vars still apply to new pools
        pass


def _windowed(submit: Callable[[Any], Any], result: Callable[[Any], Any], items: Iterable[Any],
              window: int) -> Iterator[Any]:
    pending: collections.deque = collections.deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


def map_batches(fn: Callable[[Any], Any], batches: Iterable[Any], engine: str = "local",
                workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """Yield ``fn(batch)`` for each batch, in order, on the chosen engine."""
    if engine == "local":
        for batch in batches:
            yield fn(batch)
        return
    if engine == "processes":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        n = workers or multiprocessing.cpu_count()
        # spawn, not fork: a forked child would inherit the parent's DuckDB handle and threads.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=_one_thread_per_worker) as pool:
            yield from _windowed(lambda b: pool.submit(fn, b), lambda f: f.result(), batches, 2 * n)
        return
    if engine == "dask":
        from distributed import Client, LocalCluster

        cluster = None
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
        try:
            n = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 2))
            yield from _windowed(lambda b: client.submit(fn, b, pure=False), lambda f: f.result(), batches, 2 * n)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return
    raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
