"""Temporal tagger benchmark (issue 4): wiredesk.timex vs dateparser's search_dates on TempEval-3 TBAQ.

Both taggers read the same TimeML files in the same run, anchored on each file's creation time (DCT), and are
scored by ``wiredesk.eval.timeml`` (strict/relaxed span F1, type accuracy, value F1, per part, errors by
category). Speed is sentences per CPU-second of the tagging calls alone (process time, so other jobs on the
machine do not count), i.e. per core.

dateparser as a baseline: each string it finds is located in the text (in order) and becomes a timex; its value
is the returned datetime at the precision the string implies (a clock time -> TIME to the minute, a day or
weekday or relative day -> day, a month name without a day -> month, a bare year or "years" -> year).

Run: .venv/bin/python benchmarks/bench_timex.py  (writes docs/benchmarks/timex.md)
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import REPO, SHARED_DATA, machine_info, versions, write_section  # noqa: E402

from wiredesk.eval.timeml import count_sentences, evaluate, iter_docs  # noqa: E402
from wiredesk.model import Timex  # noqa: E402
from wiredesk.timex import tag  # noqa: E402

DATA = SHARED_DATA / "tempeval3"

_CLOCK = re.compile(r"\d:\d\d|\b[ap]\.?m\b|\bnoon\b|\bmidnight\b", re.I)
_DAY = re.compile(r"\b(?:\d{1,2}(?:st|nd|rd|th)?|yesterday|today|tomorrow|tonight|ago|day|days|week|weeks"
                  r"|mon|tue|wed|thu|fri|sat|sun)\w*", re.I)
_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*|\bmonths?\b", re.I)
_YEAR = re.compile(r"\b(?:1[5-9]|20)\d\d\b|\byears?\b", re.I)


class Timed:
    """Wraps a tagger and adds up the CPU time spent inside it."""

    def __init__(self, fn):
        self.fn = fn
        self.cpu = 0.0

    def __call__(self, text, ref):
        t0 = time.process_time()
        out = self.fn(text, ref)
        self.cpu += time.process_time() - t0
        return out


def dateparser_tagger(text: str, ref: str | None) -> list[Timex]:
    """search_dates over the document, anchored on the DCT, turned into timexes."""
    from dateparser.search import search_dates

    base = dt.datetime.fromisoformat(ref[:10]) if ref else dt.datetime.now()
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    found = search_dates(text, languages=["en"], settings=settings) or []
    out: list[Timex] = []
    pos = 0
    for s, when in found:
        start = text.find(s, pos)
        if start < 0:
            start = text.find(s)
            if start < 0:
                continue
        end = start + len(s)
        pos = end
        if _CLOCK.search(s):
            out.append(Timex(start, end, s, "TIME", when.strftime("%Y-%m-%dT%H:%M"), "time"))
        elif _DAY.search(s):
            out.append(Timex(start, end, s, "DATE", when.strftime("%Y-%m-%d"), "day"))
        elif _MONTH.search(s):
            out.append(Timex(start, end, s, "DATE", when.strftime("%Y-%m"), "month"))
        elif _YEAR.search(s):
            out.append(Timex(start, end, s, "DATE", when.strftime("%Y"), "year"))
        else:
            out.append(Timex(start, end, s, "DATE", when.strftime("%Y-%m-%d"), "day"))
    return out


_PART_OF_DAY = re.compile(r"\b(?:night|morning|afternoon|evening|tonight)\b", re.I)
_DAY_WORD = re.compile(r"\b(?:mon|tues?|wednes|thurs?|fri|satur|sun)day\b|\b(?:today|yesterday|tomorrow|tonight)\b"
                       r"|\blast\s+night\b|\bthis\s+(?:morning|afternoon|evening)\b", re.I)
_CLOCK_WORDS = re.compile(r"\d|\bnoon\b|\bmidnight\b", re.I)


def part_of_day_conventions(docs) -> dict[tuple[str, str], dict[str, int]]:
    """How the gold writes a day with a part of the day ("Friday night", "tonight", "Thursday morning"), by part
    and half: type DATE or TIME, value the plain day or the day with a TIMEX3 part code (TNI, TMO ...)."""
    from collections import Counter, defaultdict

    from wiredesk.eval.timeml import half

    seen: Counter[str] = Counter()
    out: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for doc in docs:
        h = half(seen[doc.part])
        seen[doc.part] += 1
        for g in doc.gold:
            if _PART_OF_DAY.search(g.text) and _DAY_WORD.search(g.text) and not _CLOCK_WORDS.search(g.text):
                code = re.search(r"T(MO|AF|EV|NI|DT)$", g.value)
                out[(doc.part, h)][g.type] += 1
                out[(doc.part, h)]["part code" if code else "plain day"] += 1
    return {k: dict(v) for k, v in sorted(out.items())}


def errors_that_cost_value(r: dict) -> dict[str, tuple[int, int]]:
    """(errors, contested) of a result: spurious, missed and wrong values, each counted once."""
    def total(d: dict, prefix: tuple[str, ...]) -> int:
        return sum(v for k, v in d.items() if k.startswith(prefix))
    e, c = r["errors"], r["contested"]
    day = ("value: wrong day (anchoring/tense)", "value: wrong year")
    return {"spurious": (e.get("spurious", 0), c.get("spurious", 0)),
            "missed": (total(e, ("missed",)), total(c, ("missed",))),
            "wrong value": (total(e, ("value:",)), total(c, ("value:",))),
            "of them wrong day or year": (total(e, day), total(c, day))}


def fixed_bound(r: dict, keep_days: bool) -> float:
    """Value F1 if every error that goes with the gold's own majority for its phrase were fixed and every contested
    one (the gold instance against the gold's majority) stayed: a tagger that reads a phrase one way cannot follow
    both. With ``keep_days`` the wrong days and years stay too (hand checks gave 15 of 16 to the gold, known only
    from the world). Loose: many uncontested errors are single readings of one story no rule can follow."""
    n = errors_that_cost_value(r)
    correct = round(r["value_precision"] * r["system"])
    spur, miss, wrong = (a - b for a, b in (n["spurious"], n["missed"], n["wrong value"]))
    if keep_days:
        wrong -= n["of them wrong day or year"][0] - n["of them wrong day or year"][1]
    return 2 * (correct + wrong + miss) / (r["expressions"] + r["system"] - spur + miss)


def convention_bound(docs) -> tuple[float, dict[str, int]]:
    """The tagger's value F1 if it followed the gold's own conventions wherever the rest of the gold shows one: a
    wrong or missed gold instance counts as right when the other gold instances of its phrase (leave one out) give
    its type and value form at least as often as any other (a day or clock value needs the right day: that is no
    convention), a spurious timex is dropped when the gold leaves its very words untagged elsewhere more often than
    it tags them. Single readings of one phrase have no convention to follow and stay as they are: an upper bound on
    what following the gold's majority, phrase by phrase, can add to this tagger."""
    from collections import defaultdict

    from wiredesk.eval.timeml import GoldForms, match_spans, phrase_key, value_form

    forms = GoldForms(docs)
    gold = system = right = 0
    gained: dict[str, int] = defaultdict(int)

    def follows(g) -> bool:
        if re.search(r"\d{4}-\d\d-\d\d", g.value):
            return False  # the day itself is known from the story or the world, not from a convention
        counts = forms.forms.get(phrase_key(g.text), Counter()).copy()
        mine = (g.type, value_form(g.value))
        counts[mine] -= 1
        return counts[mine] > 0 and counts[mine] == max(counts.values())

    for doc in docs:
        found = tag(doc.text, doc.dct)
        pairs = dict(match_spans([(g.start, g.end) for g in doc.gold], [(t.start, t.end) for t in found]))
        matched = set(pairs.values())
        gold += len(doc.gold)
        system += len(found)
        for i, g in enumerate(doc.gold):
            j = pairs.get(i)
            if j is not None and found[j].value == g.value:
                right += 1
            elif follows(g) and (j is not None or forms.tagged(g.text) - 1 >= forms.untagged(g.text)):
                right += 1
                system += j is None
                gained["wrong value" if j is not None else "missed"] += 1
        for j, t in enumerate(found):
            if j not in matched and forms.untagged(t.text) - 1 > forms.tagged(t.text):
                system -= 1
                gained["spurious"] += 1
    return 2 * right / (gold + system), dict(gained)


def bounds_section(docs, r_a: dict, r_all: dict) -> list[str]:
    """How far the gold's own splits let a consistent tagger go: errors that cost value F1 and two bounds."""
    from wiredesk.eval.timeml import half

    seen: Counter[str] = Counter()
    docs_a = []
    for doc in docs:
        if half(seen[doc.part]) == "A":
            docs_a.append(doc)
        seen[doc.part] += 1
    conv_a, gained_a = convention_bound(docs_a)
    conv_all, gained_all = convention_bound(docs)
    n_a, n_all = errors_that_cost_value(r_a), errors_that_cost_value(r_all)
    need = 0.85 * (r_all["expressions"] + r_all["system"]) / 2 - round(r_all["value_precision"] * r_all["system"])
    lines = ["", "### How far a consistent tagger can go (issue 4's 0.85)", "",
             f"Value F1 0.85 on all files needs about {need:.0f} more right values at the present system count "
             "(value F1 = 2 x right / (system + gold)). Errors that cost value F1, with those contested by the "
             "gold's own majority for the phrase (the system follows it, the instance goes against it):", "",
             "| errors | half A | contested | all files | contested |", "|---|---|---|---|---|"]
    for k in n_a:
        lines.append(f"| {k} | {n_a[k][0]} | {n_a[k][1]} | {n_all[k][0]} | {n_all[k][1]} |")
    lines += ["",
              "Two bounds (diagnostics of the gold, not scores). (1) Every uncontested error fixed, every contested "
              "one left (a tagger that reads a phrase one way cannot follow the gold against its own majority): "
              f"value F1 {fixed_bound(r_a, False):.3f} on half A, {fixed_bound(r_all, False):.3f} on all files; with "
              "the wrong days and years left too (the hand checks gave them to the gold): "
              f"{fixed_bound(r_a, True):.3f} and {fixed_bound(r_all, True):.3f}. Loose: it counts single readings "
              "of one story (\"weeks\" = 1998-10, \"six months\" = P6D, \"the last three years\" = SET P1Y) as "
              "fixable, though no rule can know them. (2) This tagger following the gold's own convention wherever "
              "the rest of the gold shows one, phrase by phrase (leave one out: a wrong or missed instance counts "
              "as right when the other gold instances of its phrase give its type and value form most often, a day "
              "value excepted; a spurious timex is dropped when the gold leaves its words untagged elsewhere more "
              f"often than it tags them): {conv_a:.3f} on half A, {conv_all:.3f} on all files ("
              + ", ".join(f"{k} {v}" for k, v in sorted(gained_all.items())) + " on all files; "
              + ", ".join(f"{k} {v}" for k, v in sorted(gained_a.items())) + " on half A). Bound (2) is "
              "optimistic: it follows every convention at once, also where one source keeps it and another breaks "
              "it, and counts a right form of a quarter or a week as its right value. 0.85 lies within it only if "
              "nearly all of those changes were made and held on unseen files; the conventions the rounds tested "
              "as rules (a plain day for a weekday night, weeks from Sunday on a Sunday, \"recent\" and "
              "\"current\" left out, \"daily\" after \"average\", \"recently\" in a verb group) each lost "
              "right values on half B."]
    return lines


def _row(name: str, r: dict, speed: float | None) -> str:
    return (f"| {name} | {r['expressions']} | {r['system']} | {r['strict_f1']:.3f} | {r['relaxed_f1']:.3f} | "
            f"{r['type_accuracy']:.3f} | {r['value_precision']:.3f} | {r['value_recall']:.3f} | "
            f"**{r['value_f1']:.3f}** | {'-' if speed is None else f'{speed:,.0f}'} |")


def main() -> None:
    docs = iter_docs(DATA)
    sentences = sum(count_sentences(d.text) for d in docs)
    ours, base = Timed(tag), Timed(dateparser_tagger)
    r_ours = evaluate(DATA, tagger=ours, examples=3)
    r_base = evaluate(DATA, tagger=base, examples=3)
    speed_ours = sentences / ours.cpu
    speed_base = sentences / base.cpu
    by_half = {h: evaluate(DATA, halves=h, examples=0) for h in ("A", "B")}

    head = ("| tagger | gold | system | strict F1 | relaxed F1 | type acc. | value P | value R | value F1 "
            "| sentences/s/core |\n|---|---|---|---|---|---|---|---|---|---|")
    lines = [
        "## Temporal expressions (issue 4)",
        "",
        f"Machine: {machine_info()}  ",
        f"Libraries: {versions('dateparser')}  ",
        f"Data: `../shared/data/tempeval3` (TempEval-3 TBAQ-cleaned: {len(docs)} TimeML files, TimeBank + "
        f"AQUAINT, {r_ours['expressions']} gold TIMEX3 besides the creation times, ~{sentences:,} sentences). "
        "Each file's creation time (DCT) is the reference date; scored as TempEval-3 (strict = same span, "
        "relaxed = overlap, value F1 = relaxed matches with the right value over all system / all gold).  ",
        "Reproduce: `.venv/bin/python benchmarks/bench_timex.py`; figures alone: "
        "`wiredesk eval timeml ../shared/data/tempeval3`.",
        "",
        head,
        _row("wiredesk.timex", r_ours, speed_ours),
        _row("dateparser search_dates (baseline)", r_base, speed_base),
        "",
        "Per part (value F1; published on the TempEval-3 *test* set: HeidelTime ~0.78 overall):",
        "",
        "| part | gold | wiredesk strict F1 | wiredesk relaxed F1 | wiredesk value F1 | dateparser value F1 |",
        "|---|---|---|---|---|---|",
    ]
    for part, fig in r_ours["parts"].items():
        bfig = r_base["parts"].get(part, {})
        lines.append(f"| {part} | {fig['expressions']} | {fig['strict_f1']:.3f} | {fig['relaxed_f1']:.3f} | "
                     f"{fig['value_f1']:.3f} | {bfig.get('value_f1', 0):.3f} |")
    # team-written news (tests/data/timex/team_news): scored blind once at d3a8aaf, looked at since (README there)
    news_dir = REPO / "tests" / "data" / "timex" / "team_news"
    n_ours, n_base = evaluate(news_dir, tagger=tag, examples=0), evaluate(news_dir, tagger=dateparser_tagger, examples=0)
    lines += ["", f"Team-written news (`tests/data/timex/team_news`: {n_ours['documents']} short reports, "
              f"{n_ours['expressions']} TIMEX3, written before the tagger was run on them; invented events):", "",
              head, _row("wiredesk.timex", n_ours, None), _row("dateparser search_dates (baseline)", n_base, None), "",
              "Scored blind once, at d3a8aaf: wiredesk.timex value F1 0.948 (strict 0.972, relaxed 0.996, 126 gold, "
              "125 system); the row above is after its errors were read (so *looked at* from then on). Two general "
              "fixes came from them, each neutral on TempEval-3 (value F1 0.8291 before and after): a four-digit "
              "year right after in/since/from/until/by/before/after/during is a year whatever word follows (\"a "
              "trade agreement signed in 2018 expires\" had lost 2018: a verb in -s read as a plural count), and "
              "a month or weekday after \"since\" lies behind (\"their first talks since March\" in December "
              "had been next March). Left as the gold has it and the tagger does not: \"six months earlier than "
              "required\" (a DATE for the tagger), \"over the past week\" (DATE week, gold P1W), \"the "
              "previous year\" after \"profit for 2023 on Thursday\" (the tagger anchors on the last date, "
              "Thursday), \"their scheduled close on Saturday\" in a past sentence (read ahead), \"had also met "
              "on Friday\" on a Friday (read as today; the gold says a week back, itself a judgement call).",
              ]
    lines += ["", "Speed counts CPU time inside the tagging calls only (one core, process time).  ",
              f"The official TempEval-3 scorer's form of value F1 (value accuracy over relaxed matches x relaxed F1) "
              f"gives {r_ours['value_f1_te3']:.4f} for wiredesk.timex and {r_base['value_f1_te3']:.4f} for "
              f"dateparser, the same as the table's {r_ours['value_f1']:.4f} and {r_base['value_f1']:.4f}: matches "
              "are one to one, so 2 x correct / (system + gold) is that product.", "",
              "By file halves (each part's files in name order; half A = even places, half B = odd places). The "
              "2026-12-01 evening session (issue 4 round 2), the 2026-12-02 sessions (rounds 3 to 5) and rounds 6 "
              "and 7 (2026-12-03) looked at "
              "half A's errors and only at half B's totals, to see whether each change carried over; earlier "
              "sessions tuned on all files, so every figure here is on data that was looked at. Before round 3: "
              "half A 0.827, half B 0.820, all 0.8236; before round 4: half A 0.8309, half B 0.8199, all 0.8255; "
              "before round 5: half A 0.8355, half B 0.8199, all 0.8278; before round 6: half A 0.8381, half B 0.8199, "
              "all 0.8291; before round 7 (2026-12-03, the same protocol): half A 0.8496, half B 0.8199, all 0.8350.",
              "",
              "| half | files | gold | value F1 | AQUAINT value F1 | TimeBank value F1 |", "|---|---|---|---|---|---|"]
    for h, r in by_half.items():
        lines.append(f"| {h} | {r['documents']} | {r['expressions']} | {r['value_f1']:.3f} | "
                     f"{r['parts']['AQUAINT']['value_f1']:.3f} | {r['parts']['TimeBank']['value_f1']:.3f} |")
    # errors are counted on half A, the half whose errors were read; the whole data's counts stand beside them
    r_a = evaluate(DATA, halves="A", examples=3)
    whole = r_ours["errors"]

    def costs_value(cat: str) -> bool:  # spurious, missed and wrong values (a type error mostly comes with one)
        return cat == "spurious" or cat.startswith(("missed", "value:"))

    judged_a = [k for k in r_a["errors"] if costs_value(k)]
    judged = [k for k in whole if costs_value(k)]

    def majority_f1(r: dict) -> float:
        """Value F1 if every contested error were scored as the gold's own majority reads the phrase: a contested
        spurious timex a right match, a contested missed one not in the gold, a contested wrong value right. A
        diagnostic of how much of the gap is the gold's inconsistency, not a score."""
        con, correct = r["contested"], round(r["value_precision"] * r["system"])
        spur = con.get("spurious", 0)
        miss = sum(v for k, v in con.items() if k.startswith("missed"))
        wrong = sum(v for k, v in con.items() if k.startswith("value:"))
        return 2 * (correct + spur + wrong) / (r["system"] + r["expressions"] + spur - miss)
    lines += ["", "### What is left: wiredesk.timex errors by category (half A)", "",
              "*Contested* means the gold's own majority for the phrase agrees with the system and the instance at "
              "hand is the odd one out: a wrong value whose type and value form the gold gives the same phrase at "
              "least as often as the instance's form (\"Friday night\" and \"Sunday night\", \"Oct. 23\" and "
              "\"Nov. 2\" count as one phrase), a spurious timex whose very words the gold tags at least as often "
              "as it leaves them, a missed one whose words stand untagged at least as often as tagged. A wrong day or "
              "year has the gold's own form and is never contested. Until round 3 one contrary gold instance "
              "anywhere was enough (column *anywhere*), which made most errors look like the gold's.  ",
              f"Half A: of {sum(r_a['errors'][k] for k in judged_a)} errors that cost value F1 (spurious, missed, "
              f"wrong value), {sum(r_a['contested'][k] for k in judged_a)} are contested by the gold's majority "
              f"({sum(r_a['contested_anywhere'][k] for k in judged_a)} by the old rule). All files: "
              f"{sum(whole[k] for k in judged)}, {sum(r_ours['contested'][k] for k in judged)} "
              f"({sum(r_ours['contested_anywhere'][k] for k in judged)}). Scored as the gold's own majority reads "
              f"each contested phrase, value F1 would be {majority_f1(r_a):.3f} on half A and "
              f"{majority_f1(r_ours):.3f} on all files (a diagnostic of the gold's unevenness, not a score).", "",
              "| category | half A | contested (majority) | contested (anywhere, old rule) | all files "
              "| contested, all files | example (half A) |",
              "|---|---|---|---|---|---|---|"]
    for cat, n in r_a["errors"].items():
        ex = (r_a["error_examples"].get(cat) or [{}])[0]
        shown = "; ".join(f"{k}: {v}" for k, v in ex.items() if k in ("gold", "system"))
        lines.append(f"| {cat} | {n} | {r_a['contested'].get(cat, 0)} | {r_a['contested_anywhere'].get(cat, 0)} | "
                     f"{whole.get(cat, 0)} | {r_ours['contested'].get(cat, 0)} | {shown.replace('|', '/')} |")
    for cat, n in whole.items():
        if cat not in r_a["errors"]:
            lines.append(f"| {cat} | 0 | 0 | 0 | {n} | {r_ours['contested'].get(cat, 0)} | |")

    lines += ["", f"*Span boundary* costs no value by itself: relaxed matching forgives the span. Of its "
              f"{whole.get('span boundary', 0)} pairs (all files), {r_ours['span_boundary_value_right']} have the "
              f"gold's value; the other {whole.get('span boundary', 0) - r_ours['span_boundary_value_right']} "
              "have another value and are counted again under their value category (\"Sunday night\" = TNI where "
              "the gold tags \"Sunday\" alone, \"the last three years\" = P3Y against P1Y). It is left out of "
              "the errors that cost value F1 above."]
    lines += bounds_section(docs, r_a, r_ours)
    conv = part_of_day_conventions(docs)
    lines += ["", "### The gold's own conventions: a day with a part of the day", "",
              "Gold timexes naming a day and a part of it without a clock time (\"Friday night\", \"tonight\", "
              "\"this morning\", \"Thursday morning\"), counted from the gold alone (both halves; no tagger output read). The tagger "
              "writes TIME with the part code (`1998-10-23TNI`), as the TimeML guidelines do.", "",
              "| part | half | DATE | TIME | plain day | with part code |", "|---|---|---|---|---|---|"]
    for (part, h), c in conv.items():
        lines.append(f"| {part} | {h} | {c.get('DATE', 0)} | {c.get('TIME', 0)} | {c.get('plain day', 0)} | "
                     f"{c.get('part code', 0)} |")
    lines += ["", "### dateparser baseline errors by category", "", "| category | count |", "|---|---|"]
    for cat, n in r_base["errors"].items():
        lines.append(f"| {cat} | {n} |")
    lines += ["", "Notes: the gold annotation is uneven, so part of every category is not recoverable by a rule "
              "that follows the TimeML guidelines: \"now\" is tagged ~60 times and left out ~25 times, \"recent\", "
              "\"future\", \"current\" about half the time; \"last/this/next week\" is 1989-WXX in the WSJ files "
              "(12 times) and a week number elsewhere, with weeks written unpadded (2000-W7) in some AQUAINT files; "
              "decades are 199 in TimeBank and 199X in AQUAINT; \"a year ago\" in results stories is "
              "1988-Q3, 1988-QX, 1988 or a day for the same reading; one file writes every year as 1949-XX.  ",
              "Hand check of half A's uncontested value errors (issue 4 round 2): of 16 wrong days, 15 are on the "
              "gold's side (one AP file dates seven weekdays a week back, \"will meet Bush on Thursday\" included; "
              "four in a Saturday story are the previous week's days, known only from the world; two Xinhua days "
              "are a day early; \"as soon as Tuesday\" is a Wednesday; a \"Sunday\" a month back) and one is the "
              "tagger's (\"On Friday, the government planned to pay\" read ahead); of 5 wrong years, 2 are the "
              "tagger's (a January without a tense cue read ahead, \"would be paid ... in January\" read back, "
              "fixed in round 3) and "
              "3 the gold's (a typo 1998 for 1988, a text that says 1999 where the gold knows 1998, \"introduced in "
              "April\" a year back).  ",
              "Round 3 (2026-12-02, half A read, half B totals only): the one wrong year the round-2 check gave the "
              "tagger's tense reader (\"would be paid on a still unspecified date in January\") came from "
              "\"unspecified\" counted as a past verb; -ed words after a determiner no longer count (A +1, B 0). "
              "\"The quarter ended July 31\" is the calendar quarter holding most of its months (A +1, B 0); "
              "\"the first two quarters of 1990\" is 1990-H1 (A +1, B 0). Spans: the second day of a range is a "
              "DATE of its own (\"April 24 and 25\"; value A +1, B 0) and \"the\" before a hyphenated modifier "
              "stays outside (\"the [14-day] waiting period\", \"the [third-quarter] loss\"): strict F1 A 0.886 "
              "-> 0.895, B 0.871 -> 0.873. News forms from the guidelines that neither half holds (no change "
              "there): \"the first quarter of this year\", \"the end of the decade\", \"this past weekend\", "
              "\"takes effect\" as a future cue, \"1,300 years\", \"(1845 GMT Saturday)\" no year. Tried and not "
              "kept: \"earlier/later in the day\" as the day (B -0.0003); \"Earlier Friday\" with the position word "
              "left outside the weekday as TimeBank mostly does (strict A +4, B 0; it loses mod START/END); \"would\" + verb as "
              "a future cue (A 0, B -1); \"daily\" before a capitalised name as a newspaper, not a SET (A: 3 "
              "spurious fewer, B: 2 right values lost: the gold tags \"the party daily Granma\" both ways). A "
              "split or merged span is rare (half A: one gold timex split, none merged), so span boundaries are no "
              "lever; the gold's majority disagrees with the tagger mainly on weekday nights (plain day 4, TNI 2, "
              "TEV 2 in half A, the reverse in half B), \"this week\" = 1989-WXX (TimeBank; the guidelines give the "
              "week) and single readings of one story.  ",
              "Scorer check against the official TempEval-3 toolkit (read, not copied: `evaluate_entities.py` and "
              "the TimeML-Normalizer it runs first): the normalizer gives a system timex the id of the gold timex "
              "open at the token where it starts (or the other way round) and pairs each id once; relaxed recall "
              "counts gold ids found in the system file, relaxed precision system ids found in the gold; value is "
              "an exact string compared on those pairs; value F1 = value accuracy x relaxed F1. A gold timex the "
              "system splits is thus one match and one spurious timex, two merged are one match and one missed, as "
              "here; the toolkit overlaps tokens where we overlap characters (no difference on this data). The "
              "scorer's figures did not change this round; only the *contested* diagnostic did.  ",
              "Round 4 (2026-12-02, half A read, half B totals only; value F1 A / B / all before -> after, each "
              "step): \"the past decade\", \"the past century\" are DURATIONs (P10Y, P100Y) as \"the past five "
              "years\" is, \"the last decade\" keeps TimeBank's 198 (A 0.8309 -> 0.8319, B 0.8199 = , all "
              "0.8255 -> 0.8260); \"to meet\" is a future cue for a meeting, not for \"to meet demand\" or \"a "
              "deadline\" (A -> 0.8330, B =, all -> 0.8266); \"the same/corresponding period last year\" and "
              "\"the same quarter last year\" are one timex, the reported period a year back (A -> 0.8334, one "
              "spurious fewer; B =; all -> 0.8268); a month or day without a year fronted in its sentence (\"In "
              "January, a week after ..., a bombing killed a guard\") follows the sentence's verb however far, "
              "and the full stops of abbreviations (\"Mr.\", \"vs.\", \"Ala.\") no longer end the clause "
              "the tense reader reads (A -> 0.8345, B =, all -> 0.8273); \"Easter week\" is one timex, the ISO week "
              "holding the holiday, this year's once its Monday has come (A -> 0.8355, B =, all -> 0.8278). News forms neither half holds (no change "
              "there): \"the first half of the year\" is one timex, \"8 p.m. on Sunday, March 17\" takes the "
              "date, a zone restatement after \"local time\" or \"noon\" (\"3 p.m. local time (1300 GMT)\") is "
              "no second timex. Measured as rates over half A (of the words the tagger tags, how "
              "many the gold tags) and not kept: \"recent\" before a noun 1 of 5 (dropping it: A +0.0011, B "
              "-0.0002); \"current\" 6 of 11 (A -0.0004, B -0.0017); bare \"future\" 2 of 4 (A -0.0003, B "
              "+0.0007); \"daily\" 5 of 10, \"annually\" 2 of 4 (both ways); \"now\" 29 of 36 and "
              "\"currently\" 6 of 8 stay; \"previously\" (3 of 14 occurrences) and \"already\" (2 of 20) stay "
              "untagged; \"a year\" after an amount "
              "(\"$33 million a year\") as a SET as TimeML writes rates (value unchanged; type accuracy A +1, B -1); "
              "a month without a near tense cue read by the sentence's farther verb (A -5 values, B +1; past cues "
              "only: A -5, B 0); a weekday with morning/afternoon/evening as the plain day (A 0, B 0); weeks counted "
              "Sunday to Saturday on a Sunday creation date, as US papers do (\"last week\" on Sunday 1998-03-22 "
              "= 1998-W12 in the gold; A +1, B -3). Span "
              "modifiers mostly follow the gold's majority (half A, the gold keeps inside the span: \"nearly\" 4 "
              "of 5, \"at least\" 2 of 3, \"the\" 112 of 123, \"earlier\" 7 of 14; against it, too few to act "
              "on: \"about\" 1 of 3, \"right now\" 1 of 3) and cost no value (relaxed matching). Conventions "
              "the gold follows only within one source were not adopted, as a held-out set need not share them: "
              "a week as 1989-WXX (6 of the 8 week values in half A's wsj_ files; elsewhere 11 week numbers and "
              "one WXX), weeks written unpadded (2 of 5 week numbers in half A's APW files).  ",
              "A convention test that was not kept: giving \"Friday night\", \"tonight\", \"last night\" the plain "
              "day (9 of 13 nights in half A are annotated so) won 7 values in half A and lost 2 in half B, where 5 "
              "of 7 nights carry TNI: the annotators split, so the tagger keeps the guidelines' TNI.  ",
              "Round 5 (2026-12-02, half A read, half B totals only; value F1 A / B / all 0.8355 / 0.8199 / "
              "0.8278 before): half A's uncontested value errors were read again by category; nearly all are single "
              "readings of one story or gold slips (a day a week back, \"six months\" = P6D, \"the last three "
              "years\" = P1Y, \"Earlier that day\" a year before the date the text gives), so three general fixes "
              "came from them: \"then current\" is one timex, PAST_REF (A +1 value); \"the past\" before a "
              "count (\"for the past three summers\") is no PAST_REF (A one spurious fewer): A 0.8370, B 0.8199, "
              "all 0.8286; a range of counts (\"two to three weeks\", \"the next 12 to 18 months\", \"two or "
              "three days\") is one DURATION with its lower bound, not the last number alone (the gold writes the "
              "range P2W once, PXM once and splits one in two; A +1 value, strict 0.8991 -> 0.9001; B has no "
              "such range): A 0.8381, B 0.8199, all 0.8291. The rest of the round went to news forms TempEval-3 barely holds, written as tests "
              "first, each neutral on both halves: a past verb before a weekday governs it over a cue past "
              "\"and/but\" (\"met Karzai on Monday and will meet Putin on Friday\"); a scheduled event in the "
              "simple present lies ahead (\"the summit opens Saturday\", \"voters go to the polls Sunday\"); "
              "\"would\" governing a day within 25 characters lies ahead (\"said he would visit on Saturday\"; "
              "round 3's \"would\" anywhere in the clause lost a value in half B, and so did this one until a "
              "possessive day naming an event, \"around Wednesday's ruling\", was left out, a case read in half "
              "A); a verb after \"to\" or a modal is no past cue (\"forecast to hit on Friday\"); \"forecast/"
              "projected/likely/poised/slated to\" point ahead; \"half an hour\", \"two and a half hours\", "
              "\"half a day\" in whole ISO units (PT30M, PT2H30M, PT12H); a range of years (\"2011-2015\") is "
              "two DATEs; the first month of a span (\"the January-November period\") takes the last month's "
              "year; \"the July-September quarter\" is that quarter; \"2011's budget\", \"2011's first "
              "quarter\"; \"at 7:30 tonight\" is one TIME after noon; zones ET/PT/BST/CET join a clock time, and "
              "the weekday inside a zone restatement (\"8 p.m. ET (0100 GMT Wednesday)\") is no second timex; "
              "\"the next year\" right after a story date continues it (\"quit in 2005 and died the next year\" "
              "= 2006), \"over the next year\" stays a DURATION. A day with a part of the day (table above): TimeBank writes the part code every time (10 of "
              "10, TIME), AQUAINT is split evenly (11 plain days, 11 part codes, mostly DATE), so the gold's "
              "majority over both parts is the part code the guidelines give and the tagger keeps it; the type "
              "goes with the part (DATE in AQUAINT 20 of 22, TIME in TimeBank 10 of 10), so no one type follows "
              "the gold in both and the tagger keeps the guidelines' TIME (type accuracy only, no value).  ",
              "Round 6 (2026-12-03, half A read, half B totals only; value F1 A / B / all 0.8381 / 0.8199 / "
              "0.8291 before): four fixes to results stories and one to tense, each neutral on half B. When a story turns from its "
              "quarter to the year to date (\"In the first nine months, net was ...\"), \"year-ago\", "
              "\"year-earlier\" and \"the 1988 period\" that follow compare with the year before, 1988, not the "
              "quarter a year back (A +3 values: 0.8412); \"compared with ... last year\" in a story about a "
              "quarter is that quarter a year back, as \"a year ago\" is (A +2: 0.8433; with \"from ... last "
              "year\" too it was A +2 -1 and B -1, so \"down from $21.4 million last year\" stays the calendar "
              "year); once a story names its fiscal quarter (\"the fiscal first quarter\"), a bare \"the "
              "quarter\", also \"the quarter ended Sept. 29\", is that quarter and anchors \"the 1988 period\" "
              "and \"the latest period\" (A +4: 0.8475); \"last year's results\" in such a story is the quarter "
              "a year back (A +1: 0.8486); a weekday fronted before a plan told in the simple past (\"On Friday, "
              "the Kenyan government planned to pay\") is when the plan stood, a day behind, while \"planned to "
              "pay on Friday\" still points ahead (A +1: 0.8496; the one wrong day the round-2 hand check gave "
              "the tagger). B stayed 0.8199 through all five; all files 0.8291 -> 0.8350. Tried and not kept: \"daily\" after "
              "\"average\" as no SET (\"average daily volume\"; A two spurious fewer, B one right value lost). "
              "What is left in half A after this round was read again by phrase: the gold's own forms for the "
              "phrases the tagger gets wrong most are split (\"last week\": a week number 4 times, a month 3, a "
              "day, WXX, P1W; \"a year ago\" in results: the quarter 11 times, a month 2, a day 2, QX, the "
              "year; \"Sunday night\" and the like: plain day 4, TEV 2, TNI 2), and the 15 wrong days left are "
              "those the round-2 hand check gave the gold, so no further rule was found that follows the gold in "
              "both halves.  ",
              "Round 7 (2026-12-03, half A read, half B totals only; value F1 A / B / all 0.8496 / 0.8199 / 0.8350 "
              "before) tried two angles. (1) The tagger's own inconsistencies: for each wrong value in half A not "
              "contested by the gold's majority, does the tagger give the same phrase the gold's type and value form "
              "elsewhere in half A? Once in 64 (\"a year earlier\" after \"For the nine months\" = 1988, the gold "
              "1988-Q3; another story's \"the latest nine months ... a year earlier\" is 1988 in the gold, so the "
              "split is the gold's); 41 are one reading of the tagger against another of the gold for that instance "
              "(duration 13, time of day 16, week 8, granularity 3, quarter 1) and 20 keep the gold's form with "
              "another value (15 wrong days, 3 years, 2 clock times, read by hand in round 2). Spurious and missed "
              "timexes follow the tagger's word rules; the one inconsistency found there: \"the latest period\" was "
              "tagged once the story had named its quarter and left out before, now it reads as \"the latest "
              "quarter\" does (A 0.8496 -> 0.8502, B =, all 0.8353). (2) A context feature for phrases the gold "
              "tags several ways: 27 phrase families in half A's gold (vague words, last/this/next week, a year "
              "ago, a day with a part of the day, the past N years, daily, N-unit compounds ...) against the "
              "document (results story, wire dateline, spoken transcript, from its text only), a quotation, the "
              "tense of the clause, the sentence start, the word before, a determiner or possessive before, a "
              "number after. One feature decided with a clear majority: \"future\" / \"the future\" in a clause "
              "told in the past is left out 5 of 5 times, tagged 5 of 7 otherwise; kept (A 0.8511, two spurious "
              "fewer; B 0.8199 -> 0.8200: 10 fewer system timexes, 4 of them right; all 0.8359; team news 0.960 "
              "=). None decides the others: \"now\" tagged 31 of 39 whatever the tense, quote or position; "
              "\"current\" 6 of 14 left out, with or without a determiner or possessive; \"recent\" 3 of 7 "
              "tagged; \"last/this/next week\" a week number 10 times, WXX 5, a month 3, a day 2, a day of an "
              "unknown month 2, P1W 1 (tense past holds every form); \"a year ago/earlier\", all 43 in results "
              "stories, the quarter 28, the year 7, a day 3, QX 3, a month 2; a weekday with a part of the day, "
              "plain day 11, part code 7 (wire stories 7 and 6). Tried and not kept: \"recently\" inside a verb "
              "group or before a participle (\"was recently extended\", \"the recently passed law\"; 3 of 3 "
              "left out in half A) as no timex (A +0.0014, B 0.8200 -> 0.8198); the age of a state (\"the IRA's "
              "8-month-old truce\", a person's age stays out) as a DURATION (A +1, B 0.8200 -> 0.8195, one "
              "spurious). Round 7 ends at A 0.8511, B 0.8200, all 0.8359; the bounds above say how far a tagger "
              "that reads each phrase one way can go against this gold.  ",
              "The held-out set is scored separately by the project owners. Speed figures are noisy (2 cores shared "
              "by several jobs)."]
    write_section("timex", "\n".join(lines))


if __name__ == "__main__":
    main()
