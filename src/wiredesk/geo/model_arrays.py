"""The event-location models as plain arrays, run with numpy alone (no scikit-learn at run time).

Why: the shipped ``location_model.pkl`` holds scikit-learn objects (a DictVectorizer and gradient-boosted trees
for the candidates, a DictVectorizer and a logistic regression for the none decision). Unpickling them imports
scikit-learn (~1.1 CPU-s of every worker's start-up), and on the few hundred rows of a batch most of the
prediction time was scikit-learn's input checks and the vectorizer's sparse matrix, not the arithmetic. The
pickle stays the one trained artefact; its arrays are written once per machine into the derived-model cache
(``wiredesk.nlp._cached``, file name keyed by the pickle's hash) and read from there.

The arithmetic is scikit-learn's, in the same order, so the probabilities are the same numbers, not close ones:
feature dicts become rows the way ``DictVectorizer.transform`` builds them (a string value is the feature
``name=value`` with value 1, unknown names are dropped, the vectorizer's dtype); the trees are walked as
``HistGradientBoostingClassifier`` walks them (float64 input, NaN to the side the node learnt, ``x <= threshold``
to the left) and their leaf values are added to the baseline one tree after another, as it adds them; the
logistic regression is the same matrix product plus intercept; both end in the logistic function
``1 / (1 + exp(-x))``, which gives scipy's ``expit`` bit for bit (checked on 300,000 values, and on every
candidate of the event-location development set in ``tests/test_geo_arrays.py``).
"""

from __future__ import annotations

import hashlib
import json
import math
from numbers import Number
from pathlib import Path
from typing import Any

import numpy as np

#: Bump when the layout of the arrays file changes (it is part of the cached file's name).
_LAYOUT = 1


class DictRows:
    """``DictVectorizer.transform`` (dense) for feature dicts: one row per dict, the vectorizer's columns."""

    def __init__(self, names: list[str], separator: str, dtype: Any) -> None:
        self.names = self.feature_names_ = names  # (DictVectorizer's attribute names, read by tests and tools)
        self.vocabulary = self.vocabulary_ = {name: i for i, name in enumerate(names)}
        self.separator = separator
        self.dtype = np.dtype(dtype)

    def transform(self, feats: list[dict[str, Any]]) -> np.ndarray:
        rows: list[int] = []
        cols: list[int] = []
        values: list[Any] = []
        vocab, sep = self.vocabulary, self.separator
        summed = False
        for i, f in enumerate(feats):
            for name, value in f.items():
                if value.__class__ is not float:
                    if isinstance(value, str):
                        name, value = f"{name}{sep}{value}", 1
                        summed = summed or name in f  # "a=b" given both ways: one column, the two summed
                    elif value is None:
                        value = math.nan
                    elif not isinstance(value, Number):
                        raise TypeError(f"unsupported feature value {value!r} for {name}")
                j = vocab.get(name)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    values.append(value)
        x = np.zeros((len(feats), len(self.names)), dtype=self.dtype)
        # each value is cast to the vectorizer's dtype first, then placed (or summed in that dtype), as there
        cast = np.array(values, dtype=np.float64).astype(self.dtype) if values else np.zeros(0, self.dtype)
        if summed:
            np.add.at(x, (rows, cols), cast)
        else:
            x[rows, cols] = cast
        return x


class Trees:
    """``HistGradientBoostingClassifier.predict_proba`` of a binary model without categorical features."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.feature = arrays["feature"]
        self.threshold = arrays["threshold"]
        self.missing_left = arrays["missing_left"].astype(bool)
        self.roots = arrays["roots"]
        self.value = arrays["value"]
        self.baseline = float(arrays["baseline"])
        self.depth = int(arrays["depth"])
        is_leaf = arrays["is_leaf"].astype(bool)
        here = np.arange(len(is_leaf), dtype=np.int64)
        # a leaf points at itself, so every row of every tree can take the same number of steps
        left = np.where(is_leaf, here, arrays["left"])
        right = np.where(is_leaf, here, arrays["right"])
        self.children = np.stack([left, right], axis=1).ravel()  # node n's children at 2n (left) and 2n + 1

    def raw(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        n_trees = len(self.roots)
        flat = x.ravel()
        base = (np.arange(len(x), dtype=np.int64) * x.shape[1])[:, None]
        node = np.broadcast_to(self.roots, (len(x), n_trees)).copy()
        missing = bool(np.isnan(flat).any())
        for _ in range(self.depth):
            value = flat[base + self.feature[node]]
            if missing:
                right = np.where(np.isnan(value), ~self.missing_left[node], value > self.threshold[node])
            else:
                right = value > self.threshold[node]  # not (x <= threshold), x never NaN here
            node = self.children[2 * node + right]
        leaves = np.asfortranarray(self.value[node])
        raw = np.full(len(x), self.baseline)
        for t in range(n_trees):  # tree after tree, as scikit-learn adds them
            raw += leaves[:, t]
        return raw

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return _two_columns(self.raw(x))


class Logistic:
    """``LogisticRegression.predict_proba`` of a binary model."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray) -> None:
        self.coef = coef
        self.intercept = intercept

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return _two_columns((x @ self.coef.T + self.intercept).reshape(-1))


def _two_columns(raw: np.ndarray) -> np.ndarray:
    p = np.array([1.0 / (1.0 + math.exp(-v)) for v in raw.tolist()], dtype=np.float64)
    return np.stack([1 - p, p], axis=1)


def arrays_of(model: dict[str, Any]) -> dict[str, np.ndarray]:
    """The arrays of a loaded ``location_model.pkl`` (scikit-learn objects), for ``write``."""
    clf, vec = model["classifier"], model["vectorizer"]
    if len(clf.classes_) != 2 or clf.n_trees_per_iteration_ != 1 or getattr(clf, "_preprocessor", None) is not None:
        raise ValueError("only a binary gradient-boosted model on numeric features can be written as arrays")
    nodes, roots, at = [], [], 0
    for (predictor,) in clf._predictors:
        if predictor.nodes["is_categorical"].any():
            raise ValueError("categorical splits are not written as arrays")
        nodes.append(predictor.nodes)
        roots.append(at)
        at += len(predictor.nodes)
    n = np.concatenate(nodes)
    offsets = np.repeat(np.array(roots, dtype=np.int64), [len(x) for x in nodes])
    out = {
        "names": np.array(vec.feature_names_, dtype=str), "separator": np.array(vec.separator),
        "dtype": np.array(np.dtype(vec.dtype).str),
        "feature": n["feature_idx"].astype(np.int64), "threshold": n["num_threshold"].astype(np.float64),
        "missing_left": n["missing_go_to_left"].astype(np.uint8), "is_leaf": n["is_leaf"].astype(np.uint8),
        "left": n["left"].astype(np.int64) + offsets, "right": n["right"].astype(np.int64) + offsets,
        "value": n["value"].astype(np.float64), "roots": np.array(roots, dtype=np.int64),
        "baseline": np.array(float(np.ravel(clf._baseline_prediction)[0])),
        "depth": np.array(int(n["depth"].max())),
        "location_threshold": np.array(float(model.get("threshold", np.nan))),
        "trained_on": np.array(json.dumps(model.get("trained_on", {}))),
    }
    none_model = model.get("none_model")
    if none_model is not None:
        lr, nvec = none_model["classifier"], none_model["vectorizer"]
        if len(lr.classes_) != 2:
            raise ValueError("only a binary none decision can be written as arrays")
        out.update({"none_names": np.array(nvec.feature_names_, dtype=str), "none_separator": np.array(nvec.separator),
                    "none_dtype": np.array(np.dtype(nvec.dtype).str), "none_coef": lr.coef_.astype(np.float64),
                    "none_intercept": lr.intercept_.astype(np.float64),
                    "none_threshold": np.array(float(none_model["threshold"]))})
    return out


def read(path: Path) -> dict[str, Any]:
    """The model dict ``geo.choose`` reads (``vectorizer``, ``classifier``, ``threshold``, ``none_model``,
    ``trained_on``), built from an arrays file."""
    with np.load(path, allow_pickle=False) as data:
        a = {k: data[k] for k in data.files}
    model: dict[str, Any] = {
        "vectorizer": DictRows(a["names"].tolist(), str(a["separator"]), str(a["dtype"])),
        "classifier": Trees(a), "trained_on": json.loads(str(a["trained_on"]))}
    if not math.isnan(float(a["location_threshold"])):
        model["threshold"] = float(a["location_threshold"])
    if "none_coef" in a:
        model["none_model"] = {
            "vectorizer": DictRows(a["none_names"].tolist(), str(a["none_separator"]), str(a["none_dtype"])),
            "classifier": Logistic(a["none_coef"], a["none_intercept"]), "threshold": float(a["none_threshold"])}
    return model


def cached_arrays(pickle_path: Path) -> Path:
    """The arrays file of ``pickle_path`` in the derived-model cache, written from the pickle on first use."""
    from wiredesk.nlp import _cached

    digest = hashlib.sha256(pickle_path.read_bytes()).hexdigest()[:16]

    def build(target: Path) -> None:
        import pickle

        with open(pickle_path, "rb") as fh:
            model = pickle.load(fh)  # noqa: S301 - our own artefact, shipped in the package
        with open(target, "wb") as out:
            np.savez(out, **arrays_of(model))

    return _cached(f"location-model-arrays-{_LAYOUT}-{digest}.npz", build)
