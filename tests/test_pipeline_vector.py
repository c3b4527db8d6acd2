"""The story vector's int8 MiniLM (``nlp.article_embedder``): built from the pinned model, cached once per
machine, and close enough to the pinned model that stories built on it do not change beyond noise."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import synthetic_articles
from wiredesk import nlp
from wiredesk.link import article_text_for_vector


@pytest.fixture(scope="module")
def lead_texts(tmp_path_factory):
    arts = synthetic_articles(tmp_path_factory.mktemp("synth"), 40, seed=23, words=200)
    return list(dict.fromkeys(article_text_for_vector(a) for a in arts))


def test_int8_story_vectors_stay_close_to_the_pinned_model(lead_texts):
    assert len(lead_texts) >= 10
    fast = np.vstack([nlp.embed_articles([t]) for t in lead_texts])
    # the pinned model reading the same wordpieces (the story vector reads the first STORY_VECTOR_TOKENS)
    pinned_embedder = nlp.SentenceEmbedder(max_tokens=nlp.STORY_VECTOR_TOKENS)
    pinned = np.vstack([pinned_embedder([t]) for t in lead_texts])
    assert fast.shape == pinned.shape == (len(lead_texts), 384)
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)
    # each vector points where the pinned model's does ...
    assert (fast * pinned).sum(axis=1).min() > 0.97
    # ... and the similarities stories are cut on move little (per-channel quantisation: ~0.01 on average)
    upper = np.triu_indices(len(lead_texts), 1)
    drift = np.abs(fast @ fast.T - pinned @ pinned.T)[upper]
    assert drift.mean() < 0.03 and drift.max() < 0.1
    # not the same model by accident: the products really are quantised
    assert not np.allclose(fast, pinned, atol=1e-4)


def test_int8_model_is_built_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("WIREDESK_CACHE_DIR", str(tmp_path))
    built = nlp.minilm_dynamic_int8()
    assert built.parent == tmp_path and built.stat().st_size > 1_000_000
    assert [p.name for p in tmp_path.iterdir()] == [built.name]  # no temporary files left behind
    stamp = built.stat().st_mtime_ns
    assert nlp.minilm_dynamic_int8() == built and built.stat().st_mtime_ns == stamp  # reused, not rebuilt
    assert "MatMulInteger" in built.read_bytes().decode("latin-1")


def test_unwritable_cache_falls_back_to_a_private_temp_dir(tmp_path, monkeypatch):
    # A cache path under a regular file cannot be created by anyone (root included), like a read-only home.
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("WIREDESK_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(nlp.tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    built = nlp.minilm_dynamic_int8()
    assert built.is_file() and built.parent.parent == tmp_path / "tmp"
    assert "MatMulInteger" in built.read_bytes().decode("latin-1")


def test_story_vector_reads_only_the_first_wordpieces(lead_texts):
    embedder = nlp.article_embedder()
    long_text = max(lead_texts, key=len)
    pieces = embedder.tokenizer.encode(long_text).ids
    assert len(pieces) == nlp.STORY_VECTOR_TOKENS  # synthetic title+lead texts are longer than the cut
    # words past the cut do not reach the vector ...
    same = nlp.embed_articles([long_text + " Officials in Lima noted that talks on copper stalled in 2011."])[0]
    assert np.allclose(nlp.embed_articles([long_text])[0], same, atol=1e-6)
    # ... and a text within the cut is read whole, as the model's full 128 wordpieces would read it
    short = "France and Germany: phone on energy security. Macron and Scholz spoke by telephone on Monday."
    full = nlp.SentenceEmbedder(nlp.minilm_dynamic_int8(), max_tokens=128, unfused_norms=nlp.UNFUSED_NORMS)
    assert len(full.tokenizer.encode(short).ids) < nlp.STORY_VECTOR_TOKENS
    assert np.allclose(nlp.embed_articles([short])[0], full([short])[0], atol=1e-6)


def test_lean_graphs_give_the_quantised_models_states_bit_for_bit(lead_texts):
    """The story vector's graph without NaN guards (and, unpadded, without the mask) is the same function on what
    it is fed: one text at a time (no padding: the unmasked copy runs) and batches with padding (the masked one)."""
    import onnx

    masked, unmasked = nlp.lean_graphs(nlp.minilm_dynamic_int8())
    ops = {p: [n.op_type for n in onnx.load(str(p)).graph.node] for p in (nlp.minilm_dynamic_int8(), masked, unmasked)}
    assert "IsNaN" in ops[nlp.minilm_dynamic_int8()] and "IsNaN" not in ops[masked] and "IsNaN" not in ops[unmasked]
    assert len(ops[unmasked]) < len(ops[masked]) < len(ops[nlp.minilm_dynamic_int8()])
    plain = nlp.SentenceEmbedder(nlp.minilm_dynamic_int8(), max_tokens=nlp.STORY_VECTOR_TOKENS)
    lean = nlp.SentenceEmbedder(masked, max_tokens=nlp.STORY_VECTOR_TOKENS, unmasked=unmasked)
    short = "France and Germany: phone on energy security."
    for texts in ([t] for t in lead_texts[:8] + [short]):
        states, mask, _ = lean.token_states(texts)
        assert mask.all() and lean._session is None  # unpadded: only the unmasked copy has run
        assert np.array_equal(states, plain.token_states(texts)[0])
    padded = [short, *lead_texts[:3]]
    states, mask, _ = lean.token_states(padded)
    assert not mask.all() and lean._session is not None
    assert np.array_equal(states, plain.token_states(padded)[0])
    assert np.array_equal(lean(padded), plain(padded))
    # the copy with fixed dimensions runs on inputs of its shape, with the same states as the pipeline's unfused
    # norms give without it (with onnxruntime's fused norm kernel the last bit may differ: it takes another path)
    full = nlp.fixed_shape_graph(unmasked, (1, nlp.STORY_VECTOR_TOKENS))
    plain = nlp.SentenceEmbedder(masked, max_tokens=nlp.STORY_VECTOR_TOKENS, unmasked=unmasked, unfused_norms=True)
    fixed = nlp.SentenceEmbedder(masked, max_tokens=nlp.STORY_VECTOR_TOKENS, unmasked=unmasked, full=full,
                                 unfused_norms=True)
    assert fixed.full_shape == (1, nlp.STORY_VECTOR_TOKENS)
    calls = []
    real_run = fixed.full.run
    fixed.full = type("Counted", (), {"run": lambda self, *a: calls.append(1) or real_run(*a)})()
    long_text = max(lead_texts, key=len)
    for text in lead_texts:
        assert np.array_equal(fixed.token_states([text])[0], plain.token_states([text])[0])
    assert len(calls) == sum(len(fixed.tokenizer.encode(t).ids) == nlp.STORY_VECTOR_TOKENS for t in lead_texts) > 0
    calls.clear()
    assert np.array_equal(fixed.token_states([long_text])[0], plain.token_states([long_text])[0]) and calls == [1]
    assert np.array_equal(fixed.token_states([short])[0], plain.token_states([short])[0]) and calls == [1]
    # the pipeline's story vectors come from the lean copies
    assert nlp.LEAN_STORY_GRAPH and nlp.article_embedder().unmasked is not None
    assert nlp.article_embedder().full_shape == (1, nlp.STORY_VECTOR_TOKENS)


def test_story_vectors_with_unfused_norms_stay_close_to_the_fused_ones(lead_texts):
    """``UNFUSED_NORMS``: the residual sums round differently, so the vectors move a little, never far."""
    masked, unmasked = nlp.lean_graphs(nlp.minilm_dynamic_int8())
    fused = nlp.SentenceEmbedder(masked, max_tokens=nlp.STORY_VECTOR_TOKENS, unmasked=unmasked)
    apart = nlp.SentenceEmbedder(masked, max_tokens=nlp.STORY_VECTOR_TOKENS, unmasked=unmasked, unfused_norms=True)
    a = np.vstack([fused([t]) for t in lead_texts])
    b = np.vstack([apart([t]) for t in lead_texts])
    assert not np.array_equal(a, b)  # the option reaches onnxruntime
    assert (a * b).sum(axis=1).min() > 0.99
    upper = np.triu_indices(len(lead_texts), 1)
    assert np.abs(a @ a.T - b @ b.T)[upper].max() < 0.02
    assert nlp.UNFUSED_NORMS and nlp.article_embedder().unfused_norms
