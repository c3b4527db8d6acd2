"""Text repairs done before a sentence is parsed for its event location.

Some feeds lost the apostrophe of the possessive to spaces ("killed in Syria   s conflict", "Friday   s
clashes": a curly quote turned into three spaces somewhere upstream). spaCy then reads "s" as a word, the
parse of the whole phrase goes wrong and the place is missed. The repair keeps every character offset
(annotation spans, event-verb spans) where it was: the lost quote and "s" are written back and padded with
spaces to the same length.
"""

from __future__ import annotations

import re

# A lone "s" after a letter, separated by 1-3 spaces, before a space or punctuation: a possessive that lost its
# apostrophe. Letters only before it, so "1980 s" and list items "a, b, s" (never seen) are not touched.
_LOST_APOSTROPHE = re.compile(r"(?<=[A-Za-z])( {1,3})s(?=[ ,.;:]|$)")


def _pad(m: re.Match) -> str:
    return "'s" + " " * (len(m.group(1)) - 1)


def repair_apostrophes(text: str) -> str:
    """``text`` with possessives that lost their apostrophe to spaces restored, same length, same offsets."""
    return _LOST_APOSTROPHE.sub(_pad, text)
