"""Issue 3 figures: ingestion+cleaning speed, damage repair on ECB+ with held-out deleted sequences, and
publication-date accuracy on the team-written set beside htmldate and trafilatura.

    .venv/bin/python benchmarks/bench_ingest.py            # everything (about 10 minutes on 2 cores)
    .venv/bin/python benchmarks/bench_ingest.py --quick    # fewer articles per sequence

Writes docs/benchmarks/ingest.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SHARED_DATA, machine_info, peak_rss_mib, versions, write_section  # noqa: E402

from wiredesk.clean import clean_article  # noqa: E402
from wiredesk.clean.wordlist import ngram_rates, zipf  # noqa: E402
from wiredesk.ingest import iter_articles  # noqa: E402
from wiredesk.ingest.ids import article_id  # noqa: E402
from wiredesk.ingest.pubdate import assign_publication_date  # noqa: E402
from wiredesk.model import Article  # noqa: E402

#: Sequences the damage detector was tuned on (docs/ingest.md); never part of the held-out score.
TUNING = ("ing", "tion")
_TOKEN = re.compile(r"[A-Za-z]+")
PUBDATE_SET = REPO / "tests" / "data" / "ingest" / "pubdate"


#: The first held-out draw (seed 2026). Its figures were looked at (commit c5af83f) before the detector was
#: changed, so it is reported as "seen"; the fresh draw below (seed 2027, excluding these) is the honest score.
SEEN = ("ally", "ate", "con", "hin", "ould", "rea", "sta", "ter")
#: Tried once in early exploration (docs/ingest.md), so excluded from the fresh draw as well.
EXPLORED = ("ent", "ver")
#: The second held-out draw (seed 2027), scored at 19fbc40; the evidence-based detector (issue 3, second pass)
#: was then tuned on it with the sequences above, on odd-numbered ECB+ topics only, so it is "seen" too.
SEEN_2027 = ("ati", "com", "ere", "eve", "ome", "tha", "ther", "wit")
#: The third draw (seed 2028), scored once at 586ef29 with the method of the second pass. Its totals and
#: per-sequence figures were read before the third pass (issue 3: recall), but nothing was run or tuned on it
#: since: "looked at once before", no longer blind.
HELD_SEED = 2028
HELD_2028 = ("ers", "est", "ight", "ith", "ment", "ted", "thi", "thin")
#: The fourth draw (seed 2029), the blind figure of the third pass: the same rule, excluding every sequence
#: above; the pool of the first rule was nearly used up (3 left), so it takes the 80 most frequent trigrams and
#: 40 most frequent 4-grams instead of 40 and 20. Scored once at 6a3d127; its figures were read before the
#: fourth pass and it was run on odd topics as a check during it (never tuned on): "looked at".
HELD_2029_SEED = 2029
HELD_2029 = ("abou", "der", "ess", "ght", "ions", "ple", "ste", "tra")
#: The fifth draw (seed 2030), the blind figure of the fourth pass: the same wider rule, excluding every
#: sequence above (33 were left in the pool). Scored once at a5f3266; its figures were read before the fifth
#: pass and it was run on odd topics during it, as a check (never tuned on): "looked at".
HELD_2030_SEED = 2030
HELD_2030 = ("ant", "ave", "fro", "ist", "othe", "oun", "rom", "uld")
#: The sixth draw (seed 2031), the blind figure after the fifth pass (which kept the detector of a5f3266: every
#: change it tried measured no better on the dev half and was dropped): the same wider rule, excluding every
#: sequence above (25 were left in the pool). Scored once at 834fac8; its figures were read before the sixth
#: pass (never run or tuned on during it): "looked at".
HELD_2031_SEED = 2031
HELD_2031 = ("ain", "atio", "igh", "ons", "ore", "oth", "tin", "ust")
#: The seventh draw (seed 2032), the blind figure of the sixth pass: the same wider rule, excluding every
#: sequence above. Scored once at ac2e443; then read and analysed on odd topics during the seventh pass (never
#: tuned on one by one): "looked at".
HELD_2032_SEED = 2032
HELD_2032 = ("ear", "ect", "ine", "ive", "nce", "ough", "ound", "und")
#: The eighth draw (seed 2033), the blind figure after the seventh pass: the same wider rule, excluding every
#: sequence above and, from this draw on, every sequence overlapping one ("oun" / "ound": a substring either
#: way), so the blind sequences share no damaged forms with anything looked at. Scored once after dab1130; then
#: analysed on odd topics in the eighth pass (never tuned on one by one): "looked at". It used up the pool.
HELD_2033_SEED = 2033
HELD_2033 = ("ame", "bout", "han", "hav", "ide", "int", "ove", "res")
#: The ninth draw (seed 2034). The trigram/4-gram pool is used up, so a new rule, fixed before drawing
#: (docs/ingest.md): the 60 most frequent letter bigrams and the 60 most frequent 4-grams of English
#: (wordfreq-weighted, as before), minus common words and every sequence overlapping one used before. Meant as
#: the eighth pass's blind figure, but a development harness that drew "the current blind draw" scored its odd
#: topics (every second article) once, with a variant that was then dropped on the older draws alone: "looked
#: at" (odd topics only; its even topics never ran before the benchmark).
HELD_2034_SEED = 2034
HELD_2034 = ("ctio", "li", "ri", "se", "si", "sion", "ur", "whic")
#: The tenth draw (seed 2035), the blind figure after the eighth pass: the same bigram/4-gram rule, excluding
#: 2034 too; only 7 sequences were left, so it is the whole remaining pool. Scored once at 4374f97; analysed on
#: odd topics in the ninth pass: "looked at".
HELD_2035_SEED = 2035
HELD_2035 = ("ch", "fo", "heir", "hich", "ho", "thei", "woul")
#: The eleventh draw (seed 2036), the blind figure after the ninth pass. The bigram/4-gram pool is used up, so a
#: third rule, fixed before drawing (docs/ingest.md): the next band of each length by English letter frequency,
#: the band after the one an earlier rule took (``BANDS``), minus common words, the tuning sequences and every
#: sequence overlapping one used before.
HELD_2036_SEED = 2036
#: The eleventh draw, scored once after 3973427; analysed on odd topics in the tenth pass (and its even topics
#: run as a check): "looked at".
HELD_2036 = ("ead", "ery", "ie", "il", "ind", "ite", "jus", "ow")
#: The twelfth draw (seed 2037), the blind figure after the tenth pass: the same band rule, fixed before drawing
#: (docs/ingest.md), excluding the 2036 draw and everything overlapping it too. Scored once after 3bde859; its
#: errors read and analysed on odd topics in the eleventh pass (even topics run as a check): "looked at".
HELD_2037_SEED = 2037
HELD_2037 = ("ac", "di", "eas", "iona", "ity", "lea", "oo", "wor")
#: The thirteenth draw (seed 2038), the blind figure after the eleventh pass: the same band rule, fixed before
#: drawing (docs/ingest.md), excluding the 2037 draw and everything overlapping it too.
BLIND_SEED = 2038
#: What the seed-2038 draw took (``blind_sequences()``; see there for the missing exclusion).
DRAWN_2038 = ("ay", "hen", "iona", "ke", "nti", "onal", "rt", "yo")


def blind_group() -> list[str]:
    """The blind group: the 2038 draw without the sequences an earlier draw holds (a substring either way): "iona"
    is in the 2037 draw (held37, looked at), which the draw should have excluded."""
    earlier = HELD_2028 + HELD_2029 + HELD_2030 + HELD_2031 + HELD_2032 + HELD_2033 + HELD_2034 + HELD_2035 + \
        HELD_2036 + HELD_2037
    return [s for s in blind_sequences() if not any(s in t or t in s for t in earlier)]
#: (length, first rank, last rank), ranks from 1 by wordfreq-weighted frequency (``wordlist.ngram_rates``):
#: bigrams 61-120 (the 2034 rule took 1-60), trigrams 81-160 (the 2029 rule took 1-80), 4-grams 61-120 (1-60).
BANDS = ((2, 61, 120), (3, 81, 160), (4, 61, 120))


def band_sequences(seed: int, exclude: tuple[str, ...], k: int = 8) -> list[str]:
    """The third rule (seed 2036 on): the n-grams ranked within ``BANDS`` by frequency in English (letters of the
    50,000 commonest words, weighted by word frequency: the statistic of every earlier rule), minus anything that
    is itself a common word (Zipf >= 4.5), the tuning sequences, and every sequence overlapping one of
    ``exclude`` (a substring either way); ``k`` drawn with a fixed seed."""
    rates = ngram_rates(2, 4)
    pool = []
    for n, first, last in BANDS:
        ranked = sorted((g for g in rates if len(g) == n), key=lambda g: -rates[g])
        pool += [g for g in ranked[first - 1:last] if zipf(g) < 4.5
                 and not any(g in t or t in g for t in exclude + TUNING)]
    return sorted(random.Random(seed).sample(pool, min(k, len(pool))))

def held_out_sequences(k: int = 8, seed: int = HELD_SEED,
                       exclude: tuple[str, ...] = SEEN + EXPLORED + SEEN_2027, top: tuple[int, int] = (40, 20),
                       overlap: bool = False, lengths: tuple[int, int] = (3, 4)) -> list[str]:
    """The rule fixed before any held-out run: the 40 most frequent letter trigrams and 20 most frequent
    4-grams of English (wordfreq-weighted; ``top``), minus the tuning sequences, anything overlapping them, and
    anything that is itself a common word (Zipf >= 4.5: deleting "the" erases whole words, a different
    problem); then ``k`` drawn with a fixed seed. With ``overlap`` a sequence overlapping an excluded one (either
    a substring of the other) is excluded too. ``lengths``: the two n-gram lengths the pool takes ``top`` from
    (3 and 4 until the eighth draw; 2 and 4 for the ninth)."""
    short, long = lengths
    rates = ngram_rates(short, long)
    top3 = [g for g, _ in sorted(((g, v) for g, v in rates.items() if len(g) == short), key=lambda x: -x[1])][:top[0]]
    top4 = [g for g, _ in sorted(((g, v) for g, v in rates.items() if len(g) == long), key=lambda x: -x[1])][:top[1]]
    pool = [g for g in top3 + top4 if not any(g in t or t in g for t in TUNING) and zipf(g) < 4.5
            and g not in exclude and not (overlap and any(g in t or t in g for t in exclude))]
    return sorted(random.Random(seed).sample(pool, min(k, len(pool))))  # a used-up pool: all of it


def blind_sequences(seed: int = BLIND_SEED) -> list[str]:
    """The thirteenth draw (seed 2038): the blind held-out score after the eleventh pass, by the band rule
    (``band_sequences``), every earlier draw excluded. With an earlier seed (2029-2037) and the draws from that
    seed on not excluded, that earlier draw (2029-2033: the wider trigram/4-gram rule; 2034-2035: the
    bigram/4-gram rule; 2036-2037: the band rule)."""
    used = SEEN + EXPLORED + SEEN_2027 + HELD_2028
    if seed > HELD_2029_SEED:
        used += HELD_2029
    if seed > HELD_2030_SEED:
        used += HELD_2030
    if seed > HELD_2031_SEED:
        used += HELD_2031
    if seed > HELD_2032_SEED:
        used += HELD_2032
    if seed > HELD_2033_SEED:
        used += HELD_2033
        if seed > HELD_2034_SEED:
            used += HELD_2034
        if seed > BLIND_SEED:  # a later draw: every draw so far excluded, 2037 and 2038 too
            return band_sequences(seed, used + HELD_2035 + HELD_2036 + HELD_2037 + DRAWN_2038)
        if seed > HELD_2036_SEED:
            # The 2038 draw as made: the 2037 exclusion written into the rule was missing here (an edit that did not
            # apply), so the pool still held the 2037 draw and the draw took "iona" from it again; bench_damage
            # scores the blind group without it (``blind_group``).
            return band_sequences(seed, used + HELD_2035 + HELD_2036)
        if seed > HELD_2035_SEED:
            return band_sequences(seed, used + HELD_2035)
        return held_out_sequences(seed=seed, exclude=used + TUNING, top=(60, 60), overlap=True, lengths=(2, 4))
    return held_out_sequences(seed=seed, exclude=used + TUNING, top=(80, 40), overlap=seed > HELD_2032_SEED)


def ecbplus_texts() -> list[tuple[str, str]]:
    files = sorted((SHARED_DATA / "ecbplus").glob("*/*.xml"))
    return [(a.path, a.raw_text) for a in iter_articles(files) if isinstance(a, Article)]


def _fresh(text: str, path: str) -> Article:
    return Article(id=article_id(text), path=path, raw_text=text)


def _score_one(args: tuple[str, str, str]) -> dict:
    """Damage one article by deleting ``seq`` everywhere, clean it, score the repairs word by word."""
    seq, path, raw = args
    original = [(m.start(), m.group()) for m in _TOKEN.finditer(raw)]
    damaged_raw = raw.replace(seq, "")
    damaged = [(m.start(), m.group()) for m in _TOKEN.finditer(damaged_raw)]
    truth: dict[int, str] = {}  # damaged-raw offset of each surviving word -> the word before damage
    vanished = 0
    j = 0
    for _, word in original:
        left = word.replace(seq, "")
        if not left:
            vanished += 1
            continue
        truth[damaged[j][0]] = word
        j += 1
    article = clean_article(_fresh(damaged_raw, path))
    correct = wrong = 0
    fixed: set[int] = set()
    found = seq in (article.damage.get("sequences") or [])
    losses: dict[str, int] = {}  # why a damaged word was not repaired right, or why a repair was wrong
    for r in article.repairs:
        at = article.to_raw_offset(r.start)  # also checks the offset map
        if truth.get(at) == r.repaired:
            correct += 1
            fixed.add(at)
        else:
            wrong += 1
            # A wrong repair either restores a word the inferred sequence explains (a word left intact, or the
            # wrong one of its restorations) or comes from a sequence that was not the missing one.
            own = r.repaired.lower().replace(seq, "") == r.original.lower()
            key = "wrong: restored with the missing sequence" if own else "wrong: restored with another sequence"
            losses[key] = losses.get(key, 0) + 1
    for at, word in truth.items():
        if seq in word and at not in fixed:
            key = _loss_kind(word.replace(seq, ""), found)
            losses[key] = losses.get(key, 0) + 1
    if vanished:
        losses["missed: vanished (the word was only the sequence)"] = vanished
    damaged_words = sum(1 for w in truth.values() if seq in w) + vanished
    return {"detected": bool(article.damage), "correct": correct, "wrong": wrong, "damaged": damaged_words,
            "vanished": vanished, "found": found, "odd": _odd_topic(path), "losses": losses}


def _loss_kind(form: str, found: bool) -> str:
    """Why a damaged word (now ``form``) was not restored: its article's sequence was never inferred, or it was
    and the form is a capitalised word (likely a name), a word in its own right, or a non-word left alone."""
    if not found:
        return "missed: sequence not inferred in its article"
    if form[:1].isupper() and len(form) > 1 or form in ("I",):
        return "missed: capitalised form (name-like)"
    if len(form) > 1 and zipf(form) >= 2.5 or form in ("a", "A"):
        return "missed: the damaged form is itself a word"
    return "missed: non-word or lone letter left alone"


#: The commit whose damage code is run beside the current one on the blind draw: the damage code of the tenth
#: pass (3bde859, the code the 2037 draw was scored with and this eleventh pass started from), with its settings.
BASELINE_COMMIT = "3bde859"
BASELINE_NAME = "tenth-pass code"


def _use_baseline(commit: str) -> None:
    """In this worker process, make clean_article use the damage detector and repair of ``commit`` (its
    damage.py and its damage settings as stored in git; the rest of cleaning is today's), so both are scored
    the same way."""
    import subprocess
    import types

    import wiredesk.clean as clean

    source = subprocess.run(["git", "show", f"{commit}:src/wiredesk/clean/damage.py"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout
    old = types.ModuleType(f"damage_{commit}")
    sys.modules[old.__name__] = old  # dataclasses look their module up
    exec(compile(source, f"damage.py@{commit}", "exec"), old.__dict__)  # noqa: S102 - our own history
    source = subprocess.run(["git", "show", f"{commit}:src/wiredesk/settings.py"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout
    old_settings = types.ModuleType(f"settings_{commit}")
    sys.modules[old_settings.__name__] = old_settings
    exec(compile(source, f"settings.py@{commit}", "exec"), old_settings.__dict__)  # noqa: S102
    settings = old_settings.DAMAGE
    clean.detect = lambda text, _settings: old.detect(text, settings)
    clean.repair_text = lambda text, sequences, _settings, rivals=None: old.repair_text(text, sequences, settings,
                                                                                         rivals)


def _score_baseline(args: tuple[str, str, str, str]) -> dict:
    commit, *rest = args
    if getattr(_score_baseline, "commit", None) != commit:
        _use_baseline(commit)
        _score_baseline.commit = commit
    return _score_one(tuple(rest))


def _odd_topic(path: str) -> bool:
    """ECB+ files live in one folder per topic; the detector was tuned on odd-numbered topics only."""
    return int(Path(path).parent.name) % 2 == 1


def _clean_changes(args: tuple[str, str]) -> tuple[int, bool, bool, float]:
    from wiredesk.clean.damage import detect

    path, raw = args
    article = clean_article(_fresh(raw, path))
    t0 = time.perf_counter()
    detect(article.text)
    return len(article.repairs), bool(article.damage), bool(article.removed), time.perf_counter() - t0


def bench_damage(texts: list[tuple[str, str]], per_seq: int | None, workers: int,
                 groups: tuple[str, ...] = ("tuning", "seen", "held", "held29", "held30", "held31", "held32",
                                            "held33", "held34", "held35", "held36", "held37", "blind"),
                 baseline: bool = True) -> str:
    assert tuple(held_out_sequences()) == HELD_2028  # the rule still draws what was scored at 586ef29
    assert tuple(blind_sequences(HELD_2029_SEED)) == HELD_2029  # and what was scored at 6a3d127
    assert tuple(blind_sequences(HELD_2030_SEED)) == HELD_2030  # and what was scored at a5f3266
    assert tuple(blind_sequences(HELD_2031_SEED)) == HELD_2031  # and what was scored at 834fac8
    assert tuple(blind_sequences(HELD_2032_SEED)) == HELD_2032  # and what was scored at ac2e443
    assert tuple(blind_sequences(HELD_2033_SEED)) == HELD_2033  # and what was scored after dab1130
    assert tuple(blind_sequences(HELD_2034_SEED)) == HELD_2034  # and what a dev harness scored by mistake
    assert tuple(blind_sequences(HELD_2035_SEED)) == HELD_2035  # and what was scored at 4374f97
    assert tuple(blind_sequences(HELD_2036_SEED)) == HELD_2036  # and what was scored after 3973427
    assert tuple(blind_sequences(HELD_2037_SEED)) == HELD_2037  # and what was scored after 3bde859
    assert tuple(blind_sequences()) == DRAWN_2038  # the 2038 draw as made
    blind = blind_group()
    rows = []
    groups_seqs = (("tuning", TUNING), ("seen", SEEN + SEEN_2027), ("held", HELD_2028), ("held29", HELD_2029),
                   ("held30", HELD_2030), ("held31", HELD_2031), ("held32", HELD_2032),
                   ("held33", HELD_2033), ("held34", HELD_2034), ("held35", HELD_2035),
                   ("held36", HELD_2036), ("held37", HELD_2037), ("blind", tuple(blind)))
    losses: dict[str, dict[str, int]] = {}  # group -> loss kind -> words
    totals = {g: [0, 0, 0] for g, _ in groups_seqs}
    halves = {(g, odd): [0, 0, 0] for g, _ in groups_seqs for odd in (True, False)}
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        clean = list(pool.map(_clean_changes, texts, chunksize=16))
        for group, seqs in groups_seqs:
            if group not in groups:
                continue
            for seq in seqs:
                todo = [(seq, p, t) for p, t in texts if seq in t]
                if per_seq:
                    todo = todo[:per_seq]
                results = list(pool.map(_score_one, todo, chunksize=8))
                correct = sum(r["correct"] for r in results)
                wrong = sum(r["wrong"] for r in results)
                damaged = sum(r["damaged"] for r in results)
                vanished = sum(r["vanished"] for r in results)
                found = sum(r["found"] for r in results)
                precision = correct / max(correct + wrong, 1)
                recall = correct / max(damaged, 1)
                rows.append(f"| {group} | `{seq}` | {len(results)} | {found} ({found / max(len(results), 1):.0%}) | "
                            f"{damaged} ({vanished} vanished) | {correct + wrong} | {precision:.3f} | {recall:.3f} |")
                for i, v in enumerate((correct, wrong, damaged)):
                    totals[group][i] += v
                for r in results:
                    for i, key in enumerate(("correct", "wrong", "damaged")):
                        halves[(group, r["odd"])][i] += r[key]
                    for kind, n in r["losses"].items():
                        losses.setdefault(group, {})[kind] = losses.setdefault(group, {}).get(kind, 0) + n
        # The previous pass's code on the blind draw, in the same run (after the current code: the worker
        # processes switch their damage code for good).
        run_baseline, baseline = baseline, [0, 0, 0]
        if "blind" in groups and run_baseline:
            todo = [(BASELINE_COMMIT, seq, p, t) for seq in blind for p, t in texts if seq in t]
            if per_seq:
                todo = [x for seq in blind for x in [y for y in todo if y[1] == seq][:per_seq]]
            for r in pool.map(_score_baseline, todo, chunksize=8):
                baseline[0] += r["correct"]
                baseline[1] += r["wrong"]
                baseline[2] += r["damaged"]
    changed = sum(1 for n, *_ in clean if n)
    detected = sum(1 for _, d, *_ in clean if d)
    detect_ms = 1000 * sum(c[3] for c in clean) / max(len(clean), 1)
    lines = [
        "### Damage detection and repair (ECB+ topics 1-35, every development article)",
        "",
        f"Sequences deleted everywhere (case-sensitive, as a scraper would): tuning {', '.join(TUNING)}; seen "
        f"{', '.join(SEEN + SEEN_2027)} (the first two held-out draws, seeds 2026 and 2027: their scores were "
        "looked at and the detector was tuned on them, on odd-numbered topics only; no longer blind); held "
        f"{', '.join(HELD_2028)} (the third draw, seed {HELD_SEED}: scored once at 586ef29, its figures read "
        "before the third and fourth passes, run on odd topics as a check in the fourth, never tuned on: looked "
        f"at); held29 {', '.join(HELD_2029)} (the fourth draw, seed {HELD_2029_SEED}, the third pass's blind "
        "figure: scored once at 6a3d127, then read and run on odd topics as a check in the fourth pass, never "
        f"tuned on: looked at); held30 {', '.join(HELD_2030)} (the fifth draw, seed {HELD_2030_SEED}, the fourth "
        "pass's blind figure: scored once at a5f3266, then read and run on odd topics as a check in the fifth and "
        f"sixth passes, never tuned on: looked at); held31 {', '.join(HELD_2031)} (the sixth draw, seed "
        f"{HELD_2031_SEED}, the fifth pass's blind figure: scored once at 834fac8, its figures read before the sixth "
        f"pass, analysed on odd topics in the seventh: looked at); held32 {', '.join(HELD_2032)} (the seventh draw, "
        f"seed {HELD_2032_SEED}, the sixth pass's blind figure: scored once at ac2e443, analysed on odd topics in the "
        f"seventh pass: looked at); held33 {', '.join(HELD_2033)} (the eighth draw, seed {HELD_2033_SEED}, the seventh "
        "pass's blind figure: scored once after dab1130, analysed on odd topics in the eighth pass: looked at); "
        f"held34 {', '.join(HELD_2034)} (the ninth draw, seed {HELD_2034_SEED}, by a new rule fixed before drawing, "
        "the trigram/4-gram pool being used up: the 60 most frequent letter bigrams and 60 most frequent 4-grams of "
        "English, minus common words and every sequence overlapping one used above, a substring either way; its odd "
        "topics were scored once by mistake in a development run, so looked at; its even topics never ran before); "
        f"held35 {', '.join(HELD_2035)} (the tenth draw, seed {HELD_2035_SEED}, the eighth pass's blind figure by "
        "the same rule excluding held34 too, the whole remaining pool: scored once at 4374f97, analysed on odd "
        f"topics in the ninth pass: looked at); held36 {', '.join(HELD_2036)} (the eleventh draw, seed "
        f"{HELD_2036_SEED}, the ninth pass's blind figure, by a third rule fixed before drawing, the bigram/4-gram "
        "pool being used up: the n-grams ranked 61-120 among bigrams, 81-160 among trigrams and 61-120 among "
        "4-grams by English letter frequency, the band after the one each earlier rule took, minus common words and "
        "every sequence overlapping one used above; scored once after 3973427, analysed on odd topics in the tenth "
        f"pass: looked at); held37 {', '.join(HELD_2037)} (the twelfth draw, seed {HELD_2037_SEED}, the tenth "
        "pass's blind figure by the same band rule with held36 excluded too: scored once after 3bde859, its errors "
        "analysed on odd topics in the eleventh pass: looked at); "
        f"blind {', '.join(blind)} (`blind_group()`: the draw of `blind_sequences()`, seed {BLIND_SEED}, by the "
        "same band rule, fixed before drawing and drawn after the method was fixed; the rule excluded held37, but "
        "the code that drew lacked that exclusion, so the draw also took held37's `iona`, which is left out here "
        "and scored in held37). A repair is "
        "correct when the restored word equals the word before damage at that position (the position found "
        "through `Article.to_raw_offset`, so the offset map is checked too). Recall counts every damaged word, "
        "including words in articles too short to show the damage and words that vanished entirely.",
        "",
        "| set | sequence | articles with it | sequence inferred | damaged words | repairs | precision | recall |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    for group, _ in groups_seqs:
        if group not in groups:
            continue
        c, w, d = totals[group]
        lines.append(f"| **{group} total** | | | | {d} | {c + w} | **{c / max(c + w, 1):.3f}** | "
                     f"**{c / max(d, 1):.3f}** |")
    never_tuned = ("held", "held29", "held30", "held31", "held32", "held33", "held34", "held35", "held36", "held37",
                   "blind")
    if all(g in groups for g in never_tuned):
        c, w, d = (sum(totals[g][i] for g in never_tuned) for i in range(3))
        lines.append(f"| **never tuned on: the eleven draws 2028-2038 pooled** | | | | {d} | {c + w} | "
                     f"**{c / max(c + w, 1):.3f}** | **{c / max(d, 1):.3f}** |")
    if "blind" in groups and run_baseline:
        c, w, d = baseline
        lines.append(f"| blind, {BASELINE_NAME} ({BASELINE_COMMIT}, baseline) | | | | {d} | {c + w} | "
                     f"{c / max(c + w, 1):.3f} | {c / max(d, 1):.3f} |")
    lines += [
        "",
        "By topic half: development looked at odd-numbered topics only (for the tuning and seen sequences; the "
        "held, held29, held30, held31, held32, held33, held34, held35, held36 and held37 sequences were run on odd "
        "topics only, as checks, for analysis or, held34, by mistake; "
        "the blind sequences never ran during development); even-numbered topics were never looked at, except that "
        "the ninth pass scored every third even-topic article of the draws 2028-2035, the tenth every fourth "
        "of the draws 2028-2036 and the eleventh every fourth of the draws 2028-2037, as precision checks (their "
        "totals and changed repairs read, nothing tuned on them):",
        "",
        "| set | topics | damaged words | repairs | precision | recall |",
        "|---|---|---|---|---|---|",
    ]
    for (group, odd), (c, w, d) in halves.items():
        if group in groups:
            # blind: neither half ran before; the draws' even halves ran as a precision check in the ninth pass
            half = ("odd" if odd else "even") if group == "blind" else "odd (looked at)" if odd else \
                "even (never looked at)" if group in ("tuning", "seen") else "even (run as a check only)"
            lines.append(f"| {group} | {half} | {d} | {c + w} | "
                         f"{c / max(c + w, 1):.3f} | {c / max(d, 1):.3f} |")
    kinds = sorted({k for per in losses.values() for k in per})
    shown = [g for g, _ in groups_seqs if g in losses]
    lines += [
        "",
        "Where the words go (share of each set's damaged words; a wrong repair counts once more when the damaged "
        "word it touched is also counted as missed). \"Another sequence\": a wrong sequence was inferred, or one "
        "mixed in as a rival; \"itself a word\": the damaged form is a word of Zipf >= 2.5 (\"shoot\" for "
        "\"shooting\"), which the word-pair model left as it is:",
        "",
        "| kind | " + " | ".join(shown) + " |",
        "|---|" + "---|" * len(shown),
        "| repaired right | " + " | ".join(f"{totals[g][0] / max(totals[g][2], 1):.3f}" for g in shown) + " |",
        *(f"| {k} | " + " | ".join(f"{losses[g].get(k, 0) / max(totals[g][2], 1):.3f}" for g in shown) + " |"
          for k in kinds),
    ]
    lines += [
        "",
        f"Clean (undamaged) articles: {len(clean)}; with any repair: **{changed}** "
        f"(zero changes on {1 - changed / len(clean):.1%}); with damage detected: {detected}. "
        f"Damage detection on a clean article's text: {detect_ms:.1f} ms on average (warm, shared machine). "
        f"Time for this section: {time.perf_counter() - started:.0f} s on {workers} processes.",
    ]
    return "\n".join(lines)


def bench_speed(texts: list[tuple[str, str]]) -> str:
    """Single process = one core: files on disk -> iter_articles -> clean_article -> assign_publication_date."""
    html_pages = sorted((PUBDATE_SET / "html").glob("*.html")) + sorted((REPO / "examples" / "news").glob("*.html"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        jsonl = tmpdir / "ecbplus.jsonl"
        with open(jsonl, "w") as out:
            for path, text in texts:
                out.write(json.dumps({"text": text, "url": path}) + "\n")
        txt_dir = tmpdir / "txt"
        txt_dir.mkdir()
        for i, (_, text) in enumerate(texts):
            (txt_dir / f"{i}.txt").write_text(text)
        html_dir = tmpdir / "html"
        html_dir.mkdir()
        for rep in range(10):  # the pages differ per copy (a comment) so none is dropped as a duplicate
            for page in html_pages:
                content = page.read_text().replace(
                    "</article>", f"<p>This is copy {rep} of the page {page.name} for timing.</p></article>")
                (html_dir / f"{rep}-{page.name}").write_text(content)
        # Warm up (word lists, language model, n-gram table) outside the timing.
        for a in iter_articles([next(txt_dir.iterdir())]):
            assign_publication_date(clean_article(a))
        for label, target in (("ECB+ articles, one JSON lines file", jsonl),
                              ("ECB+ articles, one .txt file each", txt_dir),
                              (f"HTML pages ({len(html_pages)} pages x 10)", html_dir)):
            t0 = time.perf_counter()
            n = 0
            ingest_time = 0.0
            t_ingest = time.perf_counter()
            for item in iter_articles([target]):
                ingest_time += time.perf_counter() - t_ingest
                if isinstance(item, Article):
                    assign_publication_date(clean_article(item))
                    n += 1
                t_ingest = time.perf_counter()
            total = time.perf_counter() - t0
            rows.append(f"| {label} | {n} | {n / total:,.0f} | {n / max(ingest_time, 1e-9):,.0f} | "
                        f"{n / max(total - ingest_time, 1e-9):,.0f} |")
    return "\n".join([
        "### Speed (one process, one core)",
        "",
        "| input | articles | articles/s ingest+clean+pubdate | ingest only | clean+pubdate only |",
        "|---|---|---|---|---|",
        *rows,
    ])


def _peer_dates(html: str) -> tuple[str | None, str | None]:
    import trafilatura
    from htmldate import find_date

    try:
        hd = find_date(html, original_date=True)
    except Exception:  # noqa: BLE001 - a peer's failure is a miss
        hd = None
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True)
        tr = doc.date if doc is not None else None
    except Exception:  # noqa: BLE001
        tr = None
    return hd, tr


def _as_html(text: str) -> str:
    import html

    paras = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"<html><body>{paras}</body></html>"


def bench_pubdate() -> str:
    gold = json.loads((PUBDATE_SET / "gold.json").read_text())["gold"]
    scores: dict[str, dict[str, list[int]]] = {}
    misses: list[str] = []
    for name, truth in gold.items():
        path = PUBDATE_SET / name
        group = name.split("/")[0]
        [article] = [a for a in iter_articles([path]) if isinstance(a, Article)]
        ours = assign_publication_date(clean_article(article)).published
        content = path.read_text()
        hd, tr = _peer_dates(content if group == "html" else _as_html(content))
        for system, value in (("wiredesk", ours), ("htmldate find_date", hd), ("trafilatura metadata", tr)):
            s = scores.setdefault(group, {}).setdefault(system, [0, 0, 0, 0])  # right, total, null-right, nulls
            s[0] += value == truth
            s[1] += 1
            if truth is None:
                s[2] += value is None
                s[3] += 1
            if system == "wiredesk" and value != truth:
                misses.append(f"{name}: gold {truth}, got {value}")
    rows = []
    for group, systems in scores.items():
        for system, (right, total, null_right, nulls) in systems.items():
            rows.append(f"| {group} | {system} | {right}/{total} = **{right / total:.2f}** | "
                        f"{null_right}/{nulls} |")
    return "\n".join([
        "### Publication date (team-written set, tests/data/ingest/pubdate)",
        "",
        f"{len(gold)} items: {sum(1 for n in gold if n.startswith('text/'))} plain-text headers and "
        f"{sum(1 for n in gold if n.startswith('html/'))} HTML pages (meta tags, JSON-LD incl. @graph, <time>, "
        "itemprop, URL-only, byline-only, dateline-only, site banners, copyright-only, sidebars of other stories). "
        "A prediction is right when it equals the gold ISO date, or is null when the page states none. htmldate "
        "runs with `original_date=True`; trafilatura's is `bare_extraction(with_metadata=True).date`. The peers see "
        "the HTML pages as they are and the text items as minimal HTML (one <p> per line). Caveat: the set was "
        "written by the same engineer as the extractor, so it shows coverage of these shapes, not blind accuracy.",
        "",
        "| items | system | exact accuracy | right null (no date stated) |",
        "|---|---|---|---|",
        *rows,
        "",
        "wiredesk misses: " + ("; ".join(misses) if misses else "none"),
    ])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="at most 120 articles per damaged sequence")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--damage-groups", default="tuning,seen,held,held29,held30,held31,held32,held33,held34,held35,"
                        "held36,held37,blind",
                        help="comma-separated subset of tuning,seen,held,held29,held30,held31,held32,held33,held34,"
                        "held35,held36,held37,blind (the full run "
                        "writes all)")
    parser.add_argument("--damage-only", action="store_true",
                        help="rerun only the damage section (the groups of --damage-groups) and keep the speed and "
                        "publication-date sections of docs/benchmarks/ingest.md as they are; for a shared machine "
                        "whose load makes the full run too long. The damage section then says which run the other "
                        "groups' figures come from.")
    parser.add_argument("--no-baseline", action="store_true", help="do not run the previous pass's code beside")
    args = parser.parse_args()
    texts = ecbplus_texts()
    if args.damage_only:
        path = REPO / "docs" / "benchmarks" / "ingest.md"
        kept = path.read_text(encoding="utf-8").split("### Damage detection and repair")[0].rstrip()
        damage = bench_damage(texts, 120 if args.quick else None, args.workers, tuple(args.damage_groups.split(",")),
                              baseline=not args.no_baseline)
        write_section("ingest", "\n".join([
            kept, "", damage, "",
            f"This damage section was rerun alone (`.venv/bin/python benchmarks/bench_ingest.py --damage-only "
            f"--damage-groups {args.damage_groups}{' --no-baseline' if args.no_baseline else ''}`; machine: "
            f"{machine_info()}; load average at start {os.getloadavg()[0]:.1f}); the sections above are from "
            "the last full run, named in their header. Groups not run here: see the previous full run's table "
            "(`git log -- docs/benchmarks/ingest.md`).",
        ]))
        return
    sections = [
        "## Ingestion, cleaning, damage repair, publication dates (issue 3)",
        "",
        f"Machine: {machine_info()}. Peak RSS {{rss}} MiB. Load average at start {os.getloadavg()[0]:.1f} "
        "(other engineers' jobs share the 2 cores: absolute speeds are pessimistic).",
        f"Versions: {versions('trafilatura', 'htmldate', 'wordfreq', 'symspellpy', 'ftfy', 'py3langid')}.",
        f"Reproduce: `.venv/bin/python benchmarks/bench_ingest.py{' --quick' if args.quick else ''}`.",
        "",
        bench_speed(texts),
        "",
        bench_pubdate(),
        "",
        bench_damage(texts, 120 if args.quick else None, args.workers, tuple(args.damage_groups.split(","))),
    ]
    write_section("ingest", "\n".join(sections).replace("{rss}", f"{peak_rss_mib():.0f}"))


if __name__ == "__main__":
    main()
