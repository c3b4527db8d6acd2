"""Spoken disapproval (training/team_disapproval_heldout.tsv, held out): "X said Y's ban was unacceptable",
"X called Y's launch reckless", "X raised objections to Y's ..." is an ACCUSE (disapprove) by X against Y; an
approving or neutral judgement ("called the talks constructive") is no accusation.

The set was written before the rule and never used to change it; floors sit just under the figures measured
after the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiredesk.eval.eventsets import score_event_set

SET = Path(__file__).resolve().parents[1] / "training" / "team_disapproval_heldout.tsv"
DATE = "2023-06-01"


def score() -> dict[str, int]:
    return score_event_set(SET, "ACCUSE", DATE)


@pytest.fixture(scope="module")
def figures() -> dict[str, int]:
    return score()


def test_set_is_large_enough(figures):
    assert figures["expected"] >= 20 and figures["controls"] >= 10


def test_condemning_judgement_is_an_accusation_of_the_acts_owner(figures):
    # measured after the rule: found 16/22, both roles right 15/22 (before it: 1/22 and 1/22)
    assert figures["found"] >= 15
    assert figures["roles"] >= 14


def test_approving_or_neutral_judgements_are_no_accusations(figures):
    # measured: 12/12 before and after the rule
    assert figures["controls_clean"] >= figures["controls"] - 1


if __name__ == "__main__":
    print(score())
