"""Ingestion: paths (files, folders, globs, "-" for stdin) or uploaded bytes in, Article records out.

Every input yields either :class:`~wiredesk.model.Article` records or :class:`~wiredesk.model.IngestError`
records with the path and a one-line reason; a bad file never stops the run. Formats are chosen by name
(.txt/.md, .html/.htm, .jsonl/.json, .csv/.tsv, .parquet, .warc/.warc.gz, .xml for ECB+, .gz and .zip of any of
these) and, for unknown names, by sniffing the bytes.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from wiredesk.ingest.containers import MAX_NESTING, iter_warc, read_gzip, read_zip
from wiredesk.ingest.decode import NotText, decode_bytes, describe_binary, looks_binary
from wiredesk.ingest.ids import article_id
from wiredesk.ingest.options import IngestOptions
from wiredesk.ingest.readers import (
    is_ecbplus, read_csv, read_html, read_json, read_jsonl, read_parquet, read_text, read_xml,
)
from wiredesk.model import Article, IngestError

__all__ = ["IngestOptions", "iter_articles", "read_bytes", "article_id"]

log = logging.getLogger(__name__)

TEXT_EXT = (".txt", ".text", ".md", ".markdown", ".rst")
HTML_EXT = (".html", ".htm", ".xhtml", ".shtml", ".php", ".asp", ".aspx")
_GLOB_CHARS = set("*?[")


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def time_budget(seconds: float):
    """Interrupt parsing after ``seconds`` (main thread only: signals cannot reach other threads)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def _raise(signum, frame):  # noqa: ARG001
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _kind_from_name(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith((".warc", ".warc.gz", ".arc.gz", ".wet", ".wet.gz")):
        return "warc"
    if lower.endswith((".gz", ".gzip")):
        return "gzip"
    if lower.endswith(".zip"):
        return "zip"
    if lower.endswith((".jsonl", ".ndjson", ".jsonlines")):
        return "jsonl"
    if lower.endswith(".json"):
        return "json"
    if lower.endswith((".csv", ".tsv")):
        return "csv"
    if lower.endswith((".parquet", ".pq")):
        return "parquet"
    if lower.endswith(HTML_EXT):
        return "html"
    if lower.endswith(TEXT_EXT):
        return "text"
    if lower.endswith(".xml"):
        return "xml"
    return None


def sniff(data: bytes) -> str:
    """Guess a format from the bytes themselves (for unknown extensions, stdin and uploads)."""
    head = data[:4096]
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"PAR1"):
        return "parquet"
    if looks_binary(head) and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"<?xml") or is_ecbplus(stripped):
        return "html" if b"<html" in stripped[:1000] else "xml"
    if stripped.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")) or (
            stripped.startswith(b"<") and (b"<p" in stripped or b"<div" in stripped)):
        return "html"
    if stripped.startswith(b"{"):
        return "jsonl"
    if stripped.startswith(b"["):
        return "json"
    return "text"


def read_bytes(data: bytes, name: str, options: IngestOptions | None = None,
               _depth: int = 0) -> Iterator[Article | IngestError]:
    """Articles from the bytes of one file (HTTP upload, stdin, archive member); ``name`` picks the format."""
    options = options or IngestOptions()
    if _depth > MAX_NESTING:
        yield IngestError(name, f"archives nested more than {MAX_NESTING} deep")
        return
    if not data.strip():
        yield IngestError(name, "empty file")
        return
    if len(data) > options.file_limit:
        yield IngestError(name, f"{len(data) / 2**20:,.1f} MB is over the {options.file_limit / 2**20:,.0f} MB "
                                "file limit (settings.INGEST.max_file_bytes)")
        return
    kind = _kind_from_name(name) or sniff(data)
    if kind == "gzip":
        yield from read_gzip(data, name, options, _depth, read_bytes)
        return
    if kind == "zip":
        yield from read_zip(data, name, options, _depth, read_bytes)
        return
    if kind == "warc":
        import io

        yield from iter_warc(io.BytesIO(data), name, options)
        return
    if kind == "parquet":
        yield from read_parquet(data, name, options)
        return
    if kind == "xml":
        yield from read_xml(data, name, options)
        return
    if kind == "binary":
        yield IngestError(name, f"not text: looks like {describe_binary(data)}")
        return
    try:
        text, encoding = decode_bytes(data)
    except NotText as exc:
        yield IngestError(name, str(exc))
        return
    try:
        with time_budget(options.limits.per_file_seconds):
            if kind == "jsonl":
                items = list(read_jsonl(text, name, options))
            elif kind == "json":
                items = list(read_json(text, name, options))
            elif kind == "csv":
                items = list(read_csv(text, name, options))
            elif kind == "html":
                items = [read_html(text, name, options)]
            else:
                items = [read_text(text, name, options, fmt="markdown" if name.lower().endswith((".md", ".markdown"))
                                   else "text")]
    except _Timeout:
        yield IngestError(name, f"parsing took over {options.limits.per_file_seconds:g} s "
                                "(settings.INGEST.per_file_seconds)")
        return
    except RecursionError:
        yield IngestError(name, "nested too deeply to parse")
        return
    for item in items:
        if isinstance(item, Article) and encoding != "utf-8":
            item.meta["encoding"] = encoding
        yield item


def _stream_jsonl(path: Path, options: IngestOptions) -> Iterator[Article | IngestError]:
    """Large JSON lines files are read line by line instead of whole."""
    import json

    from wiredesk.ingest.readers import read_record

    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            name = f"{path}#{number}"
            try:
                record = json.loads(line.decode("utf-8", errors="replace"))
            except (ValueError, RecursionError) as exc:
                yield IngestError(name, f"malformed JSON line: {str(exc)[:120]}")
                continue
            yield read_record(record, name, options)


def _read_file(path: Path, options: IngestOptions) -> Iterator[Article | IngestError]:
    name = str(path)
    try:
        size = path.stat().st_size
        kind = _kind_from_name(name)
        if kind == "warc":  # crawls are big: stream them record by record
            with open(path, "rb") as handle:
                yield from iter_warc(handle, name, options)
            return
        if kind == "jsonl" and size > options.file_limit:
            yield from _stream_jsonl(path, options)
            return
        if size > options.file_limit:
            yield IngestError(name, f"file is {size / 2**20:,.1f} MB, over the {options.file_limit / 2**20:,.0f} MB "
                                    "limit (settings.INGEST.max_file_bytes)")
            return
        with open(path, "rb") as handle:
            data = handle.read(options.file_limit + 1)
    except PermissionError:
        yield IngestError(name, "permission denied: cannot read the file")
        return
    except IsADirectoryError:
        return
    except OSError as exc:
        yield IngestError(name, f"cannot read: {exc.strerror or exc}")
        return
    yield from read_bytes(data, name, options)


def _walk(folder: Path, options: IngestOptions) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, onerror=None):
        if options.skip_hidden:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        dirs.sort()
        for name in sorted(files):
            if options.skip_hidden and name.startswith("."):
                continue
            yield Path(root) / name


def _expand(paths: Iterable[str | Path], options: IngestOptions) -> Iterator[Path | str | IngestError]:
    for item in paths:
        text = str(item)
        if text == "-":
            yield "-"
            continue
        path = Path(text)
        if path.is_dir():
            if not os.access(path, os.R_OK | os.X_OK):
                yield IngestError(text, "permission denied: cannot list the folder")
                continue
            yield from _walk(path, options)
        elif path.exists() or path.is_symlink():
            yield path
        elif _GLOB_CHARS & set(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield IngestError(text, "no file matches this pattern")
            for match in matches:
                match_path = Path(match)
                yield from (_walk(match_path, options) if match_path.is_dir() else [match_path])
        else:
            yield IngestError(text, "no such file or folder")


def iter_articles(paths: Iterable[str | Path], options: IngestOptions | None = None,
                  ) -> Iterator[Article | IngestError]:
    """Every article in ``paths``, each one once (same content hash = same article), errors in line."""
    options = options or IngestOptions()
    seen: set[str] = set()
    for target in _expand(paths, options):
        if isinstance(target, IngestError):
            yield target
            continue
        if target == "-":
            data = sys.stdin.buffer.read(options.file_limit + 1)
            items = read_bytes(data, "<stdin>", options)
        else:
            items = _read_file(target, options)
        for item in items:
            if isinstance(item, Article):
                if item.id in seen:
                    log.debug("%s repeats article %s; kept once", item.path, item.id)
                    continue
                seen.add(item.id)
            yield item
