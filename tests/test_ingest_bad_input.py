"""Bad input: every broken file is one clear error with its path, and the run goes on."""

from __future__ import annotations

import gzip
import io
import zipfile

from wiredesk.ingest import IngestOptions, iter_articles, read_bytes
from wiredesk.model import Article, IngestError
from wiredesk.settings import IngestLimits

STORY = "The army said it had carried out a tactical redeployment to protect civilians in the north. " * 3


def one_error(items):
    items = list(items)
    assert len(items) == 1 and isinstance(items[0], IngestError), items
    assert "\n" not in items[0].reason
    return items[0]


def test_binary_and_empty(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\x00\x01\x02" * 100)
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text(STORY)
    items = list(iter_articles(sorted(tmp_path.iterdir())))
    assert "PDF" in items[0].reason and items[0].path.endswith("a.pdf")
    assert items[1].reason == "empty file"
    assert isinstance(items[2], Article)  # the run goes on


def test_file_over_size_limit_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    err = one_error(iter_articles([path]))
    assert "200.0 MB" in err.reason and "limit" in err.reason


def test_invalid_utf8_is_decoded():
    latin = ("Le président a déclaré que les négociations reprendraient à Genève. " * 5).encode("cp1252")
    [article] = list(read_bytes(latin, "x.txt"))
    assert "président" in article.raw_text and article.meta["encoding"] != "utf-8"


def test_deeply_nested_and_truncated_html():
    nested = ("<div>" * 5000) + f"<p>{STORY}</p>" + ("</div>" * 5000)
    got = list(read_bytes(nested.encode(), "deep.html"))
    assert isinstance(got[0], Article) and "redeployment" in got[0].raw_text
    truncated = f"<html><body><article><p>{STORY}</p><p>And then the".encode()
    got = list(read_bytes(truncated, "cut.html"))
    assert isinstance(got[0], Article) and "redeployment" in got[0].raw_text


def test_zip_bomb_member_refused_others_read():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.txt", b"0" * (50 * 1024 * 1024))
        z.writestr("ok.txt", STORY)
    items = list(read_bytes(buf.getvalue(), "x.zip"))
    bomb = [i for i in items if isinstance(i, IngestError)]
    assert len(bomb) == 1 and "bomb" in bomb[0].reason and bomb[0].path == "x.zip!bomb.txt"
    assert any(isinstance(i, Article) for i in items)


def test_gzip_bomb_refused():
    data = gzip.compress(b" " * (30 * 1024 * 1024))
    err = one_error(read_bytes(data, "x.txt.gz"))
    assert "bomb" in err.reason


def test_archive_total_limit():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for i in range(3):
            z.writestr(f"{i}.txt", (STORY + str(i)) * 40)
    options = IngestOptions(limits=IngestLimits(max_archive_bytes=25_000))
    items = list(read_bytes(buf.getvalue(), "x.zip", options))
    assert isinstance(items[0], Article) and isinstance(items[-1], IngestError)
    assert "in total" in items[-1].reason


def test_billion_laughs_never_expanded():
    xml = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document><token t_id="1">&lol3;</token></Document>"""
    err = one_error(read_bytes(xml, "lol.xml"))
    assert "entit" in err.reason
    err = one_error(read_bytes(xml.replace(b"<Document>", b"<html><body>"), "lol.html"))
    assert "entit" in err.reason


def test_unreadable_file(tmp_path, monkeypatch):
    path = tmp_path / "secret.txt"
    path.write_text(STORY)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    # Tests run as root in CI, where chmod 000 does not stop reading: refuse at open() instead.
    monkeypatch.setattr("wiredesk.ingest.open", denied, raising=False)
    err = one_error(iter_articles([path]))
    assert err.reason.startswith("permission denied") and err.path == str(path)


def test_malformed_csv_and_parquet():
    err = one_error(read_bytes(b"PAR1 not really parquet", "x.parquet"))
    assert "Parquet" in err.reason
    items = list(read_bytes(b"title,text\nA,\n", "x.csv"))
    assert isinstance(items[0], IngestError) and "empty" in items[0].reason
