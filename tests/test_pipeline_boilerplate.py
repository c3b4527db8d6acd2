"""``classify_line`` skips a pattern search when a line lacks every literal the pattern needs; the answers are
those of searching every line (the rules as they were), on real, generated and made-up boilerplate lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import synthetic_articles
from wiredesk.clean import boilerplate as bp


def searched(line: str) -> str | None:
    """The rules with every search run (``classify_line`` before the literal tests)."""
    words = len(line.split())
    if bp._AD.match(line):
        return "ad"
    if bp._READ_MORE.match(line) and words <= 40:
        return "read-more"
    if words <= 60 and (bp._CAPTION.match(line) or (words <= 45 and bp._PHOTO_CREDIT.search(line))):
        return "caption"
    if words <= 30 and (bp._SHARE_START.match(line) or len(bp._SOCIAL.findall(line)) >= 2):
        return "share"
    if words <= 40 and bp._FOOTER.search(line):
        return "footer"
    if words <= 16 and bp._TICKER.match(line):
        return "banner"
    return None


MADE_UP = [
    "© 2024 Gulf Bulletin. All rights reserved.", "(C) Reuters 2023", "Copyright Agence France-Presse",
    "ALL RIGHTS RESERVED", "Terms of Use | Privacy Policy | Cookie Settings", "This material may not be published",
    "Redistribution is prohibited.", "Distributed by Tribune Content Agency", "-- ENDS --", "ends", "(End)", "####",
    "Reporting by Jane Doe; Editing by John Roe", "REPORTING BY JANE DOE; EDITING BY JOHN ROE",
    "Share on Facebook Share on Twitter", "Email this  Copy link", "WhatsApp Telegram", "Follow us on X.com and Reddit",
    "Photo: AFP", "(AP Photo/Evan Vucci)", "Reuters/Jane Doe", "Credit: Getty", "Getty Images", "Soldiers (File)",
    "Photograph by Jane Doe", "Image caption: the summit", "(EPA Image: the summit)",
    # characters a case-insensitive match takes for ASCII letters: long s, Kelvin sign, capitals
    "ALL RIGHTſ RESERVED", "Coo\u212aie Policy", "TERMS OF SERVICE", "Share this on LinkedIn and Pinterest",
    "The ministers spoke of their shared concern, then parted at the end of the day.",
    "Officials may not be reached; the weekend talks ended.", "Instagram", "social media and e-mail",
]


def _lines(texts):
    return [line.strip() for text in texts for line in text.splitlines() if line.strip()]


def test_literal_tests_give_the_answers_of_searching_every_line(examples_dir, tmp_path):
    real = _lines(p.read_text(encoding="utf-8") for p in sorted(Path(examples_dir).rglob("*"))
                  if p.is_file() and p.suffix in (".txt", ".md", ".html", ".jsonl"))
    generated = _lines(a.raw_text for a in synthetic_articles(tmp_path, 60, seed=5, words=600))
    lines = real + generated + MADE_UP
    assert len(real) > 300 and len(generated) > 1000
    got = [bp.classify_line(line) for line in lines]
    assert got == [searched(line) for line in lines]
    # the made-up lines reach every rule the literals guard, so a literal missing from a list would show here
    made_up = dict(zip(MADE_UP, got[-len(MADE_UP):]))
    assert {made_up[x] for x in MADE_UP} >= {"footer", "share", "caption"}
    assert made_up["ALL RIGHTſ RESERVED"] == made_up["Coo\u212aie Policy"] == "footer"


@pytest.mark.parametrize("name", ["_PHOTO_CREDIT_LITERALS", "_SOCIAL_LITERALS", "_FOOTER_LITERALS"])
def test_each_literal_list_guards_lines_that_match(name):
    literals = getattr(bp, name)
    pattern = {"_PHOTO_CREDIT_LITERALS": bp._PHOTO_CREDIT, "_SOCIAL_LITERALS": bp._SOCIAL,
               "_FOOTER_LITERALS": bp._FOOTER}[name]
    for line in MADE_UP:
        if pattern.search(line):
            text = line if name == "_PHOTO_CREDIT_LITERALS" else line.casefold()
            assert any(w in text for w in literals), line


def test_without_literal_tests_every_line_is_searched(monkeypatch):
    monkeypatch.setattr(bp, "LITERAL_TESTS", False)
    assert [bp.classify_line(x) for x in MADE_UP] == [searched(x) for x in MADE_UP]
    assert bp._holds("no literal here", bp._FOOTER_LITERALS)
