"""Executors that map the per-article phase over batches: in-process, a local process pool, or Dask.

All three take an iterator of batches and yield results *in submission order*, with a bounded number of
batches in flight, so memory is bounded by the batch size and the window, not by the corpus, and the single
writer (the store) can record which input files are complete. Models are loaded once per worker process: the
loaders in ``wiredesk.nlp`` cache per process.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Generator, Iterable, Iterator
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


class Executor:
    """An engine opened once: ``map`` can be called for each phase of a run (the per-article batches, then the
    linking partitions) on the same worker processes or Dask cluster."""

    def __init__(self, engine: str = "local", workers: int | None = None, scheduler: str | None = None) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
        self.engine, self.workers, self.scheduler = engine, workers, scheduler
        self._pool: Any = None
        self._client: Any = None
        self._cluster: Any = None
        self.size = 1

    def __enter__(self) -> Executor:
        if self.engine == "processes":
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.size = self.workers or multiprocessing.cpu_count()
            # spawn, not fork: a forked child would inherit the parent's DuckDB handle and threads.
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(max_workers=self.size, mp_context=ctx,
                                             initializer=_one_thread_per_worker)
        elif self.engine == "dask":
            from distributed import Client, LocalCluster

            if self.scheduler:
                self._client = Client(self.scheduler)
            else:
                self._cluster = LocalCluster(n_workers=self.workers or 2, threads_per_worker=1, processes=True,
                                             dashboard_address=None)
                self._client = Client(self._cluster)
            self.size = max(1, len(self._client.scheduler_info().get("workers", {})) or (self.workers or 2))
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown()
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._pool = self._client = self._cluster = None

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any], window: int | None = None) -> Iterator[Any]:
        """Yield ``fn(item)`` for each item, in order, with at most ``window`` items in flight (default: two per
        worker, so a worker never waits for the next batch)."""
        if self.engine == "local":
            for item in items:
                yield fn(item)
            return
        window = window or 2 * self.size
        if self._pool is not None:
            yield from _windowed(lambda b: self._pool.submit(fn, b), lambda f: f.result(), items, window)
        elif self._client is not None:
            client = self._client

            def submit(item: Any) -> Any:
                # scattered first, as one piece: a payload passed to submit travels inside the task graph through
                # the scheduler (Dask warns from ~10 MB, e.g. a linking partition's mention records)
                return client.submit(fn, client.scatter([item], hash=False)[0], pure=False)

            yield from _windowed(submit, lambda f: f.result(), items, window)
        else:
            raise RuntimeError("Executor.map outside its 'with' block")


    def chains(self, chains: Iterable[Generator[list[Task], tuple[Any, Any], Any]],
               width: int | None = None) -> Iterator[None]:
        """Run chains of dependent tasks. A chain is a generator that yields lists of ready tasks, each
        ``(tag, fn, payload)``, and is sent ``(tag, fn(payload))`` as each of its tasks finishes, answering with
        the tasks that became ready (perhaps none); it ends (StopIteration) when nothing is left. So a task may
        depend on earlier results while the ready tasks of every chain run side by side, at most ``width`` in flight
        (default: one per worker). Chains start in the order given, the next one only when the running ones have
        no ready task for a free worker. Yields once for each chain that has finished (for a progress bar).

        The linking phase's time-window shuffle runs each PLOVER type as one chain (``engine.linking``)."""
        pending = iter(chains)
        ready: collections.deque = collections.deque()  # (chain, tag, fn, payload)
        outstanding: collections.Counter = collections.Counter()  # chain -> its tasks ready or in flight

        def feed(chain: Generator[Any, Any, Any], tasks: list[Task]) -> None:
            for tag, fn, payload in tasks:
                ready.append((chain, tag, fn, payload))
                outstanding[chain] += 1

        def begin() -> str:
            """Start the next chain: "started", "ended" (it had no task) or "none" (no chain left)."""
            chain = next(pending, None)
            if chain is None:
                return "none"
            try:
                feed(chain, next(chain))
            except StopIteration:
                return "ended"
            if not outstanding[chain]:
                raise RuntimeError("a chain yielded no task to start with and did not end")
            return "started"

        def settle(chain: Generator[Any, Any, Any], tag: Any, result: Any) -> bool:
            """Give a chain a finished task's result; True when the chain has ended."""
            outstanding[chain] -= 1
            try:
                feed(chain, chain.send((tag, result)))
            except StopIteration:
                del outstanding[chain]
                return True
            if not outstanding[chain]:
                raise RuntimeError("a chain waits for no task and did not end")
            return False

        if self.engine == "local":
            while True:
                if not ready:
                    started = begin()
                    if started == "none":
                        return
                    if started == "ended":
                        yield
                    continue
                chain, tag, fn, payload = ready.popleft()
                if settle(chain, tag, fn(payload)):
                    yield
        width = width or self.size
        if self._pool is not None:
            from concurrent.futures import FIRST_COMPLETED
            from concurrent.futures import wait as wait_any

            def submit(fn: Callable[[Any], Any], payload: Any) -> Any:
                return self._pool.submit(fn, payload)
        elif self._client is not None:
            from distributed import wait as wait_any

            client = self._client
            FIRST_COMPLETED = "FIRST_COMPLETED"  # noqa: N806 - distributed's spelling of the same constant

            def submit(fn: Callable[[Any], Any], payload: Any) -> Any:
                # A function marked ``large_payload`` (a batch of events with its mentions' records: megabytes)
                # has its payload scattered to a worker first, as ``map`` does; other chain tasks are small and
                # many (a window's slots and carry), and a scatter is a round trip each, so they go inline, boxed,
                # or Dask walks every list and tuple of the payload looking for futures in it.
                if getattr(fn, "large_payload", False):
                    return client.submit(fn, client.scatter([payload], hash=False)[0], pure=False)
                return client.submit(_unbox, fn, _Box(payload), pure=False)
        else:
            raise RuntimeError("Executor.chains outside its 'with' block")
        in_flight: dict[Any, tuple[Generator[Any, Any, Any], Any]] = {}
        exhausted = False
        while True:
            while len(in_flight) < width:
                if ready:
                    chain, tag, fn, payload = ready.popleft()
                    in_flight[submit(fn, payload)] = (chain, tag)
                elif exhausted:
                    break
                else:
                    started = begin()
                    exhausted = started == "none"
                    if started == "ended":
                        yield
            if not in_flight:
                return
            for future in wait_any(list(in_flight), return_when=FIRST_COMPLETED)[0]:
                chain, tag = in_flight.pop(future)
                if settle(chain, tag, future.result()):
                    yield


#: A task of a chain (``Executor.chains``): its tag, the function and its payload.
Task = tuple[Any, Callable[[Any], Any], Any]


class _Box:
    """A payload Dask ships as one object (it does not look inside)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _unbox(fn: Callable[[Any], Any], box: _Box) -> Any:
    return fn(box.value)


def map_batches(fn: Callable[[Any], Any], batches: Iterable[Any], engine: str = "local",
                workers: int | None = None, scheduler: str | None = None) -> Iterator[Any]:
    """Yield ``fn(batch)`` for each batch, in order, on the chosen engine (opened for this one map)."""
    with Executor(engine, workers, scheduler) as executor:
        yield from executor.map(fn, batches)
