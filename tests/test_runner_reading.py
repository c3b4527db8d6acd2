"""What the writer reads: the date finder's shortcut for text without a year gives what the patterns give."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from wiredesk.ingest import dates

# Characters dates are written with, and a few that are not.
_DATEISH = st.text(alphabet="0123456789 -/.,:TZ+stndrhofJanuaryFebMchApilMyJunlgSeptOcovDcMonTuesWdhFriSu\u0663\u0669",
                   max_size=40)


@given(_DATEISH)
@settings(max_examples=400, deadline=None)
def test_no_date_pattern_matches_text_without_a_year(text):
    if dates._ANY_YEAR.search(text):
        return
    assert not any(p.search(text) for p in dates._PATTERNS)
    assert dates.find_dates(text) == []


@given(st.lists(st.one_of(_DATEISH, st.sampled_from(["date 2024-03-05", "Sunday, 22 November 2026", "5/13/2024",
                                                        "20240305", "14:05 GMT, March 5th 2024", "2024.03.07"])),
                max_size=4))
@settings(max_examples=300, deadline=None)
def test_find_dates_is_the_same_with_and_without_the_shortcut(parts):
    text = " ".join(parts)
    shortcut = dates.find_dates(text)
    always = dates._ANY_YEAR
    dates._ANY_YEAR = re.compile("")  # matches every text: the patterns alone decide
    try:
        assert dates.find_dates(text) == shortcut
    finally:
        dates._ANY_YEAR = always
