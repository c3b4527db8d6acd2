"""Conditional threats (training/team_conditional_threats.tsv, held out): "X said it would respond if Y did Z" is
a THREATEN by X against Y, made when it is said; a conditional offer or prediction is no threat.

The set was written before the rule and never used to change it; the floor sits just under the figure measured
after the rule (docs/coding.md, "Conditional threats")."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiredesk.coding import code_sentence

SET = Path(__file__).resolve().parents[1] / "training" / "team_conditional_threats.tsv"
DATE = "2023-06-01"


def _rows() -> list[tuple[str, set[str], set[str], str]]:
    rows = []
    for line in SET.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        expect, actor, recipient, text = line.split("\t")
        codes = lambda v: {c for c in v.split(",") if c not in ("", "-")}  # noqa: E731
        rows.append((expect, codes(actor), codes(recipient), text))
    return rows


def score() -> dict[str, int]:
    """Counts: threats found (a factual THREATEN record), with both role sets right; controls left alone."""
    out = {"threats": 0, "found": 0, "roles": 0, "controls": 0, "controls_clean": 0}
    for expect, actor, recipient, text in _rows():
        threats = [m for m in code_sentence(text, DATE) if m.event == "THREATEN"
                   and not {"negation", "hypothetical", "future"} & set(m.flags)]
        if expect == "THREATEN":
            out["threats"] += 1
            out["found"] += bool(threats)
            out["roles"] += any({e.code for e in m.actor} == actor and {e.code for e in m.recipient} == recipient
                                for m in threats)
        else:
            out["controls"] += 1
            out["controls_clean"] += not threats
    return out


@pytest.fixture(scope="module")
def figures() -> dict[str, int]:
    return score()


def test_set_is_large_enough(figures):
    assert figures["threats"] >= 20 and figures["controls"] >= 10


def test_conditional_retaliation_is_a_threat_against_the_conditions_party(figures):
    # measured after the rule: found 19/22, both roles right 17/22 (before it: 1/22 and 0/22)
    assert figures["found"] >= 18
    assert figures["roles"] >= 16


def test_conditional_offers_and_predictions_are_no_threats(figures):
    # measured: 12/12 before and after the rule
    assert figures["controls_clean"] >= figures["controls"] - 1


if __name__ == "__main__":
    print(score())
