"""Scrapes that dropped one letter sequence everywhere ("ing" gone: "meet" for "meeting", "Beij" for
"Beijing"): detect them, infer the missing sequence(s), repair the damaged words with a confidence.

How (see docs/ingest.md for the measured figures):

1. *Missing sequences.* English text of a few hundred words contains every common letter n-gram many times.
   A sequence whose expected count here is >= ``min_expected`` but which never occurs is suspicious.
2. *Explained non-words.* Putting a suspicious sequence back into the text's non-words (Zipf < ``nonword_zipf``)
   must turn several of them into real words ("Beij" + "ing"). A sequence is inferred only when it explains
   enough distinct non-words; clean texts (names, rare words) almost never pass both tests at once.
3. *Repair.* Each token that can be the image of a word with the sequence deleted (one or two deletions, case
   kept) gets candidates; the posterior of a candidate is its frequency over the frequencies of the token
   itself (if the token is a word: "meet" may be just "meet") plus all candidates. Repairs need
   ``min_confidence``; ties stay unrepaired. The clean text is never touched when nothing is inferred.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

from wiredesk.clean.wordlist import frequencies, ngram_rates, zipf
from wiredesk.model import Repair
from wiredesk.settings import DAMAGE, DamageSettings

_TOKEN = re.compile(r"[A-Za-z]+")


@dataclass
class DamageReport:
    sequences: list[str]
    score: float  # share of the text's distinct non-words that the sequences explain
    nonword_rate: float
    expected: dict[str, float]

    def as_dict(self) -> dict:
        return {"sequences": self.sequences, "score": round(self.score, 3),
                "nonword_rate": round(self.nonword_rate, 4),
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


def candidates(token: str, sequences: list[str], settings: DamageSettings = DAMAGE) -> dict[str, float]:
    """Restorations of ``token`` that are words at least as common as ``repair_zipf``: word -> frequency."""
    freq = frequencies()
    floor = 10 ** settings.repair_zipf / 1e9
    out: dict[str, float] = {}
    for seq in sequences:
        for cand in _insertions(token, seq):
            f = freq.get(cand.lower(), 0.0)
            if f >= floor:
                out[cand] = max(out.get(cand, 0.0), f)
    return out


def _restore_case(token: str, cand: str) -> str:
    if token.isupper() and len(token) > 1:
        return cand.upper()
    return cand


def detect(text: str, settings: DamageSettings = DAMAGE) -> DamageReport | None:
    """The missing sequences of a damaged text, or None for a text that looks intact."""
    tokens = _TOKEN.findall(text)
    letters = sum(len(t) for t in tokens)
    if letters < settings.min_letters:
        return None
    nonword_floor = settings.nonword_zipf
    distinct = set(tokens)
    nonwords = {t for t in distinct if zipf(t) < nonword_floor}
    total = len(tokens)
    rate = sum(1 for t in tokens if t in nonwords) / max(total, 1)
    if len(nonwords) < settings.min_explained:
        return None
    rates = ngram_rates(settings.min_seq, settings.max_seq)
    lower_letters = sum(1 for ch in text if "a" <= ch <= "z")
    expected = {g: r * lower_letters for g, r in rates.items() if r * lower_letters >= settings.min_expected}
    missing = [g for g in expected if g not in text]
    if not missing:
        return None
    explained_by: dict[str, set[str]] = {}
    for seq in missing:
        hits = {t for t in nonwords if candidates(t, [seq], settings)}
        if len(hits) >= settings.min_explained:
            explained_by[seq] = hits
    chosen: list[str] = []
    covered: set[str] = set()
    while explained_by and len(chosen) < settings.max_sequences:
        # The sequence that explains most of what is still unexplained; shorter wins ties (its superstrings are
        # missing too, but explain fewer words).
        seq = max(explained_by, key=lambda s: (len(explained_by[s] - covered), -len(s), s))
        gain = explained_by.pop(seq) - covered
        if len(gain) < settings.min_explained or len(gain) < settings.min_explained_share * len(nonwords - covered):
            break
        chosen.append(seq)
        covered |= gain
        explained_by = {s: h for s, h in explained_by.items() if seq not in s and s not in seq}
    if not chosen:
        return None
    return DamageReport(chosen, len(covered) / len(nonwords), rate, {s: expected[s] for s in chosen})


def repair_text(text: str, sequences: list[str], settings: DamageSettings = DAMAGE) -> tuple[str, list[Repair]]:
    """Restore the damaged words of ``text``; returns the repaired text and the repairs (offsets in it)."""
    freq = frequencies()
    decisions: dict[str, tuple[str, float] | None] = {}
    out: list[str] = []
    repairs: list[Repair] = []
    last = 0
    shift = 0
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token not in decisions:
            decisions[token] = _decide(token, sequences, freq, settings)
        decision = decisions[token]
        if decision is None:
            continue
        cand, confidence = decision
        out.append(text[last:m.start()])
        start = m.start() + shift
        out.append(cand)
        repairs.append(Repair(token, cand, start, start + len(cand), round(confidence, 3)))
        shift += len(cand) - len(token)
        last = m.end()
    out.append(text[last:])
    return "".join(out), repairs


def _decide(token: str, sequences: list[str], freq: dict[str, float],
            settings: DamageSettings) -> tuple[str, float] | None:
    cands = candidates(token, sequences, settings)
    if not cands:
        return None
    own = freq.get(token.lower(), 0.0)
    best = max(cands, key=lambda c: (cands[c], c))
    confidence = cands[best] / (own + sum(cands.values()))
    if confidence < settings.min_confidence:
        return None
    return _restore_case(token, best), confidence


def repair_offsets(repairs: list[Repair]) -> list[list[int]]:
    """Breakpoints (repaired text -> damaged text) for a list of repairs, as TextBuilder writes them."""
    breaks: list[list[int]] = []
    shift = 0
    for r in repairs:
        grow = len(r.repaired) - len(r.original)
        shift += grow
        # After the repaired word the damaged text is ``shift`` characters behind.
        breaks.append([r.end, r.end - shift])
    return ([[0, 0]] + breaks) if breaks else []


def damage_score(text: str) -> float:
    """Share of alphabetic tokens that are non-words (a quick look, without inferring sequences)."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if zipf(t) < DAMAGE.nonword_zipf) / len(tokens)


__all__ = ["DamageReport", "detect", "repair_text", "candidates", "repair_offsets", "damage_score", "math"]
