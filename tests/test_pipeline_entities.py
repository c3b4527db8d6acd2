"""NER only where a sentence can yield an event (``wiredesk.pipeline.needs_entities``): the events must be the
ones the full spaCy pipeline on every candidate sentence gives, while NER is skipped on some sentences."""

from __future__ import annotations

import copy

import pytest

from wiredesk import ingest, nlp, pipeline
from wiredesk.engine.sources import expand
from wiredesk.model import Article


@pytest.fixture(scope="module")
def articles(examples_dir):
    paths = [s.path for s in expand([str(examples_dir)])]
    return [a for a in ingest.iter_articles(paths, None) if isinstance(a, Article)][:12]


def _mentions(done: list[Article]) -> list[dict]:
    return [m.to_dict() for a in done for m in a.mentions]


def test_entities_only_where_frames_gives_the_full_pipelines_events(articles, monkeypatch):
    monkeypatch.setattr(pipeline, "ENTITIES_WHERE_FRAMES", False)
    everywhere = pipeline.process_batch(copy.deepcopy(articles))
    monkeypatch.setattr(pipeline, "ENTITIES_WHERE_FRAMES", True)
    with_ner: list[str] = []
    real_add = nlp.add_entities

    def counting_add(docs, batch_size=64):
        docs = list(docs)
        with_ner.extend(d.text for d in docs)
        yield from real_add(docs, batch_size=batch_size)

    monkeypatch.setattr(nlp, "add_entities", counting_add)
    selective = pipeline.process_batch(copy.deepcopy(articles))
    candidates = {a.sentences[i].text for a in selective for i in pipeline.candidates(a)}
    assert _mentions(selective) == _mentions(everywhere)
    assert len(_mentions(selective)) > 10
    # every sentence with an event had NER; some candidate sentence did not need it
    assert {m.text for a in selective for m in a.mentions} <= set(with_ner)
    assert set(with_ner) < candidates


def test_added_entities_equal_the_full_pipelines():
    texts = ["French President Emmanuel Macron met Chinese leader Xi Jinping in Beijing on Thursday.",
             "Commentators in the Saudi press noted that exports rose in March."]
    full = list(nlp.parse(texts))
    later = list(nlp.add_entities(list(nlp.parse_without_entities(texts))))
    sig = lambda d: [(t.text, t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_, t.ent_iob_) for t in d]  # noqa: E731
    assert [sig(d) for d in later] == [sig(d) for d in full]
    assert any(t.ent_type_ == "PERSON" for t in later[0])


def test_a_sentence_without_an_event_needs_no_entities():
    event, other = nlp.parse_without_entities(["Russia and China held talks in Moscow on Monday.",
                                               "Commentators in the Saudi press noted that exports rose."])
    assert pipeline.needs_entities(event)
    assert not pipeline.needs_entities(other)
    welcomed = next(nlp.parse_without_entities(["The minister welcomed Emmanuel Macron."]))
    assert pipeline.needs_entities(welcomed)  # a PERSON-object trigger line cannot match before NER


def test_a_sentence_no_trigger_line_can_match_is_not_parsed():
    # "cut" and "open" fire only with the objects their lexicon lines name; "out" only as "out of the question"
    assert not pipeline.a_trigger_line_can_match("The budget for the war was cut in 2021.")
    assert not pipeline.a_trigger_line_can_match("Analysts pointed out that a new factory opened in 2016.")
    assert pipeline.a_trigger_line_can_match("Ankara cut diplomatic ties with Tel Aviv.")
    assert pipeline.a_trigger_line_can_match("Troops opened fire on protesters.")
    assert pipeline.a_trigger_line_can_match("Moscow said a deal was out of the question.")
    assert pipeline.a_trigger_line_can_match("Kyiv said Moscow must free the children it holds.")  # obligation
    assert pipeline.a_trigger_line_can_match("The army released three women.")  # irregular plural of an object


def test_the_tighter_filter_keeps_every_event(articles, monkeypatch):
    kept = pipeline.process_batch(copy.deepcopy(articles))
    parsed = sum(len(pipeline.candidates(a)) for a in kept)
    monkeypatch.setattr(pipeline, "a_trigger_line_can_match", lambda text: True)
    everything = pipeline.process_batch(copy.deepcopy(articles))
    assert _mentions(kept) == _mentions(everything)
    assert parsed < sum(len(pipeline.candidates(a)) for a in everything)
