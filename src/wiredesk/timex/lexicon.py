"""Word tables and regular-expression pieces of the temporal tagger.

Everything here is data: names of months, weekdays, seasons, parts of the day, number words and units, and the
regex fragments built from them. The rules (``wiredesk.timex.rules``) combine these fragments; keeping them apart
lets a maintainer add a spelling ("Sept", "Thur") in one place.
"""

from __future__ import annotations

import re

MONTHS: dict[str, int] = {}
for _i, _name in enumerate(("january", "february", "march", "april", "may", "june", "july", "august", "september",
                            "october", "november", "december"), start=1):
    MONTHS[_name] = _i
    MONTHS[_name[:3]] = _i
MONTHS.update({"sept": 9, "sep": 9, "febr": 2})

WEEKDAYS: dict[str, int] = {}
for _i, _name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")):
    WEEKDAYS[_name] = _i
    WEEKDAYS[_name[:3]] = _i
WEEKDAYS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})

#: TIMEX3 season codes.
SEASONS: dict[str, str] = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}

#: TIMEX3 part-of-day codes.
PARTS_OF_DAY: dict[str, str] = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI",
                                "overnight": "NI", "midday": "MI", "noon": "MI"}

UNITS: dict[str, str] = {
    "second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "weekend": "WE", "fortnight": "F",
    "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE", "centurie": "CE",
    "millennium": "ML", "millennia": "ML",
}
#: Units measured in clock time (TIMEX3 writes them after a "T": PT3H).
CLOCK_UNITS = {"second", "minute", "hour"}

ONES = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
            "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
            "twentieth": 20, "thirtieth": 30, "last": -1, "final": -1}
#: Quantity words with no exact number: the value gets an X ("PXY").
VAGUE_QUANTITY = {"several", "few", "a few", "many", "some", "a number of", "numerous", "countless", "more",
                  "recent", "the coming", "the next few", "couple of", "a couple of"}


def alt(words) -> str:
    """A regex alternation of ``words``, longest first so that 'sept' wins over 'sep'."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _abbrev(table: dict[str, int]) -> str:
    """Names with an optional dot after abbreviations ('Sept.', 'Wed.')."""
    full = [w for w in table if len(w) > 4 or w in ("may", "june", "july")]
    short = [w for w in table if w not in full]
    return "(?:" + alt(full) + "|" + alt(short) + r"\.?)"


MONTH = _abbrev(MONTHS)
WEEKDAY = _abbrev(WEEKDAYS)
SEASON = alt(SEASONS)
PART_OF_DAY = alt(["morning", "afternoon", "evening", "night", "overnight"])

_NUMBER_WORD = alt(list(ONES) + list(TENS) + ["hundred", "thousand", "a hundred", "a thousand", "dozen",
                                              "a dozen", "half a", "half an", "a half"])
#: A cardinal written in digits or words ("three", "twenty-four", "24", "1.5").
NUMBER = (rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s+1/2)?|{_NUMBER_WORD}(?:[- ](?:and[- ])?{_NUMBER_WORD})*)")
QUANTITY = rf"(?:{NUMBER}|an?|{alt(VAGUE_QUANTITY)})"
UNIT_WORD = (r"(?:seconds?|minutes?|hours?|days?|weeks?|weekends?|fortnights?|months?|quarters?|years?|decades?"
             r"|centur(?:y|ies)|millenni(?:um|a))")
ORDINAL_WORD = alt([w for w in ORDINALS if w not in ("last", "final")])
DAY_NUMBER = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:1[5-9]\d\d|20\d\d)"
#: A year written with an apostrophe ("'98") counts only in dates ("March '98").
SHORT_YEAR = r"(?:'\d\d)"
#: A year spoken in words, as broadcast transcripts write it ("nineteen ninety-four", "two thousand and one").
SPELLED_YEAR = (r"(?:nineteen[\s-]+(?:(?:ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen"
                r"|nineteen)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                r"(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?)|two\s+thousand(?:\s+and)?"
                r"(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine|ten))?)")


def spelled_year_value(text: str) -> int | None:
    """The year a spoken year names: 'nineteen ninety-four' -> 1994, 'two thousand and one' -> 2001."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if not words:
        return None
    if words[0] == "nineteen" and len(words) > 1:
        rest = number_value(" ".join(words[1:]))
        return 1900 + int(rest) if rest else None
    if words[:2] == ["two", "thousand"]:
        rest = number_value(" ".join(words[2:])) if words[2:] else 0
        return 2000 + int(rest or 0)
    return None


def number_value(text: str) -> float | None:
    """The number a cardinal phrase names: 'twenty-four' -> 24, 'a' -> 1, '1.5' -> 1.5; vague ones -> None."""
    t = text.lower().strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", t):  # "1,300 years"
        t = t.replace(",", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", t):
        return float(t)
    if re.fullmatch(r"\d+\s+1/2", t):
        return float(t.split()[0]) + 0.5
    if t in ("a", "an", "one", "a single", "single"):
        return 1.0
    if t in VAGUE_QUANTITY:
        return None
    if t in ("half a", "half an", "a half"):
        return 0.5
    m = re.fullmatch(r"(.+?)[- ]and[- ]a[- ]half", t)
    if m:  # "two and a half (hours)"
        whole = number_value(m.group(1))
        return whole + 0.5 if whole is not None else None
    total = 0.0
    current = 0.0
    for word in re.split(r"[- ]+", t):
        if word in ("and", "a"):
            if word == "a":
                current = current or 1
            continue
        if word in ONES:
            current += ONES[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "dozen":
            current = (current or 1) * 12
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return total + current if total + current else None


def ordinal_value(text: str) -> int | None:
    t = text.lower().strip()
    m = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", t)
    if m:
        return int(m.group(1))
    return ORDINALS.get(t)
