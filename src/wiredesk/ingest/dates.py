"""Finding and reading calendar dates as news headers write them ("date 2024-03-05", "Published 14:05 GMT,
March 5th 2024", "Sunday, 22 November 2026", "2024-03-05T10:00:00Z").

Deliberately small and strict: publication dates come from headers and markup, where dates are written in a
handful of shapes. Ambiguous numeric dates (03/05/2024) are read only when one field cannot be a month.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|" \
       r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?,?\s+"

# Each pattern names its groups; order matters (most specific first). Case-insensitive.
_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_YEAR}-(?P<month>[01]?\d)-{_DAY}(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?!\d)",
        rf"\b{_YEAR}/(?P<month>[01]?\d)/{_DAY}\b",
        rf"\b{_YEAR}\.(?P<month>[01]\d)\.{_DAY}\b",
        rf"\b(?:{_WEEKDAY})?{_MON}\s+{_DAY},?\s+{_YEAR}\b",
        rf"\b(?:{_WEEKDAY})?{_DAY}(?:\s+of)?\s+{_MON},?\s+{_YEAR}\b",
        r"\b(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<year>(?:19|20)\d\d)\b",
        rf"\b{_YEAR}(?P<month>[01]\d)(?P<day>[0-3]\d)\b",
    )
)
_PARTIAL = (
    re.compile(rf"\b(?:{_WEEKDAY})?{_MON}\s+{_DAY}\b(?!,?\s+(?:19|20)\d\d)", re.IGNORECASE),
    re.compile(rf"\b(?:{_WEEKDAY})?{_DAY}\s+{_MON}\b(?!,?\s+(?:19|20)\d\d)", re.IGNORECASE),
)


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    text: str
    value: str  # ISO date


def _make(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _from_match(m: re.Match[str], index: int) -> str | None:
    g = m.groupdict()
    year = int(g["year"])
    if g.get("a"):  # numeric d/m/y or m/d/y: only when unambiguous
        a, b = int(g["a"]), int(g["b"])
        if a > 12 >= b:
            return _make(year, b, a)
        if b > 12 >= a:
            return _make(year, a, b)
        if a == b:
            return _make(year, a, b)
        return None
    if g.get("mon"):
        month = MONTHS[g["mon"].lower().rstrip(".")]
    else:
        month = int(g["month"])
    if index == 6 and not (1 <= month <= 12):
        return None
    return _make(year, month, int(g["day"]))


#: What every pattern of ``_PATTERNS`` needs somewhere in the text: a four-digit year.
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")


def find_dates(text: str) -> list[FoundDate]:
    """Every full calendar date (day precision, with a year) in ``text``, left to right, no overlaps."""
    if not _ANY_YEAR.search(text):  # half the header lines the readers ask about: seven searches spared
        return []
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for index, pattern in enumerate(_PATTERNS):
        if index == 6 and found:  # bare 20240305 only when nothing better is there (it is often an id)
            break
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = _from_match(m, index)
            if value:
                found.append(FoundDate(m.start(), m.end(), m.group(0), value))
                taken.append((m.start(), m.end()))
    found.sort(key=lambda f: f.start)
    return found


def find_partial_dates(text: str) -> list[tuple[int, int, int, int]]:
    """Month-and-day dates without a year ("March 5", "5 March"): (start, end, month, day)."""
    out = []
    for pattern in _PARTIAL:
        for m in pattern.finditer(text):
            day = int(m.group("day"))
            if 1 <= day <= 31:
                out.append((m.start(), m.end(), MONTHS[m.group("mon").lower().rstrip(".")], day))
    out.sort()
    return out


def parse_date(text: str) -> str | None:
    """The first full date in ``text`` as an ISO string, else None."""
    found = find_dates(text)
    return found[0].value if found else None


def complete_partial(month: int, day: int, reference: str | None) -> str | None:
    """Give a year-less date the year that puts it closest to (and not long after) ``reference``."""
    if not reference:
        return None
    ref = dt.date.fromisoformat(reference[:10])
    best = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        value = _make(year, month, day)
        if value is None:
            continue
        gap = abs((dt.date.fromisoformat(value) - ref).days)
        if best is None or gap < best[0]:
            best = (gap, value)
    return best[1] if best and best[0] <= 62 else None
