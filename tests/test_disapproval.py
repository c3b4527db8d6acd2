"""Spoken disapproval (training/team_disapproval_heldout.tsv, held out): "X said Y's ban was unacceptable",
"X called Y's launch reckless", "X raised objections to Y's ..." is an ACCUSE (disapprove) by X against Y; an
approving or neutral judgement ("called the talks constructive") is no accusation.

The set was written before the rule and never used to change it; floors sit just under the figures measured
after the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiredesk.coding import code_sentence

SET = Path(__file__).resolve().parents[1] / "training" / "team_disapproval_heldout.tsv"
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
    """Counts: accusations found (a factual ACCUSE record), with both role sets right; controls left alone."""
    out = {"accusations": 0, "found": 0, "roles": 0, "controls": 0, "controls_clean": 0}
    for expect, actor, recipient, text in _rows():
        found = [m for m in code_sentence(text, DATE) if m.event == "ACCUSE"
                 and not {"negation", "hypothetical", "future"} & set(m.flags)]
        if expect == "ACCUSE":
            out["accusations"] += 1
            out["found"] += bool(found)
            out["roles"] += any({e.code for e in m.actor} == actor and {e.code for e in m.recipient} == recipient
                                for m in found)
        else:
            out["controls"] += 1
            out["controls_clean"] += not found
    return out


@pytest.fixture(scope="module")
def figures() -> dict[str, int]:
    return score()


def test_set_is_large_enough(figures):
    assert figures["accusations"] >= 20 and figures["controls"] >= 10


def test_condemning_judgement_is_an_accusation_of_the_acts_owner(figures):
    # measured after the rule: found 16/22, both roles right 15/22 (before it: 1/22 and 1/22)
    assert figures["found"] >= 15
    assert figures["roles"] >= 14


def test_approving_or_neutral_judgements_are_no_accusations(figures):
    # measured: 12/12 before and after the rule
    assert figures["controls_clean"] >= figures["controls"] - 1


if __name__ == "__main__":
    print(score())
