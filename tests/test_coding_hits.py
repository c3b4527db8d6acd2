"""The trigger search's word lists (``rules.doc_words``) and its phrase index: the same hits as before, found
from the lemmas the Doc keeps."""

from __future__ import annotations

import dataclasses

from wiredesk.coding.lexicon import Trigger, lexicon
from wiredesk.coding.rules import doc_words, find_hits
from wiredesk.nlp import spacy_pipeline


def _doc(text: str):
    return spacy_pipeline()(text)


def test_doc_words_are_the_tokens_lemmas_and_forms_kept_on_the_doc():
    doc = _doc("Troops Opened fire on the protesters in Kyiv.")
    lemmas, lowers = doc_words(doc)
    assert lemmas == [t.lemma_.lower() for t in doc]
    assert lowers == [t.lower_ for t in doc]
    assert doc_words(doc) is doc_words(doc)  # read once


def test_a_phrase_is_found_at_each_place_it_occurs():
    doc = _doc("Police rounded up students on Monday and rounded up journalists on Tuesday.")
    hits = find_hits(doc, lexicon())
    phrases = sorted(h.tokens for h in hits.values() if h.trigger.kind == "p")
    assert phrases == [(1, 2), (7, 8)]
    assert all(hits[t[0]].trigger.lemma == "round up" for t in phrases)


def test_the_longest_phrase_wins_over_a_shorter_one_inside_it():
    # "military exercise" is a line of its own; inside "joint military exercise" it is no second hit
    hits = find_hits(_doc("The navies began a joint military exercise near the strait."), lexicon())
    assert [(h.trigger.lemma, h.tokens) for h in hits.values() if h.trigger.kind == "p"] == \
        [("joint military exercise", (4, 5, 6))]


def test_a_phrase_that_would_run_past_the_sentence_end_is_not_matched():
    hits = find_hits(_doc("Soldiers were told to open"), lexicon())
    assert not [h for h in hits.values() if h.trigger.kind == "p"]


def test_another_lexicon_object_uses_its_own_phrases():
    lex = lexicon()
    doc = _doc("The envoys held a tea party with the rebels.")
    assert not [h for h in find_hits(doc, lex).values() if h.trigger.kind == "p"]
    extra = Trigger("p", "tea party", frozenset(), "CONSULT", None, None, None)
    other = dataclasses.replace(lex, phrases=((("tea", "party"), extra), *lex.phrases))
    doc = _doc("The envoys held a tea party with the rebels.")
    hits = find_hits(doc, other)
    assert [h.trigger for h in hits.values() if h.trigger.kind == "p"] == [extra]


def _summary(found):
    frames, hits = found
    return [(f.hit.i, f.event, list(f.mode), list(f.flags), f.confidence) for f in frames], sorted(hits)


def test_a_search_that_read_no_entity_is_kept_after_ner_and_one_that_did_is_redone():
    from wiredesk import nlp
    from wiredesk.coding import coder

    # no object-constrained line tried, no capitalised month: the entities cannot change the frames
    doc = next(nlp.parse_without_entities(["Russian troops shelled Kharkiv on Tuesday."]))
    first = coder.frames_for(doc)
    list(nlp.add_entities([doc]))
    assert doc.ents
    assert coder.frames_for(doc) is first
    full = next(nlp.parse(["Russian troops shelled Kharkiv on Tuesday."]))
    assert _summary(first) == _summary(coder.frames_for(full))
    # "March" capitalised: the month test reads the entity type, so the Doc is searched again after NER
    doc = next(nlp.parse_without_entities(["Thousands marched in Paris on 10 March."]))
    first = coder.frames_for(doc)
    list(nlp.add_entities([doc]))
    again = coder.frames_for(doc)
    assert again is not first and _summary(again) == _summary(first)
