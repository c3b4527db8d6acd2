"""Cleaning: boilerplate removed with reasons, clean articles untouched, offsets back into the raw text."""

from __future__ import annotations

from wiredesk.clean import clean_article, inspect_paths, normalise_text
from wiredesk.ingest import read_bytes
from wiredesk.ingest.ids import article_id
from wiredesk.model import Article

SCRAPE = """Welcome to Meridian Post | Sunday, 22 November 2026
Home | World | Politics | Business | Sport | Sign in

Ministers agree to reopen grain corridor
The Meridian Post
By Helen Okafor, Diplomatic Correspondent
date 2023-07-17

GENEVA, 17 July 2023 (MPS): Foreign ministers agreed on Tuesday to reopen the grain corridor for  another 120 days.

Photo: Ships wait at the entrance to the Bosphorus. (AP Photo/Emrah Gurel)
Inspections will resume within a week, a Turkish official said.
Advertisement
GENEVA, 17 July 2023 (MPS): Shipping companies welcomed the decision.

Read More: Ten winter soups to make this week
Share this article: Facebook | Twitter | WhatsApp | Email
© 2023 The Meridian Post. All rights reserved.
"""


def make(text: str) -> Article:
    return Article(id=article_id(text), path="x.txt", raw_text=text)


def test_boilerplate_lines_removed_with_reasons():
    article = clean_article(make(SCRAPE))
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["Welcome to Meridian Post | Sunday, 22 November 2026"] == "banner"
    assert reasons["Read More: Ten winter soups to make this week"] == "read-more"
    assert reasons["Photo: Ships wait at the entrance to the Bosphorus. (AP Photo/Emrah Gurel)"] == "caption"
    assert reasons["Share this article: Facebook | Twitter | WhatsApp | Email"] == "share"
    assert reasons["© 2023 The Meridian Post. All rights reserved."] == "footer"
    assert reasons["Advertisement"] == "ad"
    assert reasons["date 2023-07-17"] == "header" and reasons["The Meridian Post"] == "header"
    assert reasons["GENEVA, 17 July 2023 (MPS):"] == "dateline-repeat"
    text = article.text
    assert text.startswith("Ministers agree to reopen grain corridor\n\nGENEVA, 17 July 2023 (MPS): Foreign")
    assert "soups" not in text and "Facebook" not in text and "Welcome" not in text and "©" not in text
    assert "another 120 days" in text  # double space collapsed
    assert "Shipping companies welcomed the decision." in text and text.count("GENEVA") == 1


def test_offsets_point_back_into_raw_text():
    article = clean_article(make(SCRAPE))
    for phrase in ("Foreign ministers", "another 120 days", "Inspections will resume", "Shipping companies"):
        start = article.text.index(phrase)
        raw_start = article.to_raw_offset(start)
        raw_end = article.to_raw_offset(start + len(phrase))
        assert article.raw_text[raw_start:raw_end].split() == phrase.split()


def test_clean_article_comes_through_untouched(shared_data):
    from wiredesk.ingest import iter_articles

    files = sorted((shared_data / "ecbplus").glob("3*/*.xml"))[:40]
    for item in iter_articles(files):
        if not isinstance(item, Article):
            continue
        raw = item.raw_text
        article = clean_article(make(raw))
        assert article.repairs == [] and article.damage == {}
        if not article.removed:
            assert article.text == normalise_text(raw)


def test_normalisation_quotes_whitespace_mojibake():
    raw = "The minister\u2019s \u201cplan\u201d  was   approved.\u00a0It cost \u00e2\u20ac\u0153nothing\u00e2\u20ac\u009d.\n"
    article = clean_article(make(raw))
    assert article.text == "The minister's \"plan\" was approved. It cost \"nothing\"."
    assert "mojibake-fixed" in article.quality


def test_language_detection_flags_non_english():
    french = ("Le président de la République a reçu mardi à l'Élysée le premier ministre italien pour parler de "
              "la situation en Ukraine et des questions migratoires en Méditerranée.")
    article = clean_article(make(french))
    assert article.language == "fr" and "non-english" in article.quality
    english = clean_article(make("The president received the Italian prime minister on Tuesday to discuss "
                                 "the situation in Ukraine and migration across the Mediterranean."))
    assert english.language == "en" and "non-english" not in english.quality


def test_inspect_paths_reports_articles_and_errors(tmp_path):
    (tmp_path / "a.txt").write_text(SCRAPE)
    (tmp_path / "b.bin").write_bytes(b"\x00\x01\x02" * 50)
    rows = list(inspect_paths([tmp_path]))
    assert [r["path"].rsplit("/", 1)[-1] for r in rows] == ["a.txt", "b.bin"]
    good, bad = rows
    assert good["published"] == "2023-07-17" and good["title"] == "Ministers agree to reopen grain corridor"
    assert {"id", "text", "removed", "repairs", "damage", "published_basis", "published_candidates", "language",
            "errors"} <= set(good)
    assert bad["id"] is None and bad["errors"] and "binary" in bad["errors"][0]


def test_html_text_is_cleaned_too():
    html = (b"<html><body><article><h1>Talks end</h1><p>Envoys ended two days of talks in Doha on Friday "
            b"without an agreement, officials said.</p><p>Read More: Markets rally on rate hopes</p>"
            b"</article></body></html>")
    [article] = list(read_bytes(html, "page.html"))
    article = clean_article(article)
    assert "Markets rally" not in article.text and "Envoys ended" in article.text


def test_language_comes_with_a_real_probability():
    from wiredesk.clean import detect_language
    from wiredesk.settings import CLEAN

    german = ("Die Regierung hat am Mittwoch beschlossen, die Steuern zu senken, sagte ein Sprecher in Berlin. "
              "Die Opposition kritisierte den Plan scharf.")
    lang, prob = detect_language(german)
    assert lang == "de" and prob >= CLEAN.language_min_prob
    # a run of names: langid's best guess is unsure, so it is no reason to flag an article non-English
    lang, prob = detect_language("Macron Xi Beijing Lula Brasilia Netanyahu Jerusalem Putin Biden Sochi Kyiv Zelensky")
    assert lang != "en" and prob < CLEAN.language_min_prob
