"""Mention-level event coreference for text without PLOVER codes (ECB+): which event mentions corefer.

Each pair of mentions inside a group (an ECB+ topic) gets a coreference probability from a logistic regression
over cheap, interpretable features, and average-linkage agglomerative clustering cuts the dendrogram at a tuned
distance. Features of a pair:

* the head lemmas are equal; cosine of the lemmas' MiniLM embeddings (arrest ~ detain);
* cosine of the *contextual* MiniLM vectors of the trigger tokens (the trigger as used in its sentence) and of the
  two sentences;
* same document, same sentence, same predicted document cluster and the documents' similarity: mentions in
  articles about different happenings rarely corefer;
* word overlap of the arguments in the sentences (participants, time, location mentions);
* syntax of the trigger's head (spaCy): the overlap of its dependents' lemmas ("checked *into rehab*" vs "security
  check"), and whether it heads a reported clause ("police *said* that ..."): reporting events are usually
  distinct per source, so a same-lemma pair of reporting verbs ("said" / "said") rarely corefers. Both are
  generic syntax, not word lists, so they carry over to unseen topics.

The weights come from :func:`fit` on training groups (for ECB+, the train topics only) or the defaults in
``wiredesk.settings.MENTION_COREF``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from wiredesk.link.stories import agglomerate

#: Names of the pair features, in column order (``pair_features``).
FEATURES = ("same_lemma", "lemma_cos", "sentence_cos", "same_doc", "same_doc_cluster", "doc_similarity",
            "same_sentence", "arg_participant", "arg_object", "arg_time", "arg_location", "trigger_cos",
            "reporting", "same_lemma_both_reporting", "dependents")
ARGUMENT_KINDS = ("participant", "object", "time", "location")
_WORD = re.compile(r"\w+")
_CONTENT_POS = frozenset({"NOUN", "PROPN", "NUM", "ADP", "PART", "VERB", "ADJ"})
_NOMINAL_POS = frozenset({"NOUN", "PROPN", "NUM"})
_STOP = frozenset("the a an of in on at to for and or by with from his her their its this that".split())


@dataclass
class MentionSpan:
    """One event mention: where it is and what surrounds it."""

    id: str
    doc: str
    sentence: str  # the sentence text
    start: int  # trigger offsets inside ``sentence``
    end: int
    lemma: str = ""
    sentence_no: int = 0
    arguments: dict[str, set[str]] = field(default_factory=dict)  # kind -> content words
    reporting: bool = False  # the head takes a clausal complement ("said that ..."): a reporting event
    dependents: set[str] = field(default_factory=set)  # lemmas of the head's content dependents and prep objects


def argument_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def head_lemmas(spans: list[MentionSpan]) -> None:
    """Fill ``lemma`` (the lemma of the syntactic head of each trigger), ``reporting`` and ``dependents`` from
    one spaCy parse per sentence."""
    from wiredesk.nlp import spacy_pipeline

    sentences = sorted({s.sentence for s in spans})
    nlp = spacy_pipeline()
    docs = dict(zip(sentences, nlp.pipe(sentences, batch_size=64)))
    for s in spans:
        span = docs[s.sentence].char_span(s.start, s.end, alignment_mode="expand")
        if span is None or not len(span):
            s.lemma = s.sentence[s.start:s.end].lower()
            continue
        head = span.root
        s.lemma = head.lemma_.lower()
        s.reporting = head.dep_ == "parataxis" or any(c.dep_ == "ccomp" for c in head.children)
        deps = {c for c in head.children if c.pos_ in _CONTENT_POS}
        # "checked into rehab": the object of a preposition says more than the preposition
        deps |= {g for c in head.children if c.dep_ == "prep" for g in c.children if g.pos_ in _NOMINAL_POS}
        s.dependents = {t.lemma_.lower() for t in deps}


@dataclass
class Encoded:
    trigger: np.ndarray  # contextual vector of the trigger tokens
    sentence: np.ndarray
    lemma: np.ndarray


def encode(spans: list[MentionSpan], batch_size: int = 32) -> Encoded:
    """MiniLM vectors, one transformer pass per distinct sentence: the mean-pooled sentence vector and the mean
    of the trigger's token vectors (contextual: "fired" a gun vs "fired" an employee differ)."""
    from wiredesk.nlp import embed, sentence_embedder

    model = sentence_embedder()
    sentences = sorted({s.sentence for s in spans})
    hidden: dict[str, tuple[np.ndarray, list[tuple[int, int]], np.ndarray]] = {}
    sent_vec: dict[str, np.ndarray] = {}
    for i in range(0, len(sentences), batch_size):
        batch = sentences[i:i + batch_size]
        out, mask, enc = model.token_states(batch)
        pooled = model.pool(out, mask)
        for k, e in enumerate(enc):
            hidden[batch[k]] = (out[k], e.offsets, mask[k])
            sent_vec[batch[k]] = pooled[k]
    trig = np.zeros((len(spans), out.shape[-1] if sentences else 384), dtype=np.float32)
    for j, s in enumerate(spans):
        vecs, offsets, mask = hidden[s.sentence]
        sel = [t for t, (a, b) in enumerate(offsets) if mask[t] and b > a and a < s.end and b > s.start]
        v = vecs[sel].mean(0) if sel else vecs[0]  # beyond the 128-token window: the [CLS] vector
        trig[j] = v / (np.linalg.norm(v) or 1.0)
    lemmas = sorted({s.lemma or s.sentence[s.start:s.end].lower() for s in spans})
    lemma_vec = dict(zip(lemmas, embed(lemmas))) if lemmas else {}
    return Encoded(trigger=trig, sentence=np.stack([sent_vec[s.sentence] for s in spans]) if spans else trig,
                   lemma=np.stack([lemma_vec[s.lemma or s.sentence[s.start:s.end].lower()] for s in spans])
                   if spans else trig)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def pair_features(spans: list[MentionSpan], enc: Encoded, rows: np.ndarray, doc_cluster: dict[str, int],
                  doc_similarity: dict[tuple[str, str], float]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of every pair (i < j) among the mentions at ``rows`` (indexes into ``spans``/``enc``).
    Returns (I, J, X) with I, J positions inside ``rows``."""
    n = len(rows)
    I, J = np.triu_indices(n, 1)
    a, b = rows[I], rows[J]
    lemma = np.array([spans[r].lemma for r in rows])
    docs = [spans[r].doc for r in rows]
    same_doc = np.array([docs[x] == docs[y] for x, y in zip(I, J)], dtype=float)
    cols = [
        (lemma[I] == lemma[J]).astype(float),
        (enc.lemma[a] * enc.lemma[b]).sum(1),
        (enc.sentence[a] * enc.sentence[b]).sum(1),
        same_doc,
        np.array([doc_cluster.get(docs[x], -1) == doc_cluster.get(docs[y], -2) for x, y in zip(I, J)], float),
        np.array([1.0 if docs[x] == docs[y] else doc_similarity.get((docs[x], docs[y]), 0.0)
                  for x, y in zip(I, J)]),
        same_doc * np.array([spans[x].sentence_no == spans[y].sentence_no for x, y in zip(a, b)], float),
    ]
    for kind in ARGUMENT_KINDS:
        cols.append(np.array([_jaccard(spans[x].arguments.get(kind, set()), spans[y].arguments.get(kind, set()))
                              for x, y in zip(a, b)]))
    cols.append((enc.trigger[a] * enc.trigger[b]).sum(1))
    reporting = np.array([spans[r].reporting for r in rows], dtype=float)
    cols.append(np.maximum(reporting[I], reporting[J]))
    cols.append(cols[0] * reporting[I] * reporting[J])
    cols.append(np.array([_jaccard(spans[x].dependents, spans[y].dependents) for x, y in zip(a, b)]))
    return I, J, np.stack(cols, 1) if n > 1 else np.zeros((0, len(FEATURES)))


@dataclass
class PairModel:
    """Logistic regression weights over ``FEATURES`` plus the clustering cut."""

    weights: tuple[float, ...]
    bias: float
    distance: float

    def probability(self, X: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(X @ np.asarray(self.weights) + self.bias)))


#: The shipped pair model: weights, bias and cut trained on the ECB+ train topics by
#: ``training/train_mention_model.py`` (with its topic-grouped cross-validation figures).
MODEL_PATH = Path(__file__).resolve().parent / "data" / "mention_model.json"


def load_model(path: str | Path = MODEL_PATH) -> tuple[PairModel, dict]:
    """The trained artefact and its metadata (training topics, cross-validated scores)."""
    record = json.loads(Path(path).read_text(encoding="utf-8"))
    if tuple(record["features"]) != FEATURES:
        raise ValueError(f"{path}: trained on features {record['features']}, this code computes {FEATURES}")
    return PairModel(tuple(record["weights"]), float(record["bias"]), float(record["distance"])), record


def default_model() -> PairModel:
    """The shipped artefact; the values in ``settings.MENTION_COREF`` when it is missing."""
    if MODEL_PATH.exists():
        return load_model()[0]
    from wiredesk.settings import MENTION_COREF

    # settings may predate features added later: those count for nothing in the fallback
    weights = tuple(MENTION_COREF.weights) + (0.0,) * (len(FEATURES) - len(MENTION_COREF.weights))
    return PairModel(weights[:len(FEATURES)], MENTION_COREF.bias, MENTION_COREF.distance)


def fit(pairs: list[tuple[np.ndarray, np.ndarray]], C: float = 1.0) -> tuple[tuple[float, ...], float]:
    """Fit the pair weights on [(X, y)] from training groups (y = 1 when the two mentions corefer)."""
    from sklearn.linear_model import LogisticRegression

    X = np.vstack([p[0] for p in pairs])
    y = np.concatenate([p[1] for p in pairs])
    clf = LogisticRegression(max_iter=3000, C=C).fit(X, y)
    return tuple(float(w) for w in clf.coef_[0]), float(clf.intercept_[0])


def cluster_group(n: int, I: np.ndarray, J: np.ndarray, probability: np.ndarray, distance: float) -> np.ndarray:
    """Average-linkage clusters of ``n`` mentions from pair probabilities (a pair with probability 0, e.g. two
    mentions in different predicted document clusters, never merges: the cut is below distance 1)."""
    if n < 2:
        return np.zeros(n, dtype=int)
    sim = np.zeros((n, n))
    sim[I, J] = probability
    sim[J, I] = probability
    np.fill_diagonal(sim, 1.0)
    return agglomerate(sim, distance)
