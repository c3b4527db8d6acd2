"""Coreference scores as the CoNLL-2012 reference scorer defines them: MUC, B-cubed, CEAF-e and CoNLL F1.

Clusterings are given as ``dict[item, cluster label]`` over the same items (key = gold, response = system).
Singletons are kept, as the ECB+ literature does (Cybulska & Vossen 2015; Barhom et al. 2019); an item missing
from the response counts as a response singleton.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

import numpy as np


def _clusters(assign: Mapping[Hashable, Hashable]) -> list[set]:
    groups: dict[Hashable, set] = defaultdict(set)
    for item, label in assign.items():
        groups[label].add(item)
    return list(groups.values())


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _muc_side(key: list[set], response: Mapping) -> float:
    """MUC recall of ``key`` against ``response`` (Vilain et al. 1995): links kept / links needed."""
    num = den = 0
    for cluster in key:
        parts = {response.get(m, ("__single__", m)) for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num / den if den else 0.0


def muc(key: Mapping, response: Mapping) -> tuple[float, float, float]:
    """(precision, recall, F1) of the link-based MUC score."""
    r = _muc_side(_clusters(key), response)
    p = _muc_side(_clusters(response), key)
    return p, r, _f1(p, r)


def b_cubed(key: Mapping, response: Mapping) -> tuple[float, float, float]:
    """(precision, recall, F1) of B-cubed (Bagga & Baldwin 1998), averaged over the key's items."""
    key_sets = {m: c for c in _clusters(key) for m in c}
    resp_sets = {m: c for c in _clusters(response) for m in c}
    items = list(key_sets)
    if not items:
        return 0.0, 0.0, 0.0
    p = r = 0.0
    for m in items:
        k = key_sets[m]
        s = resp_sets.get(m, {m})
        overlap = len(k & s)
        p += overlap / len(s)
        r += overlap / len(k)
    p, r = p / len(items), r / len(items)
    return p, r, _f1(p, r)


def ceaf_e(key: Mapping, response: Mapping) -> tuple[float, float, float]:
    """(precision, recall, F1) of entity-based CEAF (Luo 2005) with phi4 = 2|K∩R| / (|K|+|R|)."""
    from scipy.optimize import linear_sum_assignment

    k_cl = _clusters(key)
    resp = dict(response)
    for m in key:  # missing response items are singletons
        resp.setdefault(m, ("__single__", m))
    r_cl = _clusters(resp)
    if not k_cl or not r_cl:
        return 0.0, 0.0, 0.0
    where = {m: j for j, c in enumerate(r_cl) for m in c}
    sim = np.zeros((len(k_cl), len(r_cl)))
    for i, c in enumerate(k_cl):
        counts: dict[int, int] = defaultdict(int)
        for m in c:
            if m in where:
                counts[where[m]] += 1
        for j, n in counts.items():
            sim[i, j] = 2 * n / (len(c) + len(r_cl[j]))
    rows, cols = linear_sum_assignment(-sim)
    total = sim[rows, cols].sum()
    p, r = total / len(r_cl), total / len(k_cl)
    return p, r, _f1(p, r)


def conll(key: Mapping, response: Mapping) -> dict[str, float]:
    """All three scores and CoNLL F1 (their mean F1)."""
    mp, mr, mf = muc(key, response)
    bp, br, bf = b_cubed(key, response)
    cp, cr, cf = ceaf_e(key, response)
    return {
        "muc_precision": mp, "muc_recall": mr, "muc_f1": mf,
        "b3_precision": bp, "b3_recall": br, "b3_f1": bf,
        "ceafe_precision": cp, "ceafe_recall": cr, "ceafe_f1": cf,
        "conll_f1": (mf + bf + cf) / 3,
    }
