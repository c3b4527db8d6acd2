"""One reader per document format, each turning decoded content into Article records (or IngestErrors).

Containers (gzip, zip, WARC) live in ``containers.py``; dispatch by name and sniffing in ``__init__.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from wiredesk.ingest.header import parse_header
from wiredesk.ingest.ids import article_id
from wiredesk.ingest.options import (
    DATE_COLUMNS, HTML_COLUMNS, SOURCE_COLUMNS, TEXT_COLUMNS, TITLE_COLUMNS, URL_COLUMNS, IngestOptions, pick_column,
)
from wiredesk.model import Article, IngestError

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_SURROGATE = re.compile("[\ud800-\udfff]")


def make_article(text: str, path: str, fmt: str, options: IngestOptions, **fields: Any) -> Article | IngestError:
    """An Article from raw text, or an IngestError when the text is empty or too long to be one article."""
    if not text or not text.strip():
        return IngestError(path, "empty: no text to read")
    if len(text) > options.limits.max_article_chars:
        return IngestError(path, f"text of {len(text):,} characters is over the {options.limits.max_article_chars:,}"
                                 " limit for one article (settings.INGEST.max_article_chars)")
    meta = fields.pop("meta", None) or {}
    if _SURROGATE.search(text):  # a JSON "\ud800" escape: not encodable, so not storable or hashable
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        fields = {k: (v.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if isinstance(v, str) else v)
                  for k, v in fields.items()}
    return Article(id=article_id(text), path=path, raw_text=text, format=fmt, meta=meta, **fields)


def read_text(text: str, path: str, options: IngestOptions, fmt: str = "text") -> Article | IngestError:
    """Plain text or Markdown: title, outlet and URL come from whatever header the scraper left."""
    header = parse_header(text)
    meta: dict[str, Any] = {}
    if header.front_matter:
        meta["front_matter"] = header.front_matter
    return make_article(text, path, fmt, options, title=header.title, publication=header.outlet,
                        url=header.url, meta=meta)


def read_html(html: str, path: str, options: IngestOptions, url: str | None = None,
              fmt: str = "html") -> Article | IngestError:
    """An HTML page: trafilatura's main text, and the page's own title, site, canonical URL and dates."""
    from wiredesk.ingest.html import extract_html

    if _ENTITY_DECL.search(html[:65536].encode("utf-8", "ignore")):
        return IngestError(path, "refused: markup declares XML entities (possible entity-expansion bomb)")
    facts = extract_html(html, url)
    text = facts["text"]
    header = parse_header(text)
    meta = {"html_dates": facts["dates"], "extractor": facts["extractor"]}
    return make_article(text, path, fmt, options, title=facts["title"] or header.title,
                        publication=facts["sitename"] or header.outlet, url=url or facts["url"] or header.url,
                        meta=meta)


def _looks_like_html(value: str) -> bool:
    head = value.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in value)


def read_record(record: Any, path: str, options: IngestOptions) -> Article | IngestError:
    """One row of JSON lines / CSV / Parquet, mapped through the option columns (auto-detected if unset)."""
    if not isinstance(record, dict):
        return IngestError(path, f"record is a JSON {type(record).__name__}, not an object")
    cols = list(record)
    text_col = pick_column(cols, options.text_col, TEXT_COLUMNS)
    html_col = pick_column(cols, None, HTML_COLUMNS)
    if options.text_col and text_col is None:
        return IngestError(path, f"no column {options.text_col!r} (columns: {', '.join(map(str, cols[:12]))})")
    url_col = pick_column(cols, options.url_col, URL_COLUMNS)
    url = str(record[url_col]) if url_col and record.get(url_col) not in (None, "") else None
    value = record.get(text_col) if text_col else None
    if (value is None or value == "") and html_col and record.get(html_col):
        value, text_col = record[html_col], html_col
    if value is None or value == "" or (isinstance(value, float) and value != value):
        if text_col is None:
            return IngestError(path, f"no text column (tried {', '.join(TEXT_COLUMNS[:6])}...; "
                                     f"columns: {', '.join(map(str, cols[:12]))}); set --text-col")
        return IngestError(path, f"empty: column {text_col!r} has no text")
    value = str(value)
    if _looks_like_html(value):
        article = read_html(value, path, options, url=url, fmt="html-record")
    else:
        article = read_text(value, path, options, fmt="record")
    if isinstance(article, IngestError):
        return article
    article.url = url or article.url
    title_col = pick_column(cols, options.title_col, TITLE_COLUMNS)
    date_col = pick_column(cols, options.date_col, DATE_COLUMNS)
    source_col = pick_column(cols, options.source_col, SOURCE_COLUMNS)
    if title_col and record.get(title_col):
        article.title = _clean_str(record[title_col])
    if source_col and record.get(source_col):
        article.publication = _clean_str(record[source_col])
    if date_col and record.get(date_col) not in (None, ""):
        article.meta["record_date"] = {"column": date_col, "text": str(record[date_col])}
    return article


def _clean_str(value: Any) -> str:
    text = str(value).strip()
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if _SURROGATE.search(text) else text


def read_jsonl(text: str, path: str, options: IngestOptions) -> Iterator[Article | IngestError]:
    """JSON lines: a bad line is one error for that line (path#line); the good lines are all kept."""
    for number, line in enumerate(io.StringIO(text), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            yield IngestError(f"{path}#{number}", f"malformed JSON line: {str(exc)[:120]}")
            continue
        yield read_record(record, f"{path}#{number}", options)


def read_json(text: str, path: str, options: IngestOptions) -> Iterator[Article | IngestError]:
    """A JSON file: an array of records, one record, an object holding a list of records, or JSON lines."""
    try:
        data = json.loads(text)
    except RecursionError:
        yield IngestError(path, "JSON nested too deeply to read")
        return
    except ValueError:
        yield from read_jsonl(text, path, options)  # .json files are often JSON lines in disguise
        return
    if isinstance(data, dict):
        for key in ("articles", "data", "items", "records", "results", "documents", "docs"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
    if isinstance(data, list):
        for number, record in enumerate(data):
            yield read_record(record, f"{path}#{number}", options)
    else:
        yield read_record(data, path, options)


_DELIMITERS = ",\t;|"
_QUOTED = re.compile(r'"[^"]*"?')


class _Dialect(csv.excel):
    """csv.excel (double quotes, doubled to escape) with the delimiter found in the header line."""


def csv_dialect(text: str, path: str) -> type[csv.Dialect]:
    """The delimiter is the one of , tab ; | that splits the header line most often (text inside double quotes
    does not count); on a tie, or when none occurs, the file's own: tab for .tsv, comma otherwise.

    csv.Sniffer is not used: its quote-guessing regular expressions backtrack cubically on a long run of quotes (a
    fuzzed 16 kB TSV kept it busy for minutes), and an export's header line names the delimiter anyway.
    """
    end = text.find("\n", 0, 65536)
    header = _QUOTED.sub("", text[:end if end >= 0 else 65536])  # one pass: linear in the header's length
    own = "\t" if path.lower().endswith(".tsv") else ","
    counts = {d: header.count(d) for d in _DELIMITERS}
    delimiter = max(_DELIMITERS, key=lambda d: (counts[d], d == own))
    # "title, text, url": a space after every delimiter is padding, not part of the next column's name
    padded = counts[delimiter] > 0 and header.count(delimiter + " ") == counts[delimiter]
    return type("_Dialect", (_Dialect,), {"delimiter": delimiter, "skipinitialspace": padded})


def read_csv(text: str, path: str, options: IngestOptions) -> Iterator[Article | IngestError]:
    csv.field_size_limit(max(options.limits.max_article_chars * 4, 1 << 20))
    dialect = csv_dialect(text, path)
    rows = 0
    try:
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        for number, row in enumerate(reader, start=2):  # line 1 is the header
            if None in row:  # more fields than the header names
                row.pop(None)
            rows += 1
            yield read_record(row, f"{path}#{number}", options)
    except csv.Error as exc:
        yield IngestError(path, f"malformed CSV: {exc}")
        return
    if not rows:  # silently reading nothing would hide that the text was never read
        yield IngestError(path, "no data rows: only a header line (is the first line the header?)")


def read_parquet(data: bytes, path: str, options: IngestOptions) -> Iterator[Article | IngestError]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, ...
        yield IngestError(path, f"unreadable Parquet: {str(exc)[:160]}")
        return
    number = 0
    try:
        for batch in table.to_batches(max_chunksize=1024):
            for row in batch.to_pylist():
                yield read_record(row, f"{path}#{number}", options)
                number += 1
    except Exception as exc:  # noqa: BLE001 - e.g. invalid UTF-8 in a string column: the rest is unreadable
        yield IngestError(f"{path}#{number}", f"unreadable Parquet from this row on: {str(exc)[:120]}")


def is_ecbplus(head: bytes) -> bool:
    """ECB+ CROMER XML: a <Document> root whose children are <token> elements."""
    return bool(re.match(rb"\s*(?:<\?xml[^>]*>\s*)?<Document\b", head)) and b"<token" in head[:4096]


def read_xml(data: bytes, path: str, options: IngestOptions) -> Iterator[Article | IngestError]:
    """XML: ECB+ documents through the linking engineer's reader; nothing else is news we know how to read."""
    if _ENTITY_DECL.search(data[:65536]):
        yield IngestError(path, "refused: XML declares entities (possible billion-laughs bomb); entities are never"
                                " expanded")
        return
    if is_ecbplus(data[:4096]):
        try:
            from wiredesk.ingest.ecbplus import read_ecbplus  # written by the linking engineer; may not exist yet
        except ImportError:
            yield IngestError(path, "ECB+ XML reader (wiredesk.ingest.ecbplus) is not available")
            return
        import os
        import tempfile

        try:
            if os.path.isfile(path):
                article = read_ecbplus(path)
            else:  # inside an archive: hand the reader a real file
                with tempfile.NamedTemporaryFile(suffix=".xml") as tmp:
                    tmp.write(data)
                    tmp.flush()
                    article = read_ecbplus(tmp.name)
                article.path = path
        except Exception as exc:  # noqa: BLE001 - ParseError, ValueError, LookupError (declared encoding)...
            yield IngestError(path, f"malformed ECB+ XML: {str(exc)[:120]}")
            return
        if isinstance(article, Article):
            article.format = article.format or "ecbplus"
        yield article
        return
    yield IngestError(path, "XML that is not an ECB+ document: no reader for it (convert to JSON lines or HTML)")
