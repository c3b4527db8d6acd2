"""Train the event-location chooser (``data/location_model.pkl``).

    .venv/bin/python -m wiredesk.geo.train_location ../shared/data/event_location/labeled_text.dev.jsonl

Trains on every record whose ``source`` is not RELABEL (the research-assistant and accepted annotations) and
whose sentence is not also a RELABEL sentence: 244 of the 248 RELABEL records are re-annotations of sentences
that are in the file a second time with their research-assistant label (same verb, same answer in ~3 of 4).
Training on those copies would let the model see the held-out sentences, so they are left out too and the
RELABEL figures in ``wiredesk eval eventloc`` are held-out figures. One example
per (record, candidate span): positive when the span is a gold LOCATION span. Research-assistant records that
mark no location weigh 0.6 (``record_weight``: their "none" is often a place missed), and research-assistant
records carry a training-only flag (``RESEARCH_ASSISTANT_FLAG``) so their convention is learnt apart. Texts are
parsed after ``geo.text.repair_apostrophes``, as ``wiredesk eval eventloc`` parses them. The decision threshold (below it
the answer is "no location") is chosen by cross-validation on the training records: out-of-fold probabilities
(every record scored by a model that never saw it) and the threshold that maximises location accuracy on the
accepted ones among them. In-sample probabilities are over-confident and would set it too low.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from wiredesk.geo.choose import MODEL_PATH, best_index, featurize
from wiredesk.geo.features import verb_token


def load_records(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_spans(record: dict) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """The VERB span and LOCATION spans as character offsets, rebuilt from token offsets.

    The token offsets are the reliable ones: in several sources (RELABEL, AP, wiki, Xinhua) the character
    ``start``/``end`` of LOCATION spans hold token indices instead."""
    toks = record.get("tokens") or []
    verb = None
    locs = []
    for span in record.get("spans") or []:
        ts, te = span.get("token_start"), span.get("token_end")
        if ts is None or te is None or te >= len(toks):
            continue
        chars = (toks[ts]["start"], toks[te]["end"])
        if span["label"] == "VERB" and verb is None:
            verb = chars
        elif span["label"] == "LOCATION":
            locs.append(chars)
    return verb, locs


def parse(texts: list[str]):
    from wiredesk.nlp import spacy_pipeline
    from wiredesk.settings import RUN

    from wiredesk.geo.text import repair_apostrophes

    texts = [repair_apostrophes(t) for t in texts]  # same offsets; the eval parses the same repaired text
    return list(spacy_pipeline().pipe(texts, batch_size=RUN.spacy_batch_size))


#: Training-only feature: 1 on the candidates of a research-assistant record (answer null), absent otherwise and
#: always absent when the model is used. The two annotation conventions differ (the research assistants mark a
#: place describing an actor, "A Tampa woman ... shot", or an organisation NER calls a place; they leave out
#: places the accepted and hand-checked labels mark), so instead of averaging them the trees learn where they
#: differ, and prediction follows the accepted convention, the one the hand-checked RELABEL records share.
RESEARCH_ASSISTANT_FLAG = "research_assistant_label"


def build_examples(records: list[dict], docs: list, convention: bool = False
                   ) -> list[tuple[list[tuple[int, int]], list, list[dict]]]:
    """(gold spans, candidates, feature dicts) per record with a VERB; ``convention`` adds the training-only
    research-assistant flag to the candidates of research-assistant records."""
    out = []
    for rec, doc in zip(records, docs):
        verb_span, locs = gold_spans(rec)
        if verb_span is None:
            continue
        verb = verb_token(doc, *verb_span)
        if verb is None:  # kept (no candidates) so examples stay aligned with the records that have a VERB
            out.append((locs, [], []))
            continue
        cands, feats = featurize(doc, verb)
        keep = [(c, f) for c, f in zip(cands, feats) if not (c.start < verb_span[1] and c.end > verb_span[0])]
        if convention and rec.get("answer") != "accept":
            for _, f in keep:
                f[RESEARCH_ASSISTANT_FLAG] = 1.0
        out.append((locs, [c for c, _ in keep], [f for _, f in keep]))
    return out


def train(examples, min_count: int = 50, iterations: int = 150, weights: list[float] | None = None) -> dict:
    """Gradient-boosted trees over the candidate features (features seen fewer than ``min_count`` times dropped).

    Trees, not a linear model: whether "in X" marks the location depends on where the preposition hangs, the
    NER label and what else the sentence names together (held-out RELABEL accuracy 0.77 linear vs 0.82 trees)."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer

    rows, labels, row_weights = [], [], []
    for k, (locs, cands, feats) in enumerate(examples):
        gold = set(locs)
        for cand, f in zip(cands, feats):
            rows.append(f)
            labels.append(int((cand.start, cand.end) in gold))
            row_weights.append(1.0 if weights is None else weights[k])
    counts = Counter(k for f in rows for k in f)
    keep = sorted(k for k, v in counts.items() if v >= min_count)
    vec = DictVectorizer(sparse=False, dtype=np.float32)
    vec.fit([{k: 1.0 for k in keep}])
    clf = HistGradientBoostingClassifier(max_iter=iterations, learning_rate=0.1, max_leaf_nodes=15,
                                         early_stopping=False, random_state=0)
    clf.fit(vec.transform(rows), np.array(labels), sample_weight=np.array(row_weights))
    return {"vectorizer": vec, "classifier": clf}


def accuracy(examples, model: dict, threshold: float, probs: list[list[float]] | None = None) -> float:
    """Location accuracy (exact span or correctly none) of a model at a threshold (``probs``: precomputed)."""
    from wiredesk.geo.choose import predict

    right = 0
    for k, (locs, cands, feats) in enumerate(examples):
        p = probs[k] if probs is not None else predict(model, feats)
        best = max(range(len(cands)), key=lambda i: (p[i], -cands[i].start)) if cands else None
        pick = (cands[best].start, cands[best].end) if best is not None and p[best] >= threshold else None
        right += (pick in set(locs)) if pick else (not locs)
    return right / max(len(examples), 1)


def sentence_fold(text: str, folds: int) -> int:
    """The cross-validation fold of a record: a hash of its sentence, so every record of one sentence is in the
    same fold. A quarter of the training records share their sentence with another record (the same sentence
    annotated for another verb, or by both annotator groups, often with the same answer): dealt apart, the
    copy in the training folds lets the model see the held-out sentence, its out-of-fold probabilities are
    over-confident and the threshold chosen on them too low."""
    return int(hashlib.md5(text.strip().encode("utf-8")).hexdigest(), 16) % folds


def out_of_fold_probabilities(examples, folds: int = 4, weights: list[float] | None = None,
                              groups: list[int] | None = None) -> list[list[float]]:
    """Every record's candidate probabilities from a model trained on the other folds (``groups``: each
    record's fold, by default dealt round-robin; ``fit`` groups them by sentence)."""
    from wiredesk.geo.choose import predict

    fold_of = groups if groups is not None else [i % folds for i in range(len(examples))]
    probs: list[list[float]] = [[] for _ in examples]
    for fold in range(folds):
        keep = [i for i in range(len(examples)) if fold_of[i] != fold]
        model = train([examples[i] for i in keep], weights=None if weights is None else [weights[i] for i in keep])
        for i in range(len(examples)):
            if fold_of[i] == fold:
                probs[i] = predict(model, examples[i][2])
    return probs


def cross_validated_threshold(examples, accepted: list[bool], folds: int = 4,
                              weights: list[float] | None = None,
                              groups: list[int] | None = None,
                              probs: list[list[float]] | None = None) -> tuple[float, float]:
    """(threshold, out-of-fold accuracy on the accepted records): every record is scored by a model trained on
    the other folds (``out_of_fold_probabilities``, or ``probs`` already computed), then thresholds 0.10-0.65
    are tried on the accepted ones.

    Accepted only: the README calls the research-assistant annotations (answer null) noisier, and they
    under-mark locations, which would push the threshold too high."""
    if probs is None:
        probs = out_of_fold_probabilities(examples, folds, weights, groups)
    held = [ex for ex, ok in zip(examples, accepted) if ok]
    held_probs = [p for p, ok in zip(probs, accepted) if ok]
    acc, threshold = max((accuracy(held, None, t / 100, held_probs), t / 100) for t in range(10, 70, 5))
    return threshold, acc


#: The none decision takes the best candidate when its probability of being right exceeds that of "none": 0.5,
#: the more likely answer, fixed before any figure was seen (not searched).
NONE_CUT = 0.5
#: Features of the none decision seen fewer times than this among its training sentences are dropped.
NONE_MIN_COUNT = 20


def none_rows(examples, docs: list, verb_spans: list[tuple[int, int]], probs: list[list[float]]
              ) -> tuple[list[dict], list[int | None]]:
    """The none decision's (features, target) per record: target 1 when the best-ranked candidate is a gold
    location, 0 when the record has no location, None when neither answer is right (a wrong best candidate in a
    sentence that has a location: the decision cannot help there, so it does not learn from it)."""
    from wiredesk.geo.features import none_features

    rows, targets = [], []
    for (locs, cands, feats), doc, span, p in zip(examples, docs, verb_spans, probs):
        if not cands:
            rows.append({})
            targets.append(None)
            continue
        best = best_index(cands, p)
        rows.append(none_features(doc, verb_token(doc, *span), feats, p, best))
        targets.append(1 if (cands[best].start, cands[best].end) in set(locs) else 0 if not locs else None)
    return rows, targets


def train_none(rows: list[dict], targets: list[int | None]) -> dict:
    """The none decision: a logistic regression over sentence features (``features.none_features``), trained
    on records whose answer it can change. Linear and small on purpose: ~4,000 sentences, and it sits on top of
    the trees' probabilities rather than re-learning them."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    used = [(r, t) for r, t in zip(rows, targets) if t is not None]
    counts = Counter(k for r, _ in used for k in r)
    vec = DictVectorizer(sparse=False)
    vec.fit([{k: 1.0 for k, v in counts.items() if v >= NONE_MIN_COUNT}])
    clf = LogisticRegression(C=0.3, max_iter=2000)
    clf.fit(vec.transform([r for r, _ in used]), [t for _, t in used])
    return {"vectorizer": vec, "classifier": clf, "threshold": NONE_CUT}


def cross_validated_none(examples, rows: list[dict], targets: list[int | None], accepted: list[bool],
                         groups: list[int], folds: int = 4) -> float:
    """Out-of-fold location accuracy on the accepted records with the none decision: each fold's decision is
    trained on the accepted records of the other folds (their out-of-fold candidate probabilities), as
    ``fit`` trains the shipped one on all of them."""
    from wiredesk.geo.choose import predict_placed

    right = 0
    for fold in range(folds):
        train_idx = [i for i in range(len(examples)) if accepted[i] and groups[i] != fold]
        model = train_none([rows[i] for i in train_idx], [targets[i] for i in train_idx])
        test = [i for i in range(len(examples)) if accepted[i] and groups[i] == fold]
        scored = [i for i in test if examples[i][1]]
        placed = dict(zip(scored, predict_placed(model, [rows[i] for i in scored])))
        for i in test:
            locs = examples[i][0]
            if i in placed and placed[i] >= model["threshold"]:
                right += targets[i] == 1
            else:
                right += not locs
    return right / max(sum(accepted), 1)


def training_records(records: list[dict]) -> list[dict]:
    """The records the chooser may learn from: not RELABEL, and not a copy of a RELABEL sentence."""
    held_out = {r["text"].strip() for r in records if r.get("source") == "RELABEL"}
    return [r for r in records if r.get("source") != "RELABEL" and r["text"].strip() not in held_out]


def record_weight(record: dict) -> float:
    """Training weight of a record: 1, except research-assistant records whose answer is "no location".

    The research-assistant labels under-mark locations: where they say none on a sentence that was also
    hand-checked, the hand-checked label has a place about 2 times in 5, so their "none" is weak evidence and
    counts as much as the chance it is right. Accepted annotations and records with a marked place keep 1."""
    if record.get("answer") == "accept" or gold_spans(record)[1]:
        return 1.0
    return RA_NONE_WEIGHT


#: Weight of a research-assistant record without a location (see ``record_weight``): the share of such labels
#: the hand-check confirms, counted on the research-assistant copies of RELABEL half A only (33 of 54 say none
#: there too; half B, not used, gives 40 of 64). A soft label, not a tuned knob: it was not chosen by accuracy.
RA_NONE_WEIGHT = 0.6


#: Folds of the cross-validation that chooses the threshold (records grouped by sentence, ``sentence_fold``).
CV_FOLDS = 4


def fit(records: list[dict], docs: list) -> dict:
    """The shipped model from training records and their parses: the candidate scorer with its CV threshold,
    then the none decision trained on the accepted records' out-of-fold probabilities."""
    import sklearn

    examples = build_examples(records, docs, convention=True)
    with_verb = [(rec, doc) for rec, doc in zip(records, docs) if gold_spans(rec)[0] is not None]
    accepted = [rec.get("answer") == "accept" for rec, _ in with_verb]
    weights = [record_weight(rec) for rec, _ in with_verb]
    groups = [sentence_fold(rec["text"], CV_FOLDS) for rec, _ in with_verb]
    probs = out_of_fold_probabilities(examples, CV_FOLDS, weights, groups)
    threshold, cv_acc = cross_validated_threshold(examples, accepted, CV_FOLDS, weights, groups, probs)
    rows, targets = none_rows(examples, [doc for _, doc in with_verb], [gold_spans(rec)[0] for rec, _ in with_verb],
                              probs)
    cv_none = cross_validated_none(examples, rows, targets, accepted, groups, CV_FOLDS)
    model = train(examples, weights=weights)
    model["threshold"] = threshold
    model["none_model"] = train_none([r for r, ok in zip(rows, accepted) if ok],
                                     [t for t, ok in zip(targets, accepted) if ok])
    model["trained_on"] = {"records": len(examples), "excluded_source": "RELABEL",
                           "excluded": "copies of RELABEL sentences", "ra_none_weight": RA_NONE_WEIGHT,
                           "convention_flag": RESEARCH_ASSISTANT_FLAG,
                           "threshold_by": f"{CV_FOLDS}-fold cross-validation grouped by sentence, accepted records",
                           "cv_accept_location_accuracy": round(cv_acc, 4),
                           "none_model": "logistic regression on accepted records' out-of-fold probabilities",
                           "cv_accept_location_accuracy_none_model": round(cv_none, 4),
                           "sklearn": sklearn.__version__}
    return model


def main(path: str) -> None:
    import pickle

    records = training_records(load_records(path))
    model = fit(records, parse([r["text"] for r in records]))
    model["trained_on"]["path"] = Path(path).name
    with open(MODEL_PATH, "wb") as fh:
        pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
    print(model["trained_on"], "threshold", model["threshold"], "features", len(model["vectorizer"].feature_names_))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/event_location/labeled_text.dev.jsonl")
