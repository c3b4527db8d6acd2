"""Train the ECB+ mention-pair coreference model shipped as ``src/wiredesk/link/data/mention_model.json``.

    .venv/bin/python training/train_mention_model.py ../shared/data/ecbplus [--cache /tmp/ecb_pairs.pkl]

Only the ECB+ *train* topics are used (everything except the dev topics 2, 5, 12, 18, 21, 23, 34, 35 and the
held-out topics 36-45, which another team scores). The clustering cut is chosen on out-of-fold probabilities of a
topic-grouped 5-fold cross-validation over the train topics (a topic's pairs are never scored by a model that saw
them); the shipped weights are then fitted on all train topics. The artefact records the topics it was trained
on and the cross-validated CoNLL F1 per cut, so `wiredesk eval ecbplus` can report tuned (train, in-sample and
cross-validated) and untouched (dev) topics separately. Features: ``wiredesk.link.mentions.FEATURES``.

The lemma-pair table (coreference counts per head-lemma pair) is learned from gold chains, so it is built the
same way at every level: a topic's lemma-pair features always come from counts of *other* topics (leave one
topic out when fitting weights, the fitting topics only for a held-out fold, all train topics in the artefact).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wiredesk.eval.ecbplus import (_MENTION_GRID, cluster_pairs, conll_of, load, pair_probabilities,  # noqa: E402
                                   prepare_pairs, split_of)
from wiredesk.link.mentions import FEATURES, MODEL_PATH, LemmaPairTable, PairModel, fit  # noqa: E402
from wiredesk.link.stories import agglomerate, document_similarity  # noqa: E402
from wiredesk.settings import LINK  # noqa: E402

FOLDS = 5
LEMMA_COLS = [FEATURES.index("lemma_pair_rate"), FEATURES.index("lemma_pair_topics")]


def prepared(path: str, cache: str | None) -> tuple[list[dict], dict[int, tuple], np.ndarray]:
    """Gold chains, per-topic pairs (rows, I, J, X, y) and the head lemma of every mention."""
    if cache and Path(cache).exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    docs, sentences = load(path)
    sim = document_similarity([d.text for d in docs])
    labels = agglomerate(sim, LINK.doc_cluster_distance)
    # lemma-pair columns are placeholders here: they are recomputed per topic from the other topics' counts
    spans, gold, pairs = prepare_pairs(docs, sentences, sim, labels, LemmaPairTable({}, 0.0))
    lemmas = np.array([s.lemma for s in spans])
    if cache:
        with open(cache, "wb") as fh:
            pickle.dump((gold, pairs, lemmas), fh)
    return gold, pairs, lemmas


class LemmaColumns:
    """The lemma-pair features of a topic from a table of *other* topics' counts, so that no pair is ever scored
    with counts that include its own label (in-sample counts would make the feature look perfect in training)."""

    def __init__(self, pairs: dict[int, tuple], lemmas: np.ndarray) -> None:
        self.pairs = pairs
        self.ab = {t: (lemmas[p[0][p[1]]], lemmas[p[0][p[2]]]) for t, p in pairs.items()}
        self.counts = {t: LemmaPairTable.group_counts(*self.ab[t], p[4]) for t, p in pairs.items()}

    def table(self, topics: list[int]) -> LemmaPairTable:
        return LemmaPairTable.from_group_counts([self.counts[t] for t in topics])

    def X(self, topic: int, table: LemmaPairTable) -> np.ndarray:
        X = self.pairs[topic][3].copy()
        if len(X):
            X[:, LEMMA_COLS] = table.columns(*self.ab[topic])
        return X

    def training_set(self, topics: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(X, y) of each topic, its lemma-pair columns from the remaining topics of the set (leave one out)."""
        return [(self.X(t, self.table([u for u in topics if u != t])), self.pairs[t][4]) for t in topics]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ecbplus", nargs="?", default=str(ROOT.parent / "shared" / "data" / "ecbplus"))
    ap.add_argument("--cache", help="pickle of the prepared pair features (reused when it exists)")
    ap.add_argument("--out", default=str(MODEL_PATH))
    args = ap.parse_args()
    gold, pairs, lemmas = prepared(args.ecbplus, args.cache)
    cols = LemmaColumns(pairs, lemmas)
    train = sorted(t for t in pairs if split_of(t) == "train")
    # topic-grouped folds: topics dealt round-robin by size so folds hold similar numbers of pairs
    by_size = sorted(train, key=lambda t: -len(pairs[t][4]))
    folds = [by_size[k::FOLDS] for k in range(FOLDS)]
    oof: dict[int, np.ndarray] = {}
    for k, held in enumerate(folds):
        fit_on = [t for t in train if t not in held]
        w, b = fit(cols.training_set(fit_on))
        table = cols.table(fit_on)  # held-out topics see the counts of the fitting topics only
        model = PairModel(w, b, 0.5, table)
        for t in held:
            oof[t] = pair_probabilities(model, cols.X(t, table))
        print(f"fold {k + 1}/{FOLDS}: held out topics {sorted(held)}", flush=True)
    cv = {float(c): conll_of(gold, cluster_pairs(pairs, oof, float(c), set(train)))["conll_f1"] for c in _MENTION_GRID}
    cut = max(cv, key=lambda c: (cv[c], -abs(c - 0.6)))
    weights, bias = fit(cols.training_set(train))
    table = cols.table(train)  # shipped: counts of all train topics, for topics the model has never seen
    record = {
        "what": "ECB+ mention-pair logistic regression over wiredesk.link.mentions.FEATURES; average-linkage cut",
        "features": list(FEATURES), "weights": [round(w, 6) for w in weights], "bias": round(bias, 6),
        "distance": cut, "trained_on": train, "cv_folds": [sorted(f) for f in folds],
        "cv_conll_f1": round(cv[cut], 4), "cv_by_cut": {f"{c:.2f}": round(f, 4) for c, f in sorted(cv.items())},
        "trained": dt.date.today().isoformat(), "script": "training/train_mention_model.py",
        "lemma_pairs": table.to_json(),
    }
    text = json.dumps(record, indent=1)
    # number lists (weights, topics, lemma-pair counts) on one line each: the artefact stays readable in diffs
    text = re.sub(r"\[([^\[\]{}\"]*)\]", lambda m: "[" + " ".join(m.group(1).split()) + "]", text)
    Path(args.out).write_text(text + "\n", encoding="utf-8")
    print(f"cut {cut:.2f}: topic-grouped {FOLDS}-fold CV CoNLL F1 on the train topics {cv[cut]:.4f}; wrote {args.out}")


if __name__ == "__main__":
    main()
