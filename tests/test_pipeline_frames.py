"""The coder's frame search is kept on the Doc (``coding.coder.frames_for``): the pipeline's NER check and the coder
share one search per Doc, and a Doc that NER completes afterwards is searched again."""

from __future__ import annotations

from wiredesk import nlp
from wiredesk.coding import coder


def _fresh(doc):
    kept = doc.user_data.pop(coder._FRAMES, None)
    try:
        return coder.frames_for(doc)
    finally:
        if kept is not None:
            doc.user_data[coder._FRAMES] = kept


def _summary(found):
    frames, hits = found
    return [(f.hit.i, f.event, list(f.mode), list(f.flags), f.confidence) for f in frames], sorted(hits)


def test_frames_are_searched_once_per_doc_and_again_after_ner():
    text = "French President Emmanuel Macron welcomed Chancellor Olaf Scholz in Paris on Monday for talks on energy."
    doc = next(nlp.parse_without_entities([text]))
    assert not doc.ents
    first = coder.frames_for(doc)
    assert coder.frames_for(doc) is first  # kept: the same answer, not a new search
    list(nlp.add_entities([doc]))
    assert doc.ents  # NER found the people and the place
    after = coder.frames_for(doc)
    assert after is not first  # the entities changed, so the Doc was searched again ...
    assert _summary(after) == _summary(_fresh(doc))  # ... and the answer is what a fresh search gives
    assert any(f.event == "CONSULT" for f in after[0])
    full = next(nlp.parse([text]))
    assert _summary(after) == _summary(coder.frames_for(full))  # same as on spaCy's full pipeline


def test_a_frameless_doc_keeps_its_empty_answer():
    doc = next(nlp.parse_without_entities(["Commentators in the Saudi press noted that prices of copper rose."]))
    frames, _ = coder.frames_for(doc)
    assert frames == [] and coder.frames_for(doc)[0] is frames
