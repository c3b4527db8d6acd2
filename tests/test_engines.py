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


def _double_plus_one(x):
    return 2 * x + 1


def _chain(start, steps, out):
    """Each task's payload is the previous task's result (only a chain run in order gets the right value), and a
    second task, ready at once beside the first, runs side by side with it."""
    x = start
    tag, side = yield [("side", _double_plus_one, 100 + start)] + ([("step", _double_plus_one, x)] if steps else [])
    results = {tag: side}
    for n in range(steps):
        while "step" not in results:
            tag, value = yield []
            results[tag] = value
        x = results.pop("step")
        if n + 1 < steps:
            tag, value = yield [("step", _double_plus_one, x)]
            results[tag] = value
    while "side" not in results:
        tag, value = yield []
        results[tag] = value
    out[start] = (x, results["side"])


@pytest.mark.parametrize("engine", ["local", "processes"])
def test_chains_run_each_chain_in_order_and_chains_side_by_side(engine):
    from wiredesk.engine.executors import Executor

    out = {}
    chains = [_chain(start, steps, out) for start, steps in ((0, 5), (1, 1), (2, 0), (3, 3))]
    with Executor(engine, 2) as ex:
        finished = sum(1 for _ in ex.chains(chains))
    assert finished == 4
    # 0 -> 1 -> 3 -> 7 -> 15 -> 31; 1 -> 3; 2 stays 2; 3 -> 7 -> 15 -> 31; the side task 2 * (100 + start) + 1
    assert out == {0: (31, 201), 1: (3, 203), 2: (2, 205), 3: (31, 207)}


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


def test_link_inputs_read_in_chunks_are_the_rows_the_linker_had(corpus, tmp_path):
    """The linker's inputs are streamed from the store a chunk at a time; how the rows are chunked changes
    nothing (same rows, same order by id, same values), and linking them gives the stored events."""
    from wiredesk import link

    db = tmp_path / "chunks.duckdb"
    runner.run([str(corpus)], str(db), batch_size=6)
    with Store(db, memory_limit="256MB") as store:
        arts_small, ments_small, prev = store.link_inputs(chunk=5)
        arts_whole, ments_whole, _ = store.link_inputs(chunk=10_000)
        events = store.event_rows()
    assert len(arts_small) == 24 and [a["id"] for a in arts_small] == sorted(a["id"] for a in arts_small)
    assert [m.id for m in ments_small] == sorted(m.id for m in ments_small) and ments_small
    assert [list(a["fingerprint"]) for a in arts_small] == [list(a["fingerprint"]) for a in arts_whole]
    assert [list(a["embedding"]) for a in arts_small] == [list(a["embedding"]) for a in arts_whole]
    assert [{k: v for k, v in a.items() if k not in ("fingerprint", "embedding")} for a in arts_small] == \
        [{k: v for k, v in a.items() if k not in ("fingerprint", "embedding")} for a in arts_whole]
    assert ments_small == ments_whole
    relinked = link.link(arts_small, ments_small, prev)
    assert sorted(e.id for e in relinked.events) == sorted(e["id"] for e in events)


def test_store_memory_limit_is_set_and_checked(tmp_path):
    from wiredesk.store import StoreError

    with Store(tmp_path / "m.duckdb", memory_limit="300MB") as store:
        limit = store.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit.endswith("MiB") and 250 < float(limit.split()[0]) < 300
    with pytest.raises(StoreError, match="not a memory size"):
        Store(tmp_path / "n.duckdb", memory_limit="1GB'; DROP TABLE runs; --")


def test_linking_by_type_partitions_gives_the_events_of_linking_everything_at_once(corpus, tmp_path):
    """The linking shuffle key (the PLOVER type) is exact: one partition holding every mention gives the same
    events, ids, mention links and stories as one task per type."""
    from wiredesk import link

    db = tmp_path / "parts.duckdb"
    runner.run([str(corpus)], str(db), batch_size=8)
    runner.run([str(corpus)], str(db), batch_size=8)  # a second run: ids come from `previous`
    with Store(db, read_only=True) as store:
        articles, mentions, previous = store.link_inputs()
        stored = store.event_rows()
    assert len({m.event for m in mentions}) >= 3 and previous
    view = link.corpus_view(articles)
    by_type = link.merge(view, [link.link_mentions(part, view, previous)
                                for part in link.partitions(mentions).values()])
    at_once = link.merge(view, [link.link_mentions(mentions, view, previous)])
    assert [e.to_dict() for e in by_type.events] == [e.to_dict() for e in at_once.events]
    assert by_type.mention_event == at_once.mention_event
    assert [s.to_dict() for s in by_type.stories] == [s.to_dict() for s in at_once.stories]
    assert sorted(e.id for e in by_type.events) == sorted(e["id"] for e in stored)


@pytest.mark.parametrize("shuffle,days", [("type", None), ("window", None), ("window", 3)])
def test_link_store_on_worker_processes_writes_what_one_process_writes(corpus, tmp_path, shuffle, days):
    """link_store ships each task (mention records or slots, the slice of the corpus view it reads, the events it
    can reach) to a worker; the store ends the same as when one process links everything with link.link, whether
    the shuffle is by type or by time window."""
    import shutil

    from wiredesk import link
    from wiredesk.engine.executors import Executor

    db = tmp_path / "one.duckdb"
    runner.run([str(corpus)], str(db), batch_size=8)
    runner.run([str(corpus)], str(db), batch_size=8)  # twice: ids are reused from the previous linking
    shutil.copy(db, tmp_path / "pool.duckdb")
    with Store(db) as store:
        articles, mentions, previous = store.link_inputs()
        store.write_link_result(link.link(articles, mentions, previous))
    with Store(tmp_path / "pool.duckdb") as store, Executor("processes", 2) as pool:
        report = runner.link_store(store, pool, shuffle=shuffle, days=days)
    assert report.partitions == len({m.event for m in mentions}) and report.events > 0
    assert report.shuffle == shuffle
    if shuffle == "window":
        # more tasks than types, none as large as the largest type
        largest_type = max(sum(m.event == t for m in mentions) for t in {m.event for m in mentions})
        assert report.window_tasks > report.partitions and report.largest_partition < largest_type
    assert _events(db) == _events(tmp_path / "pool.duckdb")


def test_window_shuffle_on_dask_writes_what_the_type_shuffle_writes(corpus, tmp_path):
    """Chains of window tasks on a real Dask LocalCluster (worker processes): the store ends as with the
    per-type shuffle in one process."""
    import shutil

    from wiredesk.engine.executors import Executor

    db = tmp_path / "type.duckdb"
    runner.run([str(corpus)], str(db), batch_size=8, link_shuffle="type")
    shutil.copy(db, tmp_path / "dask.duckdb")
    with Store(tmp_path / "dask.duckdb") as store, Executor("dask", 2) as cluster:
        report = runner.link_store(store, cluster, shuffle="window")
    assert report.window_tasks > report.partitions
    assert _events(db) == _events(tmp_path / "dask.duckdb")


@pytest.mark.parametrize("shuffle,task", [("type", "link_partition"), ("window", "event_task")])
def test_a_link_that_fails_midway_leaves_the_last_linking_in_place(corpus, tmp_path, monkeypatch, shuffle, task):
    db = tmp_path / "kill.duckdb"
    runner.run([str(corpus)], str(db), batch_size=8)
    before = _events(db)
    from wiredesk.engine import linking

    calls = []
    real = getattr(linking, task)

    def dies_on_the_second(payload):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed")
        return real(payload)

    monkeypatch.setattr(linking, task, dies_on_the_second)
    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        runner.link_store(store, shuffle=shuffle)
    assert len(calls) == 2
    assert _events(db) == before and before[1]["events"] > 0


def test_link_articles_reads_the_record_fields_the_record_holds(corpus, tmp_path):
    """The corpus phase's three record fields are extracted by DuckDB: the same values as decoding the record."""
    import json

    db = tmp_path / "fields.duckdb"
    runner.run([str(corpus)], str(db), batch_size=8)
    with Store(db, read_only=True) as store:
        rows = {a["id"]: a for a in store.link_articles(chunk=7)}
        records = {r[0]: json.loads(r[1]) for r in store.con.execute("SELECT id, record FROM articles").fetchall()}
    assert rows.keys() == records.keys()
    assert any(r["actor_codes"] for r in rows.values()) and any(r["published_candidates"] for r in rows.values())
    for aid, record in records.items():
        assert rows[aid]["published_candidates"] == record.get("published_candidates", [])
        assert rows[aid]["actor_codes"] == sorted({a["entity"]["code"] for a in record.get("actors", [])})
        assert rows[aid]["dateline"] == record.get("dateline")


@pytest.mark.parametrize("shuffle", ["type", "window"])
def test_progress_counts_files_then_each_linking_step(corpus, tmp_path, shuffle):
    ticks = []
    report = runner.run([str(corpus)], str(tmp_path / "p.duckdb"), batch_size=8, link_shuffle=shuffle,
                        progress=lambda stage, done, total: ticks.append((stage, done, total)))
    files = [t for t in ticks if t[0] == "articles"]
    link_ticks = [t for t in ticks if t[0] == "link"]
    assert files[-1][1] == files[-1][2] == report.files
    with Store(tmp_path / "p.duckdb", read_only=True) as store:
        partitions = len(store.mention_partitions())
    assert partitions >= 3
    done = [d for _s, d, _t in link_ticks]
    assert ticks.index(link_ticks[0]) > ticks.index(files[-1])
    if shuffle == "type":
        # the corpus phase, one step per partition (PLOVER type), the stories: counted up to the total
        assert done == list(range(partitions + 3))
        assert {t for _s, _d, t in link_ticks} == {partitions + 2}
    else:
        # then: the corpus phase, each live-mention task, each type's chain, the stories
        total = link_ticks[-1][2]
        assert done[0] == 0 and done[1:] == list(range(1, total + 1))
        assert total >= partitions + 3
        assert {t for _s, _d, t in link_ticks[1:]} == {total}
