"""Property-based fuzzing of every reader (CI subset; the full campaign is campaigns/fuzz_readers.py).

For every generated input, ``read_bytes`` and ``iter_articles`` must yield only Article / IngestError records, each
error with a reason: no exception escapes, whatever the bytes. Bombs are refused with a reason. Bugs the campaign
found that are not fixed yet are listed in KNOWN (each with an xfail(strict=True) regression test in
tests/regressions/test_reader_crashes.py naming the fix); any other exception fails these tests.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import sys
import traceback
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiredesk.ingest import iter_articles, read_bytes
from wiredesk.model import Article, IngestError

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "campaigns"))
from _campaign import _parquet, _warc, bomb_inputs, seed_inputs  # noqa: E402
from fuzz_readers import make_input  # noqa: E402

#: (exception type, innermost wiredesk function) of open reader bugs; see tests/regressions/test_reader_crashes.py
KNOWN: set[tuple[str, str]] = set()  # every reader bug the campaign found so far is fixed

FUZZ = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _known(exc: BaseException) -> bool:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/wiredesk/" in f.filename]
    return bool(frames) and (type(exc).__name__, frames[-1].name) in KNOWN


def check(data: bytes, name: str, tmp_path: Path | None = None) -> list:
    try:
        items = list(read_bytes(data, name))
        if tmp_path is not None:
            path = tmp_path / (name.replace("/", "_") or "input")
            path.write_bytes(data)
            items += list(iter_articles([path]))
    except Exception as exc:  # noqa: BLE001
        if _known(exc):
            return []
        raise
    # (an input may give no record at all: a CSV with only a header line, an empty JSON array, an empty zip;
    # see test_header_only_csv_says_why in tests/regressions/test_reader_crashes.py)
    for item in items:
        assert isinstance(item, (Article, IngestError)), type(item)
        if isinstance(item, IngestError):
            assert isinstance(item.reason, str) and item.reason
        else:
            assert item.raw_text.strip() and item.id
    return items


NAMES = st.sampled_from(["a.txt", "a.md", "a.html", "a.jsonl", "a.json", "a.csv", "a.tsv", "a.parquet", "a.warc",
                         "a.warc.gz", "a.gz", "a.zip", "a.xml", "a", "a.bin", "upload"])
WORDS = st.sampled_from(["Paris", "talks", "said", "on", "Monday", "5 March 2024", "2024-03-05", "Reuters", "<p>",
                         "</p>", "&amp;", "\u00e9", "\u200b", "\r\n", "\n", "\t", "|", ",", "\"", "{", "}", "---",
                         "Title:", "URL: https://x.example/a", "\ufeff", "\x00", "\U0001f600", "&#0;", "<!--"])
TEXT = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=80).map(" ".join))
ENCODINGS = st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "utf-8-sig", "shift_jis"])


@FUZZ
@given(data=st.binary(max_size=3000), name=NAMES)
def test_random_bytes_under_any_name(data, name):
    check(data, name)


@FUZZ
@given(text=TEXT, encoding=ENCODINGS, name=st.sampled_from(["a.txt", "a.md", "a", "a.html"]))
def test_text_in_any_encoding(text, encoding, name):
    check(text.encode(encoding, errors="replace"), name)


TAGS = st.sampled_from(["p", "div", "article", "title", "script", "style", "h1", "meta", "a", "body", "html",
                        "head", "table", "td", "br", "time", "span"])


@st.composite
def html_docs(draw):
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        attrs = draw(st.sampled_from(["", ' class="x"', ' content="2024-03-05"', ' property="og:title"',
                                      ' href="javascript:alert(1)"', ' datetime="2024-13-45"', " =", ' a="']))
        parts.append(f"<{tag}{attrs}>{draw(TEXT)}" + (f"</{tag}>" if draw(st.booleans()) else ""))
    doc = "".join(parts)
    return draw(st.sampled_from(["", "<!DOCTYPE html>", "<?xml version='1.0'?>"])) + doc


@FUZZ
@given(doc=html_docs(), name=st.sampled_from(["a.html", "a.htm", "a", "a.xml"]))
def test_html(doc, name):
    check(doc.encode("utf-8", "surrogatepass"), name)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
    max_leaves=12)
KEYS = st.sampled_from(["text", "title", "content", "body", "html", "url", "date", "published", "source", "x"])
RECORDS = st.dictionaries(KEYS, JSON_VALUES | TEXT, max_size=6)


@FUZZ
@given(records=st.lists(RECORDS | JSON_VALUES, max_size=6), broken=st.booleans(),
       name=st.sampled_from(["a.jsonl", "a.json", "a.ndjson", "a"]))
def test_json_lines_and_json(records, broken, name):
    lines = [json.dumps(r, allow_nan=True) for r in records]
    if broken and lines:
        lines[0] = lines[0][: len(lines[0]) // 2]
    check("\n".join(lines).encode(), name)
    check(json.dumps(records).encode(), "a.json")


@FUZZ
@given(header=st.lists(KEYS | st.text(max_size=6), min_size=1, max_size=5),
       rows=st.lists(st.lists(TEXT, max_size=6), max_size=6), delim=st.sampled_from([",", "\t", ";", "|"]),
       name=st.sampled_from(["a.csv", "a.tsv"]))
def test_csv(header, rows, delim, name):
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delim)
    writer.writerow(header)
    writer.writerows(rows)
    check(buf.getvalue().encode("utf-8", "surrogatepass"), name)


@FUZZ
@given(rows=st.lists(st.fixed_dictionaries({}, optional={
    "text": st.none() | TEXT, "title": st.none() | TEXT, "url": st.none() | st.text(max_size=20),
    "published": st.none() | st.text(max_size=20), "n": st.integers(-2**63, 2**63 - 1)}), min_size=1, max_size=5),
    cut=st.integers(0, 64))
def test_parquet(rows, cut):
    rows = [{k: (v.encode("utf-8", "replace").decode() if isinstance(v, str) else v) for k, v in r.items()}
            for r in rows]
    try:
        data = _parquet(rows)
    except Exception:  # noqa: BLE001 - pyarrow cannot build every mix of types; nothing to read then
        return
    check(data, "a.parquet")
    check(data[:-cut or None], "a.parquet")  # truncated footer


@FUZZ
@given(records=st.lists(st.tuples(st.text(max_size=30), TEXT,
                                  st.sampled_from(["text/html", "text/plain", "image/png", "", "application/xml"])),
                        min_size=1, max_size=3),
       compress=st.booleans(), cut=st.integers(0, 200))
def test_warc(records, compress, cut, tmp_path_factory):
    recs = [("https://x.example/" + u.encode("ascii", "replace").decode(), t.encode("utf-8", "replace"), c)
            for u, t, c in records]
    data = _warc(recs, compress)
    check(data, "a.warc.gz" if compress else "a.warc")
    check(data[:-cut or None], "a.warc.gz" if compress else "a.warc", tmp_path_factory.mktemp("warc"))


@FUZZ
@given(members=st.lists(st.tuples(st.sampled_from(["a.txt", "b.html", "c.jsonl", "../x.txt", "/abs.txt", ".h.txt",
                                                   "d/e.csv", "__MACOSX/f.txt", "g.zip", "h.gz"]), TEXT),
                        max_size=4),
       flip=st.integers(0, 10_000), bit=st.integers(0, 7))
def test_zip_and_gzip(members, flip, bit):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members:
            zf.writestr(name, text.encode("utf-8", "replace"))
    data = bytearray(buf.getvalue())
    check(bytes(data), "a.zip")
    data[flip % len(data)] ^= 1 << bit
    check(bytes(data), "a.zip")
    for name, text in members[:1]:
        gz = bytearray(gzip.compress(text.encode("utf-8", "replace"), mtime=0))
        check(bytes(gz), name + ".gz")
        gz[flip % len(gz)] ^= 1 << bit
        check(bytes(gz), name + ".gz")


SEEDS = seed_inputs(small=True)


@settings(max_examples=600, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_mutated_real_files(seed):
    """The campaign's own mutator on the real seed files (600 inputs in CI)."""
    name, data = make_input(random.Random(seed), SEEDS)
    check(data, name)


@pytest.mark.parametrize("name,data,word", bomb_inputs(), ids=[b[0] for b in bomb_inputs()])
def test_bombs_are_refused_with_a_reason(name, data, word):
    items = list(read_bytes(data, name))
    if name == "laughs.txt":  # entity declarations in plain text are only text: nothing ever expands them
        assert [type(i) for i in items] == [Article] and "&lol9;" in items[0].raw_text
        return
    assert items and all(isinstance(i, IngestError) for i in items), items
    reasons = " ".join(i.reason.lower() for i in items)
    assert word in reasons or "unreadable zip member" in reasons, reasons


def test_bombs_in_files_are_refused(tmp_path):
    for name, data, _ in bomb_inputs():
        if name == "laughs.txt":
            continue
        (tmp_path / name).write_bytes(data)
        items = list(iter_articles([tmp_path / name]))
        assert items and all(isinstance(i, IngestError) for i in items), (name, items)
