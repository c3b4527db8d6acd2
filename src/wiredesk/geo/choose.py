"""Which place in a sentence is the event's location: candidate spans scored by a small classifier.

The model (``data/location_model.pkl``: a scikit-learn DictVectorizer + HistGradientBoostingClassifier and a
decision threshold) is trained by ``wiredesk.geo.train_location`` on the non-RELABEL records of the
event-location development set, so the hand-checked RELABEL records stay a held-out test. The pickle is our
own artefact, shipped in the package; retrain it (one command) after a scikit-learn upgrade.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from wiredesk.geo.features import (PLACE_LABELS, Candidate, candidate_features, candidates, containment,
                                   relative_features, verb_token)
from wiredesk.settings import GEO

MODEL_PATH = Path(__file__).with_name("data") / "location_model.pkl"


@functools.cache
def _model() -> dict[str, Any]:
    import pickle

    with open(MODEL_PATH, "rb") as fh:
        return pickle.load(fh)  # noqa: S301 - our own artefact, shipped in the package


def trained_threshold() -> float:
    """The trained decision threshold: below it the best candidate is not taken as the location."""
    return float(_model().get("threshold", GEO.location_threshold))


def predict(model: dict[str, Any], feats: list[dict[str, float]]) -> list[float]:
    """Probability that each candidate is the event's location."""
    if not feats:
        return []
    x = model["vectorizer"].transform(feats)
    return [float(p) for p in model["classifier"].predict_proba(x)[:, 1]]


def gazetteer_kind(text: str) -> str | None:
    """What the gazetteer knows a name as (country/region/city, biggest first), a feature for the model."""
    from wiredesk.geo.gazetteer import get_gazetteer

    cands = get_gazetteer().candidates(text)
    if not cands:
        return None
    kinds = {c.entry.kind for c in cands}
    for kind in ("country", "region"):
        if kind in kinds:
            return kind
    pop = max(c.entry.population for c in cands)
    return "city_big" if pop >= 100_000 else "city"


def featurize(doc: Any, verb: Any) -> tuple[list[Candidate], list[dict[str, float]]]:
    """Candidates of a sentence and their feature dicts for one event verb token."""
    cands = candidates(doc)
    contain = containment(cands)
    feats = [candidate_features(doc, verb, c, i, cands, gazetteer_kind(c.text), contain)
             for i, c in enumerate(cands)]
    relative_features(verb, cands, feats)
    return cands, feats


def rank_locations(doc: Any, verb_start: int, verb_end: int) -> list[tuple[Candidate, float]]:
    """Every candidate place of the sentence with its probability of being the event's location, best first."""
    verb = verb_token(doc, verb_start, verb_end)
    if verb is None:
        return []
    cands, feats = featurize(doc, verb)
    # the verb itself is never its own location ("Shelling hit ...", trigger tagged PROPN)
    pairs = [(c, f) for c, f in zip(cands, feats) if not (c.start < verb_end and c.end > verb_start)]
    probs = predict(_model(), [f for _, f in pairs])
    ranked = [(c, p) for (c, _), p in zip(pairs, probs)]
    ranked.sort(key=lambda x: (-x[1], x[0].start))
    return ranked


def choose_location(doc: Any, verb_start: int, verb_end: int, threshold: float | None = None
                    ) -> tuple[int, int] | None:
    """Character span of the event's location in a parsed sentence, or None when no place there is it."""
    ranked = rank_locations(doc, verb_start, verb_end)
    if not ranked:
        return None
    limit = trained_threshold() if threshold is None else threshold
    best, p = ranked[0]
    return (best.start, best.end) if p >= limit else None


def nearest_place(doc: Any, verb_start: int, verb_end: int) -> tuple[int, int] | None:
    """Baseline: the NER place name (GPE/LOC/FAC) nearest the verb, whatever its role in the sentence."""
    places = [c for c in candidates(doc) if c.label in PLACE_LABELS
              and not (c.start < verb_end and c.end > verb_start)]
    if not places:
        return None
    best = min(places, key=lambda c: (min(abs(c.start - verb_end), abs(verb_start - c.end)), c.start))
    return best.start, best.end
