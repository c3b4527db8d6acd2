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
  generic syntax, not word lists, so they carry over to unseen topics;
* lexical knowledge of the head-lemma pair (:class:`LemmaPairTable`): how often mentions with these two lemmas
  corefered in the *training* topics ("kill" / "shooting", "hire" / "name"), shrunk towards the base rate, and in
  how many training topics the pair occurred. A pair never seen in training gets the base rate and a zero count,
  so the model falls back on the lemma-embedding and trigger cosines for it.

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
            "reporting", "same_lemma_both_reporting", "dependents", "lemma_pair_rate", "lemma_pair_topics")
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


@dataclass
class LemmaPairTable:
    """Coreference counts of head-lemma pairs in training groups (the literature's 'lemma pair' feature).

    ``counts``: "lemma_a|lemma_b" (sorted) -> (coreferent pairs, pairs, groups the lemma pair occurred in).
    Pairs that never corefered are kept too: "say" / "arrest" seen apart in one topic is evidence against them
    (dropping the pairs seen in one topic only, never coreferent, cost 0.003 CoNLL F1 in cross-validation)."""

    counts: dict[str, tuple[float, float, float]]
    base_rate: float
    #: pseudo-pairs of the base rate added to every pair's counts (smoothing: a pair seen twice says little)
    prior_weight: float = 5.0

    @staticmethod
    def key(a: str, b: str) -> str:
        return f"{a}|{b}" if a <= b else f"{b}|{a}"

    @classmethod
    def group_counts(cls, lemmas_a: np.ndarray, lemmas_b: np.ndarray, y: np.ndarray) -> dict[str, tuple[float, float]]:
        """One training group's (coreferent pairs, pairs) per lemma pair."""
        if not len(y):
            return {}
        keys = np.array([cls.key(a, b) for a, b in zip(lemmas_a, lemmas_b)])
        uk, inv = np.unique(keys, return_inverse=True)
        pos, n = np.bincount(inv, weights=y), np.bincount(inv)
        return {str(k): (float(p), float(c)) for k, p, c in zip(uk, pos, n)}

    @classmethod
    def from_group_counts(cls, groups: list[dict[str, tuple[float, float]]],
                          prior_weight: float = 5.0) -> "LemmaPairTable":
        """Summed over training groups (:meth:`group_counts` of each)."""
        acc: dict[str, list[float]] = {}
        for g in groups:
            for k, (p, c) in g.items():
                row = acc.setdefault(k, [0.0, 0.0, 0.0])
                row[0] += p
                row[1] += c
                row[2] += 1.0
        positives = sum(v[0] for v in acc.values())
        seen = sum(v[1] for v in acc.values())
        return cls({k: (v[0], v[1], v[2]) for k, v in acc.items()}, positives / seen if seen else 0.0, prior_weight)

    def to_json(self) -> dict:
        return {"base_rate": round(self.base_rate, 6), "prior_weight": self.prior_weight,
                "counts": {k: [round(v[0]), round(v[1]), round(v[2])] for k, v in sorted(self.counts.items())}}

    @classmethod
    def from_json(cls, record: dict) -> "LemmaPairTable":
        return cls({k: tuple(map(float, v)) for k, v in record["counts"].items()}, float(record["base_rate"]),
                   float(record["prior_weight"]))

    def columns(self, lemmas_a: np.ndarray, lemmas_b: np.ndarray) -> np.ndarray:
        """(rate, log(1 + groups)) for each pair of head lemmas."""
        if not len(lemmas_a):
            return np.zeros((0, 2))
        keys = np.array([self.key(a, b) for a, b in zip(lemmas_a, lemmas_b)])
        uk, inv = np.unique(keys, return_inverse=True)
        seen = np.array([self.counts.get(k, (0.0, 0.0, 0.0)) for k in uk], dtype=float).reshape(-1, 3)
        rate = (seen[:, 0] + self.prior_weight * self.base_rate) / (seen[:, 1] + self.prior_weight)
        return np.stack([rate, np.log1p(seen[:, 2])], 1)[inv]


def pair_features(spans: list[MentionSpan], enc: Encoded, rows: np.ndarray, doc_cluster: dict[str, int],
                  doc_similarity: dict[tuple[str, str], float], lemma_pairs: LemmaPairTable | None = None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features of every pair (i < j) among the mentions at ``rows`` (indexes into ``spans``/``enc``).
    ``lemma_pairs``: the trained lemma-pair table (none: every pair is unseen, base rate 0).
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
    table = lemma_pairs or LemmaPairTable({}, 0.0)
    cols.extend(table.columns(lemma[I], lemma[J]).T if n > 1 else [])
    return I, J, np.stack(cols, 1) if n > 1 else np.zeros((0, len(FEATURES)))


@dataclass
class PairModel:
    """Logistic regression weights over ``FEATURES`` plus the clustering cut."""

    weights: tuple[float, ...]
    bias: float
    distance: float
    #: the lemma-pair counts of the training topics, the source of the two ``lemma_pair_*`` features
    lemma_pairs: LemmaPairTable | None = None

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
    table = LemmaPairTable.from_json(record["lemma_pairs"]) if "lemma_pairs" in record else None
    return PairModel(tuple(record["weights"]), float(record["bias"]), float(record["distance"]), table), record


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
