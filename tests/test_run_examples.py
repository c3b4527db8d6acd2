"""End to end: the bundled example corpus through every stage into a store, compared with the analyst's
expected events; re-runs change nothing; a run killed midway resumes to the same store."""

from __future__ import annotations

import json
import shutil

import pytest

from wiredesk.engine import runner
from wiredesk.eval.expected import compare, load_jsonl
from wiredesk.store import Store

# Pinned just under what the pipeline achieves on the corpus (see docs/benchmarks.md); a drop fails CI.
# Recall was pinned at 0.72 (35/48) until the linker stopped merging events that share one party only
# (link/events.parties_agree): two of those 35 had been matched by a second, duplicate record of one meeting
# (ex-06, ex-31), and one record per real event leaves 33/48 (P 0.686 -> 0.702 on the same run).
MIN_PRECISION = 0.70
MIN_RECALL = 0.68


def _snapshot(db) -> dict:
    with Store(db, read_only=True) as store:
        return {
            "events": store.event_rows(),
            "articles": store.article_rows(),
            "counts": store.counts(),
            "stories": store.stories(),
        }


@pytest.fixture(scope="module")
def example_run(tmp_path_factory, examples_dir):
    db = tmp_path_factory.mktemp("examples") / "examples.duckdb"
    report = runner.run([str(examples_dir)], str(db), batch_size=8)
    return db, report


def test_every_article_is_stored_or_reported(example_run, examples_dir):
    db, report = example_run
    snap = _snapshot(db)
    assert report.articles_read >= 30
    # Every article read is stored (near-identical texts with the same content hash are one article).
    assert snap["counts"]["articles"] == report.articles_new
    assert snap["counts"]["articles"] >= 28
    # The example corpus carries one malformed JSON line on purpose: it is reported, not silently dropped.
    with Store(db, read_only=True) as store:
        errors = store.errors()
    assert any(e["path"].endswith(".jsonl") or ".jsonl#" in e["path"] for e in errors), errors


def test_events_match_the_analysts_record(example_run, examples_dir):
    db, _ = example_run
    events = _snapshot(db)["events"]
    result = compare(events, load_jsonl(examples_dir / "expected.jsonl"),
                     load_jsonl(examples_dir / "not_events.jsonl"))
    print(json.dumps({k: v for k, v in result.items() if k != "pairs"}, indent=1))
    assert result["precision"] >= MIN_PRECISION
    assert result["recall"] >= MIN_RECALL
    assert result["false_events_recorded"] == 0
    for rec in events:
        assert rec["sources"] <= len(rec["articles"])
        assert rec["mentions"], rec["id"]
        assert len(rec["summary"].split()) <= 60


def test_rerun_changes_nothing(example_run, examples_dir, tmp_path):
    db, _ = example_run
    before = _snapshot(db)
    report = runner.run([str(examples_dir)], str(db))
    assert report.files_skipped == report.files  # every file already complete
    assert _snapshot(db) == before


def test_killed_run_resumes_to_the_same_store(example_run, examples_dir, tmp_path, monkeypatch):
    reference = _snapshot(example_run[0])
    db = tmp_path / "killed.duckdb"
    real = runner.analyse_batch
    calls = {"n": 0}

    def dies_on_third_batch(batch):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt("simulated kill")
        return real(batch)

    monkeypatch.setattr(runner, "analyse_batch", dies_on_third_batch)
    with pytest.raises(KeyboardInterrupt):
        runner.run([str(examples_dir)], str(db), batch_size=4)
    monkeypatch.setattr(runner, "analyse_batch", real)
    with Store(db, read_only=True) as store:
        partial = store.counts()
    assert 0 < partial["articles"] < reference["counts"]["articles"]
    runner.run([str(examples_dir)], str(db), batch_size=4)
    resumed = _snapshot(db)
    assert resumed["counts"] == reference["counts"]
    assert [e["id"] for e in resumed["events"]] == [e["id"] for e in reference["events"]]
    assert resumed["events"] == reference["events"]


def test_new_files_update_events_in_place(example_run, examples_dir, tmp_path):
    """An incremental run on new files keeps the ids of events that keep their mentions."""
    reference = _snapshot(example_run[0])
    half = tmp_path / "half"
    rest = tmp_path / "rest"
    half.mkdir()
    rest.mkdir()
    files = sorted(p for p in examples_dir.iterdir() if p.suffix in {".txt", ".html", ".jsonl", ".md"}
                   and p.name not in {"expected.jsonl", "not_events.jsonl", "README.md"})
    for i, p in enumerate(files):
        shutil.copy(p, (half if i % 2 == 0 else rest) / p.name)
    db = tmp_path / "incr.duckdb"
    runner.run([str(half)], str(db))
    first = _snapshot(db)["events"]
    runner.run([str(half), str(rest)], str(db))
    final = _snapshot(db)
    assert final["counts"]["articles"] == reference["counts"]["articles"]

    def keys(rec):
        return {m["id"] for m in rec["mentions"]}

    first_owner = {k: rec["id"] for rec in first for k in keys(rec)}
    first_keys = {rec["id"]: keys(rec) for rec in first}
    # The stability contract: a final event that holds every mention of exactly one earlier event (and none of any
    # other) keeps that event's id. (An earlier event that new reports split in two keeps its id on one part.)
    grown = 0
    for rec in final["events"]:
        earlier = {first_owner[k] for k in keys(rec) if k in first_owner}
        if len(earlier) == 1 and first_keys[next(iter(earlier))] <= keys(rec):
            grown += 1
            assert rec["id"] == earlier.pop(), rec["id"]
    assert grown >= len(first) // 2, (grown, len(first))
    # And the incremental store holds as many events as a one-shot run over all files.
    assert abs(len(final["events"]) - len(reference["events"])) <= max(1, len(reference["events"]) // 10)
