"""Compare canonical events with an analyst's expected events (``examples/news/expected.jsonl``).

An output event matches an expected one when the PLOVER type is the same, the set of country codes of all
parties is the same (actor and recipient together: who hosts whom is scored separately as ``roles_correct``),
and the dates agree at the coarser of the two precisions ("2023-05" agrees with "2023-05-10"). Matching is
one-to-one (each expected event consumes at most one output event), so a duplicate output event counts as a
false positive: that is what "one record per real event" means. The matching is optimal, not first-come: most
matched pairs, then most exact dates, then most correct roles.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

#: Flags that say a record is no claim that its event happened.
NOT_HAPPENED = frozenset({"negation", "hypothetical", "future"})


def _codes(entities: list[Any]) -> set[str]:
    out = set()
    for e in entities or []:
        code = e.get("code") if isinstance(e, dict) else e
        if code:
            out.add(str(code).upper())
    return out


def dates_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _matches(got: dict[str, Any], want: dict[str, Any]) -> bool:
    return (
        got.get("event") == want.get("event")
        and _codes(got.get("actor")) | _codes(got.get("recipient"))
        == _codes(want.get("actor")) | _codes(want.get("recipient"))
        and dates_agree(got.get("date"), want.get("date"))
    )


def load_jsonl(path: str | Path) -> list[dict[str, Any]]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rows.append(json.loads(line))
    return rows


def _assign(candidates: list[dict[str, Any]], expected: list[dict[str, Any]]) -> dict[int, int]:
    """Expected index -> candidate index: a one-to-one matching with the most matched pairs, and among those the
    most exact dates, then the most correct roles (first-come matching let a coarse "2019" record take the
    expected event that a "2019-03" record reports exactly, leaving the exact one spurious).

    Two records can only match when their type and party set are equal, so the matching is solved within each
    (type, parties) block: the same optimum as one assignment over everything, but a 100k-article synthetic
    corpus (33k expected, 15k+ output events) costs seconds instead of a dense 33k x 15k gain matrix."""
    from scipy.optimize import linear_sum_assignment

    if not candidates or not expected:
        return {}

    def block(record: dict[str, Any]) -> tuple[Any, frozenset[str]]:
        return record.get("event"), frozenset(_codes(record.get("actor")) | _codes(record.get("recipient")))

    got_by_block: dict[tuple[Any, frozenset[str]], list[int]] = {}
    for g, got in enumerate(candidates):
        got_by_block.setdefault(block(got), []).append(g)
    want_by_block: dict[tuple[Any, frozenset[str]], list[int]] = {}
    for w, want in enumerate(expected):
        want_by_block.setdefault(block(want), []).append(w)
    out: dict[int, int] = {}
    for key, wants in want_by_block.items():
        gots = got_by_block.get(key)
        if not gots:
            continue
        gain = np.zeros((len(wants), len(gots)))
        for i, w in enumerate(wants):
            want = expected[w]
            for j, g in enumerate(gots):
                got = candidates[g]
                if dates_agree(got.get("date"), want.get("date")):  # type and parties: equal within a block
                    roles = (_codes(got.get("actor")) == _codes(want.get("actor"))
                             and _codes(got.get("recipient")) == _codes(want.get("recipient")))
                    gain[i, j] = 1000.0 + 10.0 * (got.get("date") == want.get("date")) + 5.0 * roles
        rows, cols = linear_sum_assignment(gain, maximize=True)
        out.update({wants[int(i)]: gots[int(j)] for i, j in zip(rows, cols) if gain[i, j] > 0})
    return out


def compare(events: list[dict[str, Any]], expected: list[dict[str, Any]],
            not_events: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Precision, recall and F1 of ``events`` against ``expected``, with the unmatched on both sides.

    Events flagged ``negation``, ``hypothetical`` or ``future`` are not records of something that happened and
    are excluded before matching. ``future`` means the record's event is still to come when it is reported (a
    plan or schedule, "are scheduled to meet on January 10", or a date after publication): the analyst lists
    what happened, so a plan counts neither for nor against the pipeline until a later report says it took
    place. A promise or agreement about the future that was made ("agreed that their advisers would stay in
    contact", "said China would send an envoy") is a fact and carries no ``future`` flag (docs/coding.md,
    "Factuality"). The records keep their flags in the store, ``wiredesk events`` and exports.
    """
    candidates = [e for e in events if not NOT_HAPPENED & set(e.get("flags") or [])]
    hits = _assign(candidates, expected)
    used = set(hits.values())
    matched = []
    missed = []
    for w, want in enumerate(expected):
        hit = hits.get(w)
        if hit is None:
            missed.append(want)
            continue
        got = candidates[hit]
        matched.append({
            "expected": want.get("id"), "event_id": got.get("id"),
            "roles_correct": _codes(got.get("actor")) == _codes(want.get("actor"))
            and _codes(got.get("recipient")) == _codes(want.get("recipient")),
            "date_exact": got.get("date") == want.get("date"),
        })
    spurious = [e for i, e in enumerate(candidates) if i not in used]
    false_events = [
        e for e in spurious for bad in (not_events or []) if _matches(e, bad)
    ]
    tp = len(matched)
    precision = tp / len(candidates) if candidates else 0.0
    recall = tp / len(expected) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "expected": len(expected), "output": len(candidates), "matched": tp,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "roles_correct": sum(m["roles_correct"] for m in matched),
        "dates_exact": sum(m["date_exact"] for m in matched),
        "false_events_recorded": len(false_events),
        "missed": [{"id": m.get("id"), "event": m.get("event"), "date": m.get("date"),
                    "parties": sorted(_codes(m.get("actor")) | _codes(m.get("recipient")))} for m in missed],
        "spurious": [{"id": e.get("id"), "event": e.get("event"), "date": e.get("date"),
                      "parties": sorted(_codes(e.get("actor")) | _codes(e.get("recipient")))} for e in spurious],
        "pairs": matched,
    }
