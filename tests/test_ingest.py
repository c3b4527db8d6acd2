"""Ingestion of every supported format, from files, folders, globs, archives and bytes."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest

from wiredesk.ingest import IngestOptions, iter_articles, read_bytes
from wiredesk.ingest.ids import article_id
from wiredesk.model import Article, IngestError

DATA = Path(__file__).parent / "data" / "ingest"
STORY = ("Rebel fighters captured a strategic town on the northern border on Saturday after government troops "
         "withdrew overnight, residents and a military source said.")


def articles(items):
    return [x for x in items if isinstance(x, Article)]


def errors(items):
    return [x for x in items if isinstance(x, IngestError)]


def test_article_id_ignores_whitespace_layout():
    assert article_id("A  b\n\nc ") == article_id("A b c")
    assert len(article_id("x")) == 16
    assert article_id("A b c") != article_id("A b d")


def test_plain_text_header_gives_title_and_outlet(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(f"Rebels seize border town\nThe Northern Ledger\ndate 2023-05-03\n\n{STORY}\n")
    [article] = list(iter_articles([path]))
    assert article.title == "Rebels seize border town"
    assert article.publication == "The Northern Ledger"
    assert article.path == str(path)
    assert article.format == "text"


def test_markdown_front_matter(tmp_path):
    path = tmp_path / "story.md"
    path.write_text(f"---\ntitle: Rebels seize town\ndate: 2023-05-03\nsource: Lakeside Ledger\n"
                    f"url: https://ledger.example/a\n---\n\n{STORY}\n")
    [article] = list(iter_articles([path]))
    assert (article.title, article.publication, article.url) == ("Rebels seize town", "Lakeside Ledger",
                                                                 "https://ledger.example/a")


def test_html_page_gives_text_title_site_url_and_dates():
    [article] = list(iter_articles([DATA / "pubdate" / "html" / "h01-meta-published.html"]))
    assert article.format == "html"
    assert article.publication == "The Courier"
    assert "grain corridor" in article.raw_text and "<p>" not in article.raw_text
    assert any(d["value"] == "2024-03-05" and d["kind"] == "published" for d in article.meta["html_dates"])


def test_jsonl_bad_lines_are_errors_good_lines_kept(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [json.dumps({"headline": "One", "body": STORY, "link": "https://a.example/1", "outlet": "A"}),
             "{not json",
             json.dumps({"headline": "Two", "body": STORY + " Again.", "published": "2023-05-04"}),
             json.dumps(["a", "list"])]
    path.write_text("\n".join(lines) + "\n")
    items = list(iter_articles([path]))
    good, bad = articles(items), errors(items)
    assert [a.title for a in good] == ["One", "Two"]
    assert good[0].url == "https://a.example/1" and good[0].publication == "A"
    assert good[0].path == f"{path}#1" and good[1].meta["record_date"]["text"] == "2023-05-04"
    assert [e.path for e in bad] == [f"{path}#2", f"{path}#4"]
    assert "malformed JSON" in bad[0].reason


def test_column_mapping_options(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(f"story_body,hed,when\n\"{STORY}\",Rebels advance,2023-05-03\n")
    options = IngestOptions(text_col="story_body", title_col="hed", date_col="when")
    [article] = list(iter_articles([path], options))
    assert article.title == "Rebels advance" and article.raw_text == STORY
    assert article.meta["record_date"]["text"] == "2023-05-03"
    [err] = list(iter_articles([path], IngestOptions(text_col="nope")))
    assert "no column 'nope'" in err.reason


def test_parquet(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "feed.parquet"
    pq.write_table(pa.table({"text": [STORY, STORY + " More."], "title": ["a", "b"]}), path)
    got = articles(iter_articles([path]))
    assert [a.title for a in got] == ["a", "b"] and got[1].path == f"{path}#1"


def test_warc_gz_html_responses(tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    html = (DATA / "pubdate" / "html" / "h02-jsonld.html").read_bytes()
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, body, ctype in (("https://x.example/story", html, "text/html; charset=utf-8"),
                                 ("https://x.example/logo.png", b"\x89PNG....", "image/png")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    [article] = list(iter_articles([path]))
    assert article.url == "https://x.example/story" and article.format == "warc"
    assert article.publication == "Lakeside Ledger"


def test_gz_and_zip_of_other_formats(tmp_path):
    gz = tmp_path / "story.txt.gz"
    gz.write_bytes(gzip.compress(STORY.encode()))
    zpath = tmp_path / "bundle.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("inner/a.txt", STORY + " One.")
        z.writestr("b.jsonl", json.dumps({"text": STORY + " Two."}) + "\n")
    got = articles(iter_articles([gz, zpath]))
    assert [a.path for a in got] == [str(tmp_path / "story.txt"), f"{zpath}!inner/a.txt", f"{zpath}!b.jsonl#1"]


def test_same_article_twice_is_one_article(tmp_path):
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "b.txt").write_text(STORY.replace(" ", "  ") + "\n")
    assert len(articles(iter_articles([tmp_path]))) == 1


def test_folders_globs_and_missing_paths(tmp_path):
    sub = tmp_path / "x" / "y"
    sub.mkdir(parents=True)
    (sub / "one.txt").write_text(STORY)
    (tmp_path / "two.html").write_text(f"<html><body><article><p>{STORY} Two.</p></article></body></html>")
    (tmp_path / ".hidden.txt").write_text(STORY + " hidden")
    assert len(articles(iter_articles([tmp_path]))) == 2
    assert len(articles(iter_articles([str(tmp_path / "**" / "*.txt")]))) == 1
    [err] = list(iter_articles([tmp_path / "nope.txt"]))
    assert err.reason == "no such file or folder"


def test_read_bytes_sniffs_unknown_names():
    html = f"<!doctype html><html><body><article><p>{STORY}</p></article></body></html>".encode()
    assert articles(read_bytes(html, "upload"))[0].format == "html"
    assert articles(read_bytes(gzip.compress(STORY.encode()), "upload.bin"))[0].raw_text == STORY
    record = json.dumps({"text": STORY}).encode()
    assert articles(read_bytes(record, "upload"))[0].format == "record"


def test_ecbplus_xml_dispatch(shared_data):
    path = next((shared_data / "ecbplus" / "1").glob("1_1ecb.xml"))
    [article] = list(iter_articles([path]))
    assert article.format == "ecbplus" and "Tara Reid" in article.raw_text


def test_example_corpus_reads_without_errors(examples_dir):
    if not examples_dir.is_dir():
        pytest.skip("no example corpus")
    items = list(iter_articles([examples_dir]))
    # The corpus carries a deliberately broken JSON line: it must be a per-record error, the rest read.
    assert all("#" in e.path and "malformed JSON" in e.reason for e in errors(items))
    assert len(articles(items)) >= 10
