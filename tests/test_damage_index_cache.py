"""The damage detector's deletion index is built once per machine into the derived-model cache and read back
the same (``clean.wordlist.deletion_index``)."""

from __future__ import annotations

import pytest

from wiredesk.clean import wordlist

ARGS = (0.002, 3.5, 2, 3)  # a small index: common sequences only, common words only


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("WIREDESK_CACHE", str(tmp_path))
    wordlist.deletion_index.cache_clear()
    yield tmp_path
    wordlist.deletion_index.cache_clear()


def test_cached_index_is_the_built_one_and_is_read_back(fresh_cache, monkeypatch):
    built = wordlist._build_deletion_index(*ARGS)
    assert built and wordlist.deletion_index(*ARGS) == built
    files = list(fresh_cache.glob("damage-deletion-index-*"))
    assert len(files) == 1
    wordlist.deletion_index.cache_clear()

    def no_build(*args):
        raise AssertionError("built again although it was cached")

    monkeypatch.setattr(wordlist, "_build_deletion_index", no_build)
    again = wordlist.deletion_index(*ARGS)
    assert again == built
    entry = next(iter(again.values()))
    assert all(isinstance(words, tuple) for words in entry.values())


def test_other_arguments_get_another_file(fresh_cache):
    wordlist.deletion_index(*ARGS)
    wordlist.deletion_index(0.002, 4.0, 2, 3)
    assert len(list(fresh_cache.glob("damage-deletion-index-*"))) == 2


def test_switched_off_it_builds_without_the_cache(fresh_cache, monkeypatch):
    monkeypatch.setattr(wordlist, "CACHED_INDEX", False)
    assert wordlist.deletion_index(*ARGS) == wordlist._build_deletion_index(*ARGS)
    assert not list(fresh_cache.glob("damage-deletion-index-*"))


def test_ngram_rates_are_kept_too(fresh_cache):
    wordlist.ngram_rates.cache_clear()
    try:
        kept = wordlist.ngram_rates(2, 3, 2_000)
        assert kept == wordlist._build_ngram_rates(2, 3, 2_000)  # floats exactly, marshal keeps their bits
        assert len(list(fresh_cache.glob("damage-ngram-rates-2-3-2000-*"))) == 1
        wordlist.ngram_rates.cache_clear()
        assert wordlist.ngram_rates(2, 3, 2_000) == kept
    finally:
        wordlist.ngram_rates.cache_clear()
