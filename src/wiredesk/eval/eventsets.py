"""Score a team-written set of sentences for one event type (e.g. training/team_conditional_threats.tsv).

Format: one sentence per line, ``expect<TAB>actor codes<TAB>recipient codes<TAB>text``; ``expect`` is the event
type the sentence must yield, or anything else (``none``) for a control that must yield no record of that type;
codes are comma-separated, ``-`` for none. Only factual records count: a negated, hypothetical or future one is not
a claim that the event happened (docs/coding.md, "Factuality").
"""

from __future__ import annotations

from pathlib import Path

from wiredesk.coding import code_sentence
from wiredesk.eval.expected import NOT_HAPPENED


def _codes(value: str) -> set[str]:
    return {c for c in value.split(",") if c not in ("", "-")}


def read_set(path: str | Path) -> list[tuple[str, set[str], set[str], str]]:
    rows = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expect, actor, recipient, text = line.split("\t")
        rows.append((expect, _codes(actor), _codes(recipient), text))
    return rows


def score_event_set(path: str | Path, event: str, published: str) -> dict[str, int]:
    """Counts: ``expected`` sentences of ``event``, how many yield a factual record of it (``found``) and with both
    role sets right (``roles``); ``controls`` and how many of them yield none (``controls_clean``)."""
    out = {"expected": 0, "found": 0, "roles": 0, "controls": 0, "controls_clean": 0}
    for expect, actor, recipient, text in read_set(path):
        records = [m for m in code_sentence(text, published) if m.event == event and not NOT_HAPPENED & set(m.flags)]
        if expect == event:
            out["expected"] += 1
            out["found"] += bool(records)
            out["roles"] += any({e.code for e in m.actor} == actor and {e.code for e in m.recipient} == recipient
                                for m in records)
        else:
            out["controls"] += 1
            out["controls_clean"] += not records
    return out
