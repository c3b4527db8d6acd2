"""Normalisers of the temporal tagger: one function per rule of ``wiredesk.timex.rules``.

Each takes the rule's match and the :class:`~wiredesk.timex.values.Context` and returns a
:class:`~wiredesk.timex.values.Found` (type, TIMEX3 value, precision, mod) or None to reject the reading (a
lowercase "may", "summer camp", "2000 soldiers"). Calendar arithmetic and tense live in ``resolve``.
"""

from __future__ import annotations

import datetime as dt
import re

from wiredesk.settings import TIMEX
from wiredesk.timex import resolve as R
from wiredesk.timex.lexicon import (
    CLOCK_UNITS, DAY_NUMBER, MONTH, MONTHS, NUMBER, ONES, ORDINAL_WORD, ORDINALS, PART_OF_DAY, PARTS_OF_DAY,
    QUANTITY, SEASON, SEASONS, SHORT_YEAR, TENS, UNIT_WORD, UNITS, WEEKDAY, WEEKDAYS, YEAR, number_value,
    ordinal_value,
)
from wiredesk.timex.values import (
    NEAR_CUE, Context, Found, _capitalised, _fmt_num, _month_num, _precision_of, _unit_name, _year, approx_mod,
    duration_value, position_mod, relative_value, shift_value,
)

# --------------------------------------------------------------------------------------------- normalisers

#: Nothing but a preposition between the start of the sentence and a date: a fronted adverbial ("In January, a
#: week after ..., a bombing killed a guard"), whose governing verb comes after it, however far.
_FRONTED = re.compile(r"\s*(?:(?:in|on|by|since|during|until|through|early|late|last)\s+)*", re.I)


#: "since March", "since Monday": the day or month a span starts from lies behind, whatever the verb ("their first
#: talks since March" has no verb of its own to read; a present perfect elsewhere would read as the present).
_SINCE = re.compile(r"\bsince\s+$", re.I)


def _yearless_tense(ctx: Context) -> str | None:
    """The tense a month (and day) named without a year follows: "since" before it, a cue close by (NEAR_CUE), or
    for a fronted date the verb of its sentence."""
    if _SINCE.search(ctx.before(8)):
        return "past"
    direction = ctx.tense(near=NEAR_CUE)
    if direction is None and _FRONTED.fullmatch(R.clause_window(ctx.text, ctx.start, ctx.end)[0]):
        direction = ctx.tense()
    return direction


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
        rel = (m.groupdict().get("rel") or "").lower()
        # "last Oct. 23" lies behind the reference, "next March 3" ahead, whatever the verb
        direction = {"last": "past", "past": "past", "next": "future", "coming": "future"}.get(rel)
        year = R.day_year(ctx.ref, month, day, direction or _yearless_tense(ctx))
        if direction == "past" and dt.date(year, month, min(day, 28)) > ctx.ref:
            year -= 1
        elif direction == "future" and dt.date(year, month, min(day, 28)) < ctx.ref:
            year += 1
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
        # "last February" in March is a year back: the month just gone is "last month"
        year = ctx.ref.year if month < ctx.ref.month - 1 else ctx.ref.year - 1
    elif rel in ("next", "coming"):
        year = ctx.ref.year if month > ctx.ref.month else ctx.ref.year + 1
    elif rel == "this":
        year = ctx.ref.year
    else:
        year = R.month_year(ctx.ref, month, _yearless_tense(ctx))
        span = _MONTH_SPAN_AFTER.match(ctx.after(40))
        if span and _month_num(span.group("mon")) and _capitalised(span.group("mon")):
            # "the January-November period", "from December to February": the first month lies in the year of
            # the last one, or the year before when it comes later in the calendar
            last = _month_num(span.group("mon"))
            last_year = (int(span.group("year")) if span.group("year")
                         else R.month_year(ctx.ref, last, _yearless_tense(ctx)))
            year = last_year if month <= last else last_year - 1
    return Found("DATE", f"{year}-{month:02d}", "month", mod=mod, anchored=True)


def _month_quarter(m: re.Match, ctx: Context) -> Found | None:
    """"the July-September quarter" is that calendar quarter (its year as the last month's); months that are no
    calendar quarter ("the January-November period") are left to the month rule."""
    first, last = _month_num(m.group("mon")), _month_num(m.group("mon2"))
    if first is None or last is None or (first - 1) % 3 or last != first + 2:
        return None
    if m.group("year"):
        year = int(m.group("year"))
    elif ctx.ref is None:
        return Found("DATE", f"XXXX-Q{(first + 2) // 3}", None)
    else:
        year = R.month_year(ctx.ref, last, _yearless_tense(ctx))
    return Found("DATE", f"{year}-Q{(first + 2) // 3}", None, anchored=m.group("year") is None, period=True)


_MONTH_SPAN_AFTER = re.compile(rf"\s*(?:-|–|\s(?:to|through|and|until|till)\s)\s*(?P<mon>{MONTH})(?!\w)"
                               rf"(?!\.?\s+\d{{1,2}}\b)(?:,?\s+(?P<year>(?:1[6-9]|20)\d\d)\b)?", re.I)


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
    # "-\d" is a count or a code ("1995-96" stays out), but "2011-2015" is a range of two years (each a DATE)
    r"\s*(?:%|percent|per\b|-(?!(?:1[6-9]|20)\d\d\b(?!-\d))\d|,\d|\.\d|\d|(?:GMT|UTC|Z|hrs|hours)\b)|\s+(?!(?:was|is|has|as|this|its|his|hers|ours|theirs|us)\b)"
    r"[a-z]+s\b(?!')")  # lower case: "1990 soldiers" is a count, "2021 Reuters" is not


#: A four-digit number right after one of these is a year whatever follows: "a treaty signed in 2018 expires" (a
#: verb ending in -s is no plural count), "in 1990 soldiers stormed the palace".
_YEAR_PREPOSITION = re.compile(r"\b(?:in|since|from|until|till|by|before|after|during)\s+$", re.I)


def _year_only(m: re.Match, ctx: Context) -> Found | None:
    hyphenated = ctx.before(1) == "-" and re.search(r"\b(?:post|pre|mid|late|early)-$", ctx.before(6), re.I)
    if re.search(r"(?:[$#£€]|\d[.,]?|\b(?:No|Nos|number|flight|route|page|pp|p|ISBN)\.?\s*)$", ctx.before(10),
                 re.I):
        return None
    if (not m.groupdict().get("pmod") and not m.group("lead") and not hyphenated
            and not _YEAR_PREPOSITION.search(ctx.before(12)) and _NOT_A_YEAR_AFTER.match(ctx.after(20))):  # "the post-1959 politics" is a year, "1959 soldiers" not
        return None
    year = int(m.group("year"))
    if year < 1600 or (ctx.ref and year > ctx.ref.year + 30):
        return None
    mod = position_mod(m.groupdict().get("pmod"))
    return Found("DATE", str(year), "year", mod=mod)


_ENDED = re.compile(rf"\s+(?:that\s+)?(?:ended|ending|ends)\s+(?P<mon>{MONTH})\.?\s+(?P<day>{DAY_NUMBER})\b"
                    rf"(?:,?\s+(?P<year>\d{{4}}))?", re.I)


def _quarter_ended(ctx: Context) -> tuple[int, int] | None:
    """The calendar quarter of "the quarter ended July 31": the three months up to that day, named by the calendar
    quarter that holds most of them (May-July is the second quarter, July-September the third)."""
    m = _ENDED.match(ctx.text, ctx.end)
    if not m:
        return None
    month = MONTHS.get(m.group("mon").lower().rstrip("."))
    if month is None:
        return None
    if m.group("year"):
        year = int(m.group("year"))
    elif ctx.ref:
        year = R.month_year(ctx.ref, month, "past")
    else:
        return None
    middle_year, middle = R.add_months(year, month, -1)
    return middle_year, (middle - 1) // 3 + 1


def _quarter(m: re.Match, ctx: Context) -> Found | None:
    if re.match(r"-(?:century|to-)", ctx.after(9)):
        return None  # "quarter-century", "quarter-to-quarter"
    if not m.group("words") and not m.group(0).lower().startswith("the") and re.search(r"\ba\s+$", ctx.before(3)):
        return None  # "a quarter of the market" is a share
    words = re.findall(r"[a-z0-9]+(?:-[a-z]+)?", m.group("words").lower()) if m.group("words") else []
    # "fiscal-first quarter" is the first quarter of the fiscal year
    words = [w[len("fiscal-"):] if w.startswith("fiscal-") else w for w in words]
    half = m.group("unit").lower().startswith("hal")
    year = int(m.group("year") or m.group("year2") or m.group("year3") or 0) or None
    yrel = (m.group("yrel") or m.group("yrel2") or "").lower()  # "this year's third quarter", "the first half of next year"
    if yrel and ctx.ref:
        year = ctx.ref.year + {"this": 0, "last": -1, "next": 1}[yrel]
    n = None
    shift = 0
    comparable = False
    current = False
    for w in words:
        o = ordinal_value(w)
        if o and o > 0:
            n = o
        elif half and year and w in ("last", "latter", "final"):
            n = 2  # "the last half of 1989" is its second half
        elif w == "current":
            current = True  # "the current quarter" is the one the reference date lies in ("this quarter's
            # loss" in a results story is the quarter reported on, as "the quarter")
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
    if n and m.group("plural") and not year and not shift:
        return Found("SET", f"XXXX-{code}{n}", None)  # "usually conducted in the fourth quarters": each year's
    if n is None and (m.group("plural") or half):
        return None  # "quarters" without a number is a duration, "half" alone is a share
    if ctx.ref is None and year is None:
        return Found("DATE", f"XXXX-{code}{n or 'X'}", None)
    ref = ctx.ref or dt.date(year or 2000, 12, 31)
    cur = R.quarter_of(ref) if not half else (1 if ref.month <= 6 else 2)
    fiscal = "fiscal" in words and n is not None
    told = ctx.period_fiscal and ctx.period and re.fullmatch(r"\d{4}-Q[1-4]", ctx.period) \
        and 0 <= ctx.start - ctx.period_pos < TIMEX.period_reach
    if n is None and current and not shift and not year:
        y, n = ref.year, cur
    elif n is None and not half and not year and shift <= 0 and told:
        # "earned $5.2 million in the fiscal first quarter ... sales for the quarter ended Sept. 29 ... the
        # 28,000 systems Sun shipped in the quarter": once a story names its fiscal quarter, a bare "the quarter"
        # is that one, not the calendar quarter its closing date falls in
        y, n, fiscal = int(ctx.period[:4]), int(ctx.period[-1]), True
    elif n is None and not half and _quarter_ended(ctx):
        y, n = _quarter_ended(ctx)  # type: ignore[misc]
    elif n is None:
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
    if comparable or m.group("yago"):  # "the year-ago quarter", "the quarter a year ago"
        return Found("DATE", f"{y - 1}-{code}{n}", None, anchored=True)
    # Only a period already over is one a results story reports on ("through the third quarter
    # of 1990" in a 1989 story is a forecast, and "the year-ago period" does not lean on it).
    reported = (ctx.ref is None or y * limit + n < ctx.ref.year * limit + cur
                or re.match(r"\s+(?:ended|ending)\b", ctx.after(8)) is not None  # "fourth quarter ended Sept. 30"
                or ctx.tense() == "past")  # "reported a decline in fourth-quarter earnings" (a fiscal quarter)
    return Found("DATE", f"{y}-{code}{n}", None, anchored=not year, period=reported, fiscal=fiscal and not half)


def _two_quarters(m: re.Match, ctx: Context) -> Found:
    """"the first two quarters of 1990" is that year's first half (TimeML: 1990-H1), "the last two" its second."""
    n = 1 if m.group("which").lower() == "first" else 2
    return Found("DATE", f"{m.group('year')}-H{n}", None)


def _ago(m: re.Match, ctx: Context) -> Found | None:
    q = m.group("q")
    unit = _unit_name(m.group("unit"))
    direction = m.group("dir").lower()
    n = number_value(q) if q else None
    past = not direction.startswith(("later", "from", "hence", "after"))
    mod = approx_mod(m.groupdict().get("approx"))
    if re.search(r"\bor\s+so\b", m.group(0), re.I):
        mod = "APPROX"
    if direction == "later":
        # TimeML: in "three days later" the timex is the duration "three days"; "later" is a signal that ties
        # it to the event before (TimeBank: "Three days" P3D, "A few days" PXD, "over an hour" PT1H).
        return Found("DURATION", duration_value(n, m.group("unit")), None, mod=mod,
                     trail=m.end() - m.start("dir"))
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
    if unit == "year" and past and ctx.ref and _SPAN_RESULTS.search(R.clause_window(ctx.text, ctx.start, ctx.end)[0]):
        # "in the latest nine months, compared with 40% a year earlier": a comparison of year-to-date results,
        # the year before, not the reported quarter
        return Found("DATE", str(ctx.ref.year + steps), "year", mod=mod, anchored=True)
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


_SPAN_RESULTS = re.compile(r"\b(?:(?:nine|six|\d+)\s+months|first\s+half|(?:fiscal|full|the)\s+year)\b", re.I)


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
    if re.match(r"\s+old\b", ctx.after(5), re.I):
        return None  # "52 years old" is an age, not a temporal expression (TimeBank leaves ages out)
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
    if g.get("q0"):
        low = number_value(g["q0"])
        if low is None or n is None or low >= n:
            return None  # "1 to 2" must rise; otherwise the second number is read alone
        # TimeML gives a range one value; the lower bound is the part the text asserts ("at least two weeks")
        n = low
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
        return Found("SET", f"XXXX-XX-XXT{PARTS_OF_DAY[word]}", None)
    if word in MONTHS and not word.startswith(("sec", "min")):
        return Found("SET", f"XXXX-{MONTHS[word]:02d}", None)  # "each July"
    if word in SEASONS:
        return Found("SET", f"XXXX-{SEASONS[word]}", None)
    n = number_value(g["q"]) if g.get("q") else 1.0
    if g.get("other"):
        n = 2.0
    if word.startswith("quarter"):
        return Found("SET", f"P{_fmt_num(n or 1)}Q", None)
    return Found("SET", duration_value(n, word), None)


_RESTATED_CLOCK_BEFORE = re.compile(r"(?:\b[ap]\.?m\.?|\d:\d\d|\bnoon|\bmidnight)(?:\s+[A-Za-z]{1,5})?\s*\(\s*"
                                    r"(?:\d{1,2}:\d\d|\d{4}|\d{1,2}\s*[ap]\.?m\.?)\s*(?:GMT|UTC|Z)?\s*$", re.I)


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
    if m.group("plural") or m.group("podpl"):
        # "on Mondays", "Sunday mornings": every such day, a SET
        code = f"T{PARTS_OF_DAY[pod.lower()]}" if pod else ""
        return Found("SET", f"XXXX-WXX-{WEEKDAYS[key] + 1}{code}", None)
    if _RESTATED_CLOCK_BEFORE.search(ctx.before(40)) and ctx.after(2).startswith(")"):
        return None  # "8 p.m. ET (0100 GMT Wednesday)": the restated moment's day in the other zone
    shared = _SHARED_POD.match(ctx.after(40))
    if shared:
        # "on Monday and Tuesday nights": both days take the plural part of the day, a SET
        return Found("SET", f"XXXX-WXX-{WEEKDAYS[key] + 1}T{PARTS_OF_DAY[shared.group('pod').lower()]}", None)
    if ctx.ref is None:
        value = f"XXXX-WXX-{WEEKDAYS[key] + 1}"
        return Found("DATE", value, "day", mod=pmod)
    story = _story_day(ctx)
    if rel in ("previous", "following") and story is not None and re.match(r"the\s", m.group(0), re.I):
        # "the previous Friday", "the following Monday": counted from the day the story is telling, not from
        # the publication date (TimeML anchors these anaphoric dates on the narrative time)
        day = R.weekday_date(story, WEEKDAYS[key], "past" if rel == "previous" else "future", strict=True)
    elif rel in ("last", "past", "previous"):
        day = R.weekday_date(ctx.ref, WEEKDAYS[key], "past", strict=True)
    elif rel in ("next", "coming", "following"):
        day = R.weekday_date(ctx.ref, WEEKDAYS[key], "future", strict=True)
    elif rel == "this":
        day = R.weekday_date(ctx.ref, WEEKDAYS[key], ctx.tense() or "future")
    else:
        day = R.weekday_date(ctx.ref, WEEKDAYS[key], "past" if _SINCE.search(ctx.before(8)) else ctx.tense() or "past")
    if pod:
        return Found("TIME", f"{day.isoformat()}T{PARTS_OF_DAY[pod.lower()]}", "time", mod=pmod, anchored=True)
    return Found("DATE", day.isoformat(), "day", mod=pmod, anchored=True)


def _story_day(ctx: Context) -> dt.date | None:
    """The last full date the story named, when it is near enough to be the day being told about."""
    if (ctx.anchor and re.fullmatch(r"\d{4}-\d\d-\d\d", ctx.anchor)
            and 0 <= ctx.start - ctx.anchor_pos < TIMEX.narrative_day_reach):
        return dt.date.fromisoformat(ctx.anchor)
    return None


_SHARED_POD = re.compile(rf"\s+(?:and|or)\s+{WEEKDAY}\s+(?P<pod>{PART_OF_DAY})s\b", re.I)


def _deictic(m: re.Match, ctx: Context) -> Found | None:
    word = re.sub(r"\s+", " ", m.group("word").lower())
    pod = m.group("pod")
    pmod = position_mod(m.groupdict().get("pmod"))
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "last night": -1,
               "the day before yesterday": -2, "the day after tomorrow": 2, "this morning": 0,
               "this afternoon": 0, "this evening": 0, "overnight": 0}
    n = offsets.get(word, 0)
    if (word == "today" and m.group("word")[0] == "T" and re.search(r"\b[A-Z][A-Za-z.]*\s+$", ctx.before(12))
            and not re.search(r"(?:[.!?\"'`]|^)\s*[A-Z][A-Za-z.]*\s+$", ctx.before(12))):
        return None  # "VOA Today", "USA Today": a title, not the day (a sentence may still open "Now Today ...")
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
    if (ctx.anchor and re.fullmatch(r"\d{4}-\d\d-\d\d", ctx.anchor)
            and ctx.start - ctx.anchor_pos < TIMEX.narrative_day_reach):
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
    # "the last decade", "the past year": the previous calendar unit (TimeBank: "the last decade" = 198, "the past
    # year" = 1988, "the last week" = 2000-W15); "the past decade/century" is a span, below
    n = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "following": 1, "this past": -1,
         "this coming": 1}.get(rel.replace("the ", ""), 0)
    story_next = (rel == "the next" and unit in ("year", "month")
                  and not re.search(r"\b(?:over|during|within|in|for|through|throughout|of)\s+$", ctx.before(12), re.I))
    if (rel in ("the following", "the previous", "the same") or story_next) and unit in ("year", "month") and ctx.anchor \
            and 0 <= ctx.start - ctx.anchor_pos < TIMEX.that_unit_reach:
        # "The following month" continues the story's own dates, not the publication date.
        base = ctx.anchor[:4] if unit == "year" else ctx.anchor[:7]
        if re.fullmatch(r"\d{4}(?:-\d\d)?", base) and len(base) == (4 if unit == "year" else 7):
            shifted = shift_value(base, unit, n)
            if shifted:
                return Found("DATE", shifted, unit, mod=mod, anchored=True)
    if rel == "the next":
        return None  # "over the next year" is a span (the duration rule); only the story's next year is a date
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
    if unit in ("decade", "century") and rel in ("the past", "past"):
        # "over the past decade" is the ten years up to now, a DURATION as "the past five years" is (TimeML;
        # half A of TempEval-3: P10Y); "the last decade" keeps the calendar reading TimeBank gives it (198)
        return Found("DURATION", duration_value(1, unit), None, mod=mod)
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
    if (unit == "year" and n == -1 and rel in ("last", "") and ctx.period
            and 0 <= ctx.start - ctx.period_pos < TIMEX.period_reach
            and (_COMPARED.search(re.split(r"[.!?]\s", R.clause_window(ctx.text, ctx.start, ctx.end)[0])[-1][-120:])
                 or _RESULTS_AFTER.match(ctx.text, ctx.end))):
        # "a loss of $7.2 million, compared with earnings of $6.1 million last year" in a story about a quarter is
        # "a year ago": the reported period a year back
        shifted = shift_value(ctx.period, "year", -1)
        if shifted:
            return Found("DATE", shifted, None, mod=mod, anchored=True)
    value, precision = relative_value(ctx.ref, unit, n)
    return Found("DATE", value, precision, mod=mod, anchored=True)


#: "last year's results": in a story about a quarter, that quarter's results a year back.
_RESULTS_AFTER = re.compile(r"['’]s\s+(?:results|earnings|profit|net|loss|sales|figures)\b", re.I)
#: A comparison of results with an earlier period. Only "compared with/to": "down from $21.4 million last year"
#: (TimeBank: 1988) and "from last year's $1.55 billion" (a fiscal quarter) also name the whole year.
_COMPARED = re.compile(r"\bcompared\s+(?:with|to)\s", re.I)


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
          "the near term": "FUTURE_REF", "the short term": "FUTURE_REF",
          # TimeML: an unnamed time on one side of now ("financed at a later date")
          "a later date": "FUTURE_REF", "a later stage": "FUTURE_REF", "an earlier date": "PAST_REF",
          "an earlier stage": "PAST_REF"}


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
    if word == "now" and re.search(r"\bfrom\s+$", ctx.before(7), re.I):
        return None  # "from now" belongs to "two weeks from now"; "until now", "for now" are PRESENT_REF
    if word == "future" and re.search(r"\b(?:a|any|its|their|his|her|our|foreseeable)\s+$", ctx.before(13), re.I):
        return None
    if word in ("future", "the future") and ctx.tense() == "past":
        # "said it is confident about future earnings": in a clause told in the past, the gold (half A of
        # TempEval-3: 5 of 5 untagged, against 5 of 7 tagged otherwise) leaves "future" out
        return None
    if word == "the past" and re.match(rf"\s+{NUMBER}\s+\w+", ctx.after(30), re.I):
        return None  # "the past three summers": "past" measures the count that follows, it is no PAST_REF
    then = re.search(r"\bthen[\s-]+$", ctx.before(6), re.I)
    if word == "current" and then:
        # "the then current market price": current at a time now past; the span takes in "then"
        return Found("DATE", "PAST_REF", None, anchored=ctx.ref is not None, lead=-len(then.group(0)))
    return Found("DATE", _VAGUE[word], None, anchored=ctx.ref is not None)


def _clock(m: re.Match, ctx: Context) -> Found | None:
    g = m.groupdict()
    if g.get("named") and re.search(r"\bhigh\s+$", ctx.before(6), re.I):
        return None  # "High Noon"
    if g.get("named"):
        hh, mi = (24, 0) if g["named"].lower() == "midnight" else (12, 0)
    else:
        if g.get("h4"):
            hh, mi = int(g["h4"]), 0  # "4 in the morning", "8 in the evening"
            if g["pod4"].lower() != "morning" and hh < 12:
                hh += 12
        elif g.get("mil"):
            hh, mi = int(g["mil"][:2]), int(g["mil"][2:])  # "0735 GMT"
        else:
            hh = int(g.get("h") or g.get("h2") or g.get("h3"))
            mi = int(g.get("mi") or g.get("mi2") or g.get("mi3") or 0)
        ampm = (g.get("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hh < 12:
            hh += 12
        if ampm == "am" and hh == 12:
            hh = 0
        if hh > 24 or mi > 59:
            return None
    evening = re.match(r"tonight|last\s+night|this\s+(?:afternoon|evening)", g.get("dayw") or "", re.I)
    if evening and not g.get("ampm") and not g.get("named") and hh < 12:
        hh += 12  # "at 7:30 tonight" is 19:30
    if re.search(r"(?:\b[ap]\.?m\.?|\d:\d\d|\bnoon|\bmidnight|\bmidday)"
                 r"(?:\s+(?:local\s+time|[ECMP][SD]?T|BST|CES?T|GMT|UTC))?"
                 r"\s*\($", ctx.before(26),
                 re.I) and ctx.after(2).startswith(")"):
        return None  # "10:35 a.m. (0735 GMT)": the same moment restated in another zone, not a second time
    mod = None
    day = ctx.ref.isoformat() if ctx.ref else "XXXX-XX-XX"
    if ctx.anchor and re.fullmatch(r"\d{4}-\d\d-\d\d", ctx.anchor) and ctx.same_sentence(ctx.anchor_pos):
        day = ctx.anchor  # "on Friday ... at 10 p.m.": the clock time of the day just named
    if not (g.get("dayw") or g.get("mon")):
        # "10:35 a.m. (0735 GMT) Friday", "4 in the morning (4 a.m. EDT Thursday)": the day after the aside
        later = _DAY_AFTER_ASIDE.match(ctx.after(48))
        if later:
            g = dict(g, dayw=later.group("dayw") or later.group("dayw2"))
    if g.get("dayw") or g.get("mon"):
        # "10 p.m. Wednesday", "5 p.m. EST Nov. 9": the clock time of that day.
        found = _weekday_or_deictic_day(g, ctx)
        if found is None:
            return None
        day = found

    if hh == 24:
        return Found("TIME", f"{day}T24:00", "time", mod=mod, anchored=ctx.ref is not None)
    return Found("TIME", f"{day}T{hh:02d}:{mi:02d}", "time", mod=mod, anchored=ctx.ref is not None)


_DAY_AFTER_ASIDE = re.compile(rf"\s*\((?:[^()]{{0,30}}?\s)?(?:(?P<dayw>{WEEKDAY})\)|[^()]{{1,30}}\)\s*,?\s*(?:on\s+)?"
                              rf"(?P<dayw2>{WEEKDAY}|yesterday|today|tomorrow)(?!\w))", re.I)


def _weekday_or_deictic_day(g: dict, ctx: Context) -> str | None:
    """The ISO day named after a clock time (weekday, yesterday/today/tomorrow, or month and day)."""
    month = _month_num(g.get("mon2") or "")
    if month:  # "Sunday, March 17": the date names the day, the weekday only restates it
        day = int(re.match(r"\d+", g["day2"]).group(0))
        if g.get("year2"):
            year = int(g["year2"])
        elif ctx.ref is not None:
            year = R.day_year(ctx.ref, month, day, ctx.tense())
        else:
            year = 2000  # a leap year: only to check the day exists
        try:
            value = dt.date(year, month, day).isoformat()
            return value if ctx.ref is not None or g.get("year2") else f"XXXX{value[4:]}"
        except ValueError:
            return None
    if ctx.ref is None:
        return "XXXX-XX-XX"
    word = (g.get("dayw") or "").lower().rstrip(".")
    if word in WEEKDAYS:
        return R.weekday_date(ctx.ref, WEEKDAYS[word], ctx.tense() or "past").isoformat()
    if word in ("yesterday", "today", "tomorrow"):
        return (ctx.ref + dt.timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[word])).isoformat()
    if word == "tonight" or word.startswith("this"):
        return ctx.ref.isoformat()
    if word.startswith("last"):  # "at 11 last night"
        return (ctx.ref - dt.timedelta(days=1)).isoformat()
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
    if n == "election day":  # U.S.: the Tuesday after the first Monday of November
        return R.nth_weekday(year, 11, 0, 1) + dt.timedelta(days=1)
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
    week = bool(m.group("hweek"))

    def begins(c: dt.date) -> dt.date:  # "Easter week" has begun once its Monday has come
        return c - dt.timedelta(days=c.weekday()) if week else c

    if tense == "future":
        pick = min((c for c in candidates if c >= ctx.ref - dt.timedelta(days=1)), key=lambda c: c - ctx.ref)
    else:
        past = [c for c in candidates if begins(c) <= ctx.ref + dt.timedelta(days=1)]
        pick = max(past) if past else candidates[0]
    if week:  # "Easter week": the week that holds the holiday
        return Found("DATE", R.iso_week(pick), None, anchored=True)
    return Found("DATE", pick.isoformat(), "day", anchored=True)



def _narrative_day_fix(m: re.Match, ctx: Context) -> Found | None:
    rel = m.group("rel") or m.group("rel_")
    if m.group("rel_") and re.match(r"\s+[A-Za-z]", ctx.after(3)):
        # "the day before the stock market plunge", "the day after his death": "before"/"after" ties the day to
        # an event, not to the story's last date
        story = _story_day(ctx)
        if story is not None and re.search(r"\d,\s*$", ctx.before(4)):
            # "Oct. 12, the day before the plunge": an apposition, the day just named
            return Found("DATE", story.isoformat(), "day", anchored=True, trail=len(m.group(0)) - len("the day"))
        if re.search(r"\b(?:in|during|of)\s+$", ctx.before(8), re.I):
            return None  # "later in the day before returning home": "the day" is no date of its own
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
        if word == "latest" and ctx.ref is not None and not m.group("ly"):
            # "no one-time gains in the latest period" before any quarter is named: the last quarter reported,
            # as "the latest quarter" reads
            total = ctx.ref.year * 4 + R.quarter_of(ctx.ref) - 2
            return Found("DATE", f"{total // 4}-Q{total % 4 + 1}", None, anchored=True)
        return None
    if word in ("year-earlier", "year-ago", "comparable", "corresponding") or m.group("ly"):
        # "the year-ago period", "the same period last year": the reported period a year back
        return Found("DATE", shift_value(ctx.period, "year", -1) or ctx.period, None, anchored=True)
    return Found("DATE", ctx.period, None, anchored=True)


def _the_year(m: re.Match, ctx: Context) -> Found | None:
    """'the year', 'the fiscal year', 'the full year': the year being reported on (TimeBank: 'sales for the full
    year', 'a high for the year' = 1989), unless a span is measured ('the year ended Sept. 30', 'throughout the
    fiscal year' = P1Y)."""
    if (re.match(r"\s+(?:ended|ending|to\s+date|through|that\s+ended)\b", ctx.after(16), re.I)
            or re.search(r"\b(?:throughout|during|over|in|within)\s+$", ctx.before(12), re.I) or ctx.ref is None):
        return Found("DURATION", "P1Y", None)
    return Found("DATE", str(ctx.ref.year), "year", anchored=True)


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
        return Found("DATE", {"year": "XXXX", "month": "XXXX-XX", "week": "XXXX-WXX", "decade": "XXX",
                              "century": "XX"}[unit], None, mod=mod)
    value, precision = relative_value(ctx.ref, unit, 0)
    return Found("DATE", value, precision, mod=mod, anchored=True)


def _coming_units(m: re.Match, ctx: Context) -> Found | None:
    """'coming weeks', 'the next few years': a stretch of unknown length ahead (TimeBank: PXW, PXY)."""
    return Found("DURATION", duration_value(None, m.group("unit")), None)




def _quarter_code(m: re.Match, ctx: Context) -> Found | None:
    """'Q3 2023', 'H1': a quarter or half written as a code (upper case only: 'h1' is not a half)."""
    if not m.group("q").isupper():
        return None
    code, n = m.group("q"), int(m.group("n"))
    if code == "H" and n > 2:
        return None
    if m.group("year"):
        return Found("DATE", f"{m.group('year')}-{code}{n}", None, period=True)
    if ctx.ref is None:
        return Found("DATE", f"XXXX-{code}{n}", None)
    cur = R.quarter_of(ctx.ref) if code == "Q" else (1 if ctx.ref.month <= 6 else 2)
    year = ctx.ref.year - 1 if n > cur and ctx.tense() == "past" else ctx.ref.year
    return Found("DATE", f"{year}-{code}{n}", None, anchored=True, period=True)


def _month_rel_year(m: re.Match, ctx: Context) -> Found | None:
    """'February this year', 'June last year': one month of the named year."""
    month = _month_num(m.group("mon"))
    if month is None or not _capitalised(m.group("mon")):
        return None
    mod = position_mod(m.group("pmod"))
    if ctx.ref is None:
        return Found("DATE", f"XXXX-{month:02d}", "month", mod=mod)
    year = ctx.ref.year + {"this": 0, "last": -1, "next": 1}[m.group("rel").lower()]
    return Found("DATE", f"{year}-{month:02d}", "month", mod=mod, anchored=True)


def _part_of_day(m: re.Match, ctx: Context) -> Found | None:
    """'mid-afternoon', 'early morning', 'in the morning', 'mid-afternoon yesterday': that part of the day the
    sentence is about (a date it names, else the reference day)."""
    if re.match(r"\s+(?:news|paper|papers|edition|show|program|programme|prayers?|star|session|shift|rush)\b",
                ctx.after(12), re.I):
        return None  # "the morning news", "the evening star": a thing, not a time
    code = PARTS_OF_DAY[m.group("pod").lower()]
    mod = position_mod(m.group("pmod"))
    if ctx.ref is None:
        return Found("TIME", f"XXXX-XX-XXT{code}", None, mod=mod)
    dw = (m.group("dw") or "").lower()
    if dw:
        day = ctx.ref + dt.timedelta(days={"yesterday": -1, "today": 0, "tomorrow": 1}[dw])
    elif ctx.anchor and re.fullmatch(r"\d{4}-\d\d-\d\d", ctx.anchor) and ctx.same_sentence(ctx.anchor_pos):
        day = dt.date.fromisoformat(ctx.anchor)
    elif _story_day(ctx) is not None and ctx.tense() == "past":
        day = _story_day(ctx)  # "... dashed Friday. Dealers placed orders in the morning": Friday morning
    else:
        day = ctx.ref
    return Found("TIME", f"{day.isoformat()}T{code}", "time", mod=mod, anchored=True)
