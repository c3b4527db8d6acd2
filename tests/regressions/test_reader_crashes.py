"""Inputs that once made a reader crash or stall, found by campaigns/fuzz_readers.py.

Each input must give only Article / IngestError records (no exception escapes ``read_bytes`` or
``iter_articles``). Bugs not fixed yet are ``xfail(strict=True)`` with the fix suggested, so the marker has to be
removed when the fix lands.
"""

from __future__ import annotations

import io
import zipfile
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


# Bugs found by the campaign and not fixed yet: name -> the fix suggested (xfail strict, so a fix must remove it).
# Every bug found so far is fixed; the inputs stay as regression tests.
OPEN: dict[str, str] = {}

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


def test_lone_surrogate_in_a_json_record_minimal():
    data = b'{"title": "t", "text": "Troops moved \\ud800 into the town on Monday."}\n'
    _only_records(list(read_bytes(data, "s.jsonl")))


def test_one_long_line_is_not_scanned_as_a_header(monkeypatch):
    """A 300 kB text with no line break once took ~20 s: the header finder ran date patterns over the whole line.
    Header lines are short, so the finder must stop at a long line instead of scanning it."""
    from wiredesk.ingest import header

    scanned: list[int] = []
    real = header.find_dates

    def spy(text, *args, **kwargs):
        scanned.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(header, "find_dates", spy)
    data = b"Troops moved into the town on 5 March 2024 and " + b"word " * 60_000  # 300 kB, no newline
    items = list(read_bytes(data, "long.txt"))
    assert [type(i) for i in items] == [Article]
    assert "Troops moved into the town" in items[0].raw_text
    assert all(n <= 400 for n in scanned), max(scanned)


def test_header_only_csv_says_why():
    items = list(read_bytes(b"text,title\n", "a.csv")) + list(read_bytes(b"Troops moved into the town.", "b.csv"))
    assert len(items) == 2 and all(isinstance(i, IngestError) for i in items)


def test_zip_member_without_a_name_is_read_by_sniffing():
    """A zip whose directory gives a member an empty name made ZipInfo.is_dir() raise IndexError (the campaign's
    input, tests/regressions/inputs/zip-empty-member-name.zip, has such a name in the central directory only, so
    that member is refused as unreadable). When the name is empty in both places the bytes are still news: they
    are read, the format found by sniffing."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", b"Troops moved into the town on Monday, officials said.")
        unnamed = zipfile.ZipInfo("b.jsonl")
        unnamed.filename = ""  # the constructor would refuse nothing, but say what is meant
        zf.writestr(unnamed, b'{"title": "Talks", "text": "The ministers met in Paris on Tuesday."}\n')
    items = list(read_bytes(buf.getvalue(), "bundle.zip"))
    _only_records(items)
    texts = [i.raw_text for i in items if isinstance(i, Article)]
    assert any("Troops moved" in t for t in texts) and any("ministers met in Paris" in t for t in texts), items
    assert any(i.path.startswith("bundle.zip!(unnamed member)") for i in items)


def test_campaign_zip_with_an_unnamed_member_names_every_member():
    """The campaign's input (a mutated zip whose directory has an unnamed 4th member and shifted offsets): one
    record per member, the unnamed one included, each refusal with the zip's own reason."""
    items = list(read_bytes((INPUTS / "zip-empty-member-name.zip").read_bytes(), "bundle.zip"))
    _only_records(items)
    assert len(items) == 4 and items[-1].path == "bundle.zip!(unnamed member)"


def test_zip_asking_for_an_unknown_zip_version_is_refused_with_a_reason():
    """The campaign's input: a directory entry whose 'version needed to extract' is 12.7 made zipfile raise
    NotImplementedError out of the reader. A minimal one: any zip with that field raised."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", b"Troops moved into the town on Monday, officials said.")
    data = bytearray(buf.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6] = 127  # version needed to extract: 12.7
    for raw in (bytes(data), (INPUTS / "zip-version-not-implemented.zip").read_bytes()):
        items = list(read_bytes(raw, "bundle.zip"))
        _only_records(items)
        assert [type(i) for i in items] == [IngestError]
        assert "zip file version 12.7" in items[0].reason


def test_long_run_of_quotes_in_a_tsv_reads_its_rows(monkeypatch):
    """The campaign's hang: a TSV with a run of ~15,000 double quotes kept csv.Sniffer's quote regexes (which
    backtrack cubically) busy for minutes, past the 30 s read budget. The delimiter now comes from the header
    line in one linear pass; the Sniffer must not be asked at all."""
    import csv

    def no_sniffing(*args, **kwargs):
        raise AssertionError("csv.Sniffer used")

    monkeypatch.setattr(csv.Sniffer, "sniff", no_sniffing)
    items = list(read_bytes((INPUTS / "tsv-long-quote-run.tsv").read_bytes(), "feed.tsv"))
    _only_records(items)
    assert not any("took over" in getattr(i, "reason", "") for i in items)
    good = [i for i in items if isinstance(i, Article)]
    assert good and all(i.publication == "Seed Wire" for i in good)  # the tab-separated columns were found


@pytest.mark.parametrize("header, name, delimiter, padded", [
    ("title,text,url", "a.csv", ",", False),
    ("title\ttext\turl", "a.tsv", "\t", False),
    ("title\ttext\turl", "a.csv", "\t", False),  # the header, not the name, decides
    ("titel;text;datum", "a.csv", ";", False),
    ("titel;text,body;datum", "a.csv", ";", False),  # a stray comma in a column name
    ('"text, in full";title', "a.csv", ";", False),  # quoted commas do not count
    ("title|text", "a.csv", "|", False),
    ("title, text, url", "a.csv", ",", True),
    ("text", "a.tsv", "\t", False),  # one column: the name decides
    ("title\ttext, body", "a.tsv", "\t", False),  # a tie: the name decides
])
def test_csv_dialect_from_the_header_line(header, name, delimiter, padded):
    from wiredesk.ingest.readers import csv_dialect

    dialect = csv_dialect(header + "\r\nA,B\n", name)
    assert (dialect.delimiter, dialect.skipinitialspace, dialect.quotechar) == (delimiter, padded, '"')
