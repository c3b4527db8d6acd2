"""The page generator of the load campaign and benchmark (campaigns/load_events.py, benchmarks/bench_web.py): pages
never asked before really are."""

from __future__ import annotations

import sys
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_web  # noqa: E402


def test_unique_pages_never_repeat_and_stay_within_each_filter():
    filters = bench_web.desk_filters(100_000)
    assert len(filters) == len(set(filters)) and all("offset=" not in f for f in filters)
    chosen = filters[:5]
    totals = [7, 0, 12, 1, 30]  # a filter with no match is never paged
    pages = bench_web.UniquePages(chosen, totals, seed=3)
    assert pages.capacity == sum(t * len(s) for t, s in zip([7, 12, 1, 30], pages.sizes)) > 50
    urls = [pages() for _ in range(pages.capacity)]
    assert len(set(urls)) == len(urls)  # never the same page twice
    seen: dict[tuple[str, str], list[int]] = {}
    for url in urls:
        params = dict(urllib.parse.parse_qsl(url.split("?", 1)[1]))
        offset = int(params.pop("offset"))
        size = params.pop("limit", "default")
        base = urllib.parse.urlencode(sorted(params.items()))
        seen.setdefault((base, size), []).append(offset)
    by_filter = {urllib.parse.urlencode(sorted((k, v) for k, v in urllib.parse.parse_qsl(f.split("?", 1)[1])
                                               if k != "limit")): t
                 for f, t in zip(chosen, totals) if t}
    # each sweep asks every offset of every filter exactly once, at its own page size
    assert all(sorted(o) == list(range(by_filter[b])) for (b, _size), o in seen.items())
    with pytest.raises(RuntimeError):
        pages()


def test_filters_that_differ_only_in_page_size_never_ask_the_same_page():
    """The desk mix has 'event=X' beside 'event=X&limit=25': their later sweeps at other page sizes must not meet
    (a first version asked 1% of its pages twice)."""
    filters = bench_web.desk_filters(100_000)
    pages = bench_web.UniquePages(filters, [40] * len(filters), seed=1)
    urls = [pages() for _ in range(pages.capacity)]
    assert len(urls) > 2 * 40 * len(filters) and len(set(urls)) == len(urls)
