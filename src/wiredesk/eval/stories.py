"""Story quality: B-cubed of the stories ``link.stories.assign_stories`` builds, against a ground truth.

Why: the story vector (MiniLM of title + lead) is the largest per-article cost left, and a cheaper vector can only
be judged against groupings of articles that someone knows to be about one happening. Two such truths exist here:

* a synthetic corpus (``wiredesk.synth``): every article reports one generated event and ``ground_truth.jsonl``
  lists each event's reports, so the true story of an article is its event (:func:`synthetic_truth`);
* ECB+: the annotated sub-topic of an article (topic number + ``ecb``/``ecbplus``, one seminal event each).

Scores are B-cubed over the articles of the truth (``link.metrics.b_cubed``: an article missing from the stories
counts as a story of its own). :func:`bootstrap_difference` says whether two story assignments differ by more than
the luck of which happenings the corpus holds: it resamples the true stories, not the articles, since the articles
of one story succeed or fail together.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable, Mapping
from typing import Any
from pathlib import Path

from wiredesk.link.metrics import b_cubed


def synthetic_truth(corpus: str | Path, paths: Mapping[str, str]) -> dict[str, str]:
    """Article id -> generated event id, for the articles of ``paths`` (article id -> file path) that the corpus's
    ``ground_truth.jsonl`` lists as a report; other files (none in a generated corpus) are left out."""
    from wiredesk.synth import iter_truth

    event_of_file = {name: t["id"] for t in iter_truth(corpus) for name in t["reports"]}
    return {aid: event_of_file[Path(p).name] for aid, p in paths.items() if Path(p).name in event_of_file}


def score(stories: Mapping[Hashable, Hashable], truth: Mapping[Hashable, Hashable]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of ``stories`` (article -> story) against ``truth`` (article -> true
    story), over the articles of ``truth``, with the number of articles, stories and true stories."""
    response = {a: stories[a] for a in truth if a in stories}
    p, r, f = b_cubed(truth, response)
    return {"b3_precision": p, "b3_recall": r, "b3_f1": f, "articles": len(truth),
            "stories": len({*response.values()} | {("alone", a) for a in truth if a not in stories}),
            "true_stories": len(set(truth.values()))}


def _item_scores(stories: Mapping, truth: Mapping) -> dict[Hashable, tuple[float, float]]:
    """Per article: (B-cubed precision, recall) contributions, as ``b_cubed`` averages them."""
    members_true: dict[Hashable, set] = defaultdict(set)
    members_resp: dict[Hashable, set] = defaultdict(set)
    for a, t in truth.items():
        members_true[t].add(a)
        members_resp[stories.get(a, ("alone", a))].add(a)
    out = {}
    for a, t in truth.items():
        k, s = members_true[t], members_resp[stories.get(a, ("alone", a))]
        out[a] = (len(k & s) / len(s), len(k & s) / len(k))
    return out


def _f1(items: list[tuple[float, float]]) -> float:
    p = sum(x for x, _ in items) / len(items)
    r = sum(y for _, y in items) / len(items)
    return 2 * p * r / (p + r) if p + r else 0.0


def bootstrap_difference(base: Mapping, other: Mapping, truth: Mapping, rounds: int = 1000,
                         seed: int = 0) -> dict[str, float]:
    """B-cubed F1 of ``other`` minus that of ``base`` and its 95% interval, from resampling the true stories with
    replacement (paired: both assignments are scored on the same resample). Each article keeps the precision and
    recall it has in the whole corpus, so a resample measures which happenings were drawn, not a new clustering."""
    truth = dict(truth)
    if not truth:
        return {"difference": 0.0, "low": 0.0, "high": 0.0}
    a_items, b_items = _item_scores(base, truth), _item_scores(other, truth)
    groups: dict[Hashable, list] = defaultdict(list)
    for a, t in truth.items():
        groups[t].append(a)
    keys = sorted(groups, key=str)
    rng = random.Random(seed)
    diffs = []
    for _ in range(rounds):
        drawn = [a for k in rng.choices(keys, k=len(keys)) for a in groups[k]]
        diffs.append(_f1([b_items[a] for a in drawn]) - _f1([a_items[a] for a in drawn]))
    diffs.sort()
    every = list(truth)
    return {"difference": _f1([b_items[a] for a in every]) - _f1([a_items[a] for a in every]),
            "low": diffs[int(0.025 * rounds)], "high": diffs[min(rounds - 1, int(0.975 * rounds))]}


def pair_separation(vectors: Mapping[Hashable, Any], truth: Mapping[Hashable, Hashable], threshold: float,
                    days: Mapping[Hashable, int] | None = None, window: int | None = None) -> dict[str, float]:
    """How well the cosines of two story vectors tell articles of one true story from others, without the
    single pass: ROC AUC over article pairs, and the share of same-story and of other pairs at or above
    ``threshold``. With ``days`` (article -> day number) only pairs at most ``window`` days apart count, as only
    those can meet in ``assign_stories``.

    Why beside B-cubed: the single pass joins an article to the best story centroid, so one pair above the
    threshold can chain two happenings together and move B-cubed a lot; the pair figures say whether the vector
    itself separates better or worse."""
    import numpy as np
    from sklearn.metrics import roc_auc_score

    ids = [a for a in truth if a in vectors]
    vec = np.array([np.asarray(vectors[a], dtype=np.float32) for a in ids])
    labels = np.array([str(truth[a]) for a in ids])
    upper = np.triu_indices(len(ids), 1)
    sims = (vec @ vec.T)[upper]
    same = (labels[:, None] == labels[None, :])[upper]
    if days is not None and window is not None:
        d = np.array([days[a] for a in ids])
        near = (np.abs(d[:, None] - d[None, :]) <= window)[upper]
        sims, same = sims[near], same[near]
    if not same.any() or same.all():
        return {"pairs": int(len(sims)), "auc": float("nan"), "same_above": float("nan"),
                "other_above": float("nan")}
    return {"pairs": int(len(sims)), "auc": float(roc_auc_score(same, sims)),
            "same_above": float((sims[same] >= threshold).mean()),
            "other_above": float((sims[~same] >= threshold).mean())}
