"""Sentence and paragraph segmentation of clean article text.

A rule splitter, not spaCy's parser: it runs over every sentence of every article (most of which are never
parsed), so it must cost microseconds. It knows the abbreviations news prose uses ("Mr.", "U.S.", "Jan.",
"Gen.") and never splits inside them; paragraphs are blank-line separated blocks (or single lines, which is how
most scrapes arrive).
"""

from __future__ import annotations

import re

from wiredesk.model import Article, Sentence

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "rep", "sen", "gov", "pres",
    "st", "jr", "sr", "rev", "hon", "amb", "adm", "cmdr", "insp", "supt", "messrs",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
    "no", "nos", "vs", "etc", "approx", "inc", "ltd", "co", "corp", "dept", "est", "fig", "vol", "al",
}
# A candidate boundary: end punctuation (optionally closed by quotes/brackets), whitespace, then an opener.
_BOUNDARY = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\S)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)[.!?]?[\"'\u201d\u2019)\]]*$")


def _is_abbreviation(text: str, dot_at: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot_at - 20), dot_at + 1)
    if not m:
        return False
    word = m.group(1).rstrip(".")
    if word.lower() in _ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "S. Jaishankar", "U.S.", "U.N." (but a sentence may end in "U.S.").
    return len(word) == 1 and word.isupper() or ("." in word and len(word) <= 6 and word.replace(".", "").isupper())


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` with offsets and paragraph numbers.

    >>> [s.text for s in split_sentences("Mr. Macron met Mr. Scholz. They spoke.\\n\\nU.N. officials agreed.")]
    ['Mr. Macron met Mr. Scholz.', 'They spoke.', 'U.N. officials agreed.']
    """
    sentences: list[Sentence] = []
    para_start = 0
    paragraphs: list[tuple[int, int]] = []
    for m in _PARAGRAPH.finditer(text):
        paragraphs.append((para_start, m.start()))
        para_start = m.end()
    paragraphs.append((para_start, len(text)))
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        start = p_start
        block = text[p_start:p_end]
        for m in _BOUNDARY.finditer(block):
            end = p_start + m.start() + 1
            if _is_abbreviation(text, p_start + m.start()) and not _ends_acronym_sentence(text, p_start + m.end()):
                continue
            _append(sentences, text, start, end + (len(m.group(0).rstrip()) - 1), p_index)
            start = p_start + m.end()
        _append(sentences, text, start, p_end, p_index)
    return sentences


def _ends_acronym_sentence(text: str, next_at: int) -> bool:
    """After "U.S." a capitalised function word ("The", "He") starts a new sentence; a name does not."""
    nxt = text[next_at : next_at + 12].split(" ", 1)[0]
    return nxt in {"The", "He", "She", "It", "They", "We", "In", "On", "But", "A", "An", "This", "That"}


def _append(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        sentences.append(Sentence(index=len(sentences), start=start, end=end, text=text[start:end],
                                  paragraph=paragraph))


def segment(article: Article) -> Article:
    """Fill ``article.sentences`` from ``article.text``."""
    article.sentences = split_sentences(article.text)
    return article
