"""The rule cascade: one regular expression per kind of temporal expression, each with a normaliser.

All rules are joined into one compiled alternation (named groups stripped) that is scanned once over the text;
the rule that fired re-reads its own short match with its own pattern to get the parts. Rules are ordered so
that the longer, more specific reading comes first at a given position ("Friday, Oct. 23, 1998" before
"Friday"). A normaliser returns a :class:`Found` or None (None rejects the match, e.g. a lowercase "may").

Conventions follow TimeML/TIMEX3 as annotated in TimeBank: weeks as ``1998-W32``, weekends ``1998-W32-WE``,
quarters ``1989-Q3``, halves ``1990-H1``, seasons ``1989-SU``, decades ``199``, parts of the day ``T``+MO/AF/EV/NI,
vague references PRESENT_REF / PAST_REF / FUTURE_REF, durations ``P3D`` / ``PT4H`` / ``PXY``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

from wiredesk.settings import TIMEX
from wiredesk.timex import resolve as R
from wiredesk.timex.lexicon import (
    CLOCK_UNITS, DAY_NUMBER, MONTH, MONTHS, NUMBER, ONES, ORDINAL_WORD, ORDINALS, TENS, PART_OF_DAY, PARTS_OF_DAY, QUANTITY, SEASON,
    SEASONS, SHORT_YEAR, UNIT_WORD, UNITS, WEEKDAY, WEEKDAYS, YEAR, number_value, ordinal_value,
)


@dataclass
class Found:
    """What a normaliser says about a match."""

    type: str
    value: str
    precision: str | None = None
    mod: str | None = None
    anchored: bool = False
    lead: int = 0  # characters to drop from the start of the match ("for years" -> "years")
    period: bool = False  # names the period a business story reports on ("the third quarter")
    trail: int = 0  # characters to drop from the end


@dataclass
class Context:
    """The text being tagged, the reference date and the narrative anchor (last calendar date seen)."""

    text: str
    ref: dt.date | None
    start: int = 0
    end: int = 0
    anchor: str | None = None  # value of the last DATE with a calendar value
    anchor_pos: int = -1
    period: str | None = None  # the last quarter or half named: the period a business story reports on
    period_pos: int = -1

    def same_sentence(self, pos: int) -> bool:
        """True when ``pos`` (an earlier offset) lies in the sentence of the current match."""
        if pos < 0 or self.start - pos > TIMEX.sentence_reach:
            return False
        return not re.search(r"[.!?]\s+[A-Z\"'`]|\n\s*\n", self.text[pos:self.start])

    def tense(self, near: float | None = None) -> str | None:
        return R.tense(self.text, self.start, self.end, near)

    def before(self, n: int = 30) -> str:
        return self.text[max(0, self.start - n):self.start]

    def after(self, n: int = 30) -> str:
        return self.text[self.end:self.end + n]


# ----------------------------------------------------------------------------------------------- helpers

#: A month (and day) named without a year follows the tense only of a verb this close (characters); farther
#: cues are too often another clause's, and the nearest such month is the safer reading.
NEAR_CUE = TIMEX.near_cue_chars

_POS_MOD = (r"(?:early|earlier|late|later|mid|middle|the\s+(?:end|beginning|start|middle|close|first\s+half"
            r"|second\s+half|last\s+half|latter\s+part|early\s+part|rest|remainder)\s+of(?:\s+the)?"
            r"|the\s+(?:early|late|mid))")
# "over", "within", "only" stay outside the span as TimeBank annotates them ("over [the past 20 years]").
_APPROX = (r"(?:about|around|approximately|roughly|nearly|almost|some|more\s+than|less\s+than|fewer\s+than"
           r"|at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than"
           r"|a\s+little\s+(?:more|less)\s+than|well\s+over|close\s+to)")
_APPROX_MOD = {"about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX",
               "some": "APPROX", "nearly": "EQUAL_OR_LESS", "almost": "EQUAL_OR_LESS", "more than": "MORE_THAN",
               "over": "MORE_THAN", "well over": "MORE_THAN", "less than": "LESS_THAN", "fewer than": "LESS_THAN",
               "under": "LESS_THAN", "at least": "EQUAL_OR_MORE", "no less than": "EQUAL_OR_MORE",
               "at most": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS", "within": "EQUAL_OR_LESS",
               "no more than": "EQUAL_OR_LESS", "close to": "APPROX"}


def position_mod(words: str | None) -> str | None:
    """TIMEX3 mod of a position word: early -> START, late -> END, mid -> MID."""
    if not words:
        return None
    w = words.lower()
    if re.search(r"early|earlier|begin|start|first half", w):
        return "START"
    if re.search(r"late|later|end|close|second half|last half|latter|rest|remainder", w):
        return "END"
    if "mid" in w:
        return "MID"
    return None


def approx_mod(words: str | None) -> str | None:
    if not words:
        return None
    return _APPROX_MOD.get(re.sub(r"\s+", " ", words.lower()).strip())


def _month_num(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def _year(word: str, ref: dt.date | None) -> int:
    """A four-digit year, or a two-digit one ('98) read in the century that puts it nearest the reference."""
    w = word.strip("'")
    if len(w) == 4:
        return int(w)
    base = (ref.year if ref else 2000)
    y = (base // 100) * 100 + int(w)
    if y > base + 20:
        y -= 100
    return y


def _day_value(d: dt.date) -> str:
    return d.isoformat()


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _fmt_num(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


_SMALLER = {"year": ("M", 12), "month": ("D", 30), "day": ("H", 24), "hour": ("M", 60), "minute": ("S", 60),
            "week": ("D", 7)}


def duration_value(n: float | None, unit_word: str) -> str:
    """P3D, PT4H, PXY, P1.5Y; weekend = P2D; quarter = P3M (TimeBank writes P1Q too: quarters stay Q)."""
    u = unit_word.lower().rstrip("s")
    if u == "centurie" or u == "century":
        u = "century"
    if u.startswith("millenni"):
        u = "millennium"
    if u == "weekend":
        return "P2D" if n in (None, 1) else f"P{_fmt_num(2 * n)}D"
    if u == "fortnight":
        return f"P{_fmt_num(2 * n)}W" if n else "PXW"
    code = UNITS.get(u, "X")
    if n is not None and not float(n).is_integer() and u in _SMALLER:
        # 2.5 years -> P2Y6M, 5.5 hours -> PT5H30M: TIMEX3 writes whole units
        small_unit, factor = _SMALLER[u]
        whole, rest = int(n), round((n - int(n)) * factor)
        t = "T" if u in CLOCK_UNITS or small_unit in ("M", "S") and u in ("minute", "hour") else ""
        head = f"{whole}{code}" if whole else ""
        return f"P{t}{head}{rest}{small_unit}"
    num = "X" if n is None else _fmt_num(n)
    if u == "decade":
        return f"P{num}E" if n is None else f"P{_fmt_num(10 * n)}Y"
    if u == "century":
        return f"P{num}C" if n is None else f"P{_fmt_num(100 * n)}Y"
    if u == "millennium":
        return f"P{num}L"
    if u in CLOCK_UNITS:
        return f"PT{num}{code}"
    return f"P{num}{code}"


def shift_value(value: str, unit: str, n: int) -> str | None:
    """Move a calendar value by ``n`` units, keeping its granularity ('1989-Q3' a year earlier -> '1988-Q3')."""
    m = re.fullmatch(r"(\d{4})(.*)", value)
    if not m:
        return None
    year, rest = int(m.group(1)), m.group(2)
    if unit == "year":
        return f"{year + n}{rest}"
    mm = re.fullmatch(r"-(\d\d)(?:-(\d\d))?", rest)
    if unit == "month" and mm:
        y, mo = R.add_months(year, int(mm.group(1)), n)
        if mm.group(2):
            day = min(int(mm.group(2)), 28 if mo == 2 else 30 if mo in (4, 6, 9, 11) else 31)
            return f"{y}-{mo:02d}-{day:02d}"
        return f"{y}-{mo:02d}"
    if unit in ("day", "week") and mm and mm.group(2):
        d = dt.date(year, int(mm.group(1)), int(mm.group(2))) + dt.timedelta(days=n * (7 if unit == "week" else 1))
        return d.isoformat()
    if unit == "quarter":
        mq = re.fullmatch(r"-Q(\d)", rest)
        if mq:
            total = year * 4 + int(mq.group(1)) - 1 + n
            return f"{total // 4}-Q{total % 4 + 1}"
    return None


def relative_value(ref: dt.date, unit: str, n: int) -> tuple[str, str | None]:
    """The calendar unit ``n`` steps from the reference's own (n=0: this year/month/week/...), with precision."""
    if unit in ("year", "fiscal year"):
        return str(ref.year + n), "year"
    if unit == "month":
        y, m = R.add_months(ref.year, ref.month, n)
        return f"{y}-{m:02d}", "month"
    if unit in ("week", "weekend"):
        value = R.iso_week(ref + dt.timedelta(days=7 * n))
        return (value + "-WE" if unit == "weekend" else value), None
    if unit == "day":
        return (ref + dt.timedelta(days=n)).isoformat(), "day"
    if unit == "quarter":
        total = ref.year * 4 + R.quarter_of(ref) - 1 + n
        return f"{total // 4}-Q{total % 4 + 1}", None
    if unit == "decade":
        return str(ref.year // 10 + n), "decade"
    if unit == "century":
        return str(ref.year // 100 + n), None
    if unit in SEASONS:
        return f"{ref.year + n}-{SEASONS[unit]}", None
    return str(ref.year + n), "year"


def _unit_name(word: str) -> str:
    u = word.lower()
    if u.startswith("centur"):
        return "century"
    if u.startswith("millenni"):
        return "millennium"
    return u[:-1] if u.endswith("s") and u not in ("this",) else u


# --------------------------------------------------------------------------------------------- normalisers

def _full_date(m: re.Match, ctx: Context) -> Found | None:
    month = _month_num(m.group("mon"))
    if month is None:
        return None
    word = m.group("mon")
    if word.lower() in ("may", "march", "jan", "mar", "dec", "aug", "sun") and not _capitalised(word):
        return None
    day = int(re.match(r"\d+", m.group("day")).group(0))
    year_word = m.groupdict().get("year")
    if year_word:
        year = _year(year_word, ctx.ref)
        anchored = False
    elif ctx.ref:
        year = R.day_year(ctx.ref, month, day, ctx.tense(near=NEAR_CUE))
        anchored = True
    else:
        return Found("DATE", f"XXXX-{month:02d}-{day:02d}", "day")
    try:
        value = dt.date(year, month, day).isoformat()
    except ValueError:
        return None
    mod = approx_mod(m.groupdict().get("approx"))
    return Found("DATE", value, "day", mod=mod, anchored=anchored)


def _numeric_date(m: re.Match, ctx: Context) -> Found | None:
    g = m.groupdict()
    if g.get("iy"):
        y, mo, d = int(g["iy"]), int(g["im"]), int(g["id"])
    else:
        a, b = int(g["a"]), int(g["b"])
        y = _year(g["y"], ctx.ref)
        # Month first (US wire usage) unless the first number cannot be a month.
        mo, d = (a, b) if a <= 12 else (b, a)
        if g.get("sep") == "." and b <= 12:
            mo, d = b, a  # 03.04.2023 is European day.month.year
    try:
        day = dt.date(y, mo, d)
    except ValueError:
        return None
    if g.get("hh"):
        return Found("TIME", f"{day.isoformat()}T{g['hh']}:{g['mi']}", "time")
    return Found("DATE", day.isoformat(), "day")


def _month_year(m: re.Match, ctx: Context) -> Found | None:
    month = _month_num(m.group("mon"))
    if month is None:
        return None
    if m.group("mon").lower() in ("may", "march") and not _capitalised(m.group("mon")):
        return None
    return Found("DATE", f"{_year(m.group('year'), ctx.ref)}-{month:02d}", "month",
                 mod=position_mod(m.groupdict().get("pmod")))


def _month(m: re.Match, ctx: Context) -> Found | None:
    word = m.group("mon")
    month = _month_num(word)
    if month is None or not _capitalised(word):
        return None
    short = word.lower().rstrip(".") not in ("may", "june", "july") and len(word.rstrip(".")) <= 4
    if short and not word.endswith("."):
        return None  # "Jan", "Mar" without a dot are names more often than months
    if re.match(r"\s+(?:for|of|against|on)\s+(?:the\s+)?[A-Z]", ctx.after(20)):
        return None  # "the March for Life", "March of the Combatant Mothers": a procession, not a month
    if word.lower() == "may" and re.match(r"\s+(?:I|we|you|he|she|it|they|be|not|have)\b", ctx.after(12)):
        return None
    rel = (m.group("rel") or "").lower()
    mod = position_mod(m.groupdict().get("pmod"))
    if ctx.ref is None:
        return Found("DATE", f"XXXX-{month:02d}", "month", mod=mod)
    if rel in ("last", "past", "previous"):
        year = ctx.ref.year if month < ctx.ref.month else ctx.ref.year - 1
    elif rel in ("next", "coming"):
        year = ctx.ref.year if month > ctx.ref.month else ctx.ref.year + 1
    elif rel == "this":
        year = ctx.ref.year
    else:
        year = R.month_year(ctx.ref, month, ctx.tense(near=NEAR_CUE))
    return Found("DATE", f"{year}-{month:02d}", "month", mod=mod, anchored=True)


def _season(m: re.Match, ctx: Context) -> Found | None:
    code = SEASONS[m.group("season").lower()]
    rel = (m.group("rel") or "").lower()
    mod = position_mod(m.groupdict().get("pmod"))
    if m.group("year"):
        return Found("DATE", f"{_year(m.group('year'), ctx.ref)}-{code}", None, mod=mod)
    if not rel and not mod and not re.search(r"\b(?:in|during|since|by|until|over|through|this|each|every)\s+$",
                                              ctx.before(12), re.I):
        return None  # "summer camp", "spring offensive" are names, not dates
    if ctx.ref is None:
        return Found("DATE", f"XXXX-{code}", None, mod=mod)
    order = {"WI": 0, "SP": 1, "SU": 2, "FA": 3}
    ref_season = {12: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2, 9: 3, 10: 3, 11: 3}[ctx.ref.month]
    year = ctx.ref.year
    if rel in ("last", "past", "previous"):
        if order[code] >= ref_season:
            year -= 1
    elif rel in ("next", "coming"):
        if order[code] <= ref_season:
            year += 1
    elif rel != "this":
        tense = ctx.tense()
        if tense == "past" and order[code] > ref_season:
            year -= 1
        elif tense == "future" and order[code] < ref_season:
            year += 1
    return Found("DATE", f"{year}-{code}", None, mod=mod, anchored=True)


def _decade(m: re.Match, ctx: Context) -> Found | None:
    mod = position_mod(m.groupdict().get("pmod"))
    if m.group("cent"):
        value = m.group("cent") + m.group("dec")
    else:
        digit = m.group("dec2")
        base = ctx.ref.year if ctx.ref else 2000
        century = base // 100
        if int(digit) * 10 > base % 100 + 5:
            century -= 1
        value = f"{century}{digit}"
    return Found("DATE", value, "decade", mod=mod)


_NOT_A_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|per\b|-\d|,\d|\.\d|\d)|\s+(?!(?:was|is|has|as|this|its|his|hers|ours|theirs|us)\b)"
    r"[a-z]+s\b(?!')", re.I)


def _year_only(m: re.Match, ctx: Context) -> Found | None:
    if re.search(r"(?:[$#£€]|\d[.,]?|\b(?:No|Nos|number|flight|route|page|pp|p|ISBN)\.?\s*)$", ctx.before(10),
                 re.I):
        return None
    if not m.groupdict().get("pmod") and not m.group("lead") and _NOT_A_YEAR_AFTER.match(ctx.after(20)):
        return None
    year = int(m.group("year"))
    if year < 1600 or (ctx.ref and year > ctx.ref.year + 30):
        return None
    mod = position_mod(m.groupdict().get("pmod"))
    return Found("DATE", str(year), "year", mod=mod)


def _quarter(m: re.Match, ctx: Context) -> Found | None:
    words = re.findall(r"[a-z0-9]+(?:-[a-z]+)?", m.group("words").lower()) if m.group("words") else []
    half = m.group("unit").lower().startswith("hal")
    year = int(m.group("year") or m.group("year2") or m.group("year3") or 0) or None
    yrel = (m.group("yrel") or "").lower()
    if yrel and ctx.ref:
        year = ctx.ref.year + {"this": 0, "last": -1, "next": 1}[yrel]
    n = None
    shift = 0
    comparable = False
    for w in words:
        o = ordinal_value(w)
        if o and o > 0:
            n = o
        elif w in ("last", "past", "previous", "latest", "recent", "most-recent"):
            shift = -1
        elif w in ("next", "coming"):
            shift = 1
        elif w in ("year-earlier", "year-ago", "comparable", "same", "prior-year", "year-before"):
            comparable = True
        elif w in ("fourth-quarter",):
            n = 4
    code = "H" if half else "Q"
    limit = 2 if half else 4
    if n and n > limit:
        return None
    if n is None and (m.group("plural") or half):
        return None  # "quarters" without a number is a duration, "half" alone is a share
    if ctx.ref is None and year is None:
        return Found("DATE", f"XXXX-{code}{n or 'X'}", None)
    ref = ctx.ref or dt.date(year or 2000, 12, 31)
    cur = R.quarter_of(ref) if not half else (1 if ref.month <= 6 else 2)
    if n is None:
        # "the quarter", "the latest quarter": the last one reported, i.e. the one before the current.
        total = ref.year * limit + cur - 1 + (shift if shift > 0 else -1)
        y, n = total // limit, total % limit + 1
        if year:
            y = year
    else:
        y = year or ref.year
        if not year:
            if shift < 0 or (n > cur and ctx.tense() == "past"):
                y = ref.year - 1 if n >= cur else ref.year
            elif shift > 0 and n <= cur:
                y = ref.year + 1
    if comparable:
        return Found("DATE", f"{y - 1}-{code}{n}", None, anchored=True)
    return Found("DATE", f"{y}-{code}{n}", None, anchored=not year, period=True)


def _ago(m: re.Match, ctx: Context) -> Found | None:
    q = m.group("q")
    unit = _unit_name(m.group("unit"))
    direction = m.group("dir").lower()
    n = number_value(q) if q else None
    past = not direction.startswith(("later", "from", "hence", "after"))
    mod = approx_mod(m.groupdict().get("approx"))
    if re.search(r"\bor\s+so\b", m.group(0), re.I):
        mod = "APPROX"
    if n is None or not float(n).is_integer():
        return Found("DATE", "PAST_REF" if past else "FUTURE_REF", None, mod=mod, anchored=ctx.ref is not None)
    steps = int(n) * (-1 if past else 1)
    if unit in ("decade",):
        unit, steps = "year", steps * 10
    if unit == "century":
        unit, steps = "year", steps * 100
    # "earlier"/"later" read against the narrative date when one is near ("sales rose in the third quarter from
    # a year earlier"); "ago" always against the publication date.
    # "up from $10 million a year ago" in a story about the third quarter compares with the same quarter of the
    # year before: a year step from the reported period, when the story names one.
    if unit == "year" and ctx.period and 0 <= ctx.start - ctx.period_pos < TIMEX.period_reach and past:
        shifted = shift_value(ctx.period, "year", steps)
        if shifted:
            return Found("DATE", shifted, None, mod=mod, anchored=True)
    if direction in ("earlier", "later", "before", "after") and ctx.anchor and ctx.same_sentence(ctx.anchor_pos):
        unit_key = "quarter" if unit == "quarter" else unit
        shifted = shift_value(ctx.anchor, unit_key, steps)
        if shifted:
            return Found("DATE", shifted, _precision_of(shifted), mod=mod, anchored=True)
    if ctx.ref is None:
        return Found("DATE", "PAST_REF" if past else "FUTURE_REF", None, mod=mod)
    if unit in ("second", "minute", "hour"):
        return Found("DATE", "PAST_REF" if past else "FUTURE_REF", None, mod=mod, anchored=True)
    if unit == "week":
        return Found("DATE", R.iso_week(ctx.ref + dt.timedelta(days=7 * steps)), None, mod=mod, anchored=True)
    value, precision = relative_value(ctx.ref, unit, steps)
    return Found("DATE", value, precision, mod=mod, anchored=True)


def _precision_of(value: str) -> str | None:
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return "day"
    if re.fullmatch(r"\d{4}-\d\d", value):
        return "month"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    if re.fullmatch(r"\d{3}", value):
        return "decade"
    if "T" in value and value[:4].isdigit():
        return "time"
    return None


def _duration(m: re.Match, ctx: Context) -> Found | None:
    g = m.groupdict()
    unit_word = g.get("unit") or g.get("unit2")
    q = g.get("q")
    n = number_value(q) if q else (1.0 if g.get("rel2") and not unit_word.lower().endswith("s") else None)
    if q and n is None and q.lower() not in ("several", "few", "a few", "many", "some", "numerous", "a couple of",
                                              "couple of", "the next few", "a number of", "countless", "recent",
                                              "the coming", "more"):
        return None
    unit_l = unit_word.lower()
    if unit_word[0].isupper() and m.start("unit") > m.start():
        return None  # "60 Minutes", "48 Hours": titles
    if unit_l.startswith("second") and q and q.lower() in ("a", "an"):
        return None  # "a second betrayal"
    if unit_l.startswith("quarter") and re.match(r"\s+of\b", ctx.after(4)):
        return None  # "three-quarters of its food" is a share
    if q and q.lower() in ("a couple of", "couple of"):
        n = 2.0
    if g.get("half"):
        n = (n or 0) + 0.5
    if q and q.lower() in ("a", "an") and re.search(r"(?:\d|\btimes|\btwice|\bonce|\bper)\s*$", ctx.before(12)):
        return Found("SET", duration_value(1, unit_word), None)
    if q and q.lower() == "recent" and not unit_word.lower().endswith("s"):
        return None  # "a recent day" is not a time
    mod = approx_mod(g.get("approx"))
    if re.search(r"\bor\s+so\b", m.group(0), re.I):
        mod = "APPROX"
    return Found("DURATION", duration_value(n, unit_word), None, mod=mod)


def _for_plural(m: re.Match, ctx: Context) -> Found | None:
    return Found("DURATION", duration_value(None, m.group("unit")), None, lead=len(m.group("lead")))


_SET_UNIT = {"daily": ("P1D", None), "nightly": ("P1D", None), "weekly": ("P1W", None),
             "biweekly": ("P2W", None), "monthly": ("P1M", None),
             "annually": ("P1Y", None), "yearly": ("P1Y", None), "hourly": ("PT1H", None)}


def _set(m: re.Match, ctx: Context) -> Found | None:
    g = m.groupdict()
    if g.get("adverb"):
        value, _ = _SET_UNIT[g["adverb"].lower()]
        return Found("SET", value, None)
    word = (g.get("unit") or "").lower().rstrip(".")
    if word in WEEKDAYS:
        return Found("SET", f"XXXX-WXX-{WEEKDAYS[word] + 1}", None)
    if word in PARTS_OF_DAY:
        return Found("SET", f"TXX{PARTS_OF_DAY[word]}" if False else f"XXXX-XX-XXT{PARTS_OF_DAY[word]}", None)
    if word in SEASONS:
        return Found("SET", f"XXXX-{SEASONS[word]}", None)
    n = number_value(g["q"]) if g.get("q") else 1.0
    if g.get("other"):
        n = 2.0
    if word.startswith("quarter"):
        return Found("SET", f"P{_fmt_num(n or 1)}Q", None)
    return Found("SET", duration_value(n, word), None)


def _weekday(m: re.Match, ctx: Context) -> Found | None:
    word = m.group("wd")
    key = word.lower().rstrip(".")
    if key not in WEEKDAYS:
        return None
    if len(key) <= 4 and not (word.endswith(".") and _capitalised(word)):
        return None  # "Sun", "Wed" without a dot: newspaper names, verbs
    rel = (m.group("rel") or "").lower()
    pmod = position_mod(m.groupdict().get("pmod"))
    pod = m.group("pod")
    if ctx.ref is None:
        value = f"XXXX-WXX-{WEEKDAYS[key] + 1}"
        return Found("DATE", value, "day", mod=pmod)
    if rel in ("last", "past", "previous"):
        day = R.weekday_date(ctx.ref, WEEKDAYS[key], "past", strict=True)
    elif rel in ("next", "coming", "following"):
        day = R.weekday_date(ctx.ref, WEEKDAYS[key], "future", strict=True)
    elif rel == "this":
        day = R.weekday_date(ctx.ref, WEEKDAYS[key], ctx.tense() or "future")
    else:
        day = R.weekday_date(ctx.ref, WEEKDAYS[key], ctx.tense() or "past")
    if pod:
        return Found("TIME", f"{day.isoformat()}T{PARTS_OF_DAY[pod.lower()]}", "time", mod=pmod, anchored=True)
    return Found("DATE", day.isoformat(), "day", mod=pmod, anchored=True)


def _deictic(m: re.Match, ctx: Context) -> Found | None:
    word = re.sub(r"\s+", " ", m.group("word").lower())
    pod = m.group("pod")
    pmod = position_mod(m.groupdict().get("pmod"))
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "last night": -1,
               "the day before yesterday": -2, "the day after tomorrow": 2, "this morning": 0,
               "this afternoon": 0, "this evening": 0, "overnight": 0}
    n = offsets.get(word, 0)
    if word == "tonight":
        pod = "night"
    elif word == "last night":
        pod = "night"
    elif word.startswith("this "):
        pod = word.split()[1]
    if ctx.ref is None:
        return Found("TIME" if pod else "DATE", "PRESENT_REF" if n == 0 else "XXXX-XX-XX", None, mod=pmod)
    day = ctx.ref + dt.timedelta(days=n)
    if pod:
        return Found("TIME", f"{day.isoformat()}T{PARTS_OF_DAY[pod.lower()]}", "time", mod=pmod, anchored=True)
    return Found("DATE", day.isoformat(), "day", mod=pmod, anchored=True)


def _narrative_day(m: re.Match, ctx: Context) -> Found | None:
    """'the previous day', 'the next day', 'the same day': a day from the last date of the story, else the
    publication date."""
    word = m.group("rel").lower()
    n = {"previous": -1, "preceding": -1, "prior": -1, "before": -1, "next": 1, "following": 1, "after": 1,
         "same": 0}.get(word.split()[-1] if word.startswith("day") else word, 0)
    if ctx.anchor and re.fullmatch(r"\d{4}-\d\d-\d\d", ctx.anchor) and ctx.start - ctx.anchor_pos < TIMEX.narrative_day_reach:
        base = dt.date.fromisoformat(ctx.anchor)
    elif ctx.ref:
        base = ctx.ref
    else:
        return Found("DATE", "XXXX-XX-XX", "day")
    return Found("DATE", (base + dt.timedelta(days=n)).isoformat(), "day", anchored=True)


def _relative_unit(m: re.Match, ctx: Context) -> Found | None:
    g = m.groupdict()
    unit = re.sub(r"\s+", " ", (g.get("unit") or "").lower())
    rel = re.sub(r"\s+", " ", (g.get("rel") or "").lower())
    mod = position_mod(g.get("pmod"))
    if g.get("inthe"):
        # "earlier in the year", "later this month"
        mod = position_mod(g.get("inthe"))
        if g["inthe"].lower().startswith("later") and not g.get("pmod"):
            mod = "END"
    n = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1}.get(
        rel.replace("the ", ""), 0)
    if unit == "weekend" and not rel:
        # "the weekend": the last one in a report of the past, the next one otherwise.
        if ctx.ref is None:
            return Found("DATE", "XXXX-WXX-WE", None)
        tense = ctx.tense()
        base = ctx.ref
        if tense == "future" and base.weekday() < 5:
            base += dt.timedelta(days=5 - base.weekday())
        elif base.weekday() < 5:
            base -= dt.timedelta(days=base.weekday() + 1)
        return Found("DATE", R.iso_week(base) + "-WE", None, anchored=True)
    if ctx.ref is None:
        return Found("DATE", {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX"}.get(unit, "XXXX"), None,
                     mod=mod)
    if unit == "weekend" and n == -1:
        base = ctx.ref - dt.timedelta(days=ctx.ref.weekday() + 1)
        return Found("DATE", R.iso_week(base) + "-WE", None, mod=mod, anchored=True)
    if unit == "weekend":
        base = ctx.ref + dt.timedelta(days=max(0, 5 - ctx.ref.weekday()) + (7 if n == 1 else 0))
        return Found("DATE", R.iso_week(base) + "-WE", None, mod=mod, anchored=True)
    if unit in SEASONS:
        return None  # handled by the season rule
    value, precision = relative_value(ctx.ref, unit, n)
    return Found("DATE", value, precision, mod=mod, anchored=True)


def _year_end(m: re.Match, ctx: Context) -> Found | None:
    if ctx.ref is None:
        return Found("DATE", "XXXX", "year", mod="END")
    return Found("DATE", str(ctx.ref.year), "year", mod="END", anchored=True)


_VAGUE = {"now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
          "current": "PRESENT_REF", "at present": "PRESENT_REF", "presently": "PRESENT_REF",
          "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "at the moment": "PRESENT_REF",
          "the present": "PRESENT_REF", "recently": "PAST_REF", "recent": "PAST_REF", "lately": "PAST_REF",
          "the past": "PAST_REF", "formerly": "PAST_REF", "once": "PAST_REF", "soon": "FUTURE_REF",
          "the future": "FUTURE_REF", "future": "FUTURE_REF", "the near future": "FUTURE_REF",
          "shortly": "FUTURE_REF", "in the coming days": "FUTURE_REF", "so far": "PRESENT_REF",
          "to date": "PRESENT_REF", "until now": "PRESENT_REF", "up to now": "PRESENT_REF",
          "the near term": "FUTURE_REF", "the short term": "FUTURE_REF"}


def _vague(m: re.Match, ctx: Context) -> Found | None:
    word = re.sub(r"\s+", " ", m.group("word").lower())
    if word == "current" and not re.match(r"\s+[a-z]", ctx.after(3)):
        return None  # "current" only as an adjective before a noun ("the current account")
    if word == "current" and re.match(r"\s+(?:account|affairs|events|accounts|density|flow|sea)\b",
                                      ctx.after(20), re.I):
        return None
    if word == "recent" and not re.match(r"\s+[a-z]", ctx.after(3)):
        return None
    if word in ("future", "the future", "the past", "the present") and re.match(r"\s+(?:tense|perfect)\b",
                                                                                ctx.after(12), re.I):
        return None
    if word == "soon" and (re.search(r"\bas\s+$", ctx.before(4)) or re.match(r"\s+(?:after|afterwards?|as)\b",
                                                                          ctx.after(8))):
        return None  # "as soon as", "soon after": a relation, not a time
    if word == "now" and re.search(r"\b(?:until|till|from|by|for|since)\s+$", ctx.before(7), re.I):
        return None  # "until now", "for now": TimeBank leaves these out
    if word == "future" and re.search(r"\b(?:a|any|its|their|his|her|our|foreseeable)\s+$", ctx.before(13), re.I):
        return None
    return Found("DATE", _VAGUE[word], None, anchored=ctx.ref is not None)


def _clock(m: re.Match, ctx: Context) -> Found | None:
    g = m.groupdict()
    if g.get("named") and re.search(r"\bhigh\s+$", ctx.before(6), re.I):
        return None  # "High Noon"
    if g.get("named"):
        hh, mi = (12, 0) if g["named"].lower() == "noon" else (24, 0)
    else:
        hh = int(g.get("h") or g.get("h2"))
        mi = int(g.get("mi") or g.get("mi2") or 0)
        ampm = (g.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hh < 12:
            hh += 12
        if ampm == "am" and hh == 12:
            hh = 0
        if hh > 24 or mi > 59:
            return None
    mod = None
    day = ctx.ref.isoformat() if ctx.ref else "XXXX-XX-XX"
    if ctx.anchor and re.fullmatch(r"\d{4}-\d\d-\d\d", ctx.anchor) and ctx.same_sentence(ctx.anchor_pos):
        day = ctx.anchor  # "on Friday ... at 10 p.m.": the clock time of the day just named
    if g.get("dayw") or g.get("mon"):
        # "10 p.m. Wednesday", "5 p.m. EST Nov. 9": the clock time of that day.
        found = _weekday_or_deictic_day(g, ctx)
        if found is None:
            return None
        day = found

    if hh == 24:
        return Found("TIME", f"{day}T24:00", "time", mod=mod, anchored=ctx.ref is not None)
    return Found("TIME", f"{day}T{hh:02d}:{mi:02d}", "time", mod=mod, anchored=ctx.ref is not None)


def _weekday_or_deictic_day(g: dict, ctx: Context) -> str | None:
    """The ISO day named after a clock time (weekday, yesterday/today/tomorrow, or month and day)."""
    if ctx.ref is None:
        return "XXXX-XX-XX"
    word = (g.get("dayw") or "").lower().rstrip(".")
    if word in WEEKDAYS:
        return R.weekday_date(ctx.ref, WEEKDAYS[word], ctx.tense() or "past").isoformat()
    if word in ("yesterday", "today", "tomorrow"):
        return (ctx.ref + dt.timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[word])).isoformat()
    month = _month_num(g.get("mon") or "")
    if month:
        day = int(re.match(r"\d+", g["day"]).group(0))
        try:
            return dt.date(R.day_year(ctx.ref, month, day, ctx.tense()), month, day).isoformat()
        except ValueError:
            return None
    return None


def _holiday_date(name: str, year: int) -> dt.date | None:
    n = name.lower().replace("'", "").replace("’", "")
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
             "new years day": (1, 1), "new years eve": (12, 31), "new year": (1, 1), "halloween": (10, 31),
             "valentines day": (2, 14), "independence day": (7, 4), "veterans day": (11, 11),
             "boxing day": (12, 26), "may day": (5, 1), "bastille day": (7, 14)}
    if n in fixed:
        return dt.date(year, *fixed[n])
    if n.startswith("thanksgiving"):
        return R.nth_weekday(year, 11, 3, 4)
    if n == "labor day":
        return R.nth_weekday(year, 9, 0, 1)
    if n == "memorial day":
        return R.nth_weekday(year, 5, 0, -1)
    if n.startswith("easter"):
        return R.easter(year)
    if n == "good friday":
        return R.easter(year) - dt.timedelta(days=2)
    return None


def _holiday(m: re.Match, ctx: Context) -> Found | None:
    name = re.sub(r"\s+", " ", m.group("name"))
    if m.group("year"):
        d = _holiday_date(name, int(m.group("year")))
        return Found("DATE", d.isoformat(), "day") if d else None
    if ctx.ref is None:
        return None
    tense = ctx.tense() or "past"
    candidates = [_holiday_date(name, y) for y in (ctx.ref.year - 1, ctx.ref.year, ctx.ref.year + 1)]
    candidates = [c for c in candidates if c]
    if not candidates:
        return None
    if tense == "future":
        pick = min((c for c in candidates if c >= ctx.ref - dt.timedelta(days=1)), key=lambda c: c - ctx.ref)
    else:
        past = [c for c in candidates if c <= ctx.ref + dt.timedelta(days=1)]
        pick = max(past) if past else candidates[0]
    return Found("DATE", pick.isoformat(), "day", anchored=True)


# ------------------------------------------------------------------------------------------------ the rules

_WD_PREFIX = rf"(?:{WEEKDAY},?\s+)?"
_REL = r"(?:last|this|next|past|previous|coming|current|following|the\s+(?:current|coming|following|previous|past|same))"
_PLAIN_UNIT = r"(?:week|weekend|month|year|fiscal\s+year|quarter|decade|century)"

RULES: list[tuple[str, str, Callable[[re.Match, Context], Found | None]]] = [
    ("iso", r"\b(?P<iy>\d{4})-(?P<im>[01]\d)-(?P<id>[0-3]\d)(?:[T ](?P<hh>[0-2]\d):(?P<mi>[0-5]\d)(?::\d\d)?)?\b",
     _numeric_date),
    ("numeric", r"\b(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d{4}|\d{2})\b(?![.,/]\d)",
     _numeric_date),
    ("date_mdy", rf"\b{_WD_PREFIX}(?:(?P<approx>around|about)\s+)?(?P<mon>{MONTH})\s+(?P<day>{DAY_NUMBER})\b"
                 rf"(?:(?:\s*,\s*|\s+)(?P<year>{YEAR}|{SHORT_YEAR})\b)?", _full_date),
    ("date_dmy", rf"\b{_WD_PREFIX}(?:the\s+)?(?P<day>{DAY_NUMBER})(?:\s+of)?\s+(?P<mon>{MONTH})(?!\w)"
                 rf"(?:,?\s+(?P<year>{YEAR})\b)?", _full_date),
    ("holiday", r"\b(?P<name>Christmas(?:\s+(?:Day|Eve))?|New\s+Year[’']?s(?:\s+(?:Day|Eve))?|Thanksgiving(?:\s+Day)?"
                r"|Easter(?:\s+Sunday)?|Good\s+Friday|Independence\s+Day|Labor\s+Day|Memorial\s+Day|Halloween"
                r"|Valentine[’']?s\s+Day|Veterans\s+Day|Boxing\s+Day|Bastille\s+Day)(?:,?\s+(?P<year>" + YEAR + r"))?\b",
     _holiday),
    ("month_year", rf"\b(?:(?P<pmod>{_POS_MOD})[\s-]+)?(?P<mon>{MONTH})(?:\s+of)?,?\s+(?P<year>{YEAR}|{SHORT_YEAR})\b",
     _month_year),
    ("decade", rf"(?:\bthe\s+)?(?:(?P<pmod>{_POS_MOD})[\s-]*)?(?:\b(?P<cent>1[5-9]|20)(?P<dec>\d)0|'(?P<dec2>\d)0)[’']?s\b",
     _decade),
    ("spelled_year", r"\b(?:the\s+year\s+)?(?P<sy>nineteen[\s-]+(?:(?:ten|eleven|twelve|thirteen|fourteen|fifteen"
                     r"|sixteen|seventeen|eighteen|nineteen)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
                     r"(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine))?)|two\s+thousand(?:\s+and)?"
                     r"(?:[\s-]+(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b", None),
    ("year", rf"\b(?:(?P<pmod>{_POS_MOD})[\s-]+)?(?:(?P<lead>fiscal|calendar|model\s+year|the\s+year)\s+)?"
             rf"(?P<year>{YEAR})\b(?!['’]s\b)", _year_only),
    ("season", rf"\b(?:(?P<pmod>{_POS_MOD})\s+)?(?:(?P<rel>last|this|next|past|coming|previous|the)\s+)?"
               rf"(?P<season>{SEASON})\b(?:,?\s+(?:of\s+)?(?P<year>{YEAR})\b)?", _season),
    ("quarter", rf"\b(?:(?P<yrel>this|last|next)\s+year['’]s\s+|(?:the\s+)?(?P<year3>{YEAR})\s+|the\s+)?(?P<words>(?:(?:latest|last|past|previous|current|this|next|coming|year-earlier"
                rf"|year-ago|year-before|prior-year|same|comparable|fiscal|recent|most\s+recent|{ORDINAL_WORD}|final"
                rf"|[1-4](?:st|nd|rd|th)|calendar)[\s-]+)+)?(?P<unit>quarter|half)(?P<plural>s)?\b"
                rf"(?:\s+of\s+(?:fiscal\s+|calendar\s+)?(?P<year>{YEAR})|,?\s+(?P<year2>{YEAR}))?", _quarter),
    ("ago", rf"\b(?:(?P<approx>{_APPROX})\s+)?(?:(?P<q>{QUANTITY})[\s-]+)?(?P<unit>{UNIT_WORD})(?:\s+or\s+so)?"
            rf"\s+(?P<dir>ago|earlier|later|from\s+now|hence|back)\b", _ago),
    ("year_end", r"\b(?:the\s+)?(?:end\s+of\s+(?:the\s+)?year|year[-\s]end|year['’]s\s+end)\b", _year_end),
    ("unit_part", r"\bthe\s+(?P<part>end|beginning|start|middle|close)\s+of\s+the\s+(?P<unit>week|month|year)\b", None),
    ("coming_units", r"\b(?:the\s+)?(?:coming|upcoming|next\s+few)\s+(?P<unit>days|weeks|months|years|quarters)\b",
     None),
    ("rel_unit", rf"\b(?:(?P<pmod>{_POS_MOD})[\s-]+)?(?:(?P<inthe>earlier|later)\s+in\s+the\s+"
                 rf"|(?P<rel>{_REL})\s+)(?P<unit>{_PLAIN_UNIT})\b(?!-)", _relative_unit),
    ("the_weekend", r"\b(?:the|this)\s+(?P<unit>weekend)\b", _relative_unit),
    ("that_unit", r"\b(?:(?P<pmod>earlier|later)\s+)?that\s+(?:same\s+)?(?P<unit>day|week|month|year)\b", None),
    ("period", rf"\b(?:the\s+)?(?:(?P<w>latest|year-earlier|year-ago|comparable|corresponding|same|{YEAR})\s+period"
               rf"|(?P<adj>year-earlier|year-ago)(?!\s+(?:quarter|period|nine|six|three|months)))\b", None),
    ("the_year", r"\bthe\s+(?:fiscal\s+)?year\b(?!\s*(?:'|’|-|before|after|earlier|later|ago|of|in\b|\d))", None),
    ("century", rf"\b(?:the\s+)?(?P<ord>{ORDINAL_WORD}|\d{{1,2}}(?:st|nd|rd|th))\s+century\b", None),
    ("spelled_decade", r"\b(?:the\s+)?(?:(?P<pmod>early|late|mid)[\s-]+)?(?P<dw>twenties|thirties|forties|fifties|sixties"
                       r"|seventies|eighties|nineties)\b", None),
    ("narrative_day", r"\b(?:the\s+(?P<rel>previous|preceding|prior|next|following|same)\s+day"
                      r"|the\s+day\s+(?P<rel_>before|after))\b", None),  # type: ignore[list-item]
    ("duration", rf"\b(?:(?P<approx>{_APPROX})\s+)?(?:(?:the\s+)?(?:past|last|next|first|coming|following|previous"
                 rf"|final|latest|entire|full|whole|same|other)\s+|the\s+)?(?P<q>{QUANTITY})"
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
            rf"(?P<unit>{UNIT_WORD}|{WEEKDAY}|{SEASON}|{PART_OF_DAY}))\b", _set),
    ("weekday", rf"\b(?:(?P<pmod>early|late|earlier|later)\s+)?(?:(?:the\s+)?(?P<rel>last|next|this|coming|past|previous"
                rf"|following)\s+)?(?P<wd>{WEEKDAY})(?:\s+(?P<pod>{PART_OF_DAY}))?(?!\w)", _weekday),
    ("deictic", rf"\b(?:(?P<pmod>early|late|earlier|later)\s+)?(?P<word>the\s+day\s+before\s+yesterday"
                rf"|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight|last\s+night"
                rf"|this\s+(?:morning|afternoon|evening))(?:\s+(?P<pod>{PART_OF_DAY}))?\b", _deictic),
    ("month", rf"\b(?:(?P<pmod>{_POS_MOD})[\s-]+)?(?:(?P<rel>last|next|this|past|coming|previous)\s+)?"
              rf"(?P<mon>{MONTH})(?!\w)", _month),
    ("vague", r"\b(?P<word>right\s+now|now|currently|current|at\s+present|presently|nowadays|these\s+days"
              r"|recently|recent|lately|the\s+past|formerly|soon|the\s+near\s+future|the\s+future|future"
              r"|the\s+(?:near|short)\s+term)\b",
     _vague),
    ("clock", rf"\b(?:(?P<h>[01]?\d)"
              rf"(?::(?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.m\.|[ap]m\b)|(?P<named>noon|midnight)"
              rf"|(?P<h2>[0-2]?\d):(?P<mi2>[0-5]\d)\s*(?:GMT|UTC|[ECMP][SD]T|hours?|o['’]clock)\b)"
              rf"(?:\s+(?:GMT|UTC|[ECMP][SD]T|local\s+time))?"
              rf"(?:,?\s+(?:on\s+)?(?:(?P<dayw>{WEEKDAY}|yesterday|today|tomorrow)|(?P<mon>{MONTH})\s+(?P<day>{DAY_NUMBER}))"
              rf"(?!\w))?", _clock),
]


def _narrative_day_fix(m: re.Match, ctx: Context) -> Found | None:
    rel = m.group("rel") or m.group("rel_")
    fake = {"before": "previous", "after": "next"}.get(rel.lower(), rel)

    class _M:
        def group(self, _name: str) -> str:
            return fake

    return _narrative_day(_M(), ctx)  # type: ignore[arg-type]


def _spelled_year(m: re.Match, ctx: Context) -> Found | None:
    """'nineteen ninety-six', 'the year two thousand' (broadcast transcripts)."""
    words = re.split(r"[\s-]+", m.group("sy").lower())
    if words[0] == "nineteen":
        rest = number_value(" ".join(words[1:]))
        return Found("DATE", str(1900 + int(rest)), "year") if rest else None
    rest = [w for w in words[2:] if w != "and"]
    return Found("DATE", str(2000 + (int(number_value(" ".join(rest)) or 0) if rest else 0)), "year")


def _compound(m: re.Match, ctx: Context) -> Found | None:
    """'decades-long' (PXE-ish vague plural) and 'day-long' (one unit)."""
    unit = m.group("unit")
    return Found("DURATION", duration_value(None if unit.endswith("s") else 1, unit), None)


def _that_unit(m: re.Match, ctx: Context) -> Found | None:
    """'that day', 'later that year': the unit of the last date the story named."""
    if not ctx.anchor or ctx.start - ctx.anchor_pos > TIMEX.that_unit_reach:
        return None
    unit = m.group("unit").lower()
    a = ctx.anchor
    cut = {"year": 4, "month": 7, "day": 10}.get(unit)
    if unit == "week" or cut is None or len(a) < cut or not re.fullmatch(r"\d{4}(?:-\d\d){0,2}", a):
        return None
    value = a[:cut]
    return Found("DATE", value, _precision_of(value), mod=position_mod(m.group("pmod")), anchored=True)


def _period(m: re.Match, ctx: Context) -> Found | None:
    """'the latest period', 'the year-ago period', 'year-earlier' in a story about a reported quarter."""
    word = (m.group("w") or m.group("adj") or "").lower()
    if re.fullmatch(r"\d{4}", word):
        if ctx.period and 0 <= ctx.start - ctx.period_pos < TIMEX.period_reach:
            return Found("DATE", word + ctx.period[4:], None)
        return Found("DATE", word, "year")
    if not ctx.period or ctx.start - ctx.period_pos > TIMEX.period_reach:
        return None
    if word in ("year-earlier", "year-ago", "comparable", "corresponding"):
        return Found("DATE", shift_value(ctx.period, "year", -1) or ctx.period, None, anchored=True)
    return Found("DATE", ctx.period, None, anchored=True)


def _the_year(m: re.Match, ctx: Context) -> Found | None:
    return Found("DURATION", "P1Y", None)


def _century(m: re.Match, ctx: Context) -> Found | None:
    n = ordinal_value(m.group("ord"))
    if not n or n < 1:
        return None
    return Found("DATE", f"{n - 1:02d}", None)


def _spelled_decade(m: re.Match, ctx: Context) -> Found | None:
    tens = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7, "eighties": 8,
            "nineties": 9}[m.group("dw").lower()]
    base = ctx.ref.year if ctx.ref else 2000
    century = base // 100 - (1 if tens * 10 > base % 100 + 5 else 0)
    return Found("DATE", f"{century}{tens}", "decade", mod=position_mod(m.group("pmod")))


def _unit_part(m: re.Match, ctx: Context) -> Found | None:
    """'the end of the month', 'the beginning of the week': the reference's own unit with a position mod."""
    unit = m.group("unit").lower()
    mod = position_mod("the " + m.group("part") + " of")
    if ctx.ref is None:
        return Found("DATE", {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX"}[unit], None, mod=mod)
    value, precision = relative_value(ctx.ref, unit, 0)
    return Found("DATE", value, precision, mod=mod, anchored=True)


def _coming_units(m: re.Match, ctx: Context) -> Found | None:
    return Found("DATE", "FUTURE_REF", None, anchored=ctx.ref is not None)


_SPECIAL = {"unit_part": _unit_part, "coming_units": _coming_units, "narrative_day": _narrative_day_fix, "spelled_year": _spelled_year, "compound": _compound,
            "that_unit": _that_unit, "period": _period, "the_year": _the_year, "century": _century,
            "spelled_decade": _spelled_decade}
RULES = [(n, p, _SPECIAL.get(n, h)) for n, p, h in RULES]

_STRIP_NAMES = re.compile(r"\(\?P<[a-zA-Z_0-9]+>")
_BACKREF = re.compile(r"\(\?P=[a-zA-Z_0-9]+\)")


def _combined() -> re.Pattern:
    parts = []
    for name, pattern, _ in RULES:
        inner = _STRIP_NAMES.sub("(?:", pattern)
        inner = _BACKREF.sub("[/.]", inner)
        parts.append(f"(?P<{name}>{inner})")
    return re.compile("|".join(parts), re.I)


COMBINED = _combined()
COMPILED = {name: (re.compile(pattern, re.I), handler) for name, pattern, handler in RULES}


# ------------------------------------------------------------------------------------------ head-word dispatch
#
# Scanning every position with 30 rules is slow in Python's regex engine (alternations are tried branch by
# branch). Every temporal expression holds a head word (a month, a weekday, a unit, a year, a clock time ...),
# so the tagger tokenises cheaply, looks each token up in HEAD_KINDS, and tries only the rules of that kind at
# the few word starts just before the head (LEFT_REACH words: "at least the past two years").

_KIND_RULES: dict[str, tuple[str, ...]] = {
    "month": ("date_mdy", "date_dmy", "month_year", "month"),
    "weekday": ("date_mdy", "date_dmy", "weekday", "set"),
    "unit": ("quarter", "ago", "year_end", "unit_part", "coming_units", "vague", "rel_unit", "the_weekend", "that_unit", "period", "the_year", "century",
             "narrative_day", "duration", "compound", "duration_rel", "for_plural", "set"),
    "season": ("season", "set"),
    "deictic": ("deictic", "set", "narrative_day"),
    "vague": ("rel_unit", "quarter", "duration", "duration_rel", "vague"),
    "set": ("set",),
    "holiday": ("holiday",),
    "year": ("iso", "date_mdy", "date_dmy", "holiday", "month_year", "decade", "year", "quarter", "season", "period"),
    "decade": ("decade",),
    "spelled": ("spelled_year",),
    "spelled_decade": ("spelled_decade",),
    "digit": ("iso", "numeric", "clock"),
    "clockword": ("clock",),
}
#: How many words left of its head a rule may start.
LEFT_REACH: dict[str, int] = {"vague": 1, "holiday": 0, "clock": 0, "numeric": 0, "iso": 0, "spelled_year": 3,
                              "month": 4, "weekday": 3, "deictic": 3, "set": 3, "season": 5, "decade": 5,
                              "spelled_decade": 4, "year": 5}

HEAD_KINDS: dict[str, str] = {}
for _w in MONTHS:
    HEAD_KINDS[_w] = "month"
for _w in WEEKDAYS:
    HEAD_KINDS[_w] = "weekday"
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
for _w in ("daily", "nightly", "weekly", "biweekly", "monthly", "annually", "yearly", "hourly"):
    HEAD_KINDS[_w] = "set"
for _w in ("christmas", "year", "thanksgiving", "easter", "halloween", "independence", "labor", "memorial",
           "valentine", "veterans", "boxing", "bastille"):
    HEAD_KINDS.setdefault(_w, "holiday")
for _w in ("nineteen", "thousand"):
    HEAD_KINDS[_w] = "spelled"
for _w in ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties", "nineties"):
    HEAD_KINDS[_w] = "spelled_decade"
for _w in ("noon", "midnight"):
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
        "veterans", "boxing", "bastille", "sept", "tues", "thur", "thurs", "weds", "nineteen", "period",
    ])
