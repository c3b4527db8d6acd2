"""``nlp.AttributeRules`` replaces spaCy's attribute ruler in ``parse_without_entities``: every token must get the
tags, parts of speech, morphology, lemmas and dependencies the model's own pipeline gives."""

from __future__ import annotations

import pytest

from wiredesk import ingest, nlp
from wiredesk.analyze import split_sentences
from wiredesk.engine.sources import expand
from wiredesk.model import Article


def _signature(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


@pytest.fixture(scope="module")
def sentences(examples_dir) -> list[str]:
    paths = [s.path for s in expand([str(examples_dir)])]
    texts = [a.raw_text for a in ingest.iter_articles(paths, None) if isinstance(a, Article)]
    return [s.text for text in texts for s in split_sentences(text)]


def test_the_rules_are_taken_over_from_the_ruler():
    rules = nlp.attribute_rules()
    assert rules is not None
    ruler = nlp.spacy_pipeline().get_pipe(nlp.ATTRIBUTE_RULER)
    assert {r for table in rules.lookups.values() for rs in table.values() for r in rs} | \
        {r for table in rules.others.values() for ps in table.values() for r, _ in ps} == set(range(len(ruler.attrs)))


def test_same_annotations_as_the_spacy_pipeline(sentences):
    # news sentences plus the forms the ruler's rarer rules are about (several tokens, "NOT_IN", regular expressions)
    texts = sentences + ["There's no deal, and there are no talks, he said.", "I'm gonna tell you: we gotta go.",
                         "Let's see if it's nothin' at all.", "Y'all ain't seen him, didn't you?",
                         "They do not know whether he has left, though it gave him that."]
    full = [_signature(d) for d in nlp.spacy_pipeline().pipe(texts, disable=[nlp.NER])]
    fast = [_signature(d) for d in nlp.parse_without_entities(texts)]
    assert len(full) > 400
    assert fast == full


def test_same_annotations_when_the_rule_memo_is_emptied_on_the_way(sentences, monkeypatch):
    """``AttributeRules`` keeps the rules of each distinct token value; emptied every few tokens (as it is when it
    grows past ``MEMO_SIZE`` in a long run), it still gives the pipeline's annotations."""
    rules = nlp.attribute_rules()
    monkeypatch.setattr(rules, "MEMO_SIZE", 3)
    rules._memo.clear()
    texts = sentences[:120] + ["There's no deal, and there are no talks, he said.", "Y'all ain't seen him, didn't you?"]
    full = [_signature(d) for d in nlp.spacy_pipeline().pipe(texts, disable=[nlp.NER])]
    fast = [_signature(d) for d in nlp.parse_without_entities(texts)]
    assert fast == full
    assert len(rules._memo) <= 3


def test_lemmas_kept_per_word_pos_and_morphology_are_spacys(sentences, monkeypatch):
    """``LemmaMemo``: the rule lemmatizer is asked once per (word, POS, morphology); the lemmas are its own, also
    when the memo is emptied on the way."""
    lemmatizer = nlp.spacy_pipeline().get_pipe(nlp.LEMMATIZER)
    asked = []
    real = lemmatizer.lemmatize
    texts = sentences[:300]
    full = [_signature(d) for d in nlp.spacy_pipeline().pipe(texts, disable=[nlp.NER])]
    nlp._lemma_memo.cache_clear()
    monkeypatch.setattr(lemmatizer, "lemmatize", lambda token: asked.append(token.text) or real(token))
    fast = [_signature(d) for d in nlp.parse_without_entities(texts)]
    assert fast == full
    tokens = sum(len(s) for s in full)
    assert 0 < len(asked) < tokens / 2  # most tokens are words seen before with the same POS and morphology
    nlp._lemma_memo.cache_clear()
    monkeypatch.setattr(nlp.LemmaMemo, "SIZE", 50)
    assert [_signature(d) for d in nlp.parse_without_entities(texts)] == full
    nlp._lemma_memo.cache_clear()
