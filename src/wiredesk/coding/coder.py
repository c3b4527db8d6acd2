"""Article-level coding: candidate sentences, frames per parsed sentence, roles, dates, contexts, flags."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

from wiredesk.model import Article, EventMention, Timex
from wiredesk.settings import CODING, CodingSettings

from . import rules
from .lexicon import Lexicon, lexicon
from .roles import UNATTRIBUTED_SECTOR, Arguments, assign_roles, official_protest
from .rules import (Frame, Hit, apply_modality, background, doc_words, find_hits, lent_mode, modality,
                    resolve)

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def candidate_sentences(article: Article) -> list[int]:
    """Indices of sentences with an event trigger word and at least one actor mention (cheap: one regex)."""
    lex = lexicon()
    with_actor = {m.sentence for m in article.actors}
    if article.actors and not article.sentences:
        return [0] if lex.has_trigger(article.text) else []
    out = []
    for s in article.sentences:
        if s.index in with_actor and len(s.text) <= CODING.max_sentence_chars and lex.has_trigger(s.text):
            out.append(s.index)
    return out


# ------------------------------------------------------------------ dates

def _timex_date(tx: Timex) -> tuple[str, str] | None:
    """(date, precision) of a DATE/TIME timex with a calendar value, else None."""
    if tx.type not in ("DATE", "TIME"):
        return None
    m = _DATE_RE.match(tx.value or "")
    if not m:
        return None
    year, month, day = m.groups()
    if day:
        return f"{year}-{month}-{day}", "day"
    if month:
        return f"{year}-{month}", "month"
    return year, "year"


#: Prepositions and subordinators that place a time on another, earlier or later, event: "the first meeting
#: since 2016", "his third visit since taking office in 2017", "until March", "ahead of Tuesday's vote".
BOUNDARY_WORDS = frozenset({"since", "until", "till", "til", "before", "prior", "ahead"})
#: Arcs by which a timex modifies a noun: "January talks", "Tuesday's vote", "the 2019 election".
_NOUN_MOD_DEPS = frozenset({"compound", "nmod", "poss", "amod", "nummod"})
#: Arcs that enter another clause on the way from a timex up to the event.
_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "conj", "parataxis"})


def _blocked_step(tok: Any, frame_tokens: set[int]) -> bool:
    """Whether the arc from ``tok`` to its head leaves the timex with another event than the frame's.

    A boundary preposition or subordinator ("since 2016", "since taking office in 2017", "since Russia
    invaded ... in 2022") names the time of an earlier or later event; a relative clause on another noun
    ("Xi, who met Biden on Monday, ...") has its own event.
    """
    if tok.dep_ in ("prep", "mark", "advmod") and tok.lower_ in BOUNDARY_WORDS:
        return True
    if any(c.dep_ == "mark" and c.lower_ in BOUNDARY_WORDS for c in tok.children):
        return True
    if tok.dep_ in ("relcl", "acl") and tok.head.i not in frame_tokens:
        return True
    return False


def _modifies_other_noun(root: Any, frame_tokens: set[int]) -> bool:
    """A timex that modifies or is an argument of a word other than the event's dates that word's event:
    "held a call as the January talks near"."""
    head = root.head
    if head.i == root.i or head.i in frame_tokens:
        return False
    if root.dep_ in ("nsubj", "nsubjpass", "dobj"):
        return True  # the date is an argument of another word ("as January talks near"), not its time
    if root.dep_ not in _NOUN_MOD_DEPS or head.pos_ not in ("NOUN", "PROPN"):
        return False
    # "as the January talks near": the dated noun is the subject of another clause. A dated noun the event
    # happens at or uses ("at last week's summit", "used Tuesday's call to insist") keeps its date.
    # The parser reads the same headline as a subject ("as the March summit approached"), a verbless clause
    # ("as March talks near": advcl) or the object of "as".
    if head.dep_ in ("nsubj", "nsubjpass") and head.head.i not in frame_tokens:
        return True
    return head.dep_ == "advcl" or (head.dep_ == "pobj" and head.head.lower_ in ("as", "while", "when"))


#: Key of ``_token_bounds``' answer in ``Doc.user_data``.
_BOUNDS = "wiredesk.token_bounds"


def _token_bounds(doc: Any) -> list[tuple[int, int]]:
    """(start, end) character offsets of every token of a Doc, kept on it: each dated event read them all once
    per timex of its sentence."""
    kept = doc.user_data.get(_BOUNDS)
    if kept is None:
        kept = doc.user_data[_BOUNDS] = [(t.idx, t.idx + len(t.text)) for t in doc]
    return kept


def _governing_timex(doc: Any, offset: int, timexes: list[Timex], frame_tokens: set[int],
                     report_tokens: set[int], core: set[int] | None = None) -> tuple[Timex, bool] | None:
    """The timex attached to the event's own clause, else one attached to the reporting verb.

    "Russia threatened on Monday ..., the Post reported today": Monday governs the threat. When only the
    reporting verb carries a date ("X demanded ..., a spokesman said Tuesday") that date is used, flagged as
    the weaker choice by the caller. A timex is skipped when its path to the event crosses a boundary word
    ("since 2016"), a relative clause of another noun, or when it modifies another noun ("January talks").
    """
    # (reaches only the trigger's head, clauses crossed, arcs, position, timex)
    governing: list[tuple[bool, int, int, int, Timex]] = []
    reported: tuple[Timex, bool] | None = None
    bounds = _token_bounds(doc)
    for tx in timexes:
        inside = [i for i, (start, end) in enumerate(bounds) if offset + start >= tx.start and offset + end <= tx.end]
        if not inside:
            continue
        tok = doc[inside[0] : inside[-1] + 1].root
        if _modifies_other_noun(tok, frame_tokens):
            continue
        clauses = 0
        for steps in range(8):
            if tok.i in frame_tokens:
                governing.append((core is not None and tok.i not in core, clauses, steps, tx.start, tx))
                break
            if tok.i in report_tokens:
                reported = reported or (tx, False)
                break
            if tok.head.i == tok.i:
                reported = reported or (tx, False)
                break
            if _blocked_step(tok, frame_tokens):
                break
            clauses += tok.dep_ in _CLAUSE_DEPS and tok.pos_ in ("VERB", "AUX")
            tok = tok.head
    if governing:
        # the nearest in the tree: "Beijing, 6 April 2022: Macron held talks ... on Thursday" -> Thursday
        # a timex on the trigger itself beats one on the clause the trigger hangs from ("has not spoken since
        # Russia invaded Ukraine in February 2022, though he held talks last month": invaded -> February 2022)
        # and one in the event's own clause beats one in a clause hanging from it
        best = min(governing, key=lambda g: (g[0], g[1], g[2], -g[3]))
        return _finest_nested(best[4], [g[4] for g in governing if g[:2] == best[:2]]), True
    return reported


def _finest_nested(chosen: Timex, same_clause: list[Timex]) -> Timex:
    """A coarser date of the event's own clause that contains a finer one is the same time said twice ("spoke
    by telephone on Thursday afternoon, the second conversation between the two leaders this month"): the finer
    one dates the event. Dates that do not nest are left to the tree distance (they may contradict)."""
    base = _timex_date(chosen)
    if base is None:
        return chosen
    best, width = chosen, len(base[0])
    for tx in same_clause:
        found = _timex_date(tx)
        if found and len(found[0]) > width and found[0].startswith(base[0]):
            best, width = tx, len(found[0])
    return best


def _first_day(date: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((date + "-01-01")[:10] if len(date) == 4 else
                                     (date + "-01")[:10] if len(date) == 7 else date[:10])
    except ValueError:
        return None


def _reference_date(article: Article) -> dt.date | None:
    """The day the article reports from: its dateline date, else its publication date."""
    for value in ((article.dateline or {}).get("date"), article.published):
        if value and _DATE_RE.match(str(value)) and len(str(value)) >= 10:
            day = _first_day(str(value)[:10])
            if day:
                return day
    return None


def _dateline_span(article: Article) -> tuple[int, int]:
    """Where the opening dateline ("BEIJING, 7 January 2023 (AGENCY):") sits in the text, else (0, 0).

    Its date says when the reporter filed, not when the event happened: "BEIJING, 7 January (X): Putin arrived
    on Thursday" happened on the Thursday. So it is never the sentence's own timex; it is still the fallback
    below, with basis ``dateline``, when the sentence names no date of its own.
    """
    text = (article.dateline or {}).get("text")
    if not text:
        return (0, 0)
    at = article.text.find(str(text), 0, 400 + len(str(text)))
    return (at, at + len(str(text))) if at >= 0 else (0, 0)


def _event_date(article: Article, doc: Any, offset: int, sent_span: tuple[int, int], frame_tokens: set[int],
                report_tokens: set[int], event: str | None = None,
                core: set[int] | None = None) -> tuple[str | None, str | None, str]:
    skip = _dateline_span(article)
    timexes = [tx for tx in article.timexes if sent_span[0] <= tx.start and tx.end <= sent_span[1]
               and _timex_date(tx) and not (skip[0] <= tx.start and tx.end <= skip[1])]
    if event == "AGREE" and timexes:
        # PLOVER codes a plan, promise or invitation as AGREE when it is made, so it is dated no later than the
        # report: "agreed that the minister would visit early next year" -> the agreement, not the visit
        ref = _reference_date(article)
        if ref is not None:
            timexes = [tx for tx in timexes if (_first_day(_timex_date(tx)[0]) or ref) <= ref]  # type: ignore[index]
    found = _governing_timex(doc, offset, timexes, frame_tokens, report_tokens, core) if timexes else None
    if found:
        tx = found[0]
        date, precision = _timex_date(tx)  # type: ignore[misc]
        return date, precision, "relative" if tx.anchored else "explicit"
    if article.dateline and article.dateline.get("date"):
        m = _DATE_RE.match(str(article.dateline["date"]))
        if m:
            return m.group(0), "day" if m.group(3) else ("month" if m.group(2) else "year"), "dateline"
    if article.published:
        return article.published[:10], "day", "publication"
    return None, None, "unknown"


def _past_perfect(tok: Any) -> bool:
    """A verb in the pluperfect ("had invited", "had been summoned")."""
    return tok.pos_ in ("VERB", "AUX") and tok.tag_ == "VBN" and any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") for c in tok.children)


def _days_between(a: str, b: str) -> int | None:
    try:
        da = dt.date.fromisoformat((a + "-01-01")[:10] if len(a) == 4 else (a + "-01")[:10] if len(a) == 7 else a[:10])
        db = dt.date.fromisoformat(b[:10])
    except ValueError:
        return None
    return (db - da).days


# ------------------------------------------------------------------ context

def _lemma_seq_hits(lemmas: list[str], lex: Lexicon) -> list[str]:
    joined = " " + " ".join(lemmas) + " "
    return [ctx for needle, ctx in lex.context_needles if needle in joined]


def _contexts(doc: Any, paragraph_text: str, trigger_context: str | None, lex: Lexicon,
              settings: CodingSettings) -> list[str]:
    out: list[str] = [trigger_context] if trigger_context else []
    for ctx in _lemma_seq_hits(doc_words(doc)[0], lex):
        if ctx not in out:
            out.append(ctx)
    if paragraph_text:
        words = re.findall(r"[a-z][a-z'-]*", paragraph_text.lower())
        counts: dict[str, int] = {}
        joined = " " + " ".join(words) + " "
        present = set(words)
        for forms, pattern, ctx in lex.paragraph_context_tests:
            # paragraph words are not lemmatised: accept the keyword with a plural/verb ending
            if not forms.isdisjoint(present) if forms is not None else pattern.search(joined):
                counts[ctx] = counts.get(ctx, 0) + 1
        for ctx, n in counts.items():
            if n >= settings.paragraph_context_hits and ctx not in out:
                out.append(ctx)
    return out


# ------------------------------------------------------------------ modes from instruments

def _instrument_mode(doc: Any, event: str, lex: Lexicon) -> str | None:
    lemmas = doc_words(doc)[0]
    joined = " " + " ".join(lemmas) + " "
    for words, ev, mode in lex.modes:
        if ev == event and f" {' '.join(words)} " in joined:
            return mode
    return None


# ------------------------------------------------------------------ the coder

#: Subjects that are not political agents: "a quake hit the town", "the storm destroyed 300 homes".
NATURAL_CAUSES = frozenset({
    "earthquake", "quake", "tremor", "aftershock", "storm", "hurricane", "typhoon", "cyclone", "tornado", "flood",
    "flooding", "landslide", "mudslide", "avalanche", "tsunami", "wildfire", "fire", "blaze", "eruption", "volcano",
    "drought", "heatwave", "accident", "crash", "collision", "disease", "virus", "outbreak", "epidemic", "pandemic",
    "illness", "cancer", "lightning", "wave",
})


def _natural_cause(doc: Any, frame: Frame) -> bool:
    """True when the event's subject (or passive agent) is a natural or accidental cause, not an actor
    ("the quake struck at 13:53" is no strike). Explosions and blasts are not in the list: they are
    usually bombs."""
    tok = doc[frame.hit.i]
    t = tok
    for _ in range(4):  # "a quake hit southern Iran, killing 10": climb to the clause that has the subject
        subj = [c for c in t.children if c.dep_ in ("nsubj", "csubj")]
        if subj:
            return subj[0].lemma_.lower() in NATURAL_CAUSES
        if t.dep_ not in ("advcl", "conj", "xcomp") or t.head.i == t.i:
            break
        t = t.head
    for c in tok.children:
        if c.dep_ == "agent":
            for p in c.children:
                if p.lemma_.lower() in NATURAL_CAUSES:
                    return True
    # "an earthquake ... that killed 10 people": the relative clause's antecedent is the subject
    return tok.dep_ == "relcl" and tok.head.lemma_.lower() in NATURAL_CAUSES


#: Key of ``frames_for``'s answer in ``Doc.user_data``.
_FRAMES = "wiredesk.frames"


def frames_for(doc: Any, lex: Lexicon | None = None) -> tuple[list[Frame], dict[int, Hit]]:
    """Resolved top-level frames of one parsed sentence (negated ones included, flagged).

    Kept on the Doc, keyed on the lexicon and the Doc's entities, and not searched again: the pipeline searches
    every candidate once to decide where NER must run (a Doc completed by NER is searched again) and copies of a
    sentence in a batch share one Doc, so the coder's search was mostly a repeat. Callers only read the answer.

    A search that read no token's entity type (``rules.ENTITY_READS``: no object-constrained lexicon line was
    tried, no capitalised "March"/"May") holds for any entities, so a Doc NER completed keeps it (~70% of the
    Docs NER runs on in the synthetic corpus)."""
    lex = lex or lexicon()
    key = (id(lex), tuple((e.start, e.end, e.label_) for e in doc.ents))
    kept = doc.user_data.get(_FRAMES)
    if kept is not None and (kept[0] == key or kept[2] and kept[0][0] == key[0]):
        return kept[1]
    reads = rules.ENTITY_READS[0]
    hits = find_hits(doc, lex)
    frames: list[Frame] = []
    for hit in sorted(hits.values(), key=lambda h: h.i):
        if hit.parent is not None or hit.weak:
            continue
        res = resolve(doc, hits, hit)
        if res is None:
            continue
        event, modes, content = res
        mod = modality(doc, hit)
        applied = apply_modality(event, modes, mod, hit.trigger.frame)
        if applied is None:
            continue
        event, modes, flags = applied
        if not modes and event in ("ASSAULT", "PROTEST", "MOBILIZE"):
            m = _instrument_mode(doc, event, lex) or (lent_mode(hits, hit) if event == hit.trigger.event else None)
            modes = [m] if m else []
        context = hit.trigger.context or (content.trigger.context if content else None)
        conf = (CODING.specific_trigger_confidence if hit.trigger.lexical else
                CODING.noun_trigger_confidence if hit.trigger.kind == "n" else CODING.verb_trigger_confidence)
        if hit.synthetic:
            conf = CODING.obligation_confidence
        if background(doc, hit):
            conf -= CODING.background_penalty
        frames.append(Frame(hit, event, modes, [context] if context else [], flags, content, conf))
    found = _merge_coordinated(doc, frames, hits), hits
    doc.user_data[_FRAMES] = (key, found, rules.ENTITY_READS[0] == reads)
    return found


def _merge_coordinated(doc: Any, frames: list[Frame], hits: dict[int, Hit] | None = None) -> list[Frame]:
    """"killed one soldier and wounded two others" is one ASSAULT: a coordinated verb of the same event type
    and the same subject joins its first conjunct (its mode fills a missing one). So does one coordinated with
    a participle that completes another frame ("bombarded Idlib, killing 12 civilians and wounding dozens":
    one ASSAULT, not a second one for "wounding")."""
    by_token = {f.hit.i: f for f in frames}
    out = []
    for f in frames:
        tok = doc[f.hit.i]
        if tok.dep_ == "conj" and hits is not None and tok.head.i in hits and tok.head.i not in by_token:
            inner = hits[tok.head.i]
            parent = by_token.get(inner.parent) if inner.parent is not None else None
            if parent is not None and inner.trigger.event == f.event == parent.event \
                    and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
                continue
        head = by_token.get(tok.head.i) if tok.dep_ == "conj" else None
        if head is not None and head.event == f.event and "negation" not in head.flags \
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            if not head.mode and f.mode:
                head.mode = f.mode
            continue
        out.append(f)
    return out


def code_article(article: Article, docs: dict[int, Any], settings: CodingSettings = CODING) -> list[EventMention]:
    """PLOVER event mentions of the parsed sentences of one article (see docs/coding.md).

    Negated events ("the talks did not take place") are not returned: PLOVER counts them as no event.
    """
    lex = lexicon()
    by_sentence: dict[int, list] = {}
    dateline = _dateline_span(article)
    for m in article.actors:
        if dateline[0] <= m.start and m.end <= dateline[1]:
            # "PRETORIA, 19 September 2023 (AGENCY): President Xi urged South Africa ...": the dateline says where
            # the reporter files from, never who acted; its city made South Africa an actor of its own request
            continue
        by_sentence.setdefault(m.sentence, []).append(m)
    sentences = {s.index: s for s in article.sentences}
    paragraphs: dict[int, list[str]] = {}
    for s in article.sentences:
        paragraphs.setdefault(s.paragraph, []).append(s.text)
    out: list[EventMention] = []
    for index in sorted(docs):
        doc = docs[index]
        frames, hits = frames_for(doc, lex)
        if not frames:
            continue  # most parsed sentences hold no event: nothing below is needed for them
        sent = sentences.get(index)
        start, end, text = (sent.start, sent.end, sent.text) if sent else (0, len(article.text), article.text)
        para = " ".join(paragraphs.get(sent.paragraph, [])) if sent else ""
        args = Arguments(doc, start, sorted(by_sentence.get(index, []), key=lambda m: m.start))
        report_tokens = {h.i for h in hits.values() if h.trigger.frame == "report"}
        k = 0
        for frame in frames:
            if "negation" in frame.flags:
                continue
            actor, recipient, fallback = assign_roles(args, frame, hits)
            if official_protest(doc, frame, actor):
                # a state's or an organisation's "protest" is a complaint, with the complaint's roles
                states = any(e.code not in ("IGO", "UNO", "EUR", "NGO") for e in actor)
                frame = dataclasses.replace(frame, event="ACCUSE", mode=["disapprove"],
                                            context=["diplomatic"] if states else frame.context)
                actor, recipient, fallback = assign_roles(args, frame, hits)
            if not actor and not recipient:
                continue  # PLOVER needs a party: "an earthquake killed 10 people", "he was fired" are no events
            if _natural_cause(doc, frame):
                continue
            frame_tokens = {frame.hit.i, *frame.hit.tokens}
            core = set(frame_tokens) | ({frame.content.i} if frame.content is not None else set())
            tok = doc[frame.hit.i]
            frame_tokens |= {t.i for t in tok.ancestors if t.i not in report_tokens and t.dep_ != "ROOT"} \
                if tok.dep_ in ("xcomp", "dobj", "pobj") else set()
            frame_tokens.add(tok.head.i) if tok.head.i not in report_tokens else None
            if frame.content is not None:
                frame_tokens |= {frame.content.i}
            date, precision, basis = _event_date(article, doc, start, (start, end), frame_tokens, report_tokens,
                                                  frame.event, core)
            if basis in ("dateline", "publication") and sent is not None and _past_perfect(tok):
                # "The previous day X held talks with Y. Officials said X had invited Y to ...": the pluperfect
                # places the event at the time the paragraph's previous sentence told
                before = [m for m in out if m.sentence == index - 1 and m.date_basis in ("explicit", "relative")
                          and sentences.get(index - 1) is not None
                          and sentences[index - 1].paragraph == sent.paragraph]
                if before:
                    date, precision, basis = before[0].date, before[0].date_precision, before[0].date_basis
            flags = list(frame.flags)
            if date and article.published and basis in ("explicit", "relative"):
                days = _days_between(date, article.published)
                if days is not None and days >= settings.historical_days and "historical" not in flags:
                    flags.append("historical")
                if days is not None and days < 0 and "future" not in flags:
                    flags.append("future")
            conf = frame.confidence
            if fallback:
                conf -= settings.fallback_actor_penalty
            if not actor or all(e.sector == UNATTRIBUTED_SECTOR and not e.entity_text for e in actor):
                # an unidentified attacker supplied by convention is no named actor: same confidence as none
                conf -= settings.no_actor_penalty
            trigger_text = " ".join(doc[i].text for i in sorted({*frame.hit.tokens} |
                                                                 ({frame.content.i} if frame.content else set())))
            out.append(EventMention(
                article_id=article.id, sentence=index, start=start, end=end, text=text, event=frame.event,
                mode=frame.mode, context=_contexts(doc, para, frame.context[0] if frame.context else None, lex,
                                                   settings),
                actor=actor, recipient=recipient, date=date, date_precision=precision, date_basis=basis,
                flags=flags, confidence=round(max(0.05, min(1.0, conf)), 3), trigger=trigger_text,
                id=f"{article.id}:{index}:{k}",
            ))
            k += 1
    return out
