"""The ancestor chain the location features read (``geo.features._ancestors``): the token, its heads to the
root, the root repeated to 40 entries (the length the trained model's features were computed with)."""

from __future__ import annotations

from wiredesk.geo.features import _ancestors
from wiredesk.nlp import spacy_pipeline


def test_chain_walks_to_the_root_then_repeats_it_to_forty():
    doc = spacy_pipeline()("Rebels shelled a school in the northern town of Tal Afar on Monday.")
    for tok in doc:
        chain = _ancestors(tok)
        assert len(chain) == 40
        walked = [tok.i]
        while doc[walked[-1]].head.i != walked[-1]:
            walked.append(doc[walked[-1]].head.i)
        assert [t.i for t in chain] == walked + [walked[-1]] * (40 - len(walked))
        assert chain[-1].dep_ == "ROOT"


def test_sentence_text_is_read_once_and_kept():
    from wiredesk.geo.locate import _text

    doc = spacy_pipeline()("Police clashed with protesters in Basra s main square.")
    assert _text(doc) == doc.text
    assert _text(doc) is _text(doc)
