"""Calendar arithmetic and tense: how a relative expression lands on the calendar.

News reports mostly the past, so an unqualified weekday or month is read backwards from the publication date;
the local context of the sentence (``will``, ``next``, ``plans to`` ... against ``met``, ``said``, ``ago`` ...)
turns it forwards. The tense reader is a few regexes over the sentence around the expression: no parser in the
hot path.
"""

from __future__ import annotations

import datetime as dt
import re

from wiredesk.settings import TIMEX

_FUTURE = re.compile(
    r"\b(?:(?:will|won't|shall|'ll)(?:\s+not)?(?:\s+(?:be|have|been))*\s+\w+"
    # "were planning to" / "was going to" start at the auxiliary, so the "were" of the past-tense list does not
    # win on distance
    r"|(?:(?:is|are|was|were)\s+)?(?:going|planning)\s+to|gonna|plans?\s+to|planned\s+(?:for|to)|scheduled"
    r"|schedule"
    r"|would\s+be\s+\w+ing|(?:was|were)\s+to\s+\w+|as\s+(?:early|soon)\s+as"
    r"|expected|expects?\s+to|(?:forecast|projected|predicted|likely|poised|slated)\s+(?:to|for)|is\s+to|are\s+to|due|set\s+(?:to|for)|to\s+be\s+held|to\s+begin|to\s+start"
    # "to meet" a person lies ahead; "to meet demand", "to meet the deadline" is no meeting and no tense cue
    r"|takes?\s+effect|comes?\s+into\s+(?:force|effect)|to\s+meet(?!\s+(?:(?:the|its|their|his|her|our|a|an)\s+)?(?:[a-z]+\s+)?"
    r"(?:demand|needs?|requirements?|deadlines?|targets?|goals?|obligations?|expectations?|standards?|criteria"
    r"|costs?|payments?|payroll|debts?|conditions|terms|quotas?)\b)|to\s+visit|to\s+vote|to\s+hold|upcoming|intends?\s+to|aims?\s+to|payable|effective"
    r"|next\s+(?:week|month|year)|(?:the\s+)?coming\s+(?:days|weeks|months)|later\s+this"
    # the simple present of a scheduled event is its future in news ("the summit opens Friday", "the president
    # travels to Mexico Thursday", "voters go to the polls Sunday"); after a determiner these are nouns ("his
    # visits"); "reports", "says" are left out, as news also reports in the present
    r"|(?<!\bthe\s)(?<!\bits\s)(?<!\btheir\s)(?<!\bhis\s)(?<!\bher\s)(?<!\bour\s)(?<!\bwhose\s)"
    r"(?:opens|begins|starts|ends|closes|meets|visits|travels|returns|arrives"
    r"|leaves|departs|convenes|resumes|hosts|kicks\s+off|heads\s+to|flies\s+to"
    r"|go(?:es)?\s+to\s+the\s+polls))\b",
    re.I)
_PAST = re.compile(
    r"\b(?:was|were|had|did|ago|earlier|last|previous|previously|yesterday"
    r"|met|said|told|took|made|gave|came|went|saw|held|left|won|lost|began|fell|rose|sold|bought|paid|brought"
    r"|got|led|ran|fought|spoke|wrote|struck|shot|hit|killed|sent|set|put|cut|hurt|quit|broke|chose|drove|fled"
    r"|flew|grew|knew|stood|thought|understood|became|overtook|withdrew"
    r"|(?!(?:hundred|united|indeed|need|speed|seed|feed|breed|proceed|succeed|exceed|red|bed|shed|sacred|alleged"
    r"|supposed|expected|scheduled|planned)\b)\w{2,}ed)\b",
    re.I)
_DEADLINE = re.compile(r"\b(?:by|until|till|expires?|expiring|payable|effective|starting|beginning)"
                       r"(?:\s+(?:on|about|around))?\s+$", re.I)
#: A plan told in the past perfect ("had been due to expire Friday evening"): the day lies behind. ("was
#: planned for early March" may still stand, so the simple past is no such cue.)
_PAST_PLAN = re.compile(r"\bhad(?:\s+been)?\s+(?:(?:originally|previously|initially|once)\s+)?"
                        r"(?:due|scheduled|slated|set|expected|supposed|planned)\s+(?:to|for)\b"
                        r"(?:\s+(?!will\b|would\b)[\w'-]+){0,3}(?:\s+(?:on|at|by|until|for))?\s+$", re.I)
#: A date something is put off or extended to is a deadline too ("extended to Nov. 16", "postponed until May").
_DEFERRED = re.compile(r"\b(?:extend(?:ed|s|ing)?|postpon(?:ed|es|e|ing)|delay(?:ed|s|ing)?|adjourn(?:ed|s)?"
                       r"|defer(?:red|s)?|put\s+off|pushed\s+back|moved)\s+(?:[\w'$.,-]+\s+){0,4}?(?:to|until)\s+$",
                       re.I)
#: A reporting verb after the expression ("..., Castro said.") tells when the words were said, not when the
#: reported event happens: it is no cue after a quote, or after a comma when it ends the sentence.
_REPORTING = re.compile(r"\b(?:said|says|say|told|tells|added|adds|stated|reported|announced|according)\b", re.I)
#: The clause after a fronted deadline in the past perfect ("By Wednesday, 159 members had filed reports").
_PERFECT_AFTER = re.compile(r"[^;:]{0,40}?\bhad\s+(?:not\s+|already\s+|all\s+)?(?:been\s+)?\w+", re.I)
#: ... or before it ("159 members had filed compliance reports by Wednesday").
_PERFECT_BEFORE = re.compile(r"\bhad\s+(?:not\s+|already\s+|all\s+)?(?:been\s+)?\w+ed\b[^,;:]{0,40}$", re.I)
#: A word in -ed right after a determiner is an adjective, not a past-tense verb ("on a still unspecified date",
#: "the proposed merger"): it says nothing about when the clause happens.
_DETERMINER_BEFORE = re.compile(r"\b(?:a|an|the|its|their|his|her|our|this|that|these|those)\s+(?:still\s+)?$", re.I)
#: A coordinating word after the expression opens the next verb phrase ("met Karzai on Friday and will meet
#: Putin"): once the clause has its own cue before the expression, a cue beyond it is another clause's.
_NEW_CLAUSE = re.compile(r"\b(?:and|but|while|whereas)\b", re.I)
#: "would" + verb is the future of a reported past ("said he would visit on Friday"), but also a conditional or
#: a habit; it is trusted only when it governs the expression directly (within this many characters).
_WOULD = re.compile(r"\bwould\s+(?:not\s+)?(?!have\b|be\s+\w+ed\b)\w+", re.I)
TIMEX_WOULD_REACH = 25
#: A verb right after "to" or a modal is its base form, whatever it looks like ("forecast to hit on Friday").
_BASE_FORM_BEFORE = re.compile(r"\b(?:to|will|would|can|could|may|might|should|must|shall|does|do)\s+(?:not\s+)?$",
                               re.I)
#: A plan told in the simple past ("planned to", "planned for") and a sentence-initial position before the
#: expression ("On Friday, ...", "Friday, ...").
_PAST_PLAN_VERB = re.compile(r"planned\b", re.I)
_FRONTED = re.compile(r"^\s*(?:on\s+|by\s+)?$", re.I)
_BOUNDARY = re.compile(r"[.!?]\s+(?=[A-Z\"'])|\n\s*\n|;")
#: A full stop after a title, an initial or a short abbreviation ("Mr. Antar", "Roe vs. Wade", "Birmingham, Ala.,
#: killed", "U.S. Court") does not end the sentence: the tense cue beyond it belongs to the same clause.
_ABBREV_BEFORE = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Col|Lt|Sgt|Capt|Adm|Rev|Prof|Jr|Sr|Inc|Co|Corp"
                            r"|Ltd|vs|No|Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn"
                            r"|Miss|Mo|Mont|Neb|Nev|Okla|Ore|Pa|Tenn|Tex|Va|Vt|Wash|Wis|Wyo)|(?:^|[\s.])[A-Z])$")


def _boundaries(text: str):
    """Sentence boundaries in ``text`` (see _BOUNDARY), without the full stops of abbreviations."""
    for m in _BOUNDARY.finditer(text):
        if text[m.start()] == "." and _ABBREV_BEFORE.search(text, max(0, m.start() - 6), m.start()):
            continue
        yield m


#: A comma before an -ed word followed by "by" opens a reduced participle clause (", followed by a session of the
#: Council"): a passive participle carries no tense (a finite passive has its "was"/"will be" as the cue).
_PARTICIPLE_CLAUSE = re.compile(r",\s*$")
_BY_AFTER = re.compile(r"\s+by\b", re.I)


def _past_cues(text: str):
    """The past-tense cues in ``text``, without -ed adjectives after a determiner or participles opening a
    reduced clause after a comma."""
    for m in _PAST.finditer(text):
        if _BASE_FORM_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue  # "to hit", "would cut": a base form that reads like a past ("hit", "set", "cut")
        if m.group().lower().endswith("ed") and _DETERMINER_BEFORE.search(text, 0, m.start()):
            continue
        if m.group().lower().endswith("ed") and _PARTICIPLE_CLAUSE.search(text, 0, m.start()) \
                and _BY_AFTER.match(text, m.end()):
            continue
        yield m


def to_date(ref: str | dt.date | None) -> dt.date | None:
    """The reference day of ``ref``: a date, a datetime, or an ISO / compact (YYYYMMDD) string."""
    if ref is None:
        return None
    if isinstance(ref, dt.datetime):
        return ref.date()
    if isinstance(ref, dt.date):
        return ref
    s = str(ref).strip()
    m = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", s)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m = re.match(r"(\d{4})-(\d{2})$", s)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), 15)
    m = re.match(r"(\d{4})$", s)
    if m:
        return dt.date(int(m.group(1)), 7, 1)
    return None


def clause_window(text: str, start: int, end: int, reach: int = TIMEX.clause_reach) -> tuple[str, str]:
    """The text of the same sentence before and after the expression (at most ``reach`` characters each way)."""
    lo = max(0, start - reach)
    before = text[lo:start]
    cut = None
    for m in _boundaries(before):
        cut = m.end()
    if cut is not None:
        before = before[cut:]
    after = text[end:end + reach]
    m = next(_boundaries(after), None)
    if m:
        after = after[:m.start()]
    return before, after


def tense(text: str, start: int, end: int, near: float | None = None) -> str | None:
    """'future', 'past' or None for the expression at ``text[start:end]``, from the nearest cue in its sentence.

    Cues before the expression count more than cues after it (the governing verb usually precedes a news date:
    "said Friday that he would ..." is past, "will meet Bush on Thursday" is future); a cue after the expression
    counts at one and a half times its distance. With ``near``, a cue farther than that many characters is
    ignored (calendar dates without a year trust only the governing verb; "nearest" is safer otherwise).
    """
    before, after = clause_window(text, start, end)
    if _PAST_PLAN.search(before):
        return "past"  # "it had been due to expire Friday evening": the plan was for a day now behind
    if _DEADLINE.search(before) or _DEFERRED.search(before):
        if _PERFECT_AFTER.match(after) or _PERFECT_BEFORE.search(before):
            return "past"  # "Until Thursday, they had not called him a suspect": a deadline now behind
        return "future"  # "by Dec. 15", "until Tuesday", "expire Nov. 21": a deadline lies ahead
    best: tuple[float, str] | None = None
    for m in _FUTURE.finditer(before):
        d = float(len(before) - m.end())
        if best is None or d < best[0]:
            best = (d, "future")
    for m in _past_cues(before):
        d = float(len(before) - m.end())
        if best is None or d < best[0]:
            best = (d, "past")
    possessive = re.match(r"['’]s\b", text[end:end + 3])
    for m in _WOULD.finditer(before):
        d = float(len(before) - m.end())
        if not possessive and d <= TIMEX_WOULD_REACH and (best is None or d <= best[0]):
            best = (d, "future")
    has_before = best is not None
    for m in _FUTURE.finditer(after):
        if has_before and _NEW_CLAUSE.search(after, 0, m.start()):
            break  # "met Karzai on Friday and will meet Putin": the next verb phrase's tense, not this one's
        if _PAST_PLAN_VERB.match(m.group()) and _FRONTED.search(before):
            # "On Friday, the government planned to pay": a day fronted before a plan told in the past is when the
            # plan stood, not when it was to be carried out
            continue
        d = TIMEX.after_cue_weight * m.start()
        if best is None or d < best[0]:
            best = (d, "future")
        break
    for m in _past_cues(after):
        if _REPORTING.match(after, m.start()) and (
                re.search(r"['`\"]", after[:m.start()])
                or (re.search(r",", after[:m.start()]) and re.match(r"\w+[^,;:]{0,24}$", after[m.start():]))):
            continue  # "..., Castro said": the reporting verb, not the verb the expression belongs to
        if has_before and _NEW_CLAUSE.search(after, 0, m.start()):
            break
        d = TIMEX.after_cue_weight * m.start()
        if best is None or d < best[0]:
            best = (d, "past")
        break
    if best is None or (near is not None and best[0] > near):
        return None
    return best[1]


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + n
    return total // 12, total % 12 + 1


def weekday_date(ref: dt.date, weekday: int, direction: str | None, strict: bool = False) -> dt.date:
    """The ``weekday`` nearest ``ref`` in ``direction`` ('past' default, 'future'); same day allowed unless
    ``strict`` ('last Tuesday' on a Tuesday is a week before)."""
    if direction == "future":
        delta = (weekday - ref.weekday()) % 7
        if strict and delta == 0:
            delta = 7
        return ref + dt.timedelta(days=delta)
    delta = (ref.weekday() - weekday) % 7
    if strict and delta == 0:
        delta = 7
    return ref - dt.timedelta(days=delta)


#: Without a tense cue, a month or day named without a year is read as past unless it lies at most this far
#: ahead of the reference (see TimexSettings).
FUTURE_MONTHS = TIMEX.future_months
FUTURE_DAYS = TIMEX.future_days


def month_year(ref: dt.date, month: int, direction: str | None) -> int:
    """The year of a month named without one: the same year, unless the direction says it lies the other way
    (a 'November' read as past in a March article is last year's)."""
    if direction == "future":
        return ref.year + 1 if month < ref.month else ref.year
    if direction == "past":
        return ref.year - 1 if month > ref.month else ref.year
    # No cue: news reports the past, so the month lies behind the reference unless it is at most
    # FUTURE_MONTHS ahead (a schedule, a deadline).
    diff = (month - ref.month) % 12
    return ref.year + (1 if month < ref.month else 0) if diff <= FUTURE_MONTHS else (
        ref.year - (1 if month > ref.month else 0))


def day_year(ref: dt.date, month: int, day: int, direction: str | None) -> int:
    """The year of a day-and-month named without one (nearest, bent by tense when more than a month away)."""
    year = ref.year
    try:
        candidate = dt.date(year, month, day)
    except ValueError:
        return year
    diff = (candidate - ref).days
    # A tense says which side of the reference the day lies on (a week of slack for articles written ahead or
    # late); without one the nearest such day wins.
    if direction == "past":
        return year - 1 if diff > TIMEX.tense_slack_days else year
    if direction == "future":
        return year + 1 if diff < -TIMEX.tense_slack_days else year
    # No cue: behind the reference unless at most FUTURE_DAYS ahead.
    ahead = diff if diff >= 0 else (dt.date(year + 1, month, min(day, 28)) - ref).days
    if ahead <= FUTURE_DAYS:
        return year if diff >= 0 else year + 1
    return year - 1 if diff > 0 else year


def iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def easter(year: int) -> dt.date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th ``weekday`` of a month (n = -1: the last)."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
