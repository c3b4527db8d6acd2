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
                                   none_features, relative_features, verb_token)
from wiredesk.settings import GEO

MODEL_PATH = Path(__file__).with_name("data") / "location_model.pkl"


#: Run the models from their arrays with numpy (``model_arrays``: the same probabilities, no scikit-learn import);
#: False: unpickle the scikit-learn objects. Read when the model is first loaded.
ARRAYS_AT_RUN_TIME = True


@functools.cache
def _model() -> dict[str, Any]:
    """The location model as ``predict`` and ``predict_placed`` read it (``vectorizer``, ``classifier``,
    ``threshold``, ``none_model``, ``trained_on``): from the pickle's arrays (``ARRAYS_AT_RUN_TIME``), or the
    pickle itself."""
    if ARRAYS_AT_RUN_TIME:
        from wiredesk.geo.model_arrays import cached_arrays, read

        return read(cached_arrays(MODEL_PATH))
    return _pickled_model()


def _pickled_model() -> dict[str, Any]:
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
    return _kind_of(_gazetteer_entries(text))


def _gazetteer_entries(text: str) -> list[Any]:
    from wiredesk.geo.gazetteer import get_gazetteer

    return [c.entry for c in get_gazetteer().candidates(text)]


def _kind_of(entries: list[Any]) -> str | None:
    if not entries:
        return None
    kinds = {e.kind for e in entries}
    for kind in ("country", "region"):
        if kind in kinds:
            return kind
    pop = max(e.population for e in entries)
    return "city_big" if pop >= 100_000 else "city"


def gazetteer_containment(entries: list[list[Any]]) -> tuple[set[int], set[int]]:
    """Which candidates the gazetteer knows to contain another candidate of the sentence, and which are inside one.

    "The rebels captured Lubumbashi in ... Shaba province", "killed in Kobane, in northern Syria": the event's
    location is the most specific place named, its containers only say where that is. A country contains a
    place of that country, a first-level region a city of that region (any reading of the inner name counts:
    this is a hint for the model, not a resolution)."""
    containers: set[int] = set()
    contained: set[int] = set()
    for a, outer in enumerate(entries):
        kind = _kind_of(outer)
        if kind not in ("country", "region"):
            continue
        areas = {(e.cc, e.admin1 if e.kind == "region" else None) for e in outer if e.kind == kind}
        for b, inner in enumerate(entries):
            if b == a or not inner or _kind_of(inner) == "country":
                continue
            if any((e.cc, None) in areas or (e.kind == "city" and (e.cc, e.admin1) in areas) for e in inner):
                containers.add(a)
                contained.add(b)
    return containers, contained


def actor_kinds(text: str) -> set[str]:
    """What the actor knowledge base knows a name as: "org" (SDF, APEC, Islamic State), "person", ...

    The small NER model calls organisations places ("killed in the SDF shelling"); an organisation is never the
    event's location, however it hangs off the verb."""
    from wiredesk.actors import get_resolver  # loaded once per process, shared with actor resolution
    from wiredesk.actors.kb import fold, token_key

    kb = get_resolver().kb
    found = kb.index.get(token_key(text), []) or kb.index.get(token_key(fold(text)), [])
    return {t.kind for t in found}


def featurize(doc: Any, verb: Any) -> tuple[list[Candidate], list[dict[str, float]]]:
    """Candidates of a sentence and their feature dicts for one event verb token."""
    cands = candidates(doc)
    contain = containment(cands)
    entries = [_gazetteer_entries(c.text) for c in cands]
    gaz_contain = gazetteer_containment(entries)
    feats = [candidate_features(doc, verb, c, i, cands, _kind_of(entries[i]), contain)
             for i, c in enumerate(cands)]
    for i, (c, f) in enumerate(zip(cands, feats)):
        f["gaz_container"] = float(i in gaz_contain[0])
        f["gaz_contained"] = float(i in gaz_contain[1])
        for kind in actor_kinds(c.text) & {"org", "person", "person-alias"}:
            f[f"kb={kind}"] = 1.0
    relative_features(verb, cands, feats)
    return cands, feats


def rank_locations(doc: Any, verb_start: int, verb_end: int) -> list[tuple[Candidate, float]]:
    """Every candidate place of the sentence with its probability of being the event's location, best first."""
    return list(_kept_or_scored(doc, verb_start, verb_end)[0])


def placed_probability(doc: Any, verb_start: int, verb_end: int) -> float | None:
    """The none decision's probability that the best-ranked candidate is the event's location (rather than
    none), or None when the model has no none decision or the sentence no candidate."""
    return _kept_or_scored(doc, verb_start, verb_end)[1]


def _kept_or_scored(doc: Any, verb_start: int, verb_end: int) -> tuple[list[tuple[Candidate, float]], float | None]:
    kept = doc.user_data.get(_RANKED)
    if kept is not None and kept[0] == _ranking_key(doc) and (verb_start, verb_end) in kept[1]:
        return kept[1][(verb_start, verb_end)]
    pairs = _scored_candidates(doc, verb_start, verb_end)
    probs = predict(_model(), [f for _, f in pairs])
    placed = _placed([(doc, verb_start, verb_end, pairs, probs)])[0]
    return _ranked(pairs, probs), placed


def _placed(rows: list[tuple[Any, int, int, list[tuple[Candidate, dict[str, float]]], list[float]]]
            ) -> list[float | None]:
    """The none decision for many (Doc, verb span, scored candidates, probabilities) at once (one model call)."""
    none_model = _model().get("none_model")
    out: list[float | None] = [None] * len(rows)
    todo, feats = [], []
    for k, (doc, start, end, pairs, probs) in enumerate(rows):
        if none_model is None or not pairs:
            continue
        best = best_index([c for c, _ in pairs], probs)
        todo.append(k)
        feats.append(none_features(doc, verb_token(doc, start, end), [f for _, f in pairs], probs, best))
    for k, p in zip(todo, predict_placed(none_model, feats)):
        out[k] = p
    return out


def predict_placed(none_model: dict[str, Any], feats: list[dict[str, float]]) -> list[float]:
    """Probability, per sentence, that its best candidate is the event's location rather than none."""
    if not feats:
        return []
    x = none_model["vectorizer"].transform(feats)
    return [float(p) for p in none_model["classifier"].predict_proba(x)[:, 1]]


def _scored_candidates(doc: Any, verb_start: int, verb_end: int) -> list[tuple[Candidate, dict[str, float]]]:
    """The candidates the model scores for one trigger span, with their features."""
    verb = verb_token(doc, verb_start, verb_end)
    if verb is None:
        return []
    cands, feats = featurize(doc, verb)
    # the verb itself is never its own location ("Shelling hit ...", trigger tagged PROPN)
    return [(c, f) for c, f in zip(cands, feats) if not (c.start < verb_end and c.end > verb_start)]


def rank_key(candidate: Candidate, probability: float) -> tuple[float, int]:
    """The order candidates are ranked in: most probable first, ties to the earlier one. The ranking, the none
    decision and its training (``train_location.none_rows``) all read the best candidate by it."""
    return -probability, candidate.start


def best_index(candidates: list[Candidate], probs: list[float]) -> int:
    """Index of the best-ranked of ``candidates`` (``rank_key``)."""
    return min(range(len(candidates)), key=lambda i: rank_key(candidates[i], probs[i]))


def _ranked(pairs: list[tuple[Candidate, dict[str, float]]], probs: list[float]) -> list[tuple[Candidate, float]]:
    ranked = [(c, p) for (c, _), p in zip(pairs, probs)]
    ranked.sort(key=lambda x: rank_key(*x))
    return ranked


#: Key of the rankings ``rank_batch`` keeps in ``Doc.user_data``.
_RANKED = "wiredesk.geo.ranked"


def _ranking_key(doc: Any) -> tuple:
    """What a kept ranking depends on besides the trigger span: the Doc's entities (candidates come from them)."""
    return tuple((e.start, e.end, e.label_) for e in doc.ents)


def rank_batch(requests: list[tuple[Any, int, int]]) -> list[list[tuple[Candidate, float]]]:
    """``rank_locations`` of many (Doc, verb_start, verb_end) requests with one model call; each ranking is kept
    on its Doc, so a later ``rank_locations`` of the same Doc and span returns it without scoring again.

    Why: ``predict_proba`` of the gradient-boosted trees costs ~1.7 ms whatever the rows (150 trees walked one
    after another for 1 or 30 rows alike), more than the features of a sentence's few candidates; called once per
    event sentence it was half the location stage. The trees score each row on its own, so a ranking from the
    batch is the one ``rank_locations`` gives alone. Identical requests (copies of a sentence share a Doc) are
    scored once. The answer is keyed on the Doc's entities, so a Doc changed by NER afterwards is scored again.
    The none decision (``placed_probability``) is made for the batch in one call too, and kept with the ranking."""
    rows: list[tuple[Any, int, int, list[tuple[Candidate, dict[str, float]]]]] = []
    seen: set[tuple[int, int, int]] = set()
    for doc, start, end in requests:
        if (id(doc), start, end) in seen:
            continue
        seen.add((id(doc), start, end))
        rows.append((doc, start, end, _scored_candidates(doc, start, end)))
    probs = predict(_model(), [f for _, _, _, pairs in rows for _, f in pairs])
    split, at = [], 0
    for doc, start, end, pairs in rows:
        split.append((doc, start, end, pairs, probs[at:at + len(pairs)]))
        at += len(pairs)
    for (doc, start, end, pairs, row_probs), placed in zip(split, _placed(split)):
        kept = doc.user_data.get(_RANKED)
        key = _ranking_key(doc)
        if kept is None or kept[0] != key:
            kept = doc.user_data[_RANKED] = (key, {})
        kept[1][(start, end)] = (_ranked(pairs, row_probs), placed)
    return [rank_locations(doc, start, end) for doc, start, end in requests]


def best_location(doc: Any, verb_start: int, verb_end: int, threshold: float | None = None
                  ) -> tuple[Candidate | None, list[tuple[Candidate, float]]]:
    """(The candidate that is the event's location or None, the ranking it was chosen from).

    With a none decision in the model (``none_model``) and no ``threshold`` given, the best-ranked candidate is
    taken when the none decision says so (probability >= its own cut, 0.5: the more likely answer); otherwise
    (an older model, or a ``threshold`` passed explicitly) when its own probability reaches the threshold."""
    ranked, placed = _kept_or_scored(doc, verb_start, verb_end)
    ranked = list(ranked)
    if not ranked:
        return None, ranked
    best, p = ranked[0]
    none_model = _model().get("none_model")
    if threshold is None and none_model is not None and placed is not None:
        return (best if placed >= none_model["threshold"] else None), ranked
    limit = trained_threshold() if threshold is None else threshold
    return (best if p >= limit else None), ranked


def choose_location(doc: Any, verb_start: int, verb_end: int, threshold: float | None = None
                    ) -> tuple[int, int] | None:
    """Character span of the event's location in a parsed sentence, or None when no place there is it."""
    best, _ = best_location(doc, verb_start, verb_end, threshold)
    return (best.start, best.end) if best is not None else None


def nearest_place(doc: Any, verb_start: int, verb_end: int) -> tuple[int, int] | None:
    """Baseline: the NER place name (GPE/LOC/FAC) nearest the verb, whatever its role in the sentence."""
    places = [c for c in candidates(doc) if c.label in PLACE_LABELS
              and not (c.start < verb_end and c.end > verb_start)]
    if not places:
        return None
    best = min(places, key=lambda c: (min(abs(c.start - verb_end), abs(verb_start - c.end)), c.start))
    return best.start, best.end
