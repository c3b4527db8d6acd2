"""The none decision of the event-location chooser (issue 10): is the best-ranked place the event's location, or
does the sentence not place the event at all? Read from sentence features on top of the candidate scores."""

from __future__ import annotations

import pytest

from wiredesk.geo import choose
from wiredesk.geo.features import none_features, verb_token
from wiredesk.geo.train_location import NONE_CUT, cross_validated_none, none_rows, train_none


@pytest.fixture(scope="module")
def nlp():
    from wiredesk.nlp import spacy_pipeline

    return spacy_pipeline()


def _span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def test_none_features_read_the_kind_of_event(nlp):
    text = "The minister said the army will attack rebels in Homs next week."
    doc = nlp(text)
    verb = verb_token(doc, *_span(text, "attack"))
    f = none_features(doc, verb, [{"prep_on_verb": 1.0, "label=GPE": 1.0, "gaz=city_big": 1.0}, {}],
                      [0.7, 0.2], 0)
    assert f["v_modal"] == 1.0 and f["v_anc_say"] == 1.0 and f["v_say"] == 0.0
    assert f["p1"] == pytest.approx(0.7) and f["gap"] == pytest.approx(0.5) and f["ncand"] == 2.0
    assert f["b_prep_on_verb"] == 1.0 and f["b_label=GPE"] == 1.0 and f["b_gaz=city_big"] == 1.0
    assert f["v_lemma=attack"] == 1.0
    text = "Three soldiers were killed in Homs on Sunday."
    doc = nlp(text)
    plain = none_features(doc, verb_token(doc, *_span(text, "killed")), [{}], [0.9], 0)
    assert plain["v_modal"] == 0.0 and plain["v_anc_say"] == 0.0 and plain["v_has_pobj_loc_prep"] == 1.0
    assert plain["v_passive"] == 1.0 and plain["v_tag=VBN"] == 1.0


class _Cand:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


def test_none_rows_learn_only_where_the_decision_matters(nlp):
    text = "Gunmen attacked a checkpoint in Homs on Sunday."
    doc = nlp(text)
    verb = _span(text, "attacked")
    homs, sunday = _span(text, "Homs"), (0, 6)
    examples = [([homs], [_Cand(*homs), _Cand(*sunday)], [{}, {}]),   # best is gold: 1
                ([], [_Cand(*homs)], [{}]),                            # no location: 0
                ([homs], [_Cand(*homs), _Cand(*sunday)], [{}, {}]),   # best is wrong, a location exists: None
                ([homs], [], [])]                                      # no candidate: None
    probs = [[0.8, 0.1], [0.6], [0.2, 0.7], []]
    rows, targets = none_rows(examples, [doc] * 4, [verb] * 4, probs)
    assert targets == [1, 0, None, None]
    assert rows[0]["p1"] == pytest.approx(0.8) and rows[3] == {}


def test_train_none_learns_a_sentence_cue_and_cross_validates():
    # a synthetic cue: sentences whose verb is modal have no location, the others are placed at the best candidate
    rows, targets, examples = [], [], []
    for i in range(200):
        modal = i % 2 == 0
        rows.append({"p1": 0.6, "v_modal": float(modal)})
        targets.append(0 if modal else 1)
        examples.append(([] if modal else [(0, 4)], [_Cand(0, 4)], [{}]))
    model = train_none(rows, targets)
    assert model["threshold"] == NONE_CUT
    assert choose.predict_placed(model, [{"p1": 0.6, "v_modal": 1.0}])[0] < 0.2
    assert choose.predict_placed(model, [{"p1": 0.6, "v_modal": 0.0}])[0] > 0.8
    acc = cross_validated_none(examples, rows, targets, [True] * 200, [i % 4 for i in range(200)], 4)
    assert acc == 1.0
    # without the cue the decision cannot beat a coin toss on this data
    flat = [{"p1": 0.6} for _ in rows]
    assert cross_validated_none(examples, flat, targets, [True] * 200, [i % 4 for i in range(200)], 4) <= 0.5


def test_shipped_model_decides_none_with_its_none_model(nlp):
    model = choose._model()
    assert "none_model" in model and model["none_model"]["threshold"] == NONE_CUT
    texts = [("Gunmen attacked a checkpoint in Homs on Sunday, killing three soldiers.", "attacked"),
             ("The conflict has killed more than 120,000 people and displaced millions since it began.", "killed"),
             ("Officials in Cairo said the talks would resume in Geneva next month.", "resume")]
    for text, verb in texts:
        doc = nlp(text)
        span = _span(text, verb)
        best, ranked = choose.best_location(doc, *span)
        placed = choose.placed_probability(doc, *span)
        if not ranked:
            assert best is None and placed is None
            continue
        # the answer is the best-ranked candidate exactly when the none decision says so
        assert (best is not None) == (placed >= NONE_CUT)
        assert best is None or (best.start, best.end) == (ranked[0][0].start, ranked[0][0].end)
        # an explicit threshold still applies the old rule (one cut on the best candidate's probability)
        old, _ = choose.best_location(doc, *span, threshold=0.0)
        assert old is not None
    doc = nlp(texts[0][0])
    assert choose.choose_location(doc, *_span(texts[0][0], "attacked")) == _span(texts[0][0], "Homs")


def test_batched_none_decision_equals_the_one_alone(nlp):
    texts = ["Israeli aircraft struck targets in Gaza City on Tuesday, officials in Ramallah said.",
             "The minister said the army will attack rebels in Homs next week."]
    verbs = ["struck", "attack"]
    docs = [nlp(t) for t in texts]
    fresh = [nlp(t) for t in texts]
    requests = [(d, *_span(t, v)) for d, t, v in zip(docs, texts, verbs)]
    choose.rank_batch(requests)
    kept = [choose.placed_probability(d, s, e) for d, s, e in requests]
    alone = [choose.placed_probability(d, *_span(t, v)) for d, t, v in zip(fresh, texts, verbs)]
    assert kept == alone and all(p is not None for p in kept)
