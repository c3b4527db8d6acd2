"""Scrapes that dropped one letter sequence everywhere ("ing" gone: "meet" for "meeting", "Beij" for
"Beijing"): detect them, infer the missing sequence(s), repair the damaged words with a confidence.

How (figures in docs/benchmarks/ingest.md, method in docs/ingest.md):

1. *Missing sequences.* A few hundred words of English contain every common letter n-gram several times.
   A sequence whose expected count here is >= ``min_expected`` but which never occurs is suspicious.
2. *Explained words.* Putting a suspicious sequence back must turn several tokens into words that are more
   common than the tokens themselves ("Beij" -> "Beijing", "dur" -> "during"). A sequence is inferred only
   when it explains enough distinct tokens, at least one of them a non-word; clean texts almost never pass
   both tests at once, so a clean article comes through untouched.
3. *Repair.* Every token that could be a word with the sequence deleted (once or twice, case kept) is a
   choice between itself and its restorations. Each hypothesis is scored with an interpolated word-pair
   model over its neighbours (P(h | previous word) * P(next word | h)), so "is go to" becomes "is going to"
   while "to go to" stays. The winner must have posterior >= ``min_confidence``; else nothing changes.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from wiredesk.clean.wordlist import bigrams, frequencies, ngram_rates, zipf
from wiredesk.model import Repair
from wiredesk.settings import DAMAGE, DamageSettings

# Letter runs that are words: not glued to digits ("17th"), not parts of addresses ("msnbc.com", "@user").
_TOKEN = re.compile(r"(?<![0-9_@/.])[A-Za-z]+(?![0-9_@/]|\.[A-Za-z])")
_FLOOR = 1e-10  # probability of a non-word, and of an unseen word


@dataclass
class DamageReport:
    sequences: list[str]
    score: float  # share of the text's suspicious tokens that the sequences explain
    nonword_rate: float
    expected: dict[str, float]
    explained: int = 0

    def as_dict(self) -> dict:
        return {"sequences": self.sequences, "score": round(self.score, 3),
                "nonword_rate": round(self.nonword_rate, 4), "explained": self.explained,
                "expected": {k: round(v, 1) for k, v in self.expected.items()}}


def _insertions(token: str, seq: str, max_insert: int = 2):
    """Every string that becomes ``token`` when each ``seq`` in it is deleted (up to ``max_insert`` copies)."""
    n = len(token)
    # A capitalised token keeps its capital: a lower-case sequence cannot have stood before it.
    first = 1 if token[:1].isupper() else 0
    for k in range(1, max_insert + 1):
        for positions in itertools.combinations_with_replacement(range(first, n + 1), k):
            out, last = [], 0
            for p in positions:
                out.append(token[last:p])
                out.append(seq)
                last = p
            out.append(token[last:])
            cand = "".join(out)
            if cand.replace(seq, "") == token:
                yield cand


def candidates(token: str, sequences: list[str], settings: DamageSettings = DAMAGE,
               max_insert: int = 2) -> dict[str, float]:
    """Restorations of ``token`` that are words at least as common as ``repair_zipf``: word -> frequency."""
    freq = frequencies()
    floor = 10 ** settings.repair_zipf / 1e9
    out: dict[str, float] = {}
    for seq in sequences:
        for cand in _insertions(token, seq, max_insert):
            f = freq.get(cand.lower(), 0.0)
            if f >= floor:
                out[cand] = max(out.get(cand, 0.0), f)
    return out


def _repairable(token: str) -> bool:
    """Acronyms and other all-capitals tokens cannot lose a lower-case sequence ("US" is not "USING")."""
    return not any(ch.isupper() for ch in token[1:])


def _restore_case(token: str, cand: str) -> str:
    if token.isupper() and len(token) > 1:
        return cand.upper()
    return cand


def detect(text: str, settings: DamageSettings = DAMAGE) -> DamageReport | None:
    """The missing sequences of a damaged text, or None for a text that looks intact."""
    tokens = [m.group(0) for m in _TOKEN.finditer(text)]
    letters = sum(len(t) for t in tokens)
    if letters < settings.min_letters:
        return None
    freq = frequencies()
    distinct = set(tokens)
    nonwords = {t for t in distinct if zipf(t) < settings.nonword_zipf}
    rate = sum(1 for t in tokens if t in nonwords) / max(len(tokens), 1)
    rates = ngram_rates(settings.min_seq, settings.max_seq)
    lower_letters = sum(1 for ch in text if "a" <= ch <= "z")
    expected = {g: r * lower_letters for g, r in rates.items() if r * lower_letters >= settings.min_expected}
    missing = [g for g in expected if g not in text]
    if not missing:
        return None
    explained_by: dict[str, set[str]] = {}
    strong_by: dict[str, set[str]] = {}
    repairable = {t for t in distinct if _repairable(t)}
    rare = {t for t in repairable if zipf(t) < settings.suspect_zipf}
    for seq in missing:
        # Strong evidence first (cheap, rare tokens only): a restoration far more common than the token
        # ("Beij" -> "Beijing", "morn" -> "morning"). Without it the sequence is just rare in this text.
        strong = set()
        for t in rare:
            cands = candidates(t, [seq], settings, max_insert=1)
            if cands and zipf(max(cands, key=cands.get)) - zipf(t) >= settings.strong_margin:
                strong.add(t)
        if len(strong) < settings.min_strong:
            continue
        hits = set(strong)
        for t in repairable - rare:
            cands = candidates(t, [seq], settings)
            if cands and max(cands.values()) > freq.get(t.lower(), 0.0):
                hits.add(t)  # a restoration more common than the token as it stands
        if len(hits) >= settings.min_explained:
            explained_by[seq] = hits
            strong_by[seq] = strong
    chosen: list[str] = []
    covered: set[str] = set()
    while explained_by and len(chosen) < settings.max_sequences:
        # The sequence that explains most of what is still unexplained; shorter wins ties (its superstrings are
        # missing too, but explain fewer words).
        seq = max(explained_by, key=lambda s: (len(strong_by[s] - covered), len(explained_by[s] - covered),
                                               -len(s), s))
        gain = explained_by.pop(seq) - covered
        if len(gain) < settings.min_explained or len(strong_by[seq] - covered) < settings.min_strong:
            break
        chosen.append(seq)
        covered |= gain
        explained_by = {s: h for s, h in explained_by.items() if seq not in s and s not in seq}
    if not chosen:
        return None
    share = len(covered & rare) / max(len(rare), 1)
    return DamageReport(chosen, share, rate, {s: expected[s] for s in chosen}, len(covered))


class _Context:
    """Interpolated word-pair model: P(h | prev) and P(next | h), backing off to word frequencies."""

    def __init__(self, weight: float) -> None:
        self.pairs, self.counts = bigrams()
        self.freq = frequencies()
        self.weight = weight if self.pairs else 0.0

    def uni(self, word: str) -> float:
        return self.freq.get(word, 0.0) or _FLOOR

    def cond(self, word: str, given: str | None) -> float:
        """P(word | given) for the word after ``given``; the unigram when there is no usable left context."""
        p = self.uni(word)
        if given is None or not self.weight:
            return p
        total = self.counts.get(given)
        if not total:
            return p
        return self.weight * self.pairs.get((given, word), 0.0) / total + (1 - self.weight) * p

    def score(self, h: str, prev: str | None, nxt: str | None) -> float:
        s = self.cond(h, prev)
        if nxt is not None:
            s *= self.cond(nxt, h) / self.uni(nxt)  # how much more likely the next word is after h
        return s


def repair_text(text: str, sequences: list[str], settings: DamageSettings = DAMAGE) -> tuple[str, list[Repair]]:
    """Restore the damaged words of ``text``; returns the repaired text and the repairs (offsets in it)."""
    ctx = _Context(settings.context_weight)
    matches = list(_TOKEN.finditer(text))
    cache: dict[str, dict[str, float]] = {}
    forms: list[str] = []  # each token's best guess so far (lower case), used as its neighbours' context
    matches_skip: set[int] = set()
    for m in matches:
        token = m.group(0)
        if token not in cache:
            cache[token] = candidates(token, sequences, settings) if _repairable(token) else {}
        before = text[max(0, m.start() - 2):m.start()]
        if (before[-1:] in ("'", "’") or text[m.end():m.end() + 1] in ("'", "’")
                or (token.islower() and before.rstrip()[-1:] == ".")):
            # "Reid's", "don't", "O'Brien": pieces around an apostrophe are not words of their own; a
            # lower-case word right after a full stop is part of an address or abbreviation ("yahoo. com").
            forms.append(token.lower())
            matches_skip.add(m.start())
            continue
        cands = cache[token]
        if cands and zipf(token) < settings.nonword_zipf:
            forms.append(max(cands, key=lambda c: (cands[c], c)).lower())  # a non-word: surely one of these
        else:
            forms.append(token.lower())
    out: list[str] = []
    repairs: list[Repair] = []
    last = shift = 0
    for i, m in enumerate(matches):
        cands = cache[m.group(0)]
        if not cands or m.start() in matches_skip:
            continue
        prev = forms[i - 1] if i and _adjacent(text, matches[i - 1].end(), m.start()) else None
        nxt = forms[i + 1] if i + 1 < len(matches) and _adjacent(text, m.end(), matches[i + 1].start()) else None
        token = m.group(0)
        scores = {token: ctx.score(token.lower(), prev, nxt)}
        for cand in cands:
            scores[cand] = ctx.score(cand.lower(), prev, nxt)
        best = max(scores, key=lambda h: (scores[h], h))
        confidence = scores[best] / sum(scores.values())
        if best == token or confidence < settings.min_confidence:
            continue
        repaired = _restore_case(token, best)
        forms[i] = repaired.lower()
        out.append(text[last:m.start()])
        out.append(repaired)
        start = m.start() + shift
        repairs.append(Repair(token, repaired, start, start + len(repaired), round(confidence, 3)))
        shift += len(repaired) - len(token)
        last = m.end()
    out.append(text[last:])
    return "".join(out), repairs


def _adjacent(text: str, end: int, start: int) -> bool:
    """Two tokens are neighbours for the word-pair model when only spaces (or a hyphen) separate them."""
    gap = text[end:start]
    return len(gap) <= 2 and gap.strip(" -") == ""


def repair_offsets(repairs: list[Repair]) -> list[list[int]]:
    """Breakpoints (repaired text -> damaged text) for a list of repairs, as TextBuilder writes them."""
    breaks: list[list[int]] = []
    shift = 0
    for r in repairs:
        shift += len(r.repaired) - len(r.original)
        breaks.append([r.end, r.end - shift])  # after the repaired word the damaged text is behind by shift
    return ([[0, 0]] + breaks) if breaks else []


def damage_score(text: str) -> float:
    """Share of word tokens that are non-words (a quick look, without inferring sequences)."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if zipf(t) < DAMAGE.nonword_zipf) / len(tokens)
