"""Conditional threats (training/team_conditional_threats.tsv, held out): "X said it would respond if Y did Z" is
a THREATEN by X against Y, made when it is said; a conditional offer or prediction is no threat.

The set was written before the rule and never used to change it; the floor sits just under the figure measured
after the rule (docs/coding.md, "Conditional threats")."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiredesk.eval.eventsets import score_event_set

SET = Path(__file__).resolve().parents[1] / "training" / "team_conditional_threats.tsv"
DATE = "2023-06-01"


def score() -> dict[str, int]:
    return score_event_set(SET, "THREATEN", DATE)


@pytest.fixture(scope="module")
def figures() -> dict[str, int]:
    return score()


def test_set_is_large_enough(figures):
    assert figures["expected"] >= 20 and figures["controls"] >= 10


def test_conditional_retaliation_is_a_threat_against_the_conditions_party(figures):
    # measured after the rule: found 19/22, both roles right 17/22 (before it: 1/22 and 0/22)
    assert figures["found"] >= 18
    assert figures["roles"] >= 16


def test_conditional_offers_and_predictions_are_no_threats(figures):
    # measured: 12/12 before and after the rule
    assert figures["controls_clean"] >= figures["controls"] - 1


if __name__ == "__main__":
    print(score())
