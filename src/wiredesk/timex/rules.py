"""The rule table of the temporal tagger and the head-word dispatch that applies it.

One regular expression per kind of temporal expression, each with a normaliser (``normalise.py``). The tagger
never scans every position with every rule: it finds head words (months, weekdays, units, years, clock digits
...; ``HEAD_KINDS``), and tries only the rules of that head's kind (``RULES_BY_KIND``) at the few word starts just
before it (``CONNECT`` words: "at least the past two [years]"). A normaliser returns None to reject a reading.
"""

from __future__ import annotations

import re
from typing import Callable

from wiredesk.timex.lexicon import (
    DAY_NUMBER, MONTH, MONTHS, NUMBER, ONES, ORDINAL_WORD, ORDINALS, PART_OF_DAY, QUANTITY, SEASON, SEASONS,
    SHORT_YEAR, SPELLED_YEAR, TENS, UNIT_WORD, WEEKDAY, WEEKDAYS, YEAR,
)
from wiredesk.timex.normalise import (
    _month_rel_year, _month_quarter, _part_of_day, _quarter_code, _ago, _century, _clock, _coming_units, _compound, _decade, _deictic, _duration, _for_plural, _full_date,
    _holiday, _month, _month_year, _narrative_day_fix, _numeric_date, _period, _quarter, _relative_unit,
    _season, _set, _spelled_decade, _spelled_year, _that_unit, _the_year, _unit_part, _vague, _weekday,
    _year_end, _year_only, _two_quarters,
)
from wiredesk.timex.values import _APPROX, _POS_MOD, Context, Found

# ------------------------------------------------------------------------------------------------ the rules

_WD_PREFIX = rf"(?:{WEEKDAY},?\s+)?"
_REL = (r"(?:this\s+past|this\s+coming|last|this|next|past|previous|coming|current|following"
        r"|the\s+(?:current|coming|following|next|previous|past|same|last(?!\s+\w+\s+of\b)))")
_PLAIN_UNIT = r"(?:week|weekend|month|year|fiscal\s+year|quarter|decade|century)"

RULES: list[tuple[str, str, Callable[[re.Match, Context], Found | None]]] = [
    ("iso", r"\b(?P<iy>\d{4})(?P<isep>[-/.])(?P<im>[01]?\d)(?P=isep)(?P<id>[0-3]?\d)"
            r"(?:[T ](?P<hh>[0-2]\d):(?P<mi>[0-5]\d)(?::\d\d)?)?\b",
     _numeric_date),
    ("numeric", r"\b(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d{4}|\d{2})\b(?![.,/]\d)",
     _numeric_date),
    ("date_mdy", rf"\b(?:(?P<rel>last|next|this|past|coming)\s+)?{_WD_PREFIX}(?:(?P<approx>around|about)\s+)?(?P<mon>{MONTH})\s+(?P<day>{DAY_NUMBER})\b"
                 rf"(?:(?:\s*,\s*|\s+)(?P<year>{YEAR}|{SHORT_YEAR})\b)?", _full_date),
    ("date_dmy", rf"\b{_WD_PREFIX}(?:the\s+)?(?P<day>{DAY_NUMBER})(?:\s+of)?\s+(?P<mon>{MONTH})(?!\w)"
                 rf"(?:,?\s+(?P<year>{YEAR})\b)?", _full_date),
    ("holiday", r"\b(?P<name>Christmas(?:\s+(?:Day|Eve))?|New\s+Year[’']?s(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?"
                r"|Easter(?:\s+Sunday)?|Good\s+Friday|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Halloween"
                r"|Valentine[’']?s\s+Day|Veterans\s+Day|Boxing\s+Day|Bastille\s+Day|Election\s+Day)"
                r"(?:(?P<hweek>\s+week)\b)?(?:,?\s+(?P<year>" + YEAR + r"))?\b",
     _holiday),
    ("month_year", rf"\b(?:(?P<pmod>{_POS_MOD})[\s-]+)?(?P<mon>{MONTH})(?:\s+of)?,?\s+(?P<year>{YEAR}|{SHORT_YEAR}"
                   rf"|{SPELLED_YEAR})\b",
     _month_year),
    # "the July-September quarter": a calendar quarter named by its months, as business news writes it
    ("month_quarter", rf"\b(?:the\s+)?(?P<mon>{MONTH})[-–](?P<mon2>{MONTH})\s+(?:quarter|period)\b"
                      rf"(?:\s+(?:of\s+)?(?P<year>{YEAR})\b)?", None),
    ("month_rel_year", rf"\b(?:(?P<pmod>{_POS_MOD})[\s-]+)?(?P<mon>{MONTH})\s+(?:of\s+)?(?P<rel>this|last|next)\s+year\b",
     _month_rel_year),
    ("decade", rf"(?:\bthe\s+)?(?:(?P<pmod>{_POS_MOD})[\s-]*)?(?:\b(?P<cent>1[5-9]|20)(?P<dec>\d)0|'(?P<dec2>\d)0)[’']?s\b",
     _decade),
    ("spelled_year", r"\b(?:the\s+year\s+)?(?P<sy>nineteen[\s-]+(?:(?:ten|eleven|twelve|thirteen|fourteen|fifteen"
                     r"|sixteen|seventeen|eighteen|nineteen)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                     r"(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?)|two\s+thousand(?:\s+and)?"
                     r"(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b", None),
    ("year", rf"\b(?:(?P<pmod>{_POS_MOD})[\s-]+)?(?:(?P<lead>fiscal|calendar|model\s+year|the\s+year)\s+)?"
             rf"(?P<year>{YEAR})\b(?<!0(?=['’]s\b))", _year_only),  # "1990's" is a decade, "2011's budget" a year
    ("season", rf"\b(?:(?P<pmod>{_POS_MOD})\s+)?(?:(?P<rel>last|this|next|past|coming|previous|the)\s+)?"
               rf"(?P<season>{SEASON})\b(?:,?\s+(?:of\s+)?(?P<year>{YEAR}|{SPELLED_YEAR})\b)?", _season),
    ("quarter", rf"\b(?:(?P<yrel>this|last|next)\s+year['’]s\s+|(?:the\s+)?(?P<year3>{YEAR})(?:['’]s)?\s+|the\s+)?"
                rf"(?P<words>(?:(?:latest|last|past|previous|current|this|next|coming|year-earlier"
                rf"|year-ago|year-before|prior-year|same|comparable|fiscal|recent|most\s+recent|{ORDINAL_WORD}|final"
                rf"|[1-4](?:st|nd|rd|th)|calendar)[\s-]+)+)?(?P<unit>quarter|half)(?P<plural>s)?\b"
                rf"(?:\s+of\s+(?:fiscal\s+|calendar\s+)?(?P<year>{YEAR})|\s+of\s+(?P<yrel2>this|last|next)\s+year\b"
                rf"|\s+of\s+the\s+(?:fiscal\s+|calendar\s+)?year\b(?!\s+(?:before|earlier|ago|after|later))"
                rf"|,?\s+(?P<year2>{YEAR})"
                rf"|(?P<yago>\s+(?:a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year)))?", _quarter),
    ("two_quarters", rf"\b(?:the\s+)?(?P<which>first|last|final|second)\s+two\s+quarters\s+of\s+(?:fiscal\s+)?"
                     rf"(?P<year>{YEAR})\b", _two_quarters),
    ("ago", rf"\b(?:(?P<approx>{_APPROX})\s+)?(?:(?P<q>{QUANTITY})[\s-]+)?(?P<unit>{UNIT_WORD})(?:\s+or\s+so)?"
            rf"\s+(?P<dir>ago|earlier|later|from\s+now|hence|back)\b", _ago),
    ("year_end", r"\b(?:the\s+)?(?:end\s+of\s+(?:the\s+)?year|year[-\s]end|year['’]s\s+end)\b", _year_end),
    ("unit_part", r"\bthe\s+(?P<part>end|beginning|start|middle|close)\s+of\s+the\s+(?P<unit>week|month|year|decade"
                  r"|century)\b", None),
    ("coming_units", r"\b(?:the\s+)?(?:coming|upcoming|next\s+few)\s+(?P<unit>days|weeks|months|years|quarters)\b",
     None),
    ("rel_unit", rf"\b(?:(?P<pmod>{_POS_MOD})[\s-]+)?(?:(?P<inthe>earlier|later)\s+in\s+the\s+"
                 rf"|(?P<rel>{_REL})\s+)(?P<unit>{_PLAIN_UNIT})\b(?!-)", _relative_unit),
    ("the_weekend", r"\b(?:the|this)\s+(?P<unit>weekend)\b", _relative_unit),
    ("that_unit", r"\b(?:(?P<pmod>earlier|later)\s+)?that\s+(?:same\s+)?(?P<unit>day|week|month|year)\b", None),
    ("period", rf"\b(?:the\s+)?(?:(?P<w>latest|year-earlier|year-ago|comparable|corresponding|same|{YEAR})\s+period"
               # "the same period last year" is one timex: the reported period a year back
               rf"(?P<ly>\s+(?:(?:of\s+)?last\s+year|a\s+year\s+(?:ago|earlier)))?"
               rf"|(?P<adj>year-earlier|year-ago)(?!\s+(?:quarter|period|nine|six|three|months)))\b", None),
    ("the_year", r"\bthe\s+(?:fiscal\s+|full\s+)?year\b(?!\s*(?:'|’|-|before|after|earlier|later|ago|of|in\b|\d))", None),
    ("century", rf"\b(?:the\s+)?(?P<ord>{ORDINAL_WORD}|\d{{1,2}}(?:st|nd|rd|th))\s+century\b", None),
    ("spelled_decade", r"\b(?:the\s+)?(?:(?P<pmod>early|late|mid)[\s-]+)?(?P<dw>twenties|thirties|forties|fifties|sixties"
                       r"|seventies|eighties|nineties)\b", None),
    ("narrative_day", r"\b(?:the\s+(?P<rel>previous|preceding|prior|next|following|same)\s+day"
                      r"|the\s+day\s+(?P<rel_>before|after))\b", None),  # type: ignore[list-item]
    ("duration", rf"\b(?:(?P<approx>{_APPROX})\s+)?(?:(?:the\s+)?(?:past|last|next|first|coming|following|previous"
                 rf"|final|latest|entire|full|whole|same|other)\s+|the\s+)?"
                 # a range of counts is one timex ("two to three weeks", "the next 12 to 18 months")
                 rf"(?:(?P<q0>{NUMBER})\s*(?:to|or|-|–)\s*)?(?P<q>{QUANTITY})"
                 rf"(?:\s+(?:more|additional|consecutive|straight|full|trading|business|working|calendar|long))?"
                 rf"[\s-]+(?P<unit>{UNIT_WORD})(?P<half>\s+and\s+a\s+half)?(?:\s+or\s+so)?(?:-long)?\b"
                 rf"(?!-(?:old|earlier|ago|before|later))", _duration),
    ("compound", r"\b(?P<unit>days|weeks|months|years|decades|centuries|day|week|month|year)-long\b", None),
    ("duration_rel", rf"\b(?P<rel2>the\s+(?:past|last|next|previous|coming|following|entire|whole|full))\s+"
                     rf"(?P<unit2>{UNIT_WORD})\b", _duration),
    ("for_plural", r"\b(?P<lead>(?:for|over|in|within)\s+)(?:the\s+)?(?P<unit>years|months|weeks|days|decades|hours"
                   r"|minutes|centuries)\b(?!\s+(?:ago|earlier|later|of|before|after))", _for_plural),
    ("set", rf"\b(?:(?P<adverb>daily|nightly|weekly|biweekly|monthly|annually|yearly|hourly)"
            rf"|(?:every|each)\s+(?:(?P<other>other)\s+)?(?:(?P<q>{NUMBER})\s+)?"
            rf"(?P<unit>{UNIT_WORD}|{WEEKDAY}|{SEASON}|{PART_OF_DAY}|{MONTH}))\b", _set),
    ("weekday", rf"\b(?:(?P<pmod>early|late|earlier|later)\s+(?:on\s+)?)?(?:(?:the\s+)?(?P<rel>last|next|this|coming|past|previous"
                rf"|following)\s+)?(?P<wd>{WEEKDAY})(?P<plural>s)?(?:\s+(?P<pod>{PART_OF_DAY})(?P<podpl>s)?)?(?!\w)",
     _weekday),
    ("deictic", rf"\b(?:(?P<pmod>early|late|earlier|later)\s+)?(?P<word>the\s+day\s+before\s+yesterday"
                rf"|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight|last\s+night"
                rf"|this\s+(?:morning|afternoon|evening))(?:\s+(?P<pod>{PART_OF_DAY}))?\b", _deictic),
    ("part_of_day", r"\b(?:(?P<pmod>early|late|mid)[\s-]*|(?<=\bin\s)the\s+|(?<=\bduring\s)the\s+)"
                    r"(?P<pod>morning|afternoon|evening)(?:\s+(?P<dw>yesterday|today|tomorrow))?\b", None),
    ("month", rf"\b(?:(?P<pmod>{_POS_MOD})[\s-]+)?(?:(?P<rel>last|next|this|past|coming|previous)\s+)?"
              rf"(?P<mon>{MONTH})(?!\w)", _month),
    ("vague", r"\b(?P<word>right\s+now|now|currently|current|at\s+present|presently|nowadays|these\s+days"
              r"|recently|recent|lately|the\s+past|formerly|soon|the\s+near\s+future|the\s+future|future"
              r"|the\s+(?:near|short)\s+term|a\s+later\s+(?:date|stage)|an\s+earlier\s+(?:date|stage))\b",
     _vague),
    ("quarter_code", rf"\b(?P<q>[QH])(?P<n>[1-4])(?:\s*(?:/|-|,)?\s*(?P<year>{YEAR}))?\b", _quarter_code),
    ("clock", rf"\b(?:(?P<h>[01]?\d)"
              rf"(?::(?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.m\.|[ap]m\b)|(?P<named>noon|midnight|midday)"
              rf"|(?P<h2>[0-2]?\d):(?P<mi2>[0-5]\d)\s*(?:GMT|UTC|[ECMP][SD]T|hours?|o['’]clock|local\s+time)\b"
              rf"|(?:(?<=\bat\s)|(?<=\bby\s)|(?<=\buntil\s)|(?<=\baround\s)|(?<=\babout\s))(?P<h3>[0-2]?\d):(?P<mi3>[0-5]\d)\b"
              rf"|(?P<mil>[0-2]\d[0-5]\d)\s*(?:GMT|UTC|Z|hrs|hours)\b"
              rf"|(?P<h4>1[0-2]|0?[1-9])(?:\s+o['’]clock)?\s+in\s+the\s+(?P<pod4>morning|afternoon|evening)\b)"
              rf"(?:\s+(?:GMT|UTC|[ECMP][SD]?T|BST|CES?T|local\s+time)\b)?"
              # "at 7:30 tonight": the evening of the reference day
              rf"(?:,?\s+(?:on\s+)?(?:(?P<dayw>{WEEKDAY}|yesterday|today|tomorrow|tonight|last\s+night"
              rf"|this\s+(?:morning|afternoon|evening))"
              # "8 p.m. on Sunday, March 17": the date after the weekday names the day
              rf"(?:,?\s+(?P<mon2>{MONTH})\s+(?P<day2>{DAY_NUMBER})(?:,?\s+(?P<year2>{YEAR}))?(?![\d,]\d))?"
              rf"|(?P<mon>{MONTH})\s+(?P<day>{DAY_NUMBER}))"
              rf"(?!\w))?", _clock),
]



_SPECIAL = {"month_quarter": _month_quarter, "unit_part": _unit_part, "coming_units": _coming_units, "narrative_day": _narrative_day_fix,
            "spelled_year": _spelled_year, "compound": _compound,
            "that_unit": _that_unit, "period": _period, "the_year": _the_year, "century": _century,
            "spelled_decade": _spelled_decade, "part_of_day": _part_of_day}
RULES = [(n, p, _SPECIAL.get(n, h)) for n, p, h in RULES]
COMPILED = {name: (re.compile(pattern, re.I), handler) for name, pattern, handler in RULES}


# ------------------------------------------------------------------------------------------ head-word dispatch
#
# Scanning every position with 30 rules is slow in Python's regex engine (alternations are tried branch by
# branch). Every temporal expression holds a head word (a month, a weekday, a unit, a year, a clock time ...),
# so the tagger tokenises cheaply, looks each token up in HEAD_KINDS, and tries only the rules of that kind at
# the few word starts just before the head (LEFT_REACH words: "at least the past two years").

_KIND_RULES: dict[str, tuple[str, ...]] = {
    "month": ("date_mdy", "date_dmy", "month_quarter", "month_year", "month_rel_year", "set", "month"),
    "weekday": ("date_mdy", "date_dmy", "weekday", "set"),
    "unit": ("two_quarters", "quarter", "ago", "year_end", "unit_part", "coming_units", "vague", "rel_unit", "the_weekend",
             "that_unit", "period", "the_year", "century",
             "narrative_day", "duration", "compound", "duration_rel", "for_plural", "set"),
    "season": ("season", "set"),
    "deictic": ("deictic", "set", "narrative_day", "part_of_day"),
    "vague": ("rel_unit", "quarter", "duration", "duration_rel", "vague"),
    "set": ("set",),
    "holiday": ("holiday",),
    "year": ("clock", "iso", "date_mdy", "date_dmy", "holiday", "month_year", "decade", "year", "quarter", "season", "period"),
    "decade": ("decade",),
    "spelled": ("spelled_year",),
    "spelled_decade": ("spelled_decade",),
    "digit": ("iso", "numeric", "clock"),
    "qh": ("quarter_code",),
    "clockword": ("clock",),
}
#: How many words left of its head a rule may start.
LEFT_REACH: dict[str, int] = {"vague": 2, "holiday": 0, "clock": 0, "numeric": 0, "iso": 0, "spelled_year": 3,
                              "month": 4, "weekday": 3, "deictic": 3, "set": 3, "season": 5, "decade": 5,
                              "spelled_decade": 4, "year": 5}

HEAD_KINDS: dict[str, str] = {}
for _w in MONTHS:
    HEAD_KINDS[_w] = "month"
for _w in WEEKDAYS:
    HEAD_KINDS[_w] = "weekday"
    if len(_w) > 4:
        HEAD_KINDS[_w + "s"] = "weekday"  # "on Mondays"
for _w in ("second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "weekend",
           "weekends", "fortnight", "fortnights", "month", "months", "quarter", "quarters", "year", "years",
           "decade", "decades", "century", "centuries", "millennium", "millennia", "half", "period"):
    HEAD_KINDS[_w] = "unit"
for _w in SEASONS:
    HEAD_KINDS[_w] = "season"
for _w in ("today", "tonight", "yesterday", "tomorrow", "morning", "afternoon", "evening", "night", "overnight"):
    HEAD_KINDS[_w] = "deictic"
for _w in ("now", "currently", "current", "presently", "present", "nowadays", "recently", "recent", "lately",
           "past", "formerly", "soon", "future"):
    HEAD_KINDS[_w] = "vague"
HEAD_KINDS["term"] = "vague"
HEAD_KINDS["date"] = HEAD_KINDS["stage"] = "vague"  # "at a later date", "at an earlier stage"
for _w in ("daily", "nightly", "weekly", "biweekly", "monthly", "annually", "yearly", "hourly"):
    HEAD_KINDS[_w] = "set"
for _w in ("christmas", "year", "thanksgiving", "easter", "halloween", "independence", "labor", "memorial",
           "valentine", "veterans", "boxing", "bastille", "election"):
    HEAD_KINDS.setdefault(_w, "holiday")
for _w in ("nineteen", "thousand"):
    HEAD_KINDS[_w] = "spelled"
for _w in ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"):
    HEAD_KINDS[_w] = "spelled_decade"
for _w in ("noon", "midnight", "midday"):
    HEAD_KINDS[_w] = "clockword"
# "year" is a unit and also heads "New Year's Day": the holiday rule runs for units too.
_KIND_RULES["unit"] = _KIND_RULES["unit"] + ("holiday",)
# "Good Friday" is found from its weekday.
_KIND_RULES["weekday"] = _KIND_RULES["weekday"] + ("holiday",)

TOKEN = re.compile(r"[A-Za-z]+|\d+s?")
_CLOCK_AFTER = re.compile(r"(?::\d\d|\s*[ap]\.?m\b|[/.]\d|-\d\d-)", re.I)


def head_kind(text: str, start: int, end: int) -> str | None:
    """The kind of head word the token ``text[start:end]`` is, or None."""
    word = text[start:end]
    if word[0].isdigit():
        if len(word) == 4 and word[:2] in ("15", "16", "17", "18", "19", "20"):
            return "year"
        if len(word) == 5 and word.endswith("s") and word[3] == "0":
            return "decade"
        if len(word) == 3 and word.endswith("0s"):
            return "decade"
        if len(word) <= 2 and _CLOCK_AFTER.match(text, end):
            return "digit"
        return None
    return HEAD_KINDS.get(word.lower())


RULES_BY_KIND: dict[str, list[tuple[str, re.Pattern, Callable, int]]] = {
    kind: [(name, COMPILED[name][0], COMPILED[name][1], LEFT_REACH.get(name, 6))
           for name, _, _ in RULES if name in names]
    for kind, names in _KIND_RULES.items()
}

#: Words that may stand left of a head inside one expression ("at least the past two [years]", "the end of
#: [1990]", "Friday, Oct. [23]"): the scanner only tries start positions over an unbroken run of these.
CONNECT: frozenset[str] = frozenset(
    list(ONES) + list(TENS) + [w for w in ORDINALS] + list(MONTHS) + list(WEEKDAYS) + list(SEASONS) + [
        "hundred", "thousand", "dozen", "and", "a", "an", "the", "this", "that", "these", "last", "next", "past",
        "previous", "preceding", "prior", "coming", "following", "current", "same", "early", "earlier", "late",
        "later", "mid", "middle", "end", "beginning", "start", "close", "half", "part", "rest", "remainder", "latter",
        "of", "in", "over", "for", "within", "about", "around", "approximately", "roughly", "nearly", "almost",
        "some", "more", "less", "fewer", "than", "at", "least", "most", "up", "to", "no", "well", "just", "few",
        "several", "many", "couple", "number", "numerous", "countless", "recent", "every", "each", "other",
        "fiscal", "calendar", "model", "year", "latest", "final", "entire", "full", "whole", "comparable",
        "corresponding", "day", "before", "after", "right", "trading", "business", "working", "consecutive",
        "straight", "additional", "long", "most", "little", "ago", "quarter", "turn", "on", "s", "year", "years",
        "new", "good", "christmas", "easter", "thanksgiving", "valentine", "independence", "labor", "memorial",
        "veterans", "boxing", "bastille", "sept", "tues", "thur", "thurs", "weds", "nineteen", "period", "near",
        "short", "or",  # "two or three days"
    ])


# ------------------------------------------------------------------------------- the rules a first letter admits
#
# ``_best_at`` tries every rule of a head's kind at each start before the head (~28 ``match`` calls a head, the
# tagger's main cost: 20 rules for a unit such as "year"). Most cannot begin with the letter found there ("the
# past two [years]" at "p" admits neither "ago" ... nor "two quarters"). The letters each rule can begin with are
# read from its parsed pattern, so the tagger tries only the rules that can match: the same matches, fewer calls.

try:
    from re import _parser as _sre_parse, _compiler as _sre_compile, _constants as _sre
except ImportError:  # Python < 3.11 names them sre_*
    import sre_compile as _sre_compile  # type: ignore[no-redef]
    import sre_constants as _sre  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

_ASCII = [chr(c) for c in range(128)]


def _one_char(op, av, state, flags: int) -> set[str]:
    """ASCII characters one character-consuming element (a literal, a class, any) matches, asked of the regex
    engine itself so case folding is its own."""
    single = _sre_compile.compile(_sre_parse.SubPattern(state, [(op, av)]), flags)
    return {c for c in _ASCII if single.match(c)}


def _first(items, state, flags: int) -> tuple[set[str], bool] | None:
    """(ASCII characters a match of ``items`` can begin with, whether it can match the empty string); None when
    an element is not understood (then every letter is admitted). Zero-width elements (``\\b``, lookarounds)
    are passed over: leaving their condition out only admits more."""
    out: set[str] = set()
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY):
            return out | _one_char(op, av, state, flags), False
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue
        if op is _sre.SUBPATTERN:
            _, add, drop, sub = av
            found = None if add or drop else _first(sub, state, flags)
        elif op is getattr(_sre, "ATOMIC_GROUP", None):
            found = _first(av, state, flags)
        elif op is _sre.BRANCH:
            alts = [_first(alt, state, flags) for alt in av[1]]
            found = None if any(a is None for a in alts) else (
                set().union(*(a[0] for a in alts)), any(a[1] for a in alts))  # type: ignore[index]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
            low, _, sub = av
            found = _first(sub, state, flags)
            found = None if found is None else (found[0], found[1] or low == 0)
        else:
            return None
        if found is None:
            return None
        out |= found[0]
        if not found[1]:
            return out, False
    return out, True


def first_letters(pattern: str, flags: int = re.I) -> frozenset[str] | None:
    """ASCII characters a match of ``pattern`` can begin with; None when any may (or the analysis gives up).

    A match cannot begin with an ASCII character outside the set; characters beyond ASCII are never ruled out
    (the caller tries every rule there)."""
    try:
        parsed = _sre_parse.parse(pattern, flags)
        found = _first(parsed.data, parsed.state, flags | parsed.state.flags)
    except Exception:  # noqa: BLE001 - an unknown form only costs the filter
        return None
    if found is None or found[1]:
        return None
    return frozenset(found[0])


#: kind -> ASCII character -> the kind's rules (in ``RULES_BY_KIND`` order) whose match can begin with it; a
#: character not in the table (beyond ASCII) takes the whole list.
RULES_BY_KIND_FIRST: dict[str, dict[str, tuple[tuple[str, re.Pattern, Callable, int], ...]]] = {}
_FIRST = {name: first_letters(pattern) for name, pattern, _ in RULES}
for _kind, _rules_of_kind in RULES_BY_KIND.items():
    RULES_BY_KIND_FIRST[_kind] = {
        c: tuple(r for r in _rules_of_kind if _FIRST[r[0]] is None or c in _FIRST[r[0]]) for c in _ASCII}
