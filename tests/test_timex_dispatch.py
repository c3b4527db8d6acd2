"""The tagger's cheap dispatch: head words found by set tests (``timex._heads``) and the rules a first letter
admits (``rules.first_letters``). Both must find exactly what trying everything finds."""

from __future__ import annotations

import re

import pytest

from wiredesk import timex
from wiredesk.timex import rules

TEXTS = [
    "On Monday, March 3, 2023, the ministers met for two hours; in Q1 2022 sales fell 3% from a year earlier.",
    "The talks, held 10-12 April, ended at 7:30 p.m. GMT; the 1990s and the mid-2000s were calmer, officials said.",
    "Yesterday's vote came three weeks after the summit of 12/03/2021 and days before New Year's Day.",
    "He will travel next week, the ministry said Tuesday; H2 results are due in the fourth quarter of fiscal 2024.",
    "Élections: la semaine prochaine. Since the nineteen-eighties, every spring, daily at noon, tonight.",
]


def _heads_by_word(text: str, low: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Every letter run looked up, every digit head searched from the span's start (the plain way)."""
    heads = []
    for m in re.compile(r"[a-z]+").finditer(low, lo, hi):
        if m.group() in rules.HEAD_KINDS:
            heads.append((m.start(), m.end(), rules.HEAD_KINDS[m.group()]))
    heads += [(m.start(), m.end(), m.lastgroup or "digit") for m in timex._DIGIT_HEAD.finditer(text, lo, hi)]
    return sorted(heads)


@pytest.mark.parametrize("text", TEXTS)
def test_heads_are_those_of_a_word_by_word_lookup_for_every_span(text):
    low = text.lower()
    for lo in range(0, len(text), 3):  # spans that start inside words and numbers too
        for hi in (lo + 7, lo + 40, len(text)):
            hi = min(hi, len(text))
            assert timex._heads(text, low, lo, hi) == _heads_by_word(text, low, lo, hi), (lo, hi)


def test_first_letters_of_small_patterns():
    assert rules.first_letters(r"\b(?:the\s+)?(?P<d>\d+)") == frozenset("tT0123456789")
    assert rules.first_letters(r"(?:last|next)\s+week") == frozenset("lLnN")
    assert rules.first_letters(r"(?<=\bat\s)noon") == frozenset("nN")  # a look-behind adds no letter
    assert rules.first_letters(r"(?:the\s+)?") is None  # can match nothing: any letter
    assert rules.first_letters(r"(?P<x>a)(?P=x)?b") == frozenset("aA")


def test_every_rule_match_begins_with_a_letter_its_table_admits():
    for text in TEXTS:
        for name, pattern, _ in rules.RULES:
            compiled = rules.COMPILED[name][0]
            admitted = rules._FIRST[name]
            for p in range(len(text)):
                if compiled.match(text, p) and ord(text[p]) < 128 and admitted is not None:
                    assert text[p] in admitted, (name, text[p:p + 20])
    for kind, table in rules.RULES_BY_KIND_FIRST.items():
        assert set(table) == {chr(c) for c in range(128)}
        for rules_for_char in table.values():  # the kind's order is kept
            order = [r[0] for r in rules.RULES_BY_KIND[kind]]
            assert [r[0] for r in rules_for_char] == [n for n in order if n in {r[0] for r in rules_for_char}]
