"""Batch-level sharing in the per-article phase: a sentence or lead that recurs in a batch (wire copies) is
analysed once, and every article still gets exactly what it gets when analysed on its own."""

from __future__ import annotations

import copy

import pytest

from conftest import synthetic_articles
from wiredesk import nlp
from wiredesk.engine import runner
from wiredesk.model import Article


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    found = synthetic_articles(tmp_path_factory.mktemp("synth"), 10, seed=5, words=300)
    # A verbatim copy of the first article under another id: its sentences and lead are certain to recur.
    twin = copy.deepcopy(found[0])
    twin.id, twin.path = twin.id + "-twin", twin.path + ".twin"
    return found + [twin]


def _record(article: Article, extras: dict) -> dict:
    d = article.to_dict()
    d.pop("id")
    d.pop("path")
    for m in d.get("mentions", []):
        m.pop("id", None)
        m.pop("article_id", None)
    return {"article": d, "extras": extras}


def test_batch_parses_each_sentence_once_and_matches_single_articles(articles, monkeypatch):
    alone = [_record(a, x[a.id]) for a in articles
             for done, x in [runner.analyse_batch([copy.deepcopy(a)])] for a in done]

    parsed: list[str] = []
    real_parse = nlp.parse_without_entities

    def counting_parse(texts, batch_size=64):
        texts = list(texts)
        parsed.extend(texts)
        yield from real_parse(texts, batch_size=batch_size)

    embedded: list[str] = []
    real_embed = nlp.embed_articles

    def counting_embed(texts):
        embedded.extend(texts)
        return real_embed(texts)

    monkeypatch.setattr(nlp, "parse_without_entities", counting_parse)
    monkeypatch.setattr(nlp, "embed_articles", counting_embed)
    done, extras = runner.analyse_batch([copy.deepcopy(a) for a in articles])
    together = [_record(a, extras[a.id]) for a in done]

    assert together == alone
    assert any(r["article"]["mentions"] for r in together)  # the comparison covers coded events
    assert len(parsed) == len(set(parsed)) > 0
    assert len(embedded) == len(set(embedded)) < len(articles)  # the twin's lead was not embedded again
