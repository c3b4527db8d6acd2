"""The English word list the damage detector judges words by: wordfreq's "large" English list (321k words with
frequencies from Wikipedia, subtitles, news, books, web and social text), loaded once.

Why wordfreq rather than the spaCy model's vocabulary: repair needs *frequencies* ("during" is far more common
than "dur", which decides whether "dur" is a damaged word), and spaCy's small model ships only an unweighted
string table full of fragments ("aab", "aac"). When wordfreq is missing, the spaCy string table is the
fallback, with every entry given the same middling frequency (detection still works, ranking is weaker).
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections import Counter
from typing import Any

log = logging.getLogger(__name__)

_ALPHA = re.compile(r"[a-z]+")


@functools.cache
def frequencies() -> dict[str, float]:
    """word (lower case) -> frequency (share of all words)."""
    try:
        from wordfreq import get_frequency_dict

        return dict(get_frequency_dict("en", "large"))
    except ImportError:
        log.warning("wordfreq is not installed: damage repair falls back to the spaCy string table")
        from wiredesk.nlp import spacy_pipeline

        words = [s for s in spacy_pipeline().vocab.strings if _ALPHA.fullmatch(s)]
        return {w: 1e-6 for w in words}


#: zipf() answers by token as written. Damage detection asks ~200 times per article (every distinct token, then
#: its guards and caps), mostly for the same words; a look-up here replaces lower-casing, the frequency look-up and
#: the logarithm. Emptied when full, so memory stays bounded on any vocabulary.
_ZIPF: dict[str, float] = {}
_ZIPF_MAX = 200_000


def zipf(word: str) -> float:
    """Zipf frequency: log10 of occurrences per billion words (0 for unknown words)."""
    z = _ZIPF.get(word)
    if z is None:
        f = frequencies().get(word.lower())
        z = math.log10(f * 1e9) if f else 0.0
        if len(_ZIPF) >= _ZIPF_MAX:
            _ZIPF.clear()
        _ZIPF[word] = z
    return z


@functools.cache
def ngram_rates(min_n: int, max_n: int, top: int = 50_000) -> dict[str, float]:
    """Expected occurrences of each letter n-gram per letter of running English text (frequency-weighted).

    Kept in the derived-model cache like the deletion index (``CACHED_INDEX``): 0.2-0.7 CPU-s to work out, ~5 ms
    to read back."""
    return _kept("ngram-rates", (min_n, max_n, top), _build_ngram_rates)


def _build_ngram_rates(min_n: int, max_n: int, top: int) -> dict[str, float]:
    counts: Counter[str] = Counter()
    letters = 0.0
    for word, freq in sorted(frequencies().items(), key=lambda kv: -kv[1])[:top]:
        if not _ALPHA.fullmatch(word):
            continue
        letters += freq * len(word)
        for n in range(min_n, max_n + 1):
            for i in range(len(word) - n + 1):
                counts[word[i:i + n]] += freq
    return {g: c / letters for g, c in counts.items()}


#: Keep the deletion index and the n-gram rates in the derived-model cache; False: build them in every process.
CACHED_INDEX = True


@functools.cache
def deletion_index(min_rate: float, min_zipf: float, min_n: int, max_n: int) -> dict[str, dict[str, tuple[str, ...]]]:
    """damaged form -> {sequence: words}: every common word with every common sequence deleted from it.

    Built once (a few seconds); it turns "which word could this token be, had a sequence been deleted?" into
    one dict lookup per token instead of trying every sequence at every position.

    Kept between processes (``CACHED_INDEX``): building it was ~1.3-2.7 CPU-s of every worker's start-up, reading
    it back ~0.4 s. The cached file is the built dict itself (``marshal``: plain strings, dicts and tuples, no
    code), named by the arguments, the wordfreq version, the Python version (marshal's format) and a hash of
    this module (the code that builds it), so a changed word list or builder never reads an old index.
    """
    return _kept("deletion-index", (min_rate, min_zipf, min_n, max_n), _build_deletion_index)


def _kept(kind: str, args: tuple, build: Any) -> Any:
    """``build(*args)``, kept in the derived-model cache as ``marshal`` data (``CACHED_INDEX``) and read back."""
    if not CACHED_INDEX:
        return build(*args)
    try:
        from importlib import metadata

        source_version = f"wordfreq{metadata.version('wordfreq')}"
        from wordfreq import get_frequency_dict  # noqa: F401 - without it the fallback list is used: not cached
    except Exception:  # noqa: BLE001 - no wordfreq: the spaCy fallback list, built here as before
        return build(*args)
    import hashlib
    import marshal
    import sys
    from pathlib import Path

    from wiredesk.nlp import _cached

    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]  # any edit of this module: built again
    name = (f"damage-{kind}-{'-'.join(repr(a) for a in args)}-{source_version}-"
            f"py{sys.version_info[0]}{sys.version_info[1]}-{code}.marshal")

    def write(target) -> None:
        target.write_bytes(marshal.dumps(build(*args)))

    data = _cached(name, write).read_bytes()
    import gc

    # the deletion index is ~1.5 million new strings, dicts and tuples, none garbage: young collections while they
    # are made only walk them again (0.39 -> 0.26 s)
    enabled = gc.isenabled()
    gc.disable()
    try:
        return marshal.loads(data)
    finally:
        if enabled:
            gc.enable()


def _build_deletion_index(min_rate: float, min_zipf: float, min_n: int, max_n: int
                          ) -> dict[str, dict[str, tuple[str, ...]]]:
    rates = ngram_rates(min_n, max_n)
    seqs = {g for g, r in rates.items() if r >= min_rate}
    floor = 10 ** min_zipf / 1e9
    index: dict[str, dict[str, list[str]]] = {}
    for word, freq in frequencies().items():
        if freq < floor or not _ALPHA.fullmatch(word):
            continue
        seen = set()
        for n in range(min_n, max_n + 1):
            for i in range(len(word) - n + 1):
                seq = word[i:i + n]
                if seq in seqs and seq not in seen:
                    seen.add(seq)
                    index.setdefault(word.replace(seq, ""), {}).setdefault(seq, []).append(word)
    return {form: {seq: tuple(words) for seq, words in by_seq.items()} for form, by_seq in index.items()}


@functools.cache
def sorted_rates(min_n: int, max_n: int) -> list[tuple[float, str]]:
    """(rate, n-gram) from most to least common, so a text's expected n-grams are a prefix."""
    return sorted(((r, g) for g, r in ngram_rates(min_n, max_n).items()), reverse=True)


@functools.cache
def bigrams() -> tuple[dict[tuple[str, str], float], dict[str, float]]:
    """Word-pair counts and word counts (Google Books n-grams, as shipped in the symspellpy package's data
    files: 243k most frequent pairs, 83k words). Empty when the package is missing: repair then falls back to
    word frequencies alone (it still repairs non-words, it cannot use context)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("symspellpy")
    if spec is None or not spec.submodule_search_locations:
        log.warning("symspellpy data is not installed: damage repair runs without word-pair context")
        return {}, {}
    folder = Path(list(spec.submodule_search_locations)[0])
    pairs: dict[tuple[str, str], float] = {}
    words: dict[str, float] = {}
    with open(folder / "frequency_bigramdictionary_en_243_342.txt", encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                pairs[(parts[0], parts[1])] = float(parts[2])
    with open(folder / "frequency_dictionary_en_82_765.txt", encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 2:
                words[parts[0]] = float(parts[1])
    return pairs, words
