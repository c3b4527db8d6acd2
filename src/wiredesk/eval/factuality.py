"""Factuality of coded events (issues 7/9): does a sentence's record claim that its event happened?

What did not happen, has not happened yet or might happen is no record of an event (docs/coding.md,
"Factuality"). Scores the team's factuality sentences (``training/team_factuality*.tsv``: text, publication
date, expected class, category, date of the factual event): fact/not-fact accuracy, exact class, and the dates
of factual records. Used by ``tests/test_factuality.py`` and ``benchmarks/bench_coding.py``.

    python -m wiredesk.eval.factuality [file.tsv]
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from wiredesk.eval.expected import NOT_HAPPENED  # flags that say a record is not a claim its event happened

ROOT = Path(__file__).resolve().parents[3]
HELDOUT = ROOT / "training" / "team_factuality.tsv"


def load_rows(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def classify(text: str, date: str) -> tuple[str, list]:
    """('fact' | the non-fact flag | 'none', records) for one sentence coded end to end."""
    from wiredesk.coding import code_sentence

    records = code_sentence(text, date=date)
    if any(not NOT_HAPPENED & set(r.flags) for r in records):
        return "fact", records
    for flag in ("hypothetical", "future", "negation"):
        if any(flag in r.flags for r in records):
            return flag, records
    return "none", records


def score(path: Path) -> dict:
    """Accuracy of the fact / not-fact decision, of the exact class, and of the dates of factual records."""
    rows = load_rows(path)
    out = {"rows": len(rows), "correct": 0, "class_correct": 0, "dated": 0, "date_correct": 0, "errors": [],
           "by_category": {}}
    for row in rows:
        got, records = classify(row["text"], row["date"])
        want = row["expected"]
        ok = (got == "fact") == (want == "fact")
        cat = out["by_category"].setdefault(row["category"], [0, 0])
        cat[0] += ok
        cat[1] += 1
        out["correct"] += ok
        # a sentence with no record at all is right for a non-fact, whatever class it would have been
        out["class_correct"] += got == want or (want != "fact" and got in ("none", "negation") and want == "negation")
        if want == "fact" and row.get("event_date"):
            out["dated"] += 1
            dates = {r.date for r in records if not NOT_HAPPENED & set(r.flags)}
            out["date_correct"] += row["event_date"] in dates
        if not ok:
            out["errors"].append((row["category"], want, got, row["text"],
                                  [(r.event, r.date, r.flags) for r in records]))
    out["accuracy"] = round(out["correct"] / len(rows), 4)
    out["date_accuracy"] = round(out["date_correct"] / out["dated"], 4) if out["dated"] else None
    return out


if __name__ == "__main__":
    res = score(Path(sys.argv[1]) if len(sys.argv) > 1 else HELDOUT)
    for cat, (ok, n) in res["by_category"].items():
        print(f"{cat:15s} {ok}/{n}")
    print(f"fact/not-fact accuracy {res['correct']}/{res['rows']} = {res['accuracy']}; "
          f"class {res['class_correct']}/{res['rows']}; dates {res['date_correct']}/{res['dated']}")
    for e in res["errors"]:
        print("  ", e)
