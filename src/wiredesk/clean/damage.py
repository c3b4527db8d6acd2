"""Scrapes that dropped one letter sequence everywhere ("ing" gone: "meet" for "meeting", "Beij" for
"Beijing"): detect them, infer the missing sequence(s), repair the damaged words with a confidence.

How (figures in docs/benchmarks/ingest.md, method in docs/ingest.md):

1. *Suspects.* Evidence of damage is a suspicious token (a non-word such as "Beij", a fragment such as "gett",
   a lone letter such as "t", or a less common word that is also a fragment, "af" for "after") that becomes a
   common word when a letter sequence is put back. So the cheap first pass looks only at the text's suspicious
   tokens; a sequence that would explain one of them, is common enough to be
   expected here at least ``min_expected`` times, and never occurs, is a suspect. Most clean articles have no
   suspect and stop here.
2. *Evidence.* For each suspect, every occurrence of every token it could explain is weighed with the word-pair
   model: log10 of P(token or a restoration | neighbours) / P(token | neighbours). Summed per distinct token
   and capped (a non-word weighs up to 4, a rare word or a name-like capitalised token 2, a common word 1, so
   a repeated name or word cannot carry a sequence alone; a token that reads far better restored at several
   places weighs a little more, so does one occurrence that reads overwhelmingly better restored ("fur" as
   "further", 10^8 times better in one dev story), and a word family, "surf"/"surfs", counts once), the evidence must reach
   ``min_evidence`` (``min_evidence_two`` when two word families each read clearly better restored); a further
   sequence needs ``min_evidence_more`` from tokens not yet explained (words inside a
   web address, "http: / / x. com / fatal _ shooti. php", are never evidence: slugs are cut short). Suspects
   explaining the same tokens are ranked by uncapped evidence; close runners-up are kept as *rivals*.
3. *Repair.* Every token that could be a word with the sequence deleted (once or twice, case kept) is a
   choice between itself and its restorations. Each hypothesis is scored with an interpolated word-pair
   model over its neighbours (P(h | previous word) * P(next word | h)), so "is go to" becomes "is going to"
   while "to go to" stays. With rivals, the posterior mixes the readings under each hypothesis about what is
   missing, weighted by its odds, so a coin-flip choice between "ould" and "ere" ("w": "would" or "were"?)
   leaves "w" alone. A lower-case fragment that wordfreq lists but the spelling dictionary lacks ("dr", "ot":
   wordfreq folds "Dr." into "dr") reads as no likelier than a rare word when a common word fits ("drive"), in
   detection too (not before a hyphen: "ex - colleagues" is a prefix). Once a sequence is inferred, a non-word
   that no common word explains is also tried with the sequence put back, down to the rarest words wordfreq lists
   ("Hansbr" -> "Hansbrough"), and a capitalised token starting with the sequence with it put back inside ("Chur"
   -> "Church": the deletion is case-sensitive). The winner must have posterior >= ``min_confidence``
   (``name_confidence`` for a known capitalised word inside a sentence, likely a name); else nothing changes.
   A second pass over the tokens left alone reads a restoration as likelier (``attested_boost``) where the article
   attests it: a non-word elsewhere was restored confidently to it or to a word containing it ("preson" ->
   "preseason" for "son" -> "season").
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

from wiredesk.clean.wordlist import bigrams, deletion_index, frequencies, ngram_rates, zipf
from wiredesk.model import Repair
from wiredesk.settings import DAMAGE, DamageSettings

# Whole letter runs that are words: not glued to digits ("17th", "76ers"), not parts of addresses ("msnbc.com",
# "@user"), not pieces of a word with accented letters ("Gérard"). Letters in the look-arounds keep the match
# whole: without them "76ers" would yield "rs".
_TOKEN = re.compile(r"(?<![\w@/.])[A-Za-z]+(?![\w@/]|\.[A-Za-z])")
_FLOOR = 1e-10  # probability of a non-word, and of an unseen word
_APOSTROPHES = ("'", "’", "‘")
#: What follows a spaced apostrophe in a contraction or possessive ("Alaska ’ s", "isn ' t", "we ' ll").
#: Guards that keep a token from being evidence but not from repair (at ``name_confidence``).
_REPAIRABLE_GUARDS = (None, "name", "hyphen")
_CLITICS = frozenset({"s", "t", "ll", "re", "ve", "d", "m", "nt"})


@dataclass
class DamageReport:
    sequences: list[str]
    score: float  # evidence (log10 likelihood ratio, capped per token) of the weakest inferred sequence
    nonword_rate: float
    expected: dict[str, float]
    explained: int = 0
    #: Close rivals of an inferred sequence: rival -> (the inferred sequence it competes with, log10 odds of the
    #: rival against it). ``repair_text`` mixes their readings in, so a coin-flip choice ("w": "would" with
    #: "ould" missing, or "were" with "ere" missing?) repairs only what both readings agree on. Not in as_dict.
    rivals: dict[str, tuple[str, float]] = field(default_factory=dict)

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
    rest = token[1:]
    return rest.islower() or not any(ch.isupper() for ch in rest)  # islower(): has no upper case, in one call


def _restore_case(token: str, cand: str) -> str:
    if token.isupper() and len(token) > 1:
        return cand.upper()
    return cand


def detect(text: str, settings: DamageSettings = DAMAGE) -> DamageReport | None:
    """The missing sequences of a damaged text, or None for a text that looks intact."""
    matches = list(_TOKEN.finditer(text))
    tokens = [m.group(0) for m in matches]
    letters = sum(map(len, tokens))
    if letters < settings.min_letters:
        return None
    # Cheap pre-check (many clean articles stop here): evidence needs a rare token (a non-word or a fragment such
    # as "gett", rarer than any repair may produce) that some missing sequence turns into a word, so only the
    # sequences explaining one of the text's few rare tokens are suspects.
    at: dict[str, list[int]] = {}  # token -> indices of its occurrences
    for i, token in enumerate(tokens):
        at.setdefault(token, []).append(i)
    guarded: dict[int, bool] = {}
    urls = _url_spans(text)

    def is_guarded(i: int) -> bool:
        """Whether occurrence ``i`` can never be evidence (a guarded form, or inside a web address); cached."""
        if i not in guarded:
            guarded[i] = _guarded(text, matches[i]) or bool(urls) and _inside(urls, matches[i].start())
        return guarded[i]

    def unguarded(token: str) -> bool:
        return any(not is_guarded(i) for i in at[token])

    # (a token none of whose occurrences may be judged, "s" in "Alaska ’ s", is no evidence: dropped here)
    odd = [t for t in at if _suspicious(t, settings) and _repairable(t) and unguarded(t)]
    if not odd:
        return None
    lower_letters = _lower_ascii_letters(text)
    floor = settings.min_expected / max(lower_letters, 1)
    expected: dict[str, float] = {}
    present: set[str] = set()
    for token in odd:
        for rate, seq in _explanations(token.lower(), settings):
            if rate < floor:
                break  # the rest are rarer still
            if seq not in expected and seq not in present:
                if seq in text:
                    present.add(seq)
                else:
                    expected[seq] = rate * lower_letters
    if not expected:
        return None
    by_seq: dict[str, dict[str, dict[str, float]]] = {}  # seq -> token -> restorations
    for token in odd:
        for seq, cands in candidates_by_seq(token, expected, settings).items():
            by_seq.setdefault(seq, {})[token] = cands
    if not by_seq:
        return None
    ctx = _Context(settings.context_weight)

    around: dict[int, tuple[str | None, str | None, float]] = {}  # occurrence -> its neighbours, its own score

    def likelihood_ratio(i: int, cands, lowered: list[str], fragment: bool) -> float:
        """log10 of P(token or one of its restorations | neighbours) / P(token | neighbours). The neighbours and
        the token's own score are worked out once per occurrence, not once per suspect weighing it; ``lowered``
        (the restorations in lower case) and ``fragment`` (:func:`_fragment`) once per token and suspect."""
        if i not in around:
            prev, nxt = _neighbours(text, matches, i, None)
            around[i] = (prev, nxt, ctx.score(matches[i].group(0).lower(), prev, nxt))
        prev, nxt, own = around[i]
        if fragment and not _prefix(text, matches[i]):  # "ot" for "riot"
            token = matches[i].group(0)
            scores = {c: ctx.score(low, prev, nxt) for c, low in zip(cands, lowered)}
            scores[token] = own
            _discount_fragments(token, scores, ctx, settings)
            own = scores.pop(token)
            return math.log10((own + sum(scores.values())) / own)
        return math.log10((own + ctx.score_sum(lowered, prev, nxt)) / own)

    hits: dict[str, int] = {}  # token -> occurrences that read better restored (for the repetition bonus)
    strongest: dict[tuple[str, str], float] = {}  # (seq, token) -> its best single occurrence (log10 LR)

    def weigh(seq: str, token: str, cands: dict[str, float]) -> float:
        total = 0.0
        n = 0
        best = 0.0
        lowered = [c.lower() for c in cands]
        fragment = _fragment(token, cands, ctx, settings)
        for i in at[token]:
            if not is_guarded(i):
                lr = likelihood_ratio(i, cands, lowered, fragment)
                if lr > settings.evidence_hit:
                    n += 1
                total += 0.0 if 0.0 > lr else lr  # max(lr, 0.0) and max(best, lr), without the calls
                if lr > best:
                    best = lr
        hits[token] = max(hits.get(token, 0), n)
        strongest[(seq, token)] = best
        return total

    # Evidence for each suspect: per occurrence, how much better the text reads when the token may also be one of
    # its restorations (log10 likelihood ratio in context), summed per distinct token, capped when judged (see
    # _evidence_base; a common word that may read better restored, "go" -> "going", weighs ``evidence_word`` at
    # most, however often it occurs, unless one occurrence reads overwhelmingly better restored: "fur" as
    # "further"). Rare tokens first: a suspect none of whose rare tokens reads better
    # restored is dropped before any common word is weighed. Uncapped sums rank suspects explaining the same
    # tokens ("w": "would" or "will"?).
    evidence: dict[str, dict[str, float]] = {}  # seq -> token -> evidence (uncapped)
    for seq, tokens in by_seq.items():
        per = {t: w for t, c in tokens.items() if (w := weigh(seq, t, c)) > 0}
        if per:
            evidence[seq] = per
    if not evidence:
        return None
    odd_set = set(odd)
    # The caps of the rare tokens are final now (their hits and strongest readings come from the loop above only).
    bases = {t: _evidence_base(t, text, at[t], matches, settings) for t in odd}
    caps = {t: b + settings.evidence_repeat * min(max(hits.get(t, 0) - 1, 0), 2) if b > settings.evidence_rare
            or not _name_like(t, text, at[t], matches) else b for t, b in bases.items()}

    def cap_for(seq: str):
        def cap(t: str) -> float:
            base = bases.get(t, settings.evidence_word)
            return caps.get(t, base) + _strength_bonus(base, strongest.get((seq, t), 0.0), settings)
        return cap

    index = deletion_index(settings.index_min_rate, settings.repair_zipf, settings.min_seq, settings.max_seq)
    # The words that the remaining suspects could explain too ("go" -> "going"): one dict lookup each first, most
    # words are no form any remaining suspect leaves.
    words: list[tuple[str, list[str]]] = []
    for token in at:
        if token not in odd_set and (entry := index.get(token.lower())):
            seqs = [s for s in evidence if s in entry] if len(evidence) < len(entry) else \
                [s for s in entry if s in evidence]
            if seqs:
                words.append((token, seqs))
    # Exact early exit (issue 9): a suspect's gain below is at most its rare tokens' capped evidence, plus the most
    # any such word may weigh (``evidence_word`` and every strong-reading bonus) per word, plus its absence
    # evidence. When no suspect can reach ``min_evidence`` that way, nothing is inferred whatever the words weigh,
    # so they are not weighed. (A loose bound: of the 634 clean ECB+ texts with evidence here, about 10 stop.)
    word_cap = settings.evidence_word + len(settings.strong_word_hits)
    n_words = dict.fromkeys(evidence, 0)
    for _, seqs in words:
        for s in seqs:
            n_words[s] += 1
    absence = {s: settings.absence_weight * expected[s] * math.log10(math.e) for s in evidence}
    # The least a first sequence may need: ``min_evidence_two`` when two word families read better restored (until
    # 2026-12-03 the bound was held against ``min_evidence`` alone, so a text the two-family rule would have carried
    # could stop here; none of the synthetic, example or ECB+ texts did, clean or with "ing"/"tion" deleted)
    least = min(settings.min_evidence, settings.min_evidence_two) if settings.min_evidence_two else \
        settings.min_evidence
    if all(sum(min(v, cap_for(s)(t)) for t, v in per.items()) + word_cap * n_words[s] + absence[s]
           < least for s, per in evidence.items()):
        return None
    for token, seqs in words:
        for seq, cands in candidates_by_seq(token, seqs, settings).items():
            w = weigh(seq, token, cands)
            if w > 0:
                evidence[seq][token] = w
    # Every cap is final now (bases, caps and strongest readings no longer change): each worked out once, not
    # twice per token and per pass below
    capped = {s: dict(zip(per, map(cap_for(s), per))) for s, per in evidence.items()}

    chosen: list[str] = []
    covered: set[str] = set()
    scores: list[float] = []
    rivals: dict[str, tuple[str, float]] = {}
    while evidence and len(chosen) < settings.max_sequences:
        # The sequence with most evidence from tokens not yet explained; shorter wins ties (its superstrings
        # are missing too, but explain fewer words).
        # Plus part of how unlikely the sequence's absence is by chance (Poisson, log10): a long text without
        # one "ment" it should show several times needs less evidence from tokens. Shrunk (``absence_weight``)
        # because the suspects are picked for being absent, among many candidates.
        gain = {s: _family_sum({t: v for t, v in per.items() if t not in covered}, capped[s].__getitem__)
                + absence[s] for s, per in evidence.items()}
        # Ranking: uncapped evidence. (Until the fourth pass the ranking added how unlikely the sequence's absence
        # is by chance, Poisson; on the dev half that picked the wrong one of two sequences explaining the same
        # tokens in 175 of 3684 articles, against 116 without it.)
        raw = {s: sum(v for t, v in per.items() if t not in covered) for s, per in evidence.items()}
        need = settings.min_evidence_more if chosen else settings.min_evidence

        def needs(s: str) -> float:
            """The first sequence needs less when two word families each read clearly better restored: one
            damaged article's few damaged words are often two distinct ones ("lea" and "un" for "leader" and
            "under"), while what carries a false suspect in clean text is one rare word ("belied", "lector")."""
            if chosen or not settings.min_evidence_two:
                return need
            fams = {_family(t) for t, v in evidence[s].items() if t not in covered and v >= settings.evidence_hit}
            return settings.min_evidence_two if len(fams) >= 2 else need
        seq = max(gain, key=lambda s: (gain[s] >= needs(s), raw[s], -len(s), s))
        if gain[seq] < needs(seq):
            break  # a second sequence lost too is far less likely a priori: it must show more evidence
        mine = {t for t in evidence[seq] if t not in covered}
        for other, per in evidence.items():
            odds = raw[other] - raw[seq]
            if other != seq and seq not in other and other not in seq and mine & per.keys() \
                    and -settings.rival_odds <= odds <= 0 and other not in rivals:
                rivals[other] = (seq, odds)
        chosen.append(seq)
        scores.append(gain[seq])
        covered |= set(evidence.pop(seq))
        evidence = {s: per for s, per in evidence.items() if seq not in s and s not in seq}
    if not chosen:
        return None
    rivals = {r: v for r, v in rivals.items() if r not in chosen}
    nonwords = {t for t in at if zipf(t) < settings.nonword_zipf}
    rate = sum(1 for m in matches if m.group(0) in nonwords) / max(len(matches), 1)
    return DamageReport(chosen, round(min(scores), 3), rate, {s: expected[s] for s in chosen}, len(covered), rivals)


def _lower_ascii_letters(text: str) -> int:
    """``sum(map(text.count, string.ascii_lowercase))`` in one pass: in UTF-8 the bytes a-z stand only for
    themselves (every byte of a multi-byte character has its high bit set), so counting them in the encoded text
    counts the letters."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, _ASCII_LOWER))


_ASCII_LOWER = string.ascii_lowercase.encode("ascii")


def _family_sum(per: dict[str, float], cap) -> float:
    """Capped evidence summed over word families: "surf" and "surfs" (both "surface" without "ace") are one
    piece of evidence, weighing at most the larger of their caps."""
    families: dict[str, list[str]] = {}
    for t in per:
        families.setdefault(_family(t), []).append(t)
    return sum(min(sum(min(per[t], cap(t)) for t in ts), max(cap(t) for t in ts)) for ts in families.values())


def _family(token: str) -> str:
    form = token.lower()
    return form[:-1] if len(form) > 3 and form.endswith("s") else form


@functools.lru_cache(maxsize=65536)
def _explanations(form: str, settings: DamageSettings) -> tuple[tuple[float, str], ...]:
    """(rate, sequence) for every sequence whose deletion turns some common word into ``form``, commonest first."""
    index = deletion_index(settings.index_min_rate, settings.repair_zipf, settings.min_seq, settings.max_seq)
    rates = ngram_rates(settings.min_seq, settings.max_seq)
    return tuple(sorted(((rates[seq], seq) for seq in index.get(form, ())), reverse=True))


def _evidence_base(token: str, text: str, where: list[int], matches: list, settings: DamageSettings) -> float:
    """How much one suspicious token may weigh: a non-word or lone letter ``evidence_nonword``; a rare word
    ("surfs", "warded") or a capitalised unknown inside sentences only (a name: "Casty", "Reguly")
    ``evidence_rare``; a word that is also a common fragment ("af", "morn", "bro") ``evidence_word``.

    A token that reads clearly better restored at several places ("af the fire", "af he left", "af ...") is
    stronger evidence than one such place: each further such occurrence adds ``evidence_repeat`` (up to two;
    added by the caller). Not for name-like tokens: a repeated name reads "better" as a common word everywhere
    alike ("Casty")."""
    if _name_like(token, text, where, matches):
        return settings.evidence_rare
    if _nonword(token, settings):
        return settings.evidence_nonword
    if _rare(token, settings):
        return settings.evidence_rare
    return settings.evidence_word


def _name_like(token: str, text: str, where: list[int], matches: list) -> bool:
    return token[:1].isupper() and not any(_sentence_start(text, matches[i].start()) for i in where)


def _strength_bonus(base: float, best: float, settings: DamageSettings) -> float:
    """Extra weight for a word or rare/name-like token one of whose occurrences reads overwhelmingly better
    restored (``best``, log10 likelihood ratio): "fur" as "further" (10^8 in one dev story), "Wasgton" (10^12). Such
    readings are rare in clean text (on the clean dev half, odd topics: 1 word token at 10^6 or more, none at
    10^8; no name-like token at 10^6) but common in damaged text, so one strong hit may stand in for a second
    weak token. Non-words are capped high already."""
    if base <= settings.evidence_word:
        return sum(1.0 for x in settings.strong_word_hits if best >= x)
    if base <= settings.evidence_rare:
        return sum(1.0 for x in settings.strong_rare_hits if best >= x)
    return 0.0


def _suspicious(token: str, settings: DamageSettings = DAMAGE) -> bool:
    """Can raise a suspect: rare (see :func:`_rare`), or a word below ``suspect_zipf`` that is also what a
    common word leaves when a sequence is deleted ("af" for "after", "morn" for "morning"). (One Zipf look-up:
    rare-or-below-suspect_zipf is below the higher of the two bounds, or a lone letter other than "a"/"I".)"""
    return len(token) == 1 and token not in "aAI" or zipf(token) < max(settings.repair_zipf, settings.suspect_zipf)


def _rare(token: str, settings: DamageSettings = DAMAGE) -> bool:
    """Rarer than any repair may be (a non-word or a fragment such as "gett"), or a lone letter other than "a"/"I"
    (news text has none once initials, contractions and hyphenated prefixes are set aside: a lone "t" or "w" is
    what "that" or "would" leave behind)."""
    return zipf(token) < settings.repair_zipf or (len(token) == 1 and token not in "aAI")


def _nonword(token: str, settings: DamageSettings = DAMAGE) -> bool:
    """Not an English word, or a lone letter other than "a"/"I" (news text has none once initials, contractions
    and hyphenated prefixes are set aside: a lone "t" or "w" is what "that" or "would" leave behind)."""
    return zipf(token) < settings.nonword_zipf or (len(token) == 1 and token not in "aAI")


# A web address as scraped text writes it, also spaced out as tokenised corpora do ("http: / / www. x. co. uk /
# paris _ jewellery _ stolen _ in _ casty _ shop"): from its scheme or "www." while the pieces stay joined by
# "/", ".", "_", "-", ":" or "=" (a space alone ends it).
_URL = re.compile(r"(?:\b(?i:https?)\s?:\s?/\s?/\s?|\b(?i:www)\s?\.\s?)(?:[\w%?&#~+]+| ?[/._\-:=] ?)*")


def _url_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _URL.finditer(text)] if "/" in text or "www" in text.lower() else []


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    """Whether a token starting at ``at`` lies in one of the web addresses: never evidence of damage. A slug is
    not prose: it is cut short ("fatal _ shooti. php"), writes names in lower case ("casty") and has no
    word-pair context, so it reads "better restored" by chance (three of the six clean ECB+ articles changed by
    the fourth-pass detector were carried by slug words, and a fourth, "arson", partly). Repair still restores
    them once a sequence is inferred from the prose."""
    return any(s <= at < e for s, e in spans)


def _guarded(text: str, m: re.Match) -> bool:
    """Tokens that are never judged as evidence of damage (see :func:`_guard`)."""
    token = m.group(0)
    if len(token) > 1 and token.islower():
        # Most tokens: a lower-case word of two letters or more meets only _guard's apostrophe and full-stop tests,
        # which need an apostrophe or a stop among the two characters before it or an apostrophe among the two
        # after it; without one it is judged (tested equal to _guard)
        start, end = m.span()
        before = text[max(0, start - 2):start]
        after = text[end:end + 2]
        if "." not in before and not any(a in before or a in after for a in _APOSTROPHES):
            return False
    return _guard(text, m) is not None


def _guard(text: str, m: re.Match) -> str | None:
    """Why a token is not judged, or None. Clitics: the piece after an apostrophe ("s", "t", "ll" in "Reid's",
    "don't", also "Alaska ’ s" as tokenised corpora write them) and the piece before "n't" or a lone letter
    before one ("isn", "O'Neill"); the word before a possessive ("family's", "build's") is judged like any word.
    A lone letter glued to a hyphen ("e-mail"); a lower-case word right after a full stop (part of an address or
    abbreviation: "yahoo. com", "p. m."); an initial ("George W. Bush"); and a capitalised known word inside a
    sentence, "name": the word-pair model knows little about names, so a known name, "Mat" Hoffman, is no
    evidence of damage (unknown ones, "Beij", are judged); once damage is inferred, repair may still restore a
    name-like token when the context is near certain ("Betty Ford Cen" -> "Center", ``name_confidence``)."""
    token = m.group(0)
    before = text[max(0, m.start() - 2):m.start()]
    after = text[m.end():m.end() + 5]  # room for a spaced clitic: "Creighton ’ s"
    if before[-1:] in _APOSTROPHES:
        return "clitic"  # glued to the apostrophe: "don't", "O'Neill", "'n'"
    if before[:1] in _APOSTROPHES and before[1:] == " " and token.lower() in _CLITICS:
        return "clitic"  # spaced as tokenised corpora write it: "Alaska ’ s"; a word after a plural possessive,
        # "the Karamanlis' cervative party", is an ordinary word and judged
    if after[:1] in _APOSTROPHES or after[1:2] in _APOSTROPHES and after[:1] == " ":
        rest = after.lstrip(" ")[1:].lstrip(" ")[:1]
        if len(token) == 1 or rest in ("t", "T") or not rest.isalpha():
            return "clitic"
    if len(token) == 1 and (before.rstrip()[-1:] == "-" or after.lstrip()[:1] == "-"):
        return "hyphen"
    if token.islower() and before.rstrip()[-1:] == ".":
        return "after-stop"
    if token[:1].isupper() and len(token) <= 2 and after[:1] == ".":
        return "initial"
    if token[:1].isupper() and not _sentence_start(text, m.start()) and zipf(token) >= DAMAGE.name_zipf:
        return "name"
    return None


def _neighbours(text: str, matches: list, i: int, forms: list[str] | None) -> tuple[str | None, str | None]:
    """The words before and after token ``i`` when adjacent (lower case, or their ``forms``), else None."""
    m = matches[i]
    prev = nxt = None
    if i and _adjacent(text, (before := matches[i - 1]).end(), m.start()):
        prev = forms[i - 1] if forms is not None else before.group(0).lower()
    if i + 1 < len(matches) and _adjacent(text, m.end(), (after := matches[i + 1]).start()):
        nxt = forms[i + 1] if forms is not None else after.group(0).lower()
    return prev, nxt


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

    def score_sum(self, hs: list[str], prev: str | None, nxt: str | None) -> float:
        """``sum(self.score(h, prev, nxt) for h in hs)``, the same floating-point operations in the same order,
        with what the neighbours alone decide (their counts, the next word's frequency) looked up once: detection
        asks this for every occurrence of every word a suspect could explain (tested equal)."""
        freq, pairs, counts, weight = self.freq, self.pairs, self.counts, self.weight
        given = counts.get(prev) if prev is not None and weight else None  # falsy: P(h | prev) is the unigram
        if nxt is not None:
            after = freq.get(nxt, 0.0) or _FLOOR  # also P(next) itself: the unigram of cond(nxt, h) below
        total = 0
        for h in hs:
            p = freq.get(h, 0.0) or _FLOOR
            s = weight * pairs.get((prev, h), 0.0) / given + (1 - weight) * p if given else p
            if nxt is not None:
                count = counts.get(h) if weight else None
                s *= (weight * pairs.get((h, nxt), 0.0) / count + (1 - weight) * after if count else after) / after
            total += s
        return total


def _readings(text: str, matches: list, i: int, cands: dict[str, float], ctx: "_Context",
              forms: list[str]) -> dict[str, float]:
    """Context score of each reading of token ``i``: itself and each of its restorations."""
    token = matches[i].group(0)
    prev, nxt = _neighbours(text, matches, i, forms)
    scores = {token: ctx.score(token.lower(), prev, nxt)}
    for cand in cands:
        scores[cand] = ctx.score(cand.lower(), prev, nxt)
    return scores


def repair_text(text: str, sequences: list[str], settings: DamageSettings = DAMAGE,
                rivals: dict[str, tuple[str, float]] | None = None) -> tuple[str, list[Repair]]:
    """Restore the damaged words of ``text``; returns the repaired text and the repairs (offsets in it).

    ``rivals`` (from :class:`DamageReport`): sequences that may be missing instead of one of ``sequences``,
    with their log10 odds. A reading's posterior is then the mixture over these hypotheses, so a repair made
    only under the inferred sequence is as uncertain as the choice of sequence."""
    ctx = _Context(settings.context_weight)
    matches = list(_TOKEN.finditer(text))
    # The hypotheses about what is missing, with their probabilities: the inferred set, and the set with one
    # sequence swapped for each of its rivals.
    hypotheses: list[tuple[float, tuple[str, ...]]] = [(1.0, tuple(sequences))]
    for rival, (replaced, odds) in (rivals or {}).items():
        hypotheses.append((10 ** odds, tuple(rival if s == replaced else s for s in sequences)))
    z = sum(w for w, _ in hypotheses)
    hypotheses = [(w / z, seqs) for w, seqs in hypotheses]
    every = sorted({s for _, seqs in hypotheses for s in seqs})
    cache: dict[str, dict[str, dict[str, float]]] = {}
    guess: list[str] = []  # each token's best guess before any decision (lower case), its neighbours' context
    guards: dict[int, str | None] = {}
    for i, m in enumerate(matches):
        token = m.group(0)
        if token not in cache:
            cache[token] = candidates_by_seq(token, every, settings)
            _add_rare_restorations(token, every, cache[token], settings)
            _add_initial_restorations(token, every, cache[token], settings)
        cands = {c: f for seq in sequences for c, f in cache[token].get(seq, {}).items()}
        if cands and zipf(token) < settings.nonword_zipf:
            guess.append(max(cands, key=lambda c: (cands[c], c)).lower())  # a non-word: surely one of these
        else:
            guess.append(token.lower())
        if cands:
            guards[i] = _guard(text, m)
    # Guarded tokens are no evidence, but once damage is inferred a name-like token or a lone letter beside a
    # hyphen ("16 - y - old" for "16-year-old", while "e-mail" stays) is restored when the context is near certain.
    todo = [i for i, g in guards.items() if g in _REPAIRABLE_GUARDS]

    forms = list(guess)

    def decide(i: int, attested: frozenset[str] = frozenset()) -> tuple[str, float] | None:
        """The repair of token ``i`` (restoration, posterior), or None to leave it. A restoration that the article
        attests (see below) has its context score multiplied by 10^``attested_boost``."""
        m = matches[i]
        token = m.group(0)
        by_seq = cache[token]
        union = {c: f for per in by_seq.values() for c, f in per.items()}
        scores = _readings(text, matches, i, union, ctx, forms)
        if not _prefix(text, m):
            _discount_fragments(token, scores, ctx, settings)
        if attested:
            for h in scores:
                if h != token and _attested(h.lower(), attested):
                    scores[h] *= 10 ** settings.attested_boost
        # The posterior mixes each hypothesis's readings by the hypothesis's weight. A hypothesis under which a
        # non-word ("arred") has no restoration would read it as the non-word it is, which explains nothing: it
        # is left out for this token (the others renormalised), so a rival that does not touch the token
        # cannot veto its repair. A coin flip between two restorations ("n": "even" or "been"?) still splits.
        nonword = _nonword(token, settings)
        mix = []
        for weight, seqs in hypotheses:
            readings = {token} | {c for seq in seqs for c in by_seq.get(seq, ())}
            if not (nonword and len(readings) == 1):
                mix.append((weight, readings))
        mix = mix or [(1.0, {token})]
        norm = sum(w for w, _ in mix)
        post: dict[str, float] = {}
        for weight, readings in mix:
            z = sum(scores[h] for h in readings) or 1.0
            for h in readings:
                post[h] = post.get(h, 0.0) + weight / norm * scores[h] / z
        best = max(post, key=lambda h: (post[h], h))
        if best == token or post[best] < _threshold(guards[i], settings):
            return None
        return best, post[best]

    decided: dict[int, tuple[str, float]] = {}
    for i in todo:  # left to right, each decision becoming its right neighbour's context ("is go to" -> "going")
        if (d := decide(i)) is not None:
            decided[i] = d
            forms[i] = d[0].lower()
    # Second pass, for the tokens left alone: a restoration is likelier where the article attests it, i.e. where a
    # non-word elsewhere in it was restored, confidently, to that word or one containing it ("arted" ->
    # "arrested" makes "art" -> "arrest" likelier; "preson" -> "preseason", "son" -> "season"). The non-word
    # repair is independent evidence that the word occurs here: a cache over the article's confident repairs.
    if settings.attested_boost:
        attested = frozenset(d[0].lower() for i, d in decided.items() if d[1] >= settings.attested_confidence
                             and _nonword(matches[i].group(0), settings))
        if attested:
            for i in todo:
                if i not in decided and (d := decide(i, attested)) is not None:
                    decided[i] = d
                    forms[i] = d[0].lower()

    out: list[str] = []
    repairs: list[Repair] = []
    last = shift = 0
    for i in sorted(decided):
        m = matches[i]
        token = m.group(0)
        best, confidence = decided[i]
        repaired = _restore_case(token, best)
        out.append(text[last:m.start()])
        out.append(repaired)
        start = m.start() + shift
        repairs.append(Repair(token, repaired, start, start + len(repaired), round(confidence, 3)))
        shift += len(repaired) - len(token)
        last = m.end()
    out.append(text[last:])
    return "".join(out), repairs


def _attested(word: str, attested: frozenset[str]) -> bool:
    """Whether ``word`` (a restoration, lower case) is one of the article's confident non-word repairs or part of
    one ("arrest" in "arrested", "season" in "preseason"); at least four letters, so "art" never counts."""
    return len(word) >= 4 and any(word in a for a in attested)


def _add_rare_restorations(token: str, sequences, by_seq: dict[str, dict[str, float]],
                           settings: DamageSettings) -> None:
    """Once a sequence is inferred, a non-word that no common word explains ("Hansbr", "impeled") may still be a
    rarer word with the sequence deleted: a name ("Hansbrough", "Wasilla", Zipf 1.9-2.0) or an uncommon word
    ("imperiled", 2.4), below ``repair_zipf`` and so outside the deletion index. The sequence is put back at
    every place (once or twice; never first in a capitalised token, which cannot have lost its start) and each
    result that wordfreq lists at Zipf >= ``rare_repair_zipf`` and that turns back into the token is added. Only
    for repair: detection never sees these (a rare word is weak evidence, and clean text never reaches here)."""
    if not settings.rare_repair_zipf or zipf(token) >= settings.nonword_zipf or len(token) < 2 \
            or not _repairable(token):
        return
    freq = frequencies()
    floor = 10 ** settings.rare_repair_zipf / 1e9
    lower = token.lower()
    first = 1 if token[:1].isupper() else 0
    for seq in sequences:
        if by_seq.get(seq):
            continue
        found: dict[str, float] = {}
        for word in _put_back(lower, seq, first):
            f = freq.get(word, 0.0)
            if f >= floor and word.replace(seq, "") == lower:
                found[token[0] + word[1:] if first else word] = f
        if found:
            by_seq[seq] = found


def _put_back(lower: str, seq: str, start: int) -> Iterator[str]:
    """``lower`` with ``seq`` put back once at each place from ``start`` on, and again at each later place: the
    candidate words a token that lost ``seq`` once or twice can have been."""
    for i in range(start, len(lower) + 1):
        once = lower[:i] + seq + lower[i:]
        yield once
        for j in range(i + len(seq), len(once) + 1):
            yield once[:j] + seq + once[j:]


def _add_initial_restorations(token: str, sequences, by_seq: dict[str, dict[str, float]],
                              settings: DamageSettings) -> None:
    """A capitalised word that starts with the sequence keeps it there (the deletion is case-sensitive) and loses it
    inside: "Church" with "ch" missing is "Chur", which the lower-case deletion index ("church" -> "ur") cannot
    find. For a capitalised token starting with a sequence, the sequence is put back after that start (once or
    twice); a word at least ``repair_zipf`` common (``rare_repair_zipf`` for a non-word) that deletes back to the
    token is added."""
    if not token[:1].isupper() or not _repairable(token):
        return
    lower = token.lower()
    freq = frequencies()
    nonword = zipf(token) < settings.nonword_zipf
    floor = 10 ** (settings.rare_repair_zipf if nonword and settings.rare_repair_zipf else settings.repair_zipf) / 1e9
    for seq in sequences:
        if not lower.startswith(seq):
            continue
        for word in _put_back(lower, seq, len(seq)):
            f = freq.get(word, 0.0)
            cand = token[0] + word[1:]
            if f >= floor and cand.replace(seq, "") == token:
                by_seq.setdefault(seq, {})[cand] = f


def _fragment(token: str, cands, ctx: "_Context", settings: DamageSettings) -> bool:
    """A lower-case word form that wordfreq lists but the spelling dictionary (symspellpy's 83k words) does not:
    an abbreviation or fragment ("st", "dr", "ot", "eh": wordfreq folds "St." and "Dr." into them), rarely a word
    of lower-case prose, while one of its restorations is a common word (Zipf >= ``suspect_zipf``: "st" for
    "shot", "ot" for "riot"). Non-words are read as such already."""
    return (len(token) > 1 and token.islower() and bool(ctx.counts) and token not in ctx.counts
            and not _nonword(token, settings) and any(zipf(c) >= settings.suspect_zipf for c in cands))


def _discount_fragments(token: str, scores: dict[str, float], ctx: "_Context", settings: DamageSettings) -> None:
    """Read a fragment (:func:`_fragment`) as itself, and any restoration that is no dictionary word either ("en"
    -> "chen"), as no likelier than the rarest word a repair may produce (Zipf ``repair_zipf``): their wordfreq
    frequency counts other uses (capitalised names, abbreviations) than a lower-case word of prose. Without the
    discount "ot" stays for "riot" and "dr" for "drive" whenever the word pairs are silent, which they are for
    most such pairs, since the fragment's wordfreq frequency is as high as its restoration's."""
    if not _fragment(token, [c for c in scores if c != token], ctx, settings):
        return
    floor = 10 ** settings.repair_zipf / 1e9
    for h in scores:
        if h.lower() not in ctx.counts:
            scores[h] *= min(1.0, floor / ctx.uni(h.lower()))


def _prefix(text: str, m: re.Match) -> bool:
    """A lower-case form right before a hyphen is a prefix of a compound ("ex - colleagues", "co - founder", as
    tokenised corpora space them), a word of prose: it is not discounted as a fragment (without this, "ex" became
    "exist" or "extra" once "ist" or "tra" was inferred)."""
    return text[m.end():m.end() + 2].lstrip()[:1] == "-"


def _threshold(guard: str | None, settings: DamageSettings) -> float:
    """Posterior a repair needs: higher for a name-like token (a known capitalised word inside a sentence)."""
    return settings.name_confidence if guard is not None else settings.min_confidence


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3):start].rstrip(" \"'([")
    return not before or before[-1] in ".!?:\n"


def _adjacent(text: str, end: int, start: int) -> bool:
    """Two tokens are neighbours for the word-pair model when only spaces (or a hyphen) separate them."""
    if start - end == 1:
        return text[end] in " -"  # most pairs: one space between them
    gap = text[end:start]
    return len(gap) <= 3 and gap.strip(" -") == ""  # " - ": hyphens spaced out as tokenised corpora write them


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
