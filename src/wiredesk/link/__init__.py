"""Linking (issue 7): one record per real event.

Per-article phase (no other article needed): :func:`fingerprint` (MinHash of word 5-grams) and, optionally,
:func:`article_vector` (MiniLM embedding of title + lead, used for stories). Linking phase: :func:`link` turns the
article rows and coded mentions of many articles into canonical events, stories, near-copy groups and date
corrections; it never re-reads raw text. For corpora without PLOVER codes (ECB+) :mod:`wiredesk.link.mentions`
clusters annotated event mentions and :func:`cluster_documents` clusters articles into events.
See docs/linking.md.
"""

from __future__ import annotations

from wiredesk.link.copies import fingerprint_text, jaccard
from wiredesk.link.linker import (CorpusView, LinkResult, PartitionResult, corpus_view, link, link_mentions, merge,
                                  partition_key, partitions, story_records)
from wiredesk.link.stories import cluster_documents
from wiredesk.model import Article

__all__ = ["fingerprint", "article_vector", "text_vector", "link", "LinkResult", "cluster_documents", "jaccard",
           "CorpusView", "PartitionResult", "corpus_view", "link_mentions", "merge", "partition_key", "partitions",
           "story_records"]

#: Words of the lead that go into the story vector with the title.
LEAD_WORDS = 60


def fingerprint(article: Article) -> list[int]:
    """MinHash hash values of the article's clean text (raw text when cleaning has not run)."""
    return fingerprint_text(article.text or article.raw_text)


def article_text_for_vector(article: Article) -> str:
    """Title plus the first ``LEAD_WORDS`` words of the text: what the article is about, cheaply."""
    lead = " ".join((article.text or article.raw_text).split()[:LEAD_WORDS])
    title = (article.title or "").strip()
    return f"{title}. {lead}" if title and not lead.startswith(title) else lead


def article_vector(article: Article) -> list[float]:
    """MiniLM embedding (384 floats, L2-normalised) of title + lead, for the ``embedding`` article row key."""
    return text_vector(article_text_for_vector(article))


def text_vector(text: str) -> list[float]:
    """Story vector of a text already built by ``article_text_for_vector`` (the pipeline keys a batch's shared
    vectors by that text, so it embeds the key rather than building it again): MiniLM with int8 products
    (``nlp.embed_articles``), the one model every stored story vector comes from."""
    from wiredesk import nlp

    return [float(x) for x in nlp.embed_articles([text])[0]]
