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


def test_mention_rows_are_each_mentions_own_record():
    """Mention rows take their dicts from the article's record (built once); they must be what each mention's own
    ``to_dict`` gives, in the article's order, first of a repeated id kept."""
    import json

    from wiredesk.model import Article, EventMention
    from wiredesk.store.rows import batch_rows, dumps

    art = Article(id="a1", path="x.txt", raw_text="Talks. Aid.", text="Talks. Aid.", published="2024-01-02")
    art.mentions = [EventMention(article_id="a1", sentence=i, start=0, end=5, text=t, event=e, id=f"a1:{i}:0",
                                 date="2024-01-0%d" % (i + 1))
                    for i, (t, e) in enumerate((("Talks", "CONSULT"), ("Aid", "AID"), ("Aid", "AID")))]
    art.mentions[2].id = art.mentions[1].id
    articles, mentions = batch_rows([art], {}, "r1")
    assert [m[0] for m in mentions] == ["a1:0:0", "a1:1:0"]
    assert [m[4] for m in mentions] == [dumps(m.to_dict()) for m in art.mentions[:2]]
    assert json.loads(articles[0][12])["mentions"][0] == json.loads(mentions[0][4])
