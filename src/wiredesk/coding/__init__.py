"""PLOVER event coding from sentences (issue 6).

Public API::

    from wiredesk.coding import candidate_sentences, code_article, code_sentence
    idx = candidate_sentences(article)           # sentences worth parsing (trigger word + actor mention)
    mentions = code_article(article, docs)       # docs: sentence index -> spaCy Doc of that sentence
    code_sentence("Macron telephoned Scholz on Tuesday.", date="2023-05-02")   # one sentence, end to end

How events are found, which PLOVER conventions are applied and the measured accuracy: docs/coding.md.
"""

from __future__ import annotations

import hashlib

from wiredesk.model import Article, EventMention, Sentence

from .coder import candidate_sentences, code_article, frames_for


def code_sentence(text: str, date: str | None = None) -> list[EventMention]:
    """Code one sentence end to end: actors (wiredesk.actors), timexes (wiredesk.timex), parse, coder.

    ``date`` is the publication date the sentence is read against (relative dates, time-aware offices).
    """
    from wiredesk.nlp import spacy_pipeline

    article = Article(id=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16], text=text, raw_text=text,
                      published=date, sentences=[Sentence(0, 0, len(text), text)])
    docs = {0: spacy_pipeline()(text)}
    article.timexes = _timexes(text, date)
    article.actors = _resolver().resolve_article(article, docs)
    return code_article(article, docs)


def _resolver():
    from wiredesk.actors import get_resolver

    return get_resolver()


def _timexes(text: str, date: str | None):
    """Timexes from the team's temporal tagger; none when it is not available yet."""
    try:
        from wiredesk.timex import tag
    except ImportError:
        return []
    return tag(text, date)


__all__ = ["candidate_sentences", "code_article", "code_sentence", "frames_for"]
