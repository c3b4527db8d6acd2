"""The MinHash fingerprint is datasketch's affine32 MinHash of the word shingles, value for value: stored
fingerprints are compared with new ones, so a faster computation must not move a single hash value."""

import random

import pytest
from datasketch import MinHash

from wiredesk.link.copies import MINHASH_SCHEME, fingerprint_text, shingles
from wiredesk.settings import LINK


def _datasketch(text: str) -> list[int]:
    mh = MinHash(num_perm=LINK.minhash_perm, scheme=MINHASH_SCHEME)
    mh.update_batch(list(shingles(text, LINK.shingle_words)))
    return [int(v) for v in mh.hashvalues]


def _random_texts(n: int) -> list[str]:
    rng = random.Random(7)
    vocab = ["the", "minister", "said", "Paris", "protest", "police", "Zürich", "café", "naïve", "talks", "on",
             "Tuesday", "2026", "fired", "at", "crowd", "l'État", "—", ",", "."]
    return [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 300))) for _ in range(n)]


@pytest.mark.parametrize("text", ["", "   ", "one", "one two three four", "one two three four five",
                                  "a b c d e a b c d e a b c d e", "Ünïcode wörds é here and there again, Zürich",
                                  "\u4e2d\u6587 \u65b0\u95fb five words here now"])
def test_fingerprint_equals_datasketch_on_edge_cases(text):
    assert fingerprint_text(text) == _datasketch(text)


def test_fingerprint_equals_datasketch_on_random_texts():
    for text in _random_texts(60):
        fp = fingerprint_text(text)
        assert fp == _datasketch(text)
        assert all(isinstance(v, int) and 0 <= v < 2 ** 32 for v in fp)


def test_another_scheme_is_left_to_datasketch(monkeypatch):
    from wiredesk.link import copies

    text = "the minister said on Tuesday that talks with the protesters would go on"
    monkeypatch.setattr(copies, "MINHASH_SCHEME", "affine64")
    copies._empty_minhash.cache_clear()
    try:
        mh = MinHash(num_perm=LINK.minhash_perm, scheme="affine64")
        mh.update_batch(list(shingles(text, LINK.shingle_words)))
        assert fingerprint_text(text) == [int(v) for v in mh.hashvalues]
    finally:
        copies._empty_minhash.cache_clear()
