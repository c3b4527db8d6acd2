"""The header of a raw text is parsed once for cleaning and the publication-date finder (``parse_header`` keeps
the last one), and what they get is what a fresh parse gives."""

from __future__ import annotations

import dataclasses

from wiredesk.ingest import header

RAW = ("Welcome to Gulf Bulletin | Wednesday, 20 November 2024\nIran and Oman: sign border accord\n"
       "date 2024-03-05\n\nMUSCAT, March 5 (AGENCY) - Iran and Oman signed an accord on Tuesday.\n")
OTHER = "Kyiv Post\nUkraine asks for air defence\n\nKYIV - Ukraine asked its allies on Monday for air defence.\n"


def test_the_same_text_gets_the_header_parsed_before(monkeypatch):
    parses = []
    real = header._parse_header
    monkeypatch.setattr(header, "_parse_header", lambda text: parses.append(text) or real(text))
    first = header.parse_header(RAW)
    again = header.parse_header("".join(RAW))  # an equal string, not the same object
    assert again is first and parses == [RAW]
    other = header.parse_header(OTHER)
    assert parses == [RAW, OTHER] and dataclasses.asdict(other) == dataclasses.asdict(real(OTHER))
    assert header.parse_header(RAW) is not first and parses == [RAW, OTHER, RAW]  # only the last one is kept
    assert dataclasses.asdict(header.parse_header(RAW)) == dataclasses.asdict(real(RAW))
    assert first.title == "Iran and Oman: sign border accord"
    assert [h.kind for h in first.lines] == ["banner", "title", "date"]


def test_cleaning_and_the_publication_date_parse_an_article_header_once(monkeypatch):
    from wiredesk.clean import clean_article
    from wiredesk.ingest.pubdate import assign_publication_date
    from wiredesk.model import Article

    parses = []
    real = header._parse_header
    monkeypatch.setattr(header, "_parse_header", lambda text: parses.append(text) or real(text))
    article = Article(id="a1", path="a1.txt", raw_text=RAW + "\n", format="text")
    assign_publication_date(clean_article(article))
    assert parses == [RAW + "\n"]
    assert article.published and article.published.startswith("2024-03-05")
