"""``wiredesk run --results-dir``: workers write their batches as Parquet, the store loads them from there.

The store must end exactly as a run without the directory leaves it, whatever the engine, and the directory must
hold each stored article exactly once, also after a run that died between a worker's write and the store's
commit, or between the commit and the publishing of the part.
"""

from __future__ import annotations

import duckdb
import pyarrow.parquet as pq
import pytest

from wiredesk.engine import results, runner
from wiredesk.store import Store
from wiredesk.synth import generate

TABLES = ("articles", "mentions", "events", "event_mentions", "stories", "near_duplicates", "date_corrections",
          "sources")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    generate(24, out, seed=11, words=250)
    return out


@pytest.fixture(scope="module")
def plain_store(corpus, tmp_path_factory):
    db = tmp_path_factory.mktemp("plain") / "plain.duckdb"
    runner.run([str(corpus)], str(db), batch_size=6)
    return db


def _tables(db):
    """Every table's rows, without the run id (a store records which run wrote a row)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in TABLES:
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "run_id"]
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def _part_ids(directory, table="articles"):
    files = sorted((directory / table).glob("*.parquet"))
    return [i for f in files for i in pq.read_table(f, columns=["id"]).column("id").to_pylist()]


def _pending(directory):
    return sorted(p.name for p in directory.rglob("*") if results.PENDING in p.name)


def test_a_run_through_a_results_directory_stores_what_a_plain_run_stores(corpus, plain_store, tmp_path):
    out = tmp_path / "results"
    report = runner.run([str(corpus)], str(tmp_path / "r.duckdb"), batch_size=6, results_dir=str(out))
    assert report.articles_new == 24 and report.events > 0
    stored = _tables(tmp_path / "r.duckdb")
    assert stored == _tables(plain_store)
    # the directory is the same data as a Parquet dataset: one part per batch, each article once
    assert len(list((out / "articles").glob("*.parquet"))) == 4
    assert sorted(_part_ids(out)) == sorted(r[0] for r in stored["articles"])
    assert sorted(_part_ids(out, "mentions")) == sorted(r[0] for r in stored["mentions"])
    events = pq.read_table(out / "events.parquet").to_pandas()
    assert sorted(events["id"]) == sorted(r[0] for r in stored["events"])
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tables"]["articles"] == {"folder": "articles/", "files": 4, "rows": 24, "rows_in_store": 24,
                                              "complete": True}
    assert manifest["tables"]["events"]["rows"] == report.events
    assert _pending(out) == []
    # re-running on the same input changes nothing, in the store or the directory
    again = runner.run([str(corpus)], str(tmp_path / "r.duckdb"), batch_size=6, results_dir=str(out))
    assert again.articles_new == 0
    assert _tables(tmp_path / "r.duckdb") == stored
    assert sorted(_part_ids(out)) == sorted(r[0] for r in stored["articles"])


def test_dask_workers_writing_parts_give_the_plain_local_store(corpus, plain_store, tmp_path):
    out = tmp_path / "results"
    runner.run([str(corpus)], str(tmp_path / "d.duckdb"), engine="dask", workers=2, batch_size=6,
               results_dir=str(out))
    assert _tables(tmp_path / "d.duckdb") == _tables(plain_store)
    assert len(_part_ids(out)) == 24 == len(set(_part_ids(out)))


def test_a_run_that_dies_mid_batch_or_before_publishing_resumes_with_each_article_once(corpus, plain_store,
                                                                                       tmp_path, monkeypatch):
    out, db = tmp_path / "results", tmp_path / "k.duckdb"
    real_write, real_publish = Store.write_batch_parts, results.publish
    calls = {"write": 0, "publish": 0}

    def publish_dies_on_second(receipt):
        calls["publish"] += 1
        if calls["publish"] == 2:  # the store committed the batch; the process dies before the rename
            raise KeyboardInterrupt("killed after the commit")
        real_publish(receipt)

    monkeypatch.setattr(results, "publish", publish_dies_on_second)
    with pytest.raises(KeyboardInterrupt):
        runner.run([str(corpus)], str(db), batch_size=6, results_dir=str(out))
    assert len(_pending(out)) == 2  # that batch's articles and mentions parts, committed but not published
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 12

    def write_dies_on_first(self, *args, **kwargs):
        calls["write"] += 1
        if calls["write"] == 1:  # the worker wrote its parts; the writer dies before committing them
            raise KeyboardInterrupt("killed before the commit")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(results, "publish", real_publish)
    monkeypatch.setattr(Store, "write_batch_parts", write_dies_on_first)
    with pytest.raises(KeyboardInterrupt):
        runner.run([str(corpus)], str(db), batch_size=6, results_dir=str(out))
    # the committed-but-unpublished batch was published at start; the new batch is pending, not stored
    assert len(_part_ids(out)) == 12
    assert len(_pending(out)) == 2

    monkeypatch.setattr(Store, "write_batch_parts", real_write)
    runner.run([str(corpus)], str(db), batch_size=6, results_dir=str(out))
    stored = _tables(db)
    assert stored == _tables(plain_store)
    assert _pending(out) == []
    assert sorted(_part_ids(out)) == sorted(r[0] for r in stored["articles"])  # each article once
    assert sorted(_part_ids(out, "mentions")) == sorted(r[0] for r in stored["mentions"])


def test_settle_deletes_parts_of_batches_the_store_never_committed(tmp_path):
    from wiredesk.model import Article

    arts = [Article(id=f"a{i}", path=f"f{i}.txt", text="x") for i in range(3)]
    receipt = results.write_parts(tmp_path, arts, {}, "run-1")
    assert sorted(receipt.article_ids) == ["a0", "a1", "a2"] and len(_pending(tmp_path)) == 2
    (tmp_path / "articles" / "half-written.parquet.pending.123").write_bytes(b"PAR1")
    # only two of the three articles are stored: not this batch's commit
    assert results.settle(tmp_path, lambda ids: {i for i in ids if i != "a2"}) == {"published": 0, "deleted": 1}
    assert _pending(tmp_path) == [] and _part_ids(tmp_path) == []
    receipt = results.write_parts(tmp_path, arts, {}, "run-1")
    assert results.settle(tmp_path, lambda ids: set()) == {"published": 0, "deleted": 1}
    receipt = results.write_parts(tmp_path, arts, {}, "run-1")
    assert results.settle(tmp_path, lambda ids: set(ids)) == {"published": 1, "deleted": 0}
    assert sorted(_part_ids(tmp_path)) == ["a0", "a1", "a2"] and receipt.mentions == 0
