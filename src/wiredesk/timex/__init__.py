"""Temporal expressions ("When", issue 4): find them in text and normalise them to TIMEX3 values.

``tag(text, ref_date)`` returns :class:`wiredesk.model.Timex` records (DATE, TIME, DURATION, SET) whose values
are anchored on ``ref_date`` (the publication date): "Wednesday" in a Thursday article is the day before unless
the sentence speaks of the future ("will meet on Wednesday"). ``parse_date_string`` reads one standalone date
(a header or byline) for the publication-date finder.

Pure Python: one compiled regex cascade (``wiredesk.timex.rules``), no parser in the hot path. See docs/timex.md.
"""

from __future__ import annotations

import datetime as dt
import re

from wiredesk.model import Timex
from wiredesk.timex import rules as _rules
from wiredesk.timex.resolve import to_date

__all__ = ["tag", "parse_date_string", "Timex"]

_CALENDAR = re.compile(r"\d{4}(?:-(?:\d\d(?:-\d\d)?|Q\d|H\d|W\d\d))?")


_ALPHA = re.compile(r"[a-z]+")
_DIGIT_HEAD = re.compile(r"\b(?:(?P<qh>[QH][1-4])\b|(?P<year>(?:1[5-9]|20)\d\d)(?!\d)|(?P<decade>\d\d?0s)\b"
                         r"|(?P<digit>\d{1,2}(?=:\d\d|\s*[aApP]\.?[mM]\b|[/.]\d|-\d\d-|(?:\s+o'clock)?\s+in\s+the\s+[mae])"
                         r"|[0-2]\d[0-5]\d(?=\s*(?:GMT|UTC|Z|hrs|hours)\b)))")
_DIGIT = re.compile(r"\d")  # the same digits as \d in _DIGIT_HEAD
_WORD_START = re.compile(r"\b\w")
_LEAD_WORD = re.compile(r"[a-z]+|\d+")


#: Every head word, and the occurrences of each as a whole run of letters (what ``_ALPHA`` finds).
_HEAD_WORDS = frozenset(_rules.HEAD_KINDS)
_HEAD_AT = {w: re.compile(rf"(?<![a-z]){re.escape(w)}(?![a-z])") for w in _rules.HEAD_KINDS}


def _heads(text: str, low: str, lo: int, hi: int) -> list[tuple[int, int, str]]:
    """Head words of temporal expressions in ``text[lo:hi]``: (start, end, kind), in text order.

    The span's letter runs are listed by the regex engine and met with the head words as sets; only the heads
    present (in a third of the sentences, ~1 word in 36) are then found where they are. Looking up every word
    in Python was most of this function's time."""
    kinds = _rules.HEAD_KINDS
    present = _HEAD_WORDS.intersection(_ALPHA.findall(low, lo, hi))
    heads = []
    if present:
        for word in present:
            kind = kinds[word]
            heads.extend((m.start(), m.end(), kind) for m in _HEAD_AT[word].finditer(low, lo, hi))
        if lo > 0 and "a" <= low[lo - 1] <= "z":
            # a span that starts inside a run of letters: its first run is a word of its own for ``_ALPHA``,
            # which the look-behind above does not see
            first = _ALPHA.match(low, lo, hi)
            if first is not None and first.group() in present:
                heads.append((first.start(), first.end(), kinds[first.group()]))
        if len(heads) > 1:
            heads.sort()
    first = _DIGIT.search(text, lo, hi)
    if first is None:  # every digit head holds a digit: most sentences have none
        return heads
    # and begins at its first digit or one letter before it (Q1, H2): the search starts there, not at lo
    digits = [(m.start(), m.end(), m.lastgroup or "digit")
              for m in _DIGIT_HEAD.finditer(text, max(lo, first.start() - 1), hi)]
    if digits:
        heads.extend(digits)
        heads.sort()
    return heads


def _scan(text: str, low: str, lo: int, hi: int, ctx: _rules.Context, out: list[Timex]) -> None:
    """Tag ``text[lo:hi]``: find head words, try the rules of each head's kind at the word starts just before it
    (leftmost start first, longest match at that start), normalise, and keep the longer of two overlapping
    readings ("the past" from the head "past" gives way to "the past decade" from the head "decade")."""
    floor = lo  # a new match starts at or after the end of the last emitted one
    pending: tuple[re.Match, object, str] | None = None
    for start, end, kind in _heads(text, low, lo, hi):
        if start < floor:
            continue  # inside what was emitted ("Oct. 3-5, 2012": the year closed the range)
        best = _best_at(text, low, start, kind, floor, lo, hi, ctx)
        if best is None:
            if pending is None or start < pending[0].end():
                continue
            # Nothing here yet, but the pending reading may be what this one leans on ("the third quarter ...
            # a year-earlier loss"): settle it and look again.
            floor = _emit(text, *pending, ctx, out)
            pending = _best_at(text, low, start, kind, floor, lo, hi, ctx) if start >= floor else None
            continue
        if pending is None:
            pending = best
        elif best[0].start() < pending[0].end():
            # Overlapping readings ("two thousand" / "more than two thousand years"): the longer one wins.
            if best[0].end() - best[0].start() > pending[0].end() - pending[0].start():
                pending = best
        else:
            # A separate expression: settle the pending one first, so its date can anchor this one.
            floor = _emit(text, *pending, ctx, out)
            pending = _best_at(text, low, start, kind, floor, lo, hi, ctx) if start >= floor else None
    if pending is not None:
        _emit(text, *pending, ctx, out)


def _best_at(text: str, low: str, start: int, kind: str, floor: int, lo: int, hi: int,
             ctx: _rules.Context) -> tuple[re.Match, object, str] | None:
    """The leftmost, then longest, accepted match covering the head word at ``start``."""
    starts = []
    for ws in reversed([m.start() for m in _WORD_START.finditer(low, max(floor, start - 48), start)][-6:]):
        w = _LEAD_WORD.match(low, ws)
        if w is None or not (w.group()[0].isdigit() or w.group() in _rules.CONNECT):
            break
        starts.insert(0, ws)
    if start > max(lo, floor) and text[start - 1] in "'’":
        starts.append(start - 1)  # "'90s"
    starts.append(start)
    best = None
    k = len(starts)
    by_first, every = _rules.RULES_BY_KIND_FIRST[kind], _rules.RULES_BY_KIND[kind]
    for idx, p in enumerate(starts):
        back = k - 1 - idx
        # only the rules whose match can begin with the character at p (rules.RULES_BY_KIND_FIRST)
        for name, pattern, handler, reach in by_first.get(text[p], every):
            if back > reach:
                continue
            m = pattern.match(text, p, hi)
            if m is None or m.end() <= start:
                continue
            if best is not None and m.end() <= best[0].end():
                continue
            ctx.start, ctx.end = m.start(), m.end()
            found = handler(m, ctx)
            if found is not None:
                best = (m, found, name)
        if best is not None:
            return best
    return None


#: "the" before a hyphenated modifier belongs to the noun phrase, not to the timex ("the [14-day] waiting period",
#: "the [third-quarter] loss", "The [year-ago] results": TimeML tags the modifier alone).
_THE_MODIFIER = re.compile(r"the\s+(?=\S*-\S*$)", re.I)
_NOUN_AFTER = re.compile(r"\s+[a-z]")
#: The year-to-date span of a results report ("the first nine months", "the six months", "the latest nine months");
#: "the past six months" is a rolling span, not the year to date.
_YEAR_TO_DATE = re.compile(r"(?:the\s+)?(?:(?:first|latest)\s+)?(?:nine|six|9|6)\s+months", re.I)
#: The second day of a range ("March 28 to 30", "April 24 and 25"): TimeML tags it as a date of its own.
_RANGE_DAY = re.compile(r"\s*(?:-|–|to|and|through|until|or)\s*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
                        r"(?:,?\s+(?P<year>(?:1[5-9]|20)\d\d)\b)?"
                        # not a count or a measure ("March 3 and 4 people", "to 30 percent")
                        r"(?![.,:/%-]?\d|\s*(?:%|[ap]\.?m\.?(?!\w)|GMT|UTC)"
                        r"|\s+(?!(?:in|at|on|and|or|of|for|when|as|with|to|the|from|during|before|after)\b)[A-Za-z])",
                        re.I)


def _emit(text: str, m: re.Match, found, name: str, ctx: _rules.Context, out: list[Timex]) -> int:
    """Add the timex of a match to ``out`` and return where the next one may start."""
    start, end = m.start() + found.lead, m.end() - found.trail
    while end > start and text[end - 1] in " ,":
        end -= 1
    lead = _THE_MODIFIER.match(text, start, end)
    if lead and _NOUN_AFTER.match(text, end):
        start = lead.end()
    out.append(Timex(start=start, end=end, text=text[start:end], type=found.type, value=found.value,
                     precision=found.precision, mod=found.mod, anchored=found.anchored))
    if name == "date_mdy" and re.fullmatch(r"\d{4}-\d\d-\d\d", found.value):
        r = _RANGE_DAY.match(text, end)
        if r and int(found.value[8:]) < int(r.group("day")) <= 31:
            first = out[-1]
            if r.group("year"):  # "Oct. 3-5, 2012": the year closing the range is the first day's too
                first.value, first.anchored = r.group("year") + first.value[4:], False
            stop = r.end("year") if r.group("year") else r.end("day")
            out.append(Timex(start=r.start("day"), end=stop, text=text[r.start("day"):stop], type="DATE",
                             value=f"{first.value[:8]}{int(r.group('day')):02d}", precision="day",
                             anchored=first.anchored))
            ctx.anchor, ctx.anchor_pos = out[-1].value, stop
            return stop
    if found.type == "DATE" and _CALENDAR.fullmatch(found.value):
        ctx.anchor, ctx.anchor_pos = found.value, end
        if found.period:
            ctx.period, ctx.period_pos, ctx.period_fiscal = found.value, end, found.fiscal
    elif found.type == "DURATION" and ctx.period and _YEAR_TO_DATE.fullmatch(text, start, end):
        # "In the first nine months, net was $306 million, compared with ... the 1988 period. The year-ago
        # results ...": once a results story turns from its quarter to the year to date, the comparisons that
        # follow are with the year before (1988), not with the quarter a year back
        ctx.period, ctx.period_pos, ctx.period_fiscal = ctx.period[:4], end, False
    return m.end()


def tag(text: str, ref_date: str | dt.date | None, *,
        spans: list[tuple[int, int]] | None = None) -> list[Timex]:
    """Temporal expressions of ``text`` normalised against ``ref_date`` (ISO string, date or None).

    ``spans`` restricts tagging to those character ranges (e.g. sentences); offsets always point into ``text``.
    Without a reference date, relative expressions keep unknown parts as X ("XXXX-WXX-3") and ``anchored`` False.
    """
    if not text:
        return []
    ctx = _rules.Context(text=text, ref=to_date(ref_date))
    low = text.lower()
    out: list[Timex] = []
    ranges: list[tuple[int, int]] = []
    for lo, hi in sorted(spans) if spans is not None else [(0, len(text))]:
        lo, hi = max(0, lo), min(len(text), hi)
        if ranges and lo <= ranges[-1][1]:  # overlapping ranges are tagged once
            ranges[-1] = (ranges[-1][0], max(hi, ranges[-1][1]))
        elif lo < hi:
            ranges.append((lo, hi))
    for lo, hi in ranges:
        _scan(text, low, lo, hi, ctx, out)
    return out


_HEADER_NOISE = re.compile(
    r"\b(?:published|updated|posted|last\s+modified|modified|on|at|am|pm|a\.m\.|p\.m\.|[ECMP][SD]T|CET|CEST|GMT"
    r"|UTC|BST|IST|JST|\d{1,2}[:.]\d\d(?::\d\d)?)\b|[|•·]", re.I)


_CLOCK_AGO = re.compile(r"\b(?:\d+|an?|a\s+few)\s+(?:hours?|minutes?|mins?|seconds?|hrs?)\s+ago\b", re.I)


def parse_date_string(s: str, ref_date: str | dt.date | None = None) -> tuple[str, str] | None:
    """(ISO value, precision) of a standalone date such as "Published 14:05 CET, March 3rd 2023", "3 March 2023",
    "2023-03-03T10:00Z" or "March 2023"; None when the string holds no calendar date.

    The most precise calendar DATE in the string wins (a day over a month over a year); relative words
    ("yesterday") resolve against ``ref_date`` when given.
    """
    if not s:
        return None
    compact = re.fullmatch(r"\s*((?:19|20)\d\d)([01]\d)([0-3]\d)\s*", s)
    if compact:  # "20230303" (URL and metadata style); only as a whole string, never inside running text
        try:
            return dt.date(*map(int, compact.groups())).isoformat(), "day"
        except ValueError:
            return None
    ref = to_date(ref_date)
    if ref is not None and _CLOCK_AGO.search(s):
        return ref.isoformat(), "day"  # "Updated 3 hours ago": the reference day
    best: tuple[int, str, str] | None = None
    rank = {"day": 3, "month": 2, "year": 1}
    for tx in tag(s, ref_date):
        value = tx.value[:10] if tx.type == "TIME" and re.match(r"\d{4}-\d\d-\d\d", tx.value) else tx.value
        precision = "day" if tx.type == "TIME" else tx.precision
        if precision not in rank or not re.fullmatch(r"\d{4}(?:-\d\d(?:-\d\d)?)?", value):
            continue
        if tx.type == "TIME" and ref_date is not None and value == str(to_date(ref_date)):
            continue  # a bare clock time takes the reference day: not evidence of a date
        if ref_date is None and tx.anchored:
            continue
        key = (rank[precision], value, precision)
        if best is None or key[0] > best[0]:
            best = key
    if best is None:
        return None
    return best[1], best[2]
