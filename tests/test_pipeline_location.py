"""Event location scored for a whole batch in one model call (``pipeline.locate_batch``, ``geo.choose.rank_batch``):
the locations must be the ones one call per event sentence gives, and the model must be called once."""

from __future__ import annotations

import copy

import pytest

from wiredesk import ingest, nlp, pipeline
from wiredesk.engine.sources import expand
from wiredesk.geo import choose
from wiredesk.model import Article


@pytest.fixture(scope="module")
def articles(examples_dir):
    paths = [s.path for s in expand([str(examples_dir)])]
    return [a for a in ingest.iter_articles(paths, None) if isinstance(a, Article)][:12]


def _counting_predict(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = choose.predict

    def counting(model, feats):
        calls.append(len(feats))
        return real(model, feats)

    monkeypatch.setattr(choose, "predict", counting)
    return calls


def test_batched_location_gives_the_per_sentence_locations(articles, monkeypatch):
    monkeypatch.setattr(pipeline, "LOCATE_IN_BATCH", False)
    calls = _counting_predict(monkeypatch)
    alone = pipeline.process_batch(copy.deepcopy(articles))
    calls_alone = len(calls)
    monkeypatch.setattr(pipeline, "LOCATE_IN_BATCH", True)
    calls.clear()
    batched = pipeline.process_batch(copy.deepcopy(articles))
    mentions = [m.to_dict() for a in batched for m in a.mentions]
    assert mentions == [m.to_dict() for a in alone for m in a.mentions]
    assert sum(1 for a in batched for m in a.mentions if m.location is not None) > 10
    # one call for the batch; any further call is for a sentence reparsed to repair an apostrophe
    assert calls_alone > 10
    assert 1 <= len(calls) < calls_alone / 5


def test_rank_batch_equals_rank_locations_alone():
    texts = ["Israeli aircraft struck targets in Gaza City on Tuesday, officials in Ramallah said.",
             "Soldiers from Chad were killed in Abeche, near the border with Sudan.",
             "The rebels captured Lubumbashi in Shaba province."]
    docs = list(nlp.parse(texts))
    requests = []
    for doc, verb in zip(docs, ["struck", "killed", "captured"]):
        start = doc.text.index(verb)
        requests.append((doc, start, start + len(verb)))
    fresh = list(nlp.parse(texts))
    alone = [choose.rank_locations(d, s, e) for d, (_, s, e) in zip(fresh, requests)]
    batched = choose.rank_batch(requests + requests[:1])  # a repeated request is answered too
    as_spans = lambda ranked: [(c.start, c.end, c.label, p) for c, p in ranked]  # noqa: E731
    assert [as_spans(r) for r in batched[:3]] == [as_spans(r) for r in alone]
    assert as_spans(batched[3]) == as_spans(alone[0])
    assert all(len(r) >= 2 for r in alone)
    # the kept answer is what rank_locations now returns, without scoring again
    assert [as_spans(choose.rank_locations(d, s, e)) for d, s, e in requests] == [as_spans(r) for r in alone]


def test_a_kept_ranking_is_not_used_once_the_entities_change():
    doc = nlp.parse_without_entities(["Rebels attacked Goma on Sunday."])
    doc = list(doc)[0]
    start = doc.text.index("attacked")
    without = choose.rank_batch([(doc, start, start + 8)])[0]
    list(nlp.add_entities([doc]))
    fresh = list(nlp.parse(["Rebels attacked Goma on Sunday."]))[0]
    expected = [(c.start, c.end, c.label, p) for c, p in choose.rank_locations(fresh, start, start + 8)]
    assert [(c.start, c.end, c.label, p) for c, p in choose.rank_locations(doc, start, start + 8)] == expected
    assert [c.label for c, _ in without] != [c.label for c, _ in choose.rank_locations(doc, start, start + 8)]
