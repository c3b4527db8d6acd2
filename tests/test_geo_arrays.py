"""The location models run from their arrays (``geo.model_arrays``) give scikit-learn's probabilities exactly,
and a run that finds the arrays in the cache never imports scikit-learn."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from wiredesk.geo import choose
from wiredesk.geo.model_arrays import arrays_of, cached_arrays, read


def _write_and_read(model, tmp_path):
    path = tmp_path / "arrays.npz"
    with open(path, "wb") as out:
        np.savez(out, **arrays_of(model))
    return read(path)


def test_arrays_give_the_trained_models_probabilities(tmp_path):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(7)
    kinds = ["city", "country", "region"]

    def row(i):
        f = {"dist": float(rng.normal()), "rank": int(rng.integers(0, 5)), "kind": kinds[i % 3],
             "flag": bool(i % 2)}
        if i % 7 == 0:
            f["gap"] = None  # NaN: the trees send it to the side each split learnt
        else:
            f["gap"] = float(rng.normal())
        if i % 11 == 0:
            f["kind=city"] = 0.5  # the same column given twice: summed
        return f

    rows = [row(i) for i in range(400)]
    labels = np.array([int(f["dist"] + (f["kind"] == "city") + rng.normal() * 0.3 > 0.5) for f in rows])
    vec = DictVectorizer(sparse=False, dtype=np.float32).fit(rows)
    clf = HistGradientBoostingClassifier(max_iter=30, max_leaf_nodes=7, random_state=0)
    clf.fit(vec.transform(rows), labels)
    no_nan = [{k: (0.0 if v is None else v) for k, v in f.items()} for f in rows]  # a regression takes no NaN
    none_vec = DictVectorizer(sparse=False).fit(no_nan)
    none_lr = LogisticRegression(max_iter=500).fit(none_vec.transform(no_nan), labels)
    model = {"vectorizer": vec, "classifier": clf, "threshold": 0.3,
             "none_model": {"vectorizer": none_vec, "classifier": none_lr, "threshold": 0.5}}
    arrays = _write_and_read(model, tmp_path)
    test = [row(i) for i in range(400, 700)] + [{"unknown": 1.0}, {}]
    assert choose.predict(arrays, test) == choose.predict(model, test)
    test_no_nan = [{k: (0.0 if v is None else v) for k, v in f.items()} for f in test]
    assert choose.predict_placed(arrays["none_model"], test_no_nan) == \
        choose.predict_placed(model["none_model"], test_no_nan)
    assert arrays["threshold"] == 0.3 and arrays["none_model"]["threshold"] == 0.5
    with pytest.raises(TypeError):
        arrays["vectorizer"].transform([{"dist": [1.0]}])


def test_shipped_model_arrays_match_the_pickle(tmp_path):
    from wiredesk.nlp import spacy_pipeline

    pickled = choose._pickled_model()
    arrays = _write_and_read(pickled, tmp_path)
    assert arrays["trained_on"] == pickled.get("trained_on")
    nlp = spacy_pipeline()
    texts = ["Gunmen attacked a checkpoint in Homs on Sunday, killing three soldiers near the Lebanese border.",
             "Officials in Cairo said the talks between Israel and Hamas would resume in Geneva next month.",
             "The rebels captured Lubumbashi in Shaba province after clashes with the army of Zaire.",
             "Putin met Erdogan in Sochi, Russia, where they agreed on a ceasefire in Idlib."]
    feats, none_feats = [], []
    for doc in nlp.pipe(texts):
        for verb in (t for t in doc if t.pos_ == "VERB"):
            cands, f = choose.featurize(doc, verb)
            if not f:
                continue
            feats.extend(f)
            probs = choose.predict(pickled, f)
            from wiredesk.geo.features import none_features

            none_feats.append(none_features(doc, verb, f, probs, choose.best_index(cands, probs)))
    assert len(feats) > 20 and none_feats
    assert choose.predict(arrays, feats) == choose.predict(pickled, feats)
    assert choose.predict_placed(arrays["none_model"], none_feats) == \
        choose.predict_placed(pickled["none_model"], none_feats)


def test_run_time_model_does_not_import_scikit_learn():
    cached_arrays(choose.MODEL_PATH)  # built here (that imports scikit-learn once), read below
    code = ("import sys; from wiredesk.geo import choose; m = choose._model(); "
            "p = choose.predict(m, [{'dist_tokens': 2.0}]); "
            "print(type(m['classifier']).__name__, 'sklearn' in sys.modules, 0 < p[0] < 1)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["Trees", "False", "True"]
