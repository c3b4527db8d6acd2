"""Inputs that once made a reader crash or stall, found by campaigns/fuzz_readers.py.

Each input must give only Article / IngestError records (no exception escapes ``read_bytes`` or
``iter_articles``). Bugs not fixed yet are ``xfail(strict=True)`` with the fix suggested, so the marker has to be
removed when the fix lands.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from wiredesk.ingest import iter_articles, read_bytes
from wiredesk.model import Article, IngestError

INPUTS = Path(__file__).resolve().parent / "inputs"


def _only_records(items: list) -> None:
    assert items, "a reader must say something about every input"
    for item in items:
        assert isinstance(item, (Article, IngestError)), type(item)
        if isinstance(item, IngestError):
            assert item.reason


OPEN = {
    "ecbplus-bad-int.xml": "ingest/readers.py read_xml: read_ecbplus() raises ValueError on a non-numeric "
                           "sentence/number attribute (ecbplus.py _parse); wrap the call in "
                           "try/except (ET.ParseError, ValueError, KeyError) -> IngestError('malformed ECB+ XML')",
    "ecbplus-not-well-formed.xml": "ingest/readers.py read_xml: xml.etree ParseError from read_ecbplus escapes; "
                                   "same try/except as above",
    "zip-negative-seek.zip": "ingest/containers.py read_zip: archive.open() raises ValueError('negative seek "
                             "value') on a corrupt local header offset; add ValueError to the except tuple around "
                             "archive.open/read_limited",
    "parquet-invalid-utf8.parquet": "ingest/readers.py read_parquet: table.to_batches()/to_pylist() raises "
                                    "UnicodeDecodeError on invalid UTF-8 in a string column; wrap the loop in "
                                    "try/except Exception -> IngestError('unreadable Parquet')",
    "jsonl-lone-surrogate.jsonl": "ingest/ids.py article_id: a JSON '\\ud800' escape gives a lone surrogate and "
                                  "encode('utf-8') raises UnicodeEncodeError; replace surrogates when a record's "
                                  "text is taken (readers.read_record: value.encode('utf-8', 'surrogatepass')"
                                  ".decode('utf-8', 'replace')) or encode with errors='surrogatepass' in article_id",
    "warc-no-target-uri.warc": "ingest/containers.py iter_warc: warcio raises AttributeError for a response record "
                               "without WARC-Target-URI; catch Exception (not only ArchiveLoadFailed/OSError) "
                               "around the ArchiveIterator loop -> IngestError('corrupt or truncated WARC')",
}

FILES = sorted(p.name for p in INPUTS.iterdir() if p.is_file())


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=OPEN[n])) if n in OPEN else n for n in FILES
])
def test_fuzzer_input_gives_records_not_exceptions(name):
    data = (INPUTS / name).read_bytes()
    _only_records(list(read_bytes(data, name)))


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=OPEN[n])) if n in OPEN else n for n in FILES
])
def test_fuzzer_input_from_disk_gives_records_not_exceptions(name):
    _only_records(list(iter_articles([INPUTS / name])))


@pytest.mark.xfail(strict=True, reason=OPEN["jsonl-lone-surrogate.jsonl"])
def test_lone_surrogate_in_a_json_record_minimal():
    data = b'{"title": "t", "text": "Troops moved \\ud800 into the town on Monday."}\n'
    _only_records(list(read_bytes(data, "s.jsonl")))


@pytest.mark.xfail(strict=True, reason=(
    "ingest/header.py parse_header calls find_dates()/_is_banner() on whole lines before deciding a line is body: "
    "a 1 MB text with no line breaks takes ~20 s (and in a WARC record, which has no time budget, minutes). "
    "Fix: in parse_header, after `if seen > MAX_HEADER_LINES: break`, add `if len(stripped) > 400: break` "
    "(a header line is short; anything longer is body)"))
def test_one_long_line_is_read_quickly():
    data = b"Troops moved into the town on 5 March 2024 and " + b"word " * 60_000  # 300 kB, no newline
    started = time.perf_counter()
    items = list(read_bytes(data, "long.txt"))
    elapsed = time.perf_counter() - started
    assert [type(i) for i in items] == [Article]
    assert elapsed < 1.5, f"300 kB single-line text took {elapsed:.1f} s"
