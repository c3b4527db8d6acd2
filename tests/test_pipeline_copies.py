"""Exact copies in a batch (same clean text, other header, id, outlet or day) take the text-only results of the
first (``pipeline.Copies``), and every article gets exactly what it gets when each one is worked out afresh."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from conftest import synthetic_articles
from wiredesk import ingest, pipeline
from wiredesk.clean import clean_article
from wiredesk.engine import runner
from wiredesk.engine.sources import expand
from wiredesk.ingest.pubdate import assign_publication_date
from wiredesk.model import Article


def _analyse(articles: list[Article], reuse: bool, monkeypatch, calls: dict[str, int]) -> list[dict]:
    """Articles and link features of one batch, with reuse of exact copies on or off; counts the resolver's and
    the damage detector's calls in ``calls``."""
    import wiredesk.clean as clean
    from wiredesk.actors import get_resolver

    resolver_type = type(get_resolver())
    real_resolve, real_detect = resolver_type.resolve_article, clean.detect

    def resolve(self, *args, **kwargs):
        calls["resolve"] += 1
        return real_resolve(self, *args, **kwargs)

    def detect_counted(*args, **kwargs):
        calls["detect"] += 1
        return real_detect(*args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(pipeline, "REUSE_EXACT_COPIES", reuse)
        m.setattr(resolver_type, "resolve_article", resolve)
        m.setattr(clean, "detect", detect_counted)
        done, extras = runner.analyse_batch(copy.deepcopy(articles))
    return [{"article": a.to_dict(), "link": extras[a.id]} for a in done]


def _compare(articles: list[Article], monkeypatch) -> tuple[list[dict], dict[str, int], dict[str, int]]:
    afresh, reused = {"resolve": 0, "detect": 0}, {"resolve": 0, "detect": 0}
    expected = _analyse(articles, False, monkeypatch, afresh)
    got = _analyse(articles, True, monkeypatch, reused)
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g == e, g["article"]["id"]
    return got, afresh, reused


def _twin(article: Article, suffix: str, **changes) -> Article:
    twin = copy.deepcopy(article)
    twin.id, twin.path = f"{article.id}-{suffix}", f"{article.path}.{suffix}"
    for name, value in changes.items():
        setattr(twin, name, value)
    return twin


def test_example_corpus_with_copies_under_other_outlets_and_days(examples_dir, monkeypatch):
    """Each example article followed later in the batch by two copies of its text: one as it is under another
    outlet, one dated two days later (its timexes, actors and event dates then read another day)."""
    found = [a for a in ingest.iter_articles([s.path for s in expand([str(examples_dir)])], None)
             if isinstance(a, Article)]
    later = []
    for a in found:
        published = assign_publication_date(clean_article(copy.deepcopy(a))).published
        twin = _twin(a, "outlet", publication="Another Outlet")
        day = (dt.date.fromisoformat(published[:10]) + dt.timedelta(days=2)).isoformat() if published else "2020-01-01"
        dated = _twin(a, "later", meta={**a.meta, "record_date": {"text": day, "column": "date"}})
        later += [twin, dated]
    batch = found + later
    got, afresh, reused = _compare(batch, monkeypatch)
    published = {r["article"]["id"]: r["article"]["published"] for r in got}
    assert sum(published[a.id] != published[a.id.rsplit("-", 1)[0]] for a in later) >= len(found) // 2
    assert sum(len(r["article"]["mentions"]) for r in got) > 100  # the comparison covers coded events
    assert reused["detect"] == len(found) < afresh["detect"]
    assert reused["resolve"] < afresh["resolve"]


def test_synthetic_batch_with_wire_copies(tmp_path, monkeypatch):
    """Generated reports: near-copies of one release under other outlets' headers, some on later days."""
    found = synthetic_articles(tmp_path, 40, seed=11, words=400)
    texts = [clean_article(copy.deepcopy(a)).text for a in found]
    copies = len(texts) - len(set(texts))
    assert copies >= 3  # the generator's copies are in the batch, so the reuse is exercised
    got, afresh, reused = _compare(found, monkeypatch)
    assert afresh["detect"] - reused["detect"] == copies
    assert reused["resolve"] < afresh["resolve"]
    assert any(r["article"]["mentions"] for r in got)


@pytest.mark.parametrize("failing", ["timex", "actors"])
def test_a_stage_that_failed_is_not_reused(failing, tmp_path, monkeypatch):
    """A stage failing on the first article of a text is worked out, and recorded, again on its copy."""
    found = synthetic_articles(tmp_path, 6, seed=3, words=200)
    first = found[0]
    batch = [first, _twin(first, "copy", publication="Another Outlet")]
    import wiredesk.timex
    from wiredesk.actors import get_resolver

    seen: list[str] = []

    def fail_first(real):
        def wrapper(*args, **kwargs):
            seen.append("call")
            if len(seen) == 1:
                raise RuntimeError("boom")
            return real(*args, **kwargs)
        return wrapper

    with monkeypatch.context() as m:
        m.setattr(pipeline, "REUSE_EXACT_COPIES", True)
        if failing == "timex":
            m.setattr(wiredesk.timex, "tag", fail_first(wiredesk.timex.tag))
        else:
            resolver_type = type(get_resolver())
            m.setattr(resolver_type, "resolve_article", fail_first(resolver_type.resolve_article))
        done = pipeline.process_batch(copy.deepcopy(batch))
    assert any(e.startswith(f"{failing} failed") for e in done[0].errors)
    assert not any(e.startswith(f"{failing} failed") for e in done[1].errors)
    assert (done[1].timexes if failing == "timex" else done[1].actors)
