"""Containers: gzip, zip and WARC, each read within the archive limits of ``settings.INGEST`` (a zip bomb or a
gzip bomb is refused with a reason; the other members are still read)."""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO

from wiredesk.ingest.options import IngestOptions
from wiredesk.model import Article, IngestError

#: Archives inside archives are read this many levels deep, no deeper.
MAX_NESTING = 3
_CHUNK = 1 << 20

Dispatch = Callable[[bytes, str, IngestOptions, int], Iterator[Article | IngestError]]


class TooLarge(ValueError):
    """An archive member grew past a limit while being decompressed; the message is the reason."""


def _mb(n: float) -> str:
    return f"{n / 2**20:,.1f} MB"


def read_limited(stream: BinaryIO, compressed: int, options: IngestOptions, budget: int) -> bytes:
    """Read a decompressing stream, refusing it as soon as it passes the ratio, file or archive limit."""
    limits = options.limits
    by_ratio = max(compressed, 1) * limits.max_compression_ratio
    cap = min(by_ratio, options.file_limit, budget)
    out = io.BytesIO()
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return out.getvalue()
        out.write(chunk)
        if out.tell() > cap:
            if cap == by_ratio:
                raise TooLarge(f"decompression bomb: expands more than {limits.max_compression_ratio}x "
                               f"(settings.INGEST.max_compression_ratio) from {_mb(compressed)}")
            if cap == options.file_limit:
                raise TooLarge(f"decompressed member is over the {_mb(options.file_limit)} file limit "
                               "(settings.INGEST.max_file_bytes)")
            raise TooLarge(f"archive expands past {_mb(limits.max_archive_bytes)} in total "
                           "(settings.INGEST.max_archive_bytes)")


def read_gzip(data: bytes, path: str, options: IngestOptions, depth: int,
              dispatch: Dispatch) -> Iterator[Article | IngestError]:
    inner = path[:-3] if path.lower().endswith(".gz") else path + "!gunzip"
    try:
        raw = read_limited(gzip.GzipFile(fileobj=io.BytesIO(data)), len(data), options,
                           options.limits.max_archive_bytes)
    except TooLarge as exc:
        yield IngestError(path, str(exc))
        return
    except (OSError, EOFError, zlib.error) as exc:
        yield IngestError(path, f"corrupt or truncated gzip: {exc}")
        return
    yield from dispatch(raw, inner, options, depth + 1)


def read_zip(data: bytes, path: str, options: IngestOptions, depth: int,
             dispatch: Dispatch) -> Iterator[Article | IngestError]:
    limits = options.limits
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        yield IngestError(path, f"corrupt zip archive: {exc}")
        return
    except NotImplementedError as exc:  # a directory entry asks for a zip version zipfile does not know
        yield IngestError(path, f"unsupported zip archive: {exc}")
        return
    budget = limits.max_archive_bytes
    for info in members:
        member = info.filename
        # endswith("/") rather than info.is_dir(): a corrupt directory entry can have an empty name, and is_dir()
        # then raises IndexError
        if member.endswith("/") or member.rsplit("/", 1)[-1].startswith((".", "__MACOSX")) \
                or member.startswith("__MACOSX/"):
            continue
        name = f"{path}!{member or '(unnamed member)'}"  # no name: its bytes are still read, the format sniffed
        if info.flag_bits & 0x1:
            yield IngestError(name, "encrypted zip member: cannot read without a password")
            continue
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            yield IngestError(name, f"zip bomb: declared compression ratio {ratio:,.0f}x is over "
                                    f"{limits.max_compression_ratio}x (settings.INGEST.max_compression_ratio)")
            continue
        if info.file_size > budget:
            yield IngestError(name, f"archive expands past {_mb(limits.max_archive_bytes)} in total "
                                    "(settings.INGEST.max_archive_bytes); rest of the archive skipped")
            return
        try:
            with archive.open(info) as member:
                raw = read_limited(member, info.compress_size, options, budget)
        except TooLarge as exc:  # declared sizes can lie: the real bytes are counted too
            yield IngestError(name, str(exc))
            continue
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError, ValueError) as exc:
            yield IngestError(name, f"unreadable zip member: {exc}")  # ValueError: corrupt header offsets
            continue
        budget -= len(raw)
        yield from dispatch(raw, name, options, depth + 1)


def iter_warc(stream: BinaryIO, path: str, options: IngestOptions) -> Iterator[Article | IngestError]:
    """HTML and text responses of a WARC (or WARC.gz) file, streamed record by record."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from wiredesk.ingest.decode import NotText, decode_bytes
    from wiredesk.ingest.readers import read_html, read_text

    number = 0
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type not in ("response", "resource", "conversion"):
                continue
            number += 1
            name = f"{path}#{number}"
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.http_headers is not None:
                if record.http_headers.get_statuscode() not in (None, "200"):
                    continue
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
            else:
                ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
            if ctype and not any(t in ctype for t in ("html", "text/plain", "xml")):
                continue  # images, scripts, stylesheets of the crawl
            body = record.content_stream().read(options.file_limit + 1)
            if len(body) > options.file_limit:
                yield IngestError(name, f"WARC record over the {_mb(options.file_limit)} file limit")
                continue
            try:
                text, _ = decode_bytes(body)
            except NotText as exc:
                yield IngestError(name, str(exc))
                continue
            if "html" in ctype or text.lstrip()[:200].lower().startswith(("<!doctype", "<html")):
                article = read_html(text, name, options, url=url, fmt="warc")
            else:
                article = read_text(text, name, options, fmt="warc")
                if isinstance(article, Article):
                    article.url = article.url or url
            yield article
    except ArchiveLoadFailed as exc:
        yield IngestError(path if not number else f"{path}#{number + 1}", f"corrupt or truncated WARC: {exc}")
    except Exception as exc:  # noqa: BLE001 - warcio raises AttributeError, ValueError... on broken records
        yield IngestError(path if not number else f"{path}#{number}", f"corrupt or truncated WARC: "
                                                                      f"{type(exc).__name__}: {str(exc)[:100]}")
