"""TempEval-3 style scoring of the temporal tagger (issue 4) on TimeML ``.tml`` files.

``evaluate(path)`` reads every ``.tml`` file under ``path`` (recursively), takes the document creation time
(the TIMEX3 with ``functionInDocument="CREATION_TIME"``) as the reference date, tags the ``<TEXT>`` part with
``wiredesk.timex.tag`` and scores the result as TempEval-3 does:

* strict span F1: system and gold spans are identical;
* relaxed span F1: spans overlap (matched one to one, first overlap wins);
* type accuracy: share of relaxed matches with the right TIMEX3 type;
* value F1: relaxed matches whose normalised value is right; precision over all system timexes, recall over all
  gold timexes (so a missed or spurious timex costs value F1 too). The official TempEval-3 scorer computes
  "attribute F1" as value accuracy (over relaxed matches) times relaxed F1; with one-to-one matching the two are
  the same number, and ``value_f1_te3`` reports the official form so the equality can be checked.

The creation-time timex itself is not scored (it sits outside ``<TEXT>``). Figures are given overall and per
part (the first folder under ``path``: TimeBank, AQUAINT), and errors are counted by category so the next person
sees what is left. Each error is also checked against the gold's own majority (``contested``): a wrong value
whose form the gold gives the same phrase at least as often as the form of the instance at hand ("last week" =
1989-WXX here, 1989-W43 in as many other places), a spurious phrase the gold tags at least as often as it leaves
it, a missed phrase the gold leaves untagged at least as often as it tags it. There the system follows the gold's
own practice and the instance is the odd one out; every other error is the tagger's own to fix. (Until
2026-12-02 a single contrary gold instance anywhere was enough, which called 288 of 434 errors contested.)

Matching follows the official TempEval-3 toolkit (``evaluate_entities.py`` after the TimeML-Normalizer): the
normalizer gives a system timex the id of a gold timex that is open when it starts (or the other way round) and
pairs each id once, so a relaxed match is an overlap, one to one; a gold timex the system splits in two is one
match plus one spurious timex, two gold timexes the system merges are one match plus one missed; the value is
compared as an exact string on relaxed matches; timexes outside ``<TEXT>`` other than the creation time would
count there (TBAQ-cleaned has none). The toolkit overlaps tokens, we overlap characters: the same on this data.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_]+)="([^"]*)"')
_SENT_END = re.compile(r"[.!?][\"')\]]*\s+(?=[A-Z\"'(\[])|\n\s*\n")


@dataclass
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


@dataclass
class TimeMLDoc:
    """One TimeML document: the plain text of ``<TEXT>``, its gold timexes and its creation date."""

    path: Path
    part: str
    text: str
    dct: str | None
    gold: list[GoldTimex] = field(default_factory=list)


def read_tml(path: str | Path, part: str = "") -> TimeMLDoc:
    """Parse one ``.tml`` file: strip tags inside ``<TEXT>`` keeping offsets of the TIMEX3 spans."""
    path = Path(path)
    raw = path.read_text(encoding="utf-8", errors="replace")
    dct = None
    for m in re.finditer(r"<TIMEX3([^>]*)>", raw):
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get("functionInDocument") == "CREATION_TIME":
            dct = attrs.get("value")
            break
    body_start = raw.find("<TEXT>")
    body_end = raw.find("</TEXT>")
    body = raw[body_start + len("<TEXT>"):body_end] if body_start >= 0 else raw
    pieces: list[str] = []
    length = 0
    gold: list[GoldTimex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    pos = 0
    for m in _TAG.finditer(body):
        chunk = html.unescape(body[pos:m.start()])
        pieces.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name = m.group(1), m.group(2)
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(m.group(3))))
        elif open_timex is not None:
            start, attrs = open_timex
            text = "".join(pieces)[start:length]
            gold.append(GoldTimex(start, length, text, attrs.get("type", ""), attrs.get("value", ""),
                                  attrs.get("mod")))
            open_timex = None
    tail = html.unescape(body[pos:])
    pieces.append(tail)
    return TimeMLDoc(path=path, part=part, text="".join(pieces), dct=dct, gold=gold)


def iter_docs(path: str | Path) -> list[TimeMLDoc]:
    """Every ``.tml`` file under ``path``, the part being its first folder below ``path``."""
    root = Path(path)
    files = [root] if root.is_file() else sorted(root.rglob("*.tml"))
    docs = []
    for f in files:
        rel = f.relative_to(root) if f != root else Path(f.name)
        part = rel.parts[0] if len(rel.parts) > 1 else root.name
        docs.append(read_tml(f, part))
    return docs


def count_sentences(text: str) -> int:
    """Rough sentence count (for throughput figures only)."""
    return len(_SENT_END.findall(text)) + 1


# --------------------------------------------------------------------------------------------- scoring

class Tally:
    """Counts for one scope (overall or one part)."""

    def __init__(self) -> None:
        self.gold = 0
        self.system = 0
        self.strict = 0
        self.relaxed = 0
        self.type_ok = 0
        self.value_ok = 0

    def figures(self) -> dict[str, float | int]:
        def prf(hits: int) -> tuple[float, float, float]:
            p = hits / self.system if self.system else 0.0
            r = hits / self.gold if self.gold else 0.0
            return p, r, (2 * p * r / (p + r) if p + r else 0.0)

        sp, sr, sf = prf(self.strict)
        rp, rr, rf = prf(self.relaxed)
        vp, vr, vf = prf(self.value_ok)
        tp, tr, tf = prf(self.type_ok)
        return {
            "expressions": self.gold, "system": self.system,
            "strict_precision": round(sp, 4), "strict_recall": round(sr, 4), "strict_f1": round(sf, 4),
            "relaxed_precision": round(rp, 4), "relaxed_recall": round(rr, 4), "relaxed_f1": round(rf, 4),
            "type_accuracy": round(self.type_ok / self.relaxed, 4) if self.relaxed else 0.0,
            "type_f1": round(tf, 4),
            "value_precision": round(vp, 4), "value_recall": round(vr, 4), "value_f1": round(vf, 4),
            "value_accuracy": round(self.value_ok / self.relaxed, 4) if self.relaxed else 0.0,
            # the official scorer's formula: value accuracy over relaxed matches times relaxed F1
            "value_f1_te3": round(self.value_ok / self.relaxed * rf, 4) if self.relaxed else 0.0,
        }


def match_spans(gold: list[tuple[int, int]], system: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One-to-one relaxed matching (overlap); exact matches are taken first so they are never stolen."""
    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_s: set[int] = set()
    exact = {span: i for i, span in enumerate(gold)}
    for j, span in enumerate(system):
        i = exact.get(span)
        if i is not None and i not in used_g:
            pairs.append((i, j))
            used_g.add(i)
            used_s.add(j)
    for i, (gs, ge) in enumerate(gold):
        if i in used_g:
            continue
        for j, (ss, se) in enumerate(system):
            if j not in used_s and ss < ge and gs < se:
                pairs.append((i, j))
                used_g.add(i)
                used_s.add(j)
                break
    return pairs


def value_error_category(gold: GoldTimex, value: str) -> str:
    """Why a matched value is wrong, in words a maintainer can act on."""
    g, s = gold.value, value
    if gold.type == "DURATION" or s.startswith("P"):
        return "duration value"
    if gold.type == "SET":
        return "set value"
    if g.endswith("_REF") or s.endswith("_REF"):
        return "vague reference (PRESENT/PAST/FUTURE_REF)"
    if "Q" in g or "Q" in s or re.search(r"-(H|SP|SU|FA|WI)", g + s):
        return "quarter/season"
    if "W" in g or "W" in s:
        return "week"
    if "T" in g or "T" in s:
        return "time of day"
    gd, sd = re.sub(r"[^0-9X-]", "", g), re.sub(r"[^0-9X-]", "", s)
    if len(g) != len(s) or g.count("-") != s.count("-"):
        return "granularity (day/month/year)"
    if gd[:4] != sd[:4] and gd[4:] == sd[4:]:
        return "wrong year"
    if re.fullmatch(r"\d{4}-\d\d-\d\d", g) and re.fullmatch(r"\d{4}-\d\d-\d\d", s):
        return "wrong day (anchoring/tense)"
    return "other value"


_WEEKDAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|satur|sun)day\b")
_MONTH = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
                    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?")


def phrase_key(text: str, exact: bool = False) -> str:
    """A timex text as a phrase: lower case, one space; unless ``exact``, numbers, weekdays and months are
    placeholders ("Friday night" and "Sunday night", "Oct. 23" and "Nov. 2" are one phrase each)."""
    key = " ".join(text.lower().split())
    if exact:
        return key
    return _MONTH.sub("MON", _WEEKDAY.sub("WD", re.sub(r"\d+", "N", key)))


def value_form(value: str) -> str:
    """The form of a TIMEX3 value without its numbers: 1989-W43 -> dddd-Wdd, 1989-WXX stays apart from it."""
    return re.sub(r"\d", "d", value)


class GoldForms:
    """What the gold does with each phrase across all documents: the (type, value form) pairs it gives the phrase,
    how often it tags the very words and how often they stand in the text outside any gold timex. Used to tell
    errors where the system follows the gold's own majority for the phrase (the gold instance is the odd one
    out) from the tagger's own."""

    def __init__(self, docs: list[TimeMLDoc]) -> None:
        self.docs = docs
        self.forms: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
        self.texts: Counter[str] = Counter()
        for doc in docs:
            for g in doc.gold:
                self.forms[phrase_key(g.text)][(g.type, value_form(g.value))] += 1
                self.texts[phrase_key(g.text, exact=True)] += 1
        self._untagged: dict[str, int] = {}

    def gives(self, text: str, type_: str, value: str) -> bool:
        """True when the gold gives ``text``'s phrase this type and value form somewhere."""
        return self.forms.get(phrase_key(text), Counter())[(type_, value_form(value))] > 0

    def count(self, text: str, type_: str, value: str) -> int:
        """How often the gold gives ``text``'s phrase this type and value form."""
        return self.forms.get(phrase_key(text), Counter())[(type_, value_form(value))]

    def follows_majority(self, text: str, sys_type: str, sys_value: str, gold_type: str, gold_value: str) -> bool:
        """True when the gold gives this phrase the system's type and value form at least as often as the form of
        the gold instance at hand (which is counted too): the instance goes against the gold's own majority."""
        n_sys = self.count(text, sys_type, sys_value)
        return n_sys > 0 and n_sys >= self.count(text, gold_type, gold_value)

    def tagged(self, text: str) -> int:
        """How often the gold tags this very text (case aside)."""
        return self.texts[phrase_key(text, exact=True)]

    def untagged(self, text: str) -> int:
        """How often this very text (case aside) occurs in the documents outside every gold timex."""
        key = phrase_key(text, exact=True)
        if key not in self._untagged:
            words = [re.escape(w) for w in key.split(" ")]
            pattern = re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.I)
            n = 0
            for doc in self.docs:
                spans = [(g.start, g.end) for g in doc.gold]
                for m in pattern.finditer(doc.text):
                    if not any(s < m.end() and m.start() < e for s, e in spans):
                        n += 1
            self._untagged[key] = n
        return self._untagged[key]


def half(doc_index: int) -> str:
    """The half of a part a file falls in by its place in name order: "A" (even places) or "B" (odd). Rules are
    developed on half A and checked on half B, so the two figures show how far a change carries to unseen files."""
    return "A" if doc_index % 2 == 0 else "B"


def evaluate(path: str | Path, *, tagger: Callable[..., list] | None = None, examples: int = 8,
             halves: str | None = None, **_options: Any) -> dict[str, Any]:
    """Score ``tagger`` (default ``wiredesk.timex.tag``) on every ``.tml`` file under ``path``.

    Returns the overall figures (``strict_f1``, ``relaxed_f1``, ``type_accuracy``, ``value_f1``, ``expressions``,
    precisions and recalls), ``parts`` (the same per folder), ``errors`` (counts by category), ``contested``
    (how many of them the gold contradicts elsewhere) and ``error_examples`` (a few per category: text, gold,
    system). ``halves="A"`` or ``"B"`` scores only that half of each part (see :func:`half`).
    """
    if tagger is None:
        from wiredesk.timex import tag as tagger  # noqa: N813 - default tagger
    docs = iter_docs(path)
    if halves:
        seen: Counter[str] = Counter()
        kept = []
        for doc in docs:  # name order within each part
            if half(seen[doc.part]) == halves:
                kept.append(doc)
            seen[doc.part] += 1
        docs = kept
    gold_forms = GoldForms(docs)
    contested: Counter[str] = Counter()
    # the rule used until 2026-12-02, kept beside the stricter one so the two can be compared: one contrary gold
    # instance anywhere made an error "contested"
    contested_anywhere: Counter[str] = Counter()
    overall = Tally()
    parts: dict[str, Tally] = defaultdict(Tally)
    errors: Counter[str] = Counter()
    samples: dict[str, list[dict[str, str]]] = defaultdict(list)
    sentences = 0
    span_value_right = 0

    def note(category: str, **example: str) -> None:
        errors[category] += 1
        if len(samples[category]) < examples:
            samples[category].append(example)

    for doc in docs:
        sentences += count_sentences(doc.text)
        system = tagger(doc.text, doc.dct)
        gspans = [(g.start, g.end) for g in doc.gold]
        sspans = [(s.start, s.end) for s in system]
        pairs = match_spans(gspans, sspans)
        for tally in (overall, parts[doc.part]):
            tally.gold += len(doc.gold)
            tally.system += len(system)
        matched_g = {i for i, _ in pairs}
        matched_s = {j for _, j in pairs}
        for i, j in pairs:
            g, s = doc.gold[i], system[j]
            strict = (g.start, g.end) == (s.start, s.end)
            type_ok = g.type == s.type
            value_ok = g.value == s.value
            for tally in (overall, parts[doc.part]):
                tally.relaxed += 1
                tally.strict += strict
                tally.type_ok += type_ok
                tally.value_ok += value_ok
            ctx = doc.text[max(0, g.start - 40):g.end + 40].replace("\n", " ")
            if not strict:
                note("span boundary", gold=g.text, system=s.text, context=ctx, file=doc.path.name)
                # relaxed matching forgives the span: such a pair costs value F1 only when its value is wrong too,
                # and then it is counted again under its value category
                span_value_right += value_ok
            # the gold gives this phrase the system's type and value form at least as often as this instance's
            # (a wrong day or year has the gold's own form, so it is never counted as contested)
            other_form = (s.type, value_form(s.value)) != (g.type, value_form(g.value))
            disputed = other_form and gold_forms.follows_majority(g.text, s.type, s.value, g.type, g.value)
            anywhere = other_form and (gold_forms.gives(g.text, s.type, s.value)
                                       or gold_forms.gives(s.text, s.type, s.value))
            if not type_ok:
                cat = f"type {g.type} tagged {s.type}"
                note(cat, gold=g.text, system=s.text, context=ctx, file=doc.path.name, contested=str(disputed))
                contested[cat] += disputed
                contested_anywhere[cat] += anywhere
            if not value_ok:
                cat = f"value: {value_error_category(g, s.value)}"
                note(cat, gold=f"{g.text} = {g.value}", system=f"{s.text} = {s.value}", context=ctx,
                     dct=doc.dct or "", file=doc.path.name, contested=str(disputed))
                contested[cat] += disputed
                contested_anywhere[cat] += anywhere
        for i, g in enumerate(doc.gold):
            if i not in matched_g:
                ctx = doc.text[max(0, g.start - 40):g.end + 40].replace("\n", " ")
                # the very words stand untagged at least as often as the gold tags them (this instance included)
                disputed = gold_forms.untagged(g.text) >= gold_forms.tagged(g.text)
                note(f"missed {g.type}", gold=f"{g.text} = {g.value}", context=ctx, file=doc.path.name,
                     contested=str(disputed))
                contested[f"missed {g.type}"] += disputed
                contested_anywhere[f"missed {g.type}"] += gold_forms.untagged(g.text) > 0
        for j, s in enumerate(system):
            if j not in matched_s:
                ctx = doc.text[max(0, s.start - 40):s.end + 40].replace("\n", " ")
                # the gold tags the very words at least as often as it leaves them (this instance included)
                disputed = 0 < gold_forms.untagged(s.text) <= gold_forms.tagged(s.text)
                note("spurious", system=f"{s.text} = {s.value}", context=ctx, file=doc.path.name,
                     contested=str(disputed))
                contested["spurious"] += disputed
                contested_anywhere["spurious"] += gold_forms.tagged(s.text) > 0

    result: dict[str, Any] = dict(overall.figures())
    result["documents"] = len(docs)
    result["sentences"] = sentences
    result["parts"] = {name: t.figures() for name, t in sorted(parts.items())}
    result["errors"] = dict(errors.most_common())
    result["span_boundary_value_right"] = span_value_right
    result["contested"] = {k: contested[k] for k, _ in errors.most_common()}
    result["contested_anywhere"] = {k: contested_anywhere[k] for k, _ in errors.most_common()}
    result["error_examples"] = {k: samples[k] for k, _ in errors.most_common()}
    return result


def render(result: dict[str, Any]) -> str:
    """A readable table of the figures, the per-part figures and the error categories."""
    cols = ["expressions", "system", "strict_f1", "relaxed_f1", "type_accuracy", "value_precision",
            "value_recall", "value_f1"]
    lines = [f"TimeML evaluation: {result.get('documents', 0)} documents, {result['expressions']} gold timexes",
             "", "| scope | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    rows = [("overall", result)] + list(result.get("parts", {}).items())
    for name, fig in rows:
        lines.append(f"| {name} | " + " | ".join(str(fig.get(c, "")) for c in cols) + " |")
    if result.get("errors"):
        lines += ["", "| error category | count | contested by the gold | example |", "|---|---|---|---|"]
        for cat, n in result["errors"].items():
            ex = (result.get("error_examples", {}).get(cat) or [{}])[0]
            shown = "; ".join(f"{k}: {v}" for k, v in ex.items() if k in ("gold", "system"))
            lines.append(f"| {cat} | {n} | {result.get('contested', {}).get(cat, '')} | {shown.replace('|', '/')} |")
    return "\n".join(lines)
