"""Consensus and conflicts: one value per field of a canonical event, chosen by independent sources.

Every near-copy group is one source: twenty syndicated copies of one wire text vote once. A date's vote is
weighted by how it was obtained (``LinkSettings.basis_weight``: an explicit date beats a relative one, which beats
a dateline, which beats the publication-date fallback). Coarser dates that agree with a finer one ("2021-04"
and "2021-04-15") support it instead of competing with it. Whenever sources disagree the losing values are kept
in a :class:`~wiredesk.model.Conflict` with the articles behind each value and the reason for the choice.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from wiredesk.link.events import date_precision, dates_compatible
from wiredesk.model import Conflict, Entity, EventMention
from wiredesk.settings import LINK, LinkSettings

_PRECISION_WIDTH = {"day": 3, "month": 2, "year": 1}


def _source_support(values: dict[str, list[tuple[str, str, float]]]) -> dict[str, tuple[float, int]]:
    """value -> (weight summed over independent sources, number of sources); one vote per source per value."""
    out = {}
    for value, votes in values.items():
        best_per_source: dict[str, float] = {}
        for _article, source, weight in votes:
            best_per_source[source] = max(best_per_source.get(source, 0.0), weight)
        out[value] = (sum(best_per_source.values()), len(best_per_source))
    return out


def choose_date(members: list[EventMention], source_of: dict[str, str],
                settings: LinkSettings = LINK) -> tuple[str | None, str | None, Conflict | None]:
    """(date, precision, conflict or None) for an event's mentions."""
    weights = dict(settings.basis_weight)
    votes: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    basis_of: dict[str, set[str]] = defaultdict(set)
    precision_of: dict[str, str | None] = {}
    for m in members:
        if not m.date:
            continue
        votes[m.date].append((m.article_id, source_of.get(m.article_id, m.article_id), weights.get(m.date_basis, 0.5)))
        basis_of[m.date].add(m.date_basis)
        precision_of[m.date] = date_precision(m.date, m.date_precision)
    if not votes:
        return None, None, None
    support = _source_support(votes)
    # a value's total support includes the coarser values compatible with it (they do not contradict it)
    total = {}
    for value in votes:
        merged = [v for vs in (votes[o] for o in votes if _agrees(o, precision_of[o], value, precision_of[value]))
                  for v in vs]
        total[value] = _source_support({value: merged})[value]
    chosen = max(votes, key=lambda v: (total[v][0], _PRECISION_WIDTH.get(precision_of[v] or "", 0), total[v][1],
                                       _neg(v)))
    rivals = [v for v in votes if not _agrees(v, precision_of[v], chosen, precision_of[chosen])]
    conflict = None
    if rivals:
        def describe(v: str) -> str:
            w, n = support[v]
            return f"{v} ({'/'.join(sorted(basis_of[v]))}, {n} source{'s' * (n != 1)}, weight {w:g})"
        tied = any(total[v][0] == total[chosen][0] for v in rivals)
        why = (f"{describe(chosen)} {'ties with' if tied else 'outweighs'} "
               + "; ".join(describe(v) for v in sorted(rivals))
               + ": dates count once per independent source, weighted explicit > relative > dateline > publication"
               + ("; on a tie the more precise, better supported, then earlier date wins (reports follow events)"
                  if tied else ""))
        values = {v: sorted({a for a, _s, _w in votes[v]}) for v in sorted(votes)}
        conflict = Conflict(field="date", values=values, chosen=chosen, why=why)
    return chosen, precision_of[chosen], conflict


def _agrees(coarse: str, pc: str | None, fine: str, pf: str | None) -> bool:
    """``coarse`` does not contradict ``fine`` and is not finer than it."""
    if _PRECISION_WIDTH.get(pc or "", 0) > _PRECISION_WIDTH.get(pf or "", 0):
        return False
    return dates_compatible(coarse, pc, fine, pf)


def _neg(value: str) -> tuple[int, ...]:
    """Sort key that prefers the earlier date on a full tie (reports lag events, they do not precede them)."""
    return tuple(-int(x) for x in re.findall(r"\d+", value))


def choose_list(field_name: str, members: list[EventMention], source_of: dict[str, str],
                getter) -> tuple[list[str], Conflict | None]:
    """Majority over independent sources for a list-valued field (mode, context); conflict when they differ."""
    votes: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for m in members:
        key = ",".join(sorted(getter(m)))
        votes[key].append((m.article_id, source_of.get(m.article_id, m.article_id), 1.0))
    if not votes:
        return [], None
    support = _source_support(votes)
    chosen = max(votes, key=lambda v: (support[v][1], v != "", v))
    conflict = None
    if len(votes) > 1:
        values = {(v or "(none)"): sorted({a for a, _s, _w in votes[v]}) for v in sorted(votes)}
        why = f"{chosen or '(none)'} is reported by {support[chosen][1]} independent source(s), the most"
        conflict = Conflict(field=field_name, values=values, chosen=chosen or "(none)", why=why)
    return [x for x in chosen.split(",") if x], conflict


def choose_entities(side: str, members: list[EventMention],
                    source_of: dict[str, str]) -> tuple[list[Entity], Conflict | None]:
    """Entities named by the sources, most supported first. Two entities of one code with different sectors
    (``RUS:GOV`` vs ``RUS:MIL``) are a disagreement: the better supported one is kept and the conflict recorded."""
    support: dict[str, set[str]] = defaultdict(set)
    articles: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Entity] = {}
    for m in members:
        for ent in getattr(m, side):
            k = ent.key()
            support[k].add(source_of.get(m.article_id, m.article_id))
            articles[k].add(m.article_id)
            first.setdefault(k, ent)
    by_code: dict[str, list[str]] = defaultdict(list)
    for k, ent in first.items():
        if not ent.kb_id:
            by_code[ent.code].append(k)
    dropped: set[str] = set()
    conflict = None
    for code, keys in by_code.items():
        sectored = [k for k in keys if first[k].sector]
        if len(sectored) > 1:
            ranked = sorted(sectored, key=lambda k: (-len(support[k]), k))
            dropped |= set(ranked[1:])
            conflict = Conflict(field=side, values={k: sorted(articles[k]) for k in sorted(sectored)},
                                chosen=ranked[0],
                                why=f"{ranked[0]} is named by {len(support[ranked[0]])} independent source(s), "
                                    f"more than the other {code} sectors")
        elif sectored:
            dropped |= {k for k in keys if not first[k].sector}  # "RUS" adds nothing to "RUS:GOV"
    keep = sorted((k for k in first if k not in dropped), key=lambda k: (-len(support[k]), k))
    return [first[k] for k in keep], conflict


def choose_flags(members: list[EventMention], source_of: dict[str, str]) -> list[str]:
    """Flags held by at least half of the independent sources. A source holds a flag when every one of its mentions
    of the event does: a report that says "agreed a new package" and later "Britain will provide 540 million
    euros" tells that the agreement happened, and its future clause must not make the whole event a plan."""
    by_source: dict[str, set[str]] = {}
    for m in members:
        s = source_of.get(m.article_id, m.article_id)
        by_source[s] = set(m.flags) if s not in by_source else by_source[s] & set(m.flags)
    holders: dict[str, int] = defaultdict(int)
    for flags in by_source.values():
        for f in flags:
            holders[f] += 1
    return sorted(f for f, n in holders.items() if 2 * n >= len(by_source))


def confidence(members: list[EventMention], source_of: dict[str, str]) -> float:
    """1 - prod(1 - best confidence of each independent source): more independent sources, more confidence."""
    best: dict[str, float] = {}
    for m in members:
        s = source_of.get(m.article_id, m.article_id)
        best[s] = max(best.get(s, 0.0), float(m.confidence))
    miss = 1.0
    for c in best.values():
        miss *= 1.0 - min(max(c, 0.0), 0.99)
    return round(1.0 - miss, 4)


_TOKEN = re.compile(r"\w+")


def summarise(members: list[EventMention], source_of: dict[str, str],
              settings: LinkSettings = LINK) -> tuple[str, list[dict[str, Any]]]:
    """Extractive summary (<= ``summary_words`` words) from the most central sentences, one per source.

    Centrality is the mean word overlap of a sentence with the other evidence sentences of the event; a sentence
    that repeats what most sources say is the best statement of the event. Each used sentence is cited.
    """
    sentences: dict[tuple[str, int], str] = {}
    for m in members:
        sentences.setdefault((m.article_id, m.sentence), " ".join(m.text.split()))
    keys = list(sentences)
    bags = {k: set(_TOKEN.findall(sentences[k].lower())) for k in keys}

    def centrality(k: tuple[str, int]) -> float:
        others = [o for o in keys[:50] if o != k]  # a sample bounds the cost on events with many reports
        if not others:
            return 1.0
        return sum(len(bags[k] & bags[o]) / (len(bags[k] | bags[o]) or 1) for o in others) / len(others)

    ranked = sorted(keys, key=lambda k: (-centrality(k), len(sentences[k]), k))
    used_sources: set[str] = set()
    words: list[str] = []
    citations: list[dict[str, Any]] = []
    limit = settings.summary_words
    for k in ranked:
        source = source_of.get(k[0], k[0])
        if source in used_sources:
            continue
        text = sentences[k].split()
        if words and len(words) + len(text) > limit:
            continue
        if not words and len(text) > limit:
            text = text[:limit - 1] + [text[limit - 1].rstrip(".,;:") + "…"]
        words += text
        used_sources.add(source)
        citations.append({"sentence": k[1], "article_id": k[0]})
        if len(words) >= limit:
            break
    return " ".join(words), citations


def _has_person(ents: list[Entity]) -> bool:
    return any((e.kb_id or "").startswith("person:") for e in ents)


def _directed(m: EventMention) -> bool:
    """Whether a mention says who did what to whom. "Australia and Italy: criticise on security" (a headline) names
    both parties as joint actors of a one-way event: it says who is involved, not which side each is on, so it
    votes on membership but not on sides. A mention with a recipient, or with one actor country, is directed."""
    return bool(m.recipient) or len({e.code for e in m.actor}) < 2


def settle_parties(event: str, mode: list[str], members: list[EventMention], source_of: dict[str, str],
                   actor: list[Entity], recipient: list[Entity]) -> tuple[list[Entity], list[Entity], list[Conflict]]:
    """Make the party lists one statement of who did what to whom, voted by independent sources.

    - A country (or non-state code) is a party only if at least half of the event's independent sources name it
      on either side: one report's stray "Ukraine" does not join a Biden-Putin call. Dropped codes are recorded.
      The rule removes strays, not the event's second party: an event whose sources name two or more parties
      keeps the two best supported (six headlines "Indonesia and China: phone on trade", coded with China alone,
      outvoted Indonesia in its own call, and the event, left with one party, was never recorded).
    - One entity per code and sector: "Joe Biden" (USA GOV) and "the United States" (USA GOV) are one party; the
      named person is kept.
    - A party sits on one side only, the side more sources put it on (ties: the side more mentions put it on,
      then actor).
    - PLOVER: a CONSULT without a host (no ``visit`` mode: calls, talks) has every party as actor and no recipient.
    """
    sources = {source_of.get(m.article_id, m.article_id) for m in members}
    named: dict[str, set[str]] = defaultdict(set)
    side_votes: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in members:
        src = source_of.get(m.article_id, m.article_id)
        for side in ("actor", "recipient"):
            for ent in getattr(m, side):
                named[ent.code].add(src)
                if _directed(m):
                    side_votes[(ent.code, side)].add(src)
    conflicts: list[Conflict] = []
    weak = {code for code, srcs in named.items() if 2 * len(srcs) < len(sources)}
    if len(named) >= 2 and len(named) - len(weak) < 2:
        mentions_of = Counter(ent.code for m in members for ent in m.actor + m.recipient)
        by_support = sorted(weak, key=lambda c: (-len(named[c]), -mentions_of[c], c))
        weak -= set(by_support[: 2 - (len(named) - len(weak))])
    if weak:
        articles = defaultdict(set)
        for m in members:
            for ent in m.actor + m.recipient:
                articles[ent.code].add(m.article_id)
        conflicts.append(Conflict(
            field="parties", values={c: sorted(articles[c]) for c in sorted(named)},
            chosen=",".join(sorted(set(named) - weak)),
            why=f"{', '.join(sorted(weak))} named by fewer than half of the {len(sources)} independent sources"))

    # mentions per side break a tie between sources: "Macron asks Xi to help" puts China on the receiving end in
    # every report, a stray "China was willing to..." coded with China as the requester in some
    side_mentions: Counter[tuple[str, str]] = Counter(
        (ent.code, side) for m in members if _directed(m)
        for side in ("actor", "recipient") for ent in getattr(m, side))

    def side_of(code: str) -> str:
        a, r = len(side_votes[(code, "actor")]), len(side_votes[(code, "recipient")])
        if a == r:
            a, r = side_mentions[(code, "actor")], side_mentions[(code, "recipient")]
        return "recipient" if r > a else "actor"

    def settle(ents: list[Entity], side: str | None) -> list[Entity]:
        out: list[Entity] = []
        for ent in ents:
            if ent.code in weak or (side and side_of(ent.code) != side):
                continue
            same = [i for i, e in enumerate(out) if e.code == ent.code and (e.sector or "") == (ent.sector or "")]
            if same:
                kept = out[same[0]]
                if not _has_person([kept]) and _has_person([ent]):
                    out[same[0]] = ent
                continue
            out.append(ent)
        return out

    everyone = actor + recipient
    if event == "CONSULT" and "visit" not in mode:
        return settle(everyone, None), [], conflicts
    return settle(everyone, "actor"), settle(everyone, "recipient"), conflicts


def choose_location(members: list[EventMention], source_of: dict[str, str]):
    """The place most independent sources locate the event at (ties: the more precise, then the name), with a
    conflict when sources name different places. Mentions without a location do not vote: "no place named" is
    not a disagreement."""
    votes: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    place_of = {}
    for m in members:
        if m.location is None:
            continue
        key = m.location.resolved_place or m.location.extracted_place
        votes[key].append((m.article_id, source_of.get(m.article_id, m.article_id), 1.0))
        place_of.setdefault(key, m.location)
    if not votes:
        return None, None
    support = _source_support(votes)
    rank = {"point": 0, "city": 1, "region": 2, "country": 3}
    chosen = min(votes, key=lambda v: (-support[v][1], rank.get(place_of[v].precision or "", 4), v))
    conflict = None
    if len(votes) > 1:
        conflict = Conflict(field="location", values={v: sorted({a for a, _s, _w in votes[v]}) for v in sorted(votes)},
                            chosen=chosen, why=f"{chosen} is named by {support[chosen][1]} independent source(s), "
                                               "the most; on a tie the more precise place wins")
    return place_of[chosen], conflict
