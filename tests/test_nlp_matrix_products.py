"""``nlp.numpy_matrix_products``: the spaCy models multiply matrices with numpy instead of blis. The annotations
must be the ones the model gives with thinc's default blis products."""

from __future__ import annotations

import pytest
import spacy

from wiredesk import ingest, nlp
from wiredesk.analyze import split_sentences
from wiredesk.engine.sources import expand
from wiredesk.model import Article


def _signature(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
            for t in doc]


@pytest.fixture(scope="module")
def sentences(examples_dir) -> list[str]:
    paths = [s.path for s in expand([str(examples_dir)])]
    texts = [a.raw_text for a in ingest.iter_articles(paths, None) if isinstance(a, Article)]
    return list(dict.fromkeys(s.text for text in texts for s in split_sentences(text)))


def test_every_model_layer_uses_numpy_products():
    pipeline = nlp.spacy_pipeline()
    nodes = [node for _, c in pipeline.pipeline if hasattr(getattr(c, "model", None), "walk")
             for node in c.model.walk()]
    assert len(nodes) > 50
    assert all(getattr(node.ops, "use_blis", None) is False for node in nodes)


def test_same_annotations_as_with_blis_products(sentences):
    with_blis = spacy.load(nlp.SPACY_MODEL)  # thinc's default ops, as spaCy loads it
    assert any(getattr(node.ops, "use_blis", False) for node in with_blis.get_pipe("tok2vec").model.walk())
    expected = [_signature(d) for d in with_blis.pipe(sentences)]
    got = [_signature(d) for d in nlp.spacy_pipeline().pipe(sentences)]
    assert len(got) > 250
    assert got == expected
    assert sum(1 for sig in got for t in sig if t[7]) > 500  # entities were compared, not only absent
