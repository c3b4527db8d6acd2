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

import math
import re
import string
from dataclasses import dataclass

from wiredesk.clean.wordlist import bigrams, deletion_index, frequencies, sorted_rates, zipf
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


def candidates(token: str, sequences, settings: DamageSettings = DAMAGE) -> dict[str, float]:
    """Words (at least ``repair_zipf`` common) that become ``token`` when a sequence of ``sequences`` is deleted
    everywhere in them, with their frequencies. Case kept: a capitalised token cannot have lost its start."""
    out: dict[str, float] = {}
    for by_seq in candidates_by_seq(token, sequences, settings).values():
        out.update(by_seq)
    return out


def candidates_by_seq(token: str, sequences, settings: DamageSettings = DAMAGE) -> dict[str, dict[str, float]]:
    """Like :func:`candidates`, grouped by the sequence whose deletion explains the token."""
    if not _repairable(token):
        return {}
    index = deletion_index(settings.index_min_rate, settings.repair_zipf, settings.min_seq, settings.max_seq)
    freq = frequencies()
    lower = token.lower()
    capital = token[:1].isupper()
    entry = index.get(lower)
    if not entry:
        return {}
    out: dict[str, dict[str, float]] = {}
    # Walk the shorter side: the token's few explanations, or the text's few missing sequences.
    pairs = ((seq, entry[seq]) for seq in sequences if seq in entry) if len(sequences) < len(entry) else \
        ((seq, words) for seq, words in entry.items() if seq in sequences)
    for seq, words in pairs:
        for word in words:
            if capital and word.startswith(seq):
                continue
            cand = token[0] + word[1:] if capital else word
            out.setdefault(seq, {})[cand] = freq.get(word, 0.0)
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
    matches = list(_TOKEN.finditer(text))
    letters = sum(m.end() - m.start() for m in matches)
    if letters < settings.min_letters:
        return None
    freq = frequencies()
    lower_letters = sum(map(text.count, string.ascii_lowercase))
    expected: dict[str, float] = {}
    for rate, gram in sorted_rates(settings.min_seq, settings.max_seq):
        if rate * lower_letters < settings.min_expected:
            break
        if rate >= settings.index_min_rate and gram not in text:
            expected[gram] = rate * lower_letters
    if not expected:
        return None
    distinct = {m.group(0) for m in matches}
    by_seq: dict[str, dict[str, dict[str, float]]] = {}  # seq -> token -> restorations
    for token in distinct:
        for seq, cands in candidates_by_seq(token, expected, settings).items():
            by_seq.setdefault(seq, {})[token] = cands
    if not by_seq:
        return None
    ctx = _Context(settings.context_weight)
    explained_by: dict[str, set[str]] = {}
    strong_by: dict[str, set[str]] = {}
    for seq, tokens in by_seq.items():
        # Explained: some restoration is more common than the token as it stands.
        hits = {t for t, c in tokens.items() if max(c.values()) > freq.get(t.lower(), 0.0)}
        if len(hits) < settings.min_explained:
            continue
        # Strong: far more common ("Beij" -> "Beijing"), or sure in context ("he w not" -> "he would not").
        strong = {t for t in hits if _zipf_f(max(tokens[t].values())) - zipf(t) >= settings.strong_margin}
        for i, m in enumerate(matches):
            t = m.group(0)
            if t in hits and t not in strong:
                decision = _decide(text, matches, i, tokens[t], ctx, None)
                if decision and decision[1] >= settings.strong_confidence:
                    strong.add(t)
        if len(strong) >= settings.min_strong:
            explained_by[seq] = hits
            strong_by[seq] = strong
    chosen: list[str] = []
    covered: set[str] = set()
    while explained_by and len(chosen) < settings.max_sequences:
        # The sequence with most strong evidence still unexplained; shorter wins ties (its superstrings are
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
    nonwords = {t for t in distinct if zipf(t) < settings.nonword_zipf}
    rate = sum(1 for m in matches if m.group(0) in nonwords) / max(len(matches), 1)
    share = len(covered) / max(len(distinct), 1)
    return DamageReport(chosen, share, rate, {s: expected[s] for s in chosen}, len(covered))


def _zipf_f(f: float) -> float:
    return math.log10(f * 1e9) if f > 0 else 0.0


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


def _decide(text: str, matches: list, i: int, cands: dict[str, float], ctx: "_Context",
            forms: list[str] | None) -> tuple[str, float] | None:
    """Best reading of token ``i`` among itself and ``cands`` given its neighbours: (word, posterior)."""
    m = matches[i]
    token = m.group(0)
    before = text[max(0, m.start() - 2):m.start()]
    if (before[-1:] in ("'", "’") or text[m.end():m.end() + 1] in ("'", "’")
            or (token.islower() and before.rstrip()[-1:] == ".")):
        # "Reid's", "don't", "O'Brien": pieces around an apostrophe are not words of their own; a lower-case
        # word right after a full stop is part of an address or abbreviation ("yahoo. com").
        return None
    if token[:1].isupper() and len(token) <= 2 and text[m.end():m.end() + 1] == ".":
        return None  # an initial ("George W. Bush"), not a damaged "Would"
    if token[:1].isupper() and not _sentence_start(text, m.start()) and zipf(token) >= DAMAGE.name_zipf:
        # A capitalised word inside a sentence is a name; the word-pair model knows little about names, so a
        # known name ("Mat" Hoffman) is never turned into a common word ("Matter"). Unknown ones ("Beij") are.
        return None

    def form(j: int) -> str:
        return forms[j] if forms is not None else matches[j].group(0).lower()

    prev = form(i - 1) if i and _adjacent(text, matches[i - 1].end(), m.start()) else None
    nxt = form(i + 1) if i + 1 < len(matches) and _adjacent(text, m.end(), matches[i + 1].start()) else None
    scores = {token: ctx.score(token.lower(), prev, nxt)}
    for cand in cands:
        scores[cand] = ctx.score(cand.lower(), prev, nxt)
    best = max(scores, key=lambda h: (scores[h], h))
    if best == token:
        return None
    return best, scores[best] / sum(scores.values())


def repair_text(text: str, sequences: list[str], settings: DamageSettings = DAMAGE) -> tuple[str, list[Repair]]:
    """Restore the damaged words of ``text``; returns the repaired text and the repairs (offsets in it)."""
    ctx = _Context(settings.context_weight)
    matches = list(_TOKEN.finditer(text))
    cache: dict[str, dict[str, float]] = {}
    forms: list[str] = []  # each token's best guess so far (lower case), used as its neighbours' context
    for m in matches:
        token = m.group(0)
        if token not in cache:
            cache[token] = candidates(token, sequences, settings)
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
        if not cands:
            continue
        decision = _decide(text, matches, i, cands, ctx, forms)
        if decision is None or decision[1] < settings.min_confidence:
            continue
        token = m.group(0)
        repaired = _restore_case(token, decision[0])
        forms[i] = repaired.lower()
        out.append(text[last:m.start()])
        out.append(repaired)
        start = m.start() + shift
        repairs.append(Repair(token, repaired, start, start + len(repaired), round(decision[1], 3)))
        shift += len(repaired) - len(token)
        last = m.end()
    out.append(text[last:])
    return "".join(out), repairs


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start].rstrip(" \"'([")
    return not before or before[-1] in ".!?:\n"


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
