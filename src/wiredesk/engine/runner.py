"""``run``: ingest files, run the per-article phase in batches, store them, then link the corpus.

Resumable by construction: a batch and the input files it completes are committed together, completed files are
skipped on the next run when their content is unchanged, articles are keyed by content hash, and linking is a
deterministic function of the stored mentions. Kill it anywhere and run it again: same store as an
uninterrupted run.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from wiredesk.engine.executors import Executor
from wiredesk.engine.linking import SHUFFLES, LinkReport, link_partition, link_store  # noqa: F401 - re-exported
from wiredesk.engine.sources import Source, expand, fingerprint_file
from wiredesk.model import Article, IngestError
from wiredesk.settings import RUN
from wiredesk.store import DEFAULT_DB, Store, StoreWriteError
from wiredesk.store.duck import WRITER_MEMORY_LIMIT

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What a run did, for the CLI and the run record."""

    run_id: str = ""
    files: int = 0
    files_skipped: int = 0
    articles_read: int = 0
    articles_new: int = 0
    mentions: int = 0
    events: int = 0
    #: Mentions linked into clusters too thin to be events (a party missing; kept as mentions, see docs/linking.md).
    mentions_unpromoted: int = 0
    stories: int = 0
    errors: list[IngestError] = field(default_factory=list)
    seconds: float = 0.0
    link_seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["errors"] = [e.to_dict() for e in self.errors]
        return d


# A stage that failed because the machine ran out of disk or memory did not fail on the article: storing the article
# with that stage's error would keep it degraded for good (a later run skips stored articles), so the run stops.
_RESOURCE_FAULT = re.compile(r"\[Errno (%d|%d|%d)\]|MemoryError" % (errno.ENOSPC, errno.EFBIG, errno.EDQUOT))


def _resource_fault(reasons: list[str]) -> str | None:
    return next((r for r in reasons if _RESOURCE_FAULT.search(r)), None)


@dataclass
class _Batch:
    articles: list[Article]
    errors: list[IngestError]
    completed: list[dict[str, Any]]  # sources completed once this batch is stored


def analyse_batch(articles: list[Article]) -> tuple[list[Article], dict[str, dict[str, Any]]]:
    """The unit of work shipped to executors: the per-article phase plus linking features."""
    from wiredesk.pipeline import batch_link_features, process_batch

    done = process_batch(articles)
    return done, batch_link_features(done)


@dataclass
class BatchRows:
    """What a worker sends the writer for a batch: the store's rows as text, and what the run report needs.

    Why rows and not the analysed articles: the writer unpickled every article object (offset maps, spans,
    mentions; ~90 ms per 64 synthetic articles) only to turn it back into the same rows (~60 ms), all in the one
    process that also reads the input and writes the store. Rows pickle for next to nothing, and the work moves to
    the workers, where it runs in parallel."""

    articles: list[list[Any]]
    mentions: list[list[Any]]
    stage_errors: list[tuple[str, str]]  # (path, error) of stages that failed on an article


def analyse_batch_to_rows(payload: tuple[list[Article], str]) -> BatchRows:
    """``analyse_batch``, then the rows ``Store.write_batch`` would build (``wiredesk.store.rows``)."""
    from wiredesk.store.rows import batch_rows, stage_errors

    articles, run_id = payload
    done, extras = analyse_batch(articles)
    return BatchRows(*batch_rows(done, extras, run_id), stage_errors(done))


def analyse_batch_to_parts(payload: tuple[list[Article], str, str]) -> Any:
    """``analyse_batch`` for a run with a results directory: the worker writes the batch there as Parquet and
    returns only a receipt (``wiredesk.engine.results``)."""
    from wiredesk.engine.results import write_parts

    articles, directory, run_id = payload
    done, extras = analyse_batch(articles)
    return write_parts(directory, done, extras, run_id)


def _read_source(src: Source, options: Any) -> Iterator[Article | IngestError]:
    from wiredesk import ingest

    if src.path == "-":
        data = sys.stdin.buffer.read()
        yield from ingest.read_bytes(data, "stdin", options)
    else:
        yield from ingest.iter_articles([src.path], options)


def _batches(sources: list[Source], store: Store, options: Any, batch_size: int,
             report: RunReport, on_source: Callable[[Source], None]) -> Iterator[_Batch]:
    articles: list[Article] = []
    errors: list[IngestError] = []
    completed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for src in sources:
        n_articles = n_errors = 0
        try:
            for item in _read_source(src, options):
                if isinstance(item, IngestError):
                    errors.append(item)
                    n_errors += 1
                    continue
                n_articles += 1
                report.articles_read += 1
                if item.id in seen:
                    continue  # the same article from another file: one article
                seen.add(item.id)
                articles.append(item)
                if len(articles) >= batch_size:
                    yield _Batch(_unstored(store, articles), errors, completed)
                    articles, errors, completed = [], [], []
        except Exception as exc:  # noqa: BLE001 - a reader bug on one file must not end the run
            errors.append(IngestError(path=src.path, reason=f"reader failed: {type(exc).__name__}: {exc}"))
            n_errors += 1
        completed.append({"path": src.path, "sha256": src.sha256 or "", "size": src.size,
                          "articles": n_articles, "errors": n_errors})
        on_source(src)
    if articles or errors or completed:
        yield _Batch(_unstored(store, articles), errors, completed)


def _unstored(store: Store, articles: list[Article]) -> list[Article]:
    """Drop articles an earlier (possibly killed) run already stored: they are done."""
    known = store.known_articles([a.id for a in articles])
    return [a for a in articles if a.id not in known]


def run(paths: list[str], db: str = DEFAULT_DB, *, engine: str = "local", workers: int | None = None,
        scheduler: str | None = None, batch_size: int | None = None, ingest_options: Any = None,
        progress: Callable[[str, int, int], None] | None = None, results_dir: str | None = None,
        link_shuffle: str = "window", link_window_days: int | None = None) -> RunReport:
    """Run the whole job on ``paths`` into the store at ``db``.

    ``progress(stage, done, total)`` is called as files complete and as linking steps end. With ``results_dir``
    workers write their batches there as Parquet and the store loads them from it; the linked tables are written
    there too at the end (``wiredesk.engine.results``: for workers on other machines). ``link_shuffle`` and
    ``link_window_days``: how linking is spread over the engine (``engine.linking.link_store``; same events).
    """
    if link_shuffle not in SHUFFLES:  # before any work: the per-article phase may take hours
        raise ValueError(f"unknown link shuffle {link_shuffle!r}; choose one of {', '.join(SHUFFLES)}")
    t0 = time.perf_counter()
    report = RunReport()
    tick = progress or (lambda stage, done, total: None)
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(Store(db, memory_limit=WRITER_MEMORY_LIMIT))
        report.run_id = store.begin_run({"paths": list(paths), "engine": engine, "workers": workers,
                                         "results_dir": results_dir, "link_shuffle": link_shuffle})
        status = "failed"
        try:
            if results_dir:
                from wiredesk.engine import results

                settled = results.settle(results_dir, store.known_articles)
                if any(settled.values()):
                    log.info("results directory %s: a killed run's parts settled: %s", results_dir, settled)
            sources = [fingerprint_file(s) for s in expand(list(paths))]
            done_before = store.done_sources()
            todo: list[Source] = []
            for src in sources:
                if src.error:
                    report.errors.append(IngestError(path=src.path, reason=src.error))
                elif src.sha256 and done_before.get(src.path) == src.sha256:
                    report.files_skipped += 1
                else:
                    todo.append(src)
            report.files = len(sources)
            if report.errors:
                store.write_batch([], report.errors, [], report.run_id)
            finished = [report.files_skipped]

            def on_source(src: Source) -> None:
                finished[0] += 1
                tick("articles", finished[0], len(sources))

            tick("articles", finished[0], len(sources))
            batches = _batches(todo, store, ingest_options, batch_size or RUN.batch_size, report, on_source)
            # The generator reads files lazily; executors pull batches as workers free up.
            payloads = ((b, b.articles) for b in batches)
            pending_meta: list[_Batch] = []

            def feed() -> Iterator[Any]:
                for meta, arts in payloads:
                    pending_meta.append(meta)
                    yield (arts, results_dir, report.run_id) if results_dir else (arts, report.run_id)

            executor = stack.enter_context(Executor(engine, workers, scheduler))
            for result in executor.map(analyse_batch_to_parts if results_dir else analyse_batch_to_rows, feed()):
                meta = pending_meta.pop(0)
                if results_dir:
                    n_articles, n_mentions = len(result.article_ids), result.mentions
                else:
                    n_articles, n_mentions = len(result.articles), len(result.mentions)
                stage_errors = [IngestError(path=path, reason=e, stage=e.split(" ", 1)[0])
                                for path, e in result.stage_errors]
                fault = _resource_fault([e.reason for e in stage_errors])
                if fault:
                    raise StoreWriteError(
                        f"run stopped: the machine is out of resources ({fault}); this batch was not stored and "
                        "work committed earlier is intact: free disk space (or memory) and run again to resume.")
                if results_dir:
                    store.write_batch_parts(result.parts, meta.errors + stage_errors, meta.completed, report.run_id)
                    results.publish(result)  # only now: the store holds the batch
                else:
                    store.write_batch_rows(result.articles, result.mentions, meta.errors + stage_errors,
                                           meta.completed, report.run_id)
                report.errors += meta.errors + stage_errors
                report.articles_new += n_articles
                report.mentions += n_mentions
            t_link = time.perf_counter()
            linked = link_store(store, executor, progress=lambda done, total: tick("link", done, total),
                                shuffle=link_shuffle, days=link_window_days)
            report.mentions_unpromoted = linked.mentions_unpromoted
            report.link_seconds = time.perf_counter() - t_link
            if results_dir:
                results.finish(results_dir, store)
            counts = store.counts()
            report.events, report.stories = counts["events"], counts["stories"]
            status = "done"
        finally:
            report.seconds = time.perf_counter() - t0
            store.finish_run(report.run_id, status, {k: v for k, v in report.to_dict().items() if k != "errors"}
                             | {"errors": len(report.errors)})
    return report
