"""Shared pieces of the temporal tagger's normalisers: the match context, the result record, TIMEX3 value
arithmetic (durations, shifts of calendar values, units relative to the reference date) and modifier words.

Conventions follow TimeML/TIMEX3 as annotated in TimeBank: weeks as ``1998-W32``, weekends ``1998-W32-WE``,
quarters ``1989-Q3``, halves ``1990-H1``, seasons ``1989-SU``, decades ``199``, parts of the day ``T``+MO/AF/EV/NI,
vague references PRESENT_REF / PAST_REF / FUTURE_REF, durations ``P3D`` / ``PT4H`` / ``PXY``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from wiredesk.settings import TIMEX
from wiredesk.timex import resolve as R
from wiredesk.timex.lexicon import CLOCK_UNITS, MONTHS, SEASONS, UNITS, spelled_year_value

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
    fiscal: bool = False  # that period is a quarter of the company's fiscal year ("the fiscal first quarter")
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
    period_fiscal: bool = False  # the period was named as a fiscal quarter: later bare quarters are that one

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
    if len(w) == 4 and w.isdigit():
        return int(w)
    if not w.isdigit():
        spelled = spelled_year_value(w)  # "the winter of nineteen ninety-four"
        if spelled:
            return spelled
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
        if u == "week":  # ISO 8601 does not mix weeks with other units: a week and a half is P10D
            return f"P{round(n * 7)}D"
        if u == "day":  # hours are clock time: half a day is PT12H, 1.5 days P1DT12H
            return f"P{head}T{rest}{small_unit}"
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


