"""The run's writer: what it asks the store before each batch, and what it writes."""

from __future__ import annotations

from wiredesk.store import Store


def _batch(b: int) -> tuple[list[list], list[list], list[dict]]:
    articles = [[f"a{b}-{i}", f"f{b}-{i}.txt", None, f"title {i}", "Post", "2024-01-0%d" % (1 + i % 9), "header",
                 "en", "{}", 1, "[1,2]", "[0.5]", '{"text": "%s"}' % ("word " * (50 + i)), "r", "{}"]
                for i in range(10)]
    mentions = [[f"a{b}-{i}:0:0", f"a{b}-{i}", "AID", "2024-01-01", '{"event": "AID"}'] for i in range(10)]
    sources = [{"path": f"f{b}-{i}.txt", "sha256": "x", "size": 1, "articles": 1, "errors": 0} for i in range(10)]
    return articles, mentions, sources


def test_known_articles_over_many_ids_and_repeats(tmp_path):
    with Store(tmp_path / "k.duckdb") as store:
        for b in range(3):
            store.write_batch_rows(*_batch(b)[:2], [], _batch(b)[2], "r")
        stored = [f"a{b}-{i}" for b in range(3) for i in range(10)]
        asked = [f"missing-{n}" for n in range(2500)] + stored + stored[:5]  # past one query's 1,024 ids
        assert store.known_articles(asked) == set(stored)
        assert store.known_articles(["missing-1"]) == set() and store.known_articles([]) == set()
