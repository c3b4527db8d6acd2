"""The same input gives the same events whatever the engine: in-process, process pool, Dask LocalCluster."""

from __future__ import annotations

import pytest

from wiredesk.engine import runner
from wiredesk.engine.executors import map_batches
from wiredesk.store import Store
from wiredesk.synth import generate


def _square(batch):
    return [x * x for x in batch]


def test_executors_keep_submission_order():
    batches = [[i, i + 1] for i in range(0, 20, 2)]
    expected = [_square(b) for b in batches]
    assert list(map_batches(_square, iter(batches), engine="local")) == expected
    assert list(map_batches(_square, iter(batches), engine="processes", workers=2)) == expected
    with pytest.raises(ValueError, match="unknown engine"):
        list(map_batches(_square, iter(batches), engine="spark"))


def _events(db):
    with Store(db, read_only=True) as store:
        return store.event_rows(), store.counts()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    generate(24, out, seed=11, words=250)
    return out


def test_dask_local_cluster_matches_local_engine(corpus, tmp_path):
    local_db, dask_db = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    runner.run([str(corpus)], str(local_db), batch_size=6)
    report = runner.run([str(corpus)], str(dask_db), engine="dask", workers=2, batch_size=6)
    assert report.articles_new == 24
    local_events, local_counts = _events(local_db)
    dask_events, dask_counts = _events(dask_db)
    assert local_counts == dask_counts
    assert local_events == dask_events
    assert local_counts["events"] > 0


def test_process_pool_matches_local_engine(corpus, tmp_path):
    local_db, pool_db = tmp_path / "local.duckdb", tmp_path / "pool.duckdb"
    runner.run([str(corpus)], str(local_db), batch_size=5)
    runner.run([str(corpus)], str(pool_db), engine="processes", workers=2, batch_size=5)
    assert _events(local_db) == _events(pool_db)
