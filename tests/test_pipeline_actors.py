"""The pipeline's second actor pass reuses the first pass's mentions for sentences without a Doc until a parsed
sentence changes the resolver's memory (``Resolver.resolve_article(..., previous=...)``): the result must be the
one a full second pass gives, with less matching."""

from __future__ import annotations

import copy

import pytest

from wiredesk import analyze, ingest, nlp, pipeline
from wiredesk.actors import get_resolver
from wiredesk.engine.sources import expand
from wiredesk.model import Article


@pytest.fixture(scope="module")
def articles(examples_dir):
    paths = [s.path for s in expand([str(examples_dir)])]
    return [a for a in ingest.iter_articles(paths, None) if isinstance(a, Article)][:12]


def _signature(done: list[Article]) -> tuple[list[dict], list[dict]]:
    return [m.to_dict() for a in done for m in a.actors], [m.to_dict() for a in done for m in a.mentions]


def test_reusing_the_first_pass_gives_the_full_second_pass(articles, monkeypatch):
    resolver_type = type(get_resolver())
    real = resolver_type.resolve_article
    monkeypatch.setattr(resolver_type, "resolve_article",
                        lambda self, article, docs=None, previous=None: real(self, article, docs))
    full = pipeline.process_batch(copy.deepcopy(articles))
    monkeypatch.setattr(resolver_type, "resolve_article", real)
    spans: list[int] = []
    real_span = resolver_type._resolve_span

    def counting_span(self, *args, **kwargs):
        spans.append(1)
        return real_span(self, *args, **kwargs)

    monkeypatch.setattr(resolver_type, "_resolve_span", counting_span)
    reused = pipeline.process_batch(copy.deepcopy(articles))
    actors, mentions = _signature(reused)
    assert (actors, mentions) == _signature(full)
    assert len(actors) > 100 and len(mentions) > 10
    sentences = sum(len(a.sentences) for a in reused)
    # the first pass matches every sentence; the second pass fewer than all of them
    assert sentences < len(spans) < 2 * sentences


@pytest.mark.parametrize("text, later", [
    ("Reporter Tara Reid met the Ghanaian envoy in Accra. Reid later criticised Ghana.", "Reid"),
    ("Kwame Mensah, Ghana's foreign minister, met officials in Accra. Mensah said Ghana would sign the deal.",
     "Mensah"),
])
def test_a_parsed_sentence_that_changes_the_memory_rematches_later_sentences(text, later):
    # The first sentence's Doc adds a person (NER PERSON); only then does the surname in the second sentence,
    # which has no Doc, resolve: its first-pass mentions must not be reused.
    resolver = get_resolver()
    article = analyze.segment(Article(id="t", raw_text=text, text=text, published="2023-05-01"))
    first = resolver.resolve_article(article, None)
    docs = {0: next(nlp.parse([article.sentences[0].text]))}
    full = resolver.resolve_article(article, docs)
    assert later not in [m.text for m in first if m.sentence == 1]
    assert later in [m.text for m in full if m.sentence == 1]
    assert resolver.resolve_article(article, docs, first) == full
