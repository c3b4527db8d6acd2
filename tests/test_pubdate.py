"""Publication dates: basis, confidence, rejected site dates, datelines; accuracy on the team-written set."""

from __future__ import annotations

import json
from pathlib import Path

from wiredesk.clean import clean_article
from wiredesk.ingest import iter_articles
from wiredesk.ingest.ids import article_id
from wiredesk.ingest.pubdate import assign_publication_date
from wiredesk.model import Article

SET = Path(__file__).parent / "data" / "ingest" / "pubdate"
BODY = "Foreign ministers agreed on Tuesday to reopen the grain corridor for another 120 days, officials said."


def dated(text: str, url: str | None = None) -> Article:
    article = Article(id=article_id(text), path="x.txt", raw_text=text, url=url)
    return assign_publication_date(clean_article(article))


def test_banner_only_gives_null_with_rejected_candidate():
    article = dated(f"Welcome to Meridian Post | Sunday, 22 November 2026\nGrain deal agreed\n\n{BODY}\n")
    assert article.published is None and article.published_basis is None
    [cand] = article.published_candidates
    assert cand.value == "2026-11-22" and cand.basis == "banner" and "banner" in cand.rejected


def test_header_date_beats_banner_and_copyright():
    article = dated("Welcome to Meridian Post | Sunday, 22 November 2026\nGrain deal agreed\nThe Meridian Post\n"
                    f"Published 14:05 GMT, March 5th 2024\n\n{BODY}\n\n© 2025 The Meridian Post\n")
    assert (article.published, article.published_basis) == ("2024-03-05", "header")
    rejected = {c.basis: c.rejected for c in article.published_candidates if c.rejected}
    assert "banner" in rejected and rejected["copyright"] == "copyright year"


def test_dateline_parsed_into_dict():
    article = dated(f"Grain deal agreed\nWire\n\nGeneva, 17 July 2023 (CWA): {BODY}\n")
    assert article.published == "2023-07-17" and article.published_basis == "dateline"
    assert article.dateline == {"place": "Geneva", "date": "2023-07-17", "agency": "CWA",
                                "text": "Geneva, 17 July 2023 (CWA):"}


def test_partial_dateline_takes_year_from_header():
    article = dated(f"Deal agreed\ndate 2024-02-19\n\nLONDON, Feb 19 (Reuters) - {BODY}\n")
    assert article.dateline["date"] == "2024-02-19" and article.dateline["agency"] == "Reuters"
    assert article.published == "2024-02-19" and article.published_confidence > 0.9  # two sources agree


def test_url_date_and_read_more_dates():
    article = dated(f"Deal agreed\n\n{BODY}\n\nRead More: Floods close road (Updated 3 May 2023)\n",
                    url="https://news.example/world/2023/04/30/deal")
    assert (article.published, article.published_basis) == ("2023-04-30", "url")
    other = [c for c in article.published_candidates if c.value == "2023-05-03"]
    assert other and "another story" in other[0].rejected


def test_team_written_set_accuracy():
    gold = json.loads((SET / "gold.json").read_text())["gold"]
    assert len(gold) >= 40
    right = 0
    for name, truth in gold.items():
        [article] = [a for a in iter_articles([SET / name]) if isinstance(a, Article)]
        right += assign_publication_date(clean_article(article)).published == truth
    assert right / len(gold) >= 0.95
