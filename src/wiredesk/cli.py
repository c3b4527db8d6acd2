"""The `wiredesk` command: parses arguments, makes one library call, formats the output."""

from __future__ import annotations

import importlib
import json
import sys
import time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from wiredesk.store import DEFAULT_DB, EventFilter, Store, StoreError

app = typer.Typer(help="wiredesk: news articles in, one verified PLOVER event record per real event out.",
                  no_args_is_help=True, add_completion=False)
eval_app = typer.Typer(help="Score wiredesk on public benchmarks (TimeML, PLOVER, ECB+, event locations).",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")

out = Console()
err = Console(stderr=True)

DbOption = Annotated[str, typer.Option("--db", help="DuckDB store file.")]


class Format(str, Enum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


def _open(db: str, read_only: bool = True) -> Store:
    try:
        return Store(db, read_only=read_only)
    except StoreError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _ingest_options(text_col, title_col, date_col, url_col, source_col):
    from wiredesk.ingest import IngestOptions

    given = {k: v for k, v in {"text_col": text_col, "title_col": title_col, "date_col": date_col,
                               "url_col": url_col, "source_col": source_col}.items() if v}
    return IngestOptions(**given)


@app.command()
def run(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), globs, or - for stdin.")],
    db: DbOption = DEFAULT_DB,
    engine: Annotated[str, typer.Option(help="local | processes | dask")] = "local",
    workers: Annotated[Optional[int], typer.Option(help="Worker processes (processes, dask).")] = None,
    scheduler: Annotated[Optional[str], typer.Option(help="Dask scheduler address (else a local cluster).")] = None,
    batch_size: Annotated[Optional[int], typer.Option(help="Articles per batch (one spaCy pass, one commit).")] = None,
    results_dir: Annotated[Optional[str], typer.Option(
        help="Workers write each analysed batch here as Parquet and the store loads it from there; the linked "
             "tables follow at the end. A directory every worker and this machine reach (workers on other "
             "machines); one per store.")] = None,
    text_col: Annotated[Optional[str], typer.Option(help="Text column in JSONL/CSV/Parquet input.")] = None,
    title_col: Annotated[Optional[str], typer.Option(help="Title column.")] = None,
    date_col: Annotated[Optional[str], typer.Option(help="Publication date column.")] = None,
    url_col: Annotated[Optional[str], typer.Option(help="URL column.")] = None,
    source_col: Annotated[Optional[str], typer.Option(help="Outlet/source column.")] = None,
    link_shuffle: Annotated[str, typer.Option(
        help="How linking is spread over the workers: window (each PLOVER type as a chain of time-window tasks, "
             "each carrying the events its mentions can reach) or type (one task per PLOVER type). Same "
             "events.")] = "window",
    link_window_days: Annotated[Optional[int], typer.Option(
        help="With --link-shuffle window: day-dated mentions in blocks of this many days (default: months).",
        min=1)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Ingest articles and run every stage; re-running on the same input changes nothing."""
    from wiredesk.engine.executors import ENGINES
    from wiredesk.engine.runner import SHUFFLES
    from wiredesk.engine.runner import run as run_job

    for name, value, allowed in (("--engine", engine, ENGINES), ("--link-shuffle", link_shuffle, SHUFFLES)):
        if value not in allowed:  # refused before the store is opened or any file read
            err.print(f"[red]error:[/red] {name} {value!r}: choose one of {', '.join(allowed)}")
            raise typer.Exit(2)
    options = _ingest_options(text_col, title_col, date_col, url_col, source_col)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn()]
    started = time.perf_counter()
    with Progress(*columns, console=err, disable=quiet) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task("files" if stage == "articles" else "linking", total=total, rate="")
            rate = ""
            if stage == "articles" and done:
                rate = f"{done / max(time.perf_counter() - started, 1e-6):.1f} files/s"
            bar.update(tasks[stage], completed=done, total=total, rate=rate)

        try:
            report = run_job(paths, db, engine=engine, workers=workers, scheduler=scheduler,
                             batch_size=batch_size, ingest_options=options, progress=progress,
                             results_dir=results_dir, link_shuffle=link_shuffle,
                             link_window_days=link_window_days)
        except StoreError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    for e in report.errors:
        # Ingest errors mean the file/record was not read; stage errors mean the article is stored without
        # that stage's output. Both are also in the store (`wiredesk errors`).
        label = "not read" if e.stage == "ingest" else f"{e.stage} failed"
        err.print(f"[yellow]{label}[/yellow] {e.path}: {e.reason}", soft_wrap=True)
    err.print(
        f"{report.files} files ({report.files_skipped} unchanged), {report.articles_read} articles read, "
        f"{report.articles_new} new, {report.mentions} event mentions -> {report.events} events "
        f"({report.mentions_unpromoted} mentions wait for a missing party) in "
        f"{report.stories} stories; {len(report.errors)} errors; {report.seconds:.1f}s -> {db}"
    )
    if report.articles_read == 0 and report.files_skipped == 0:
        err.print("[red]error:[/red] nothing could be read")
        raise typer.Exit(1)


def _event_filter(event, actor, country, since, until, query, min_sources, bbox, limit) -> EventFilter:
    box = None
    if bbox:
        try:
            box = tuple(float(x) for x in bbox.split(","))
            assert len(box) == 4
        except (ValueError, AssertionError) as exc:
            err.print("[red]error:[/red] --bbox takes min_lon,min_lat,max_lon,max_lat")
            raise typer.Exit(2) from exc
    return EventFilter(event=event, actor=actor, country=country, since=since, until=until, query=query,
                       min_sources=min_sources, bbox=box, limit=limit)


@app.command()
def events(
    db: DbOption = DEFAULT_DB,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    event: Annotated[Optional[str], typer.Option(help="PLOVER event type, e.g. CONSULT.")] = None,
    actor: Annotated[Optional[str], typer.Option(help="Actor or recipient code, e.g. FRA.")] = None,
    country: Annotated[Optional[str], typer.Option(help="Any party's country or the event location's.")] = None,
    since: Annotated[Optional[str], typer.Option(help="From this date (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Up to this date.")] = None,
    query: Annotated[Optional[str], typer.Option("--query", "-q", help="Text in summary or record.")] = None,
    min_sources: Annotated[int, typer.Option(help="At least this many independent sources.")] = 0,
    bbox: Annotated[Optional[str], typer.Option(help="min_lon,min_lat,max_lon,max_lat")] = None,
    limit: Annotated[Optional[int], typer.Option(help="At most this many events.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (parquet needs it).")] = None,
) -> None:
    """List canonical events (one per real event)."""
    from wiredesk import export

    with _open(db) as store:
        rows = store.event_rows(_event_filter(event, actor, country, since, until, query, min_sources, bbox, limit))
    if format == Format.table:
        # "flags" is in the table because a record flagged future/negation/hypothetical is not a claim that the
        # event happened (docs/coding.md, Factuality): a reader of the table must see that without an export.
        table = Table("id", "date", "event", "mode", "actor", "recipient", "src", "flags", "summary",
                      show_lines=False)
        for rec in rows:
            flat = export.flat_event(rec)
            table.add_row(rec["id"], rec.get("date") or "?", rec["event"], flat["mode"], flat["actor"],
                          flat["recipient"], str(rec.get("sources", 0)), flat["flags"],
                          (rec.get("summary") or "")[:90])
        out.print(table)
        out.print(f"{len(rows)} events")
        return
    _write_records(rows, format, output, export.flat_event, export.EVENT_COLUMNS, "events.parquet")


def _write_records(rows, format, output, flatten, columns, default_parquet) -> None:
    from wiredesk import export

    if format == Format.parquet:
        path = output or Path(default_parquet)
        export.write_parquet([flatten(r) for r in rows], columns, path)
        err.print(f"{len(rows)} rows -> {path}")
        return
    stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
    try:
        if format == Format.jsonl:
            export.write_jsonl(rows, stream)
        else:
            export.write_csv((flatten(r) for r in rows), columns, stream)
    finally:
        if output:
            stream.close()


@app.command()
def articles(
    db: DbOption = DEFAULT_DB,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    output: Annotated[Optional[Path], typer.Option("--output", "-o")] = None,
) -> None:
    """List stored articles with their publication date, its basis, quality flags and near-copies."""
    from wiredesk import export

    with _open(db) as store:
        rows = store.article_rows()
    if format == Format.table:
        table = Table("id", "published", "basis", "publication", "title", "copies", "flags")
        for r in rows:
            table.add_row(r["id"], r["published"] or "-", r["published_basis"] or "-", r["publication"] or "-",
                          (r["title"] or r["path"] or "")[:60], str(len(r["near_duplicates"])),
                          ",".join(r["quality"]))
        out.print(table)
        out.print(f"{len(rows)} articles")
        return
    _write_records(rows, format, output, export.flat_article, export.ARTICLE_COLUMNS, "articles.parquet")


@app.command()
def show(
    event_id: Annotated[str, typer.Argument(help="Event id from `wiredesk events`.")],
    db: DbOption = DEFAULT_DB,
    json_out: Annotated[bool, typer.Option("--json", help="Print the full record as JSON.")] = False,
) -> None:
    """One event with its sources, evidence sentences and conflicts."""
    with _open(db) as store:
        rec = store.event(event_id)
    if rec is None:
        err.print(f"[red]error:[/red] no event {event_id!r} in {db}")
        raise typer.Exit(1)
    if json_out:
        out.print_json(json.dumps(rec, ensure_ascii=False))
        return
    from wiredesk.export import flat_event

    flat = flat_event(rec)
    out.print(f"[bold]{rec['event']}[/bold] {flat['mode']}  {rec.get('date') or '?'} ({rec.get('date_precision')})")
    out.print(f"actor: {flat['actor']} ({flat['actor_names']})   recipient: {flat['recipient'] or '-'} "
              f"({flat['recipient_names']})")
    out.print(f"flags: {flat['flags'] or '-'}   context: {flat['context'] or '-'}   sources: {rec.get('sources')}   "
              f"confidence: {rec.get('confidence')}")
    if flat["location"]:
        out.print(f"location: {flat['location']} ({flat['country']}) {flat['lat']},{flat['lon']}")
    out.print(f"\n[bold]summary[/bold]: {rec.get('summary') or '-'}")
    out.print("\n[bold]sources[/bold]")
    for a in rec.get("articles", []):
        out.print(f"  {a.get('id')}  {a.get('published') or '?'}  {a.get('publication') or '-'}  "
                  f"{a.get('title') or a.get('path')}")
    out.print("\n[bold]evidence[/bold]")
    for m in rec.get("mentions", []):
        out.print(f"  [{m.get('article_id')} s{m.get('sentence')}] {m.get('text')}")
    if rec.get("conflicts"):
        out.print("\n[bold]conflicts[/bold]")
        for c in rec["conflicts"]:
            vals = "; ".join(f"{v} ({len(ids)} articles)" for v, ids in c.get("values", {}).items())
            out.print(f"  {c.get('field')}: {vals} -> chose {c.get('chosen')}: {c.get('why')}")


@app.command()
def stories(db: DbOption = DEFAULT_DB, format: Annotated[Format, typer.Option("--format", "-f")] = Format.table) -> None:
    """List stories: articles about the same real-world happening."""
    with _open(db) as store:
        rows = store.stories()
    if format == Format.jsonl:
        from wiredesk.export import write_jsonl

        write_jsonl(rows, sys.stdout)
        return
    table = Table("id", "start", "end", "articles", "events", "title")
    for s in rows:
        table.add_row(s["id"], s.get("start") or "-", s.get("end") or "-", str(len(s.get("article_ids", []))),
                      str(len(s.get("event_ids", []))), (s.get("title") or "")[:70])
    out.print(table)


@app.command()
def dump(
    directory: Annotated[Path, typer.Argument(help="Folder to write <table>.parquet files and manifest.json in.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write every stored table as Parquet (for pandas, Arrow, Dask or Spark on any machine)."""
    with _open(db) as store:
        manifest = store.dump_parquet(directory)
    for table, info in manifest["tables"].items():
        out.print(f"{directory / info['file']}: {info['rows']} rows")


@app.command()
def errors(db: DbOption = DEFAULT_DB) -> None:
    """Files and records that could not be read or analysed, with the reason."""
    with _open(db) as store:
        rows = store.errors()
    table = Table("path", "stage", "reason")
    table.columns[0].overflow = "fold"
    for r in rows:
        table.add_row(r["path"], r["stage"], r["reason"])
    out.print(table)
    out.print(f"{len(rows)} errors")


@app.command()
def clean(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, globs, or - for stdin.")],
    format: Annotated[str, typer.Option("--format", "-f", help="jsonl | table")] = "jsonl",
) -> None:
    """Show what ingestion makes of each article (clean text, removals, repairs, dates) without storing it."""
    from wiredesk.clean import inspect_paths

    for rec in inspect_paths(paths):
        if format == "table":
            out.print(f"[bold]{rec.get('path')}[/bold] {rec.get('published')} ({rec.get('published_basis')}) "
                      f"removed={len(rec.get('removed') or [])} repairs={len(rec.get('repairs') or [])} "
                      f"errors={rec.get('errors') or rec.get('error') or '-'}")
        else:
            sys.stdout.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")


def _eval_command(name: str, help_text: str):
    def command(
        path: Annotated[Path, typer.Argument(help="Data file or folder.")],
        json_out: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        module = importlib.import_module(f"wiredesk.eval.{name}")
        if not path.exists():
            err.print(f"[red]error:[/red] {path} does not exist")
            raise typer.Exit(2)
        result = module.evaluate(path)
        if json_out:
            sys.stdout.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
        else:
            out.print(module.render(result))

    command.__doc__ = help_text
    eval_app.command(name=name)(command)


_eval_command("timeml", "Temporal expressions on TimeML files: strict/relaxed span F1, type accuracy, value F1.")
_eval_command("plover", "PLOVER gold records: event type accuracy and F1, mode, actor/recipient countries.")
_eval_command("ecbplus", "ECB+: article clustering B-cubed F1 and cross-document event coreference CoNLL F1.")
_eval_command("eventloc", "Event location sentences: location accuracy, F1 and none accuracy.")


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Bind address (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token: Annotated[Optional[str], typer.Option(envvar="WIREDESK_TOKEN",
                                                 help="Token for writes; required beyond loopback.")] = None,
) -> None:
    """Serve the HTTP API and the web desk."""
    import uvicorn

    from wiredesk.web import create_app

    try:
        application = create_app(db, host=host, token=token)
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    uvicorn.run(application, host=host, port=port, log_level="warning")


if __name__ == "__main__":  # pragma: no cover
    app()
