"""The story scorer (wiredesk.eval.stories): truth from a generated corpus, B-cubed, and the resampled difference."""

from __future__ import annotations

from wiredesk.eval.stories import bootstrap_difference, pair_separation, score, synthetic_truth
from wiredesk.synth import generate, iter_truth


def test_synthetic_truth_maps_every_report_to_its_event(tmp_path):
    generate(40, tmp_path, seed=5, words=120)
    truth_rows = list(iter_truth(tmp_path))
    paths = {f"a{i}": str(p) for i, p in enumerate(sorted(tmp_path.glob("*.txt")))}
    paths["stray"] = str(tmp_path / "not-a-report.txt")
    truth = synthetic_truth(tmp_path, paths)
    assert "stray" not in truth and len(truth) == 40
    for row in truth_rows:
        ids = {aid for aid, p in paths.items() if p.rsplit("/", 1)[-1] in row["reports"]}
        assert {truth[a] for a in ids} == {row["id"]}
    assert len(set(truth.values())) == len(truth_rows)


def test_score_by_hand():
    truth = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3}
    assert score(truth, truth)["b3_f1"] == 1.0
    # one story of everything: precision per article = share of its true story in 5 articles
    merged = score({a: "s" for a in truth}, truth)
    assert merged["stories"] == 1 and merged["true_stories"] == 3
    assert abs(merged["b3_precision"] - (2 / 5 * 4 + 1 / 5) / 5) < 1e-12 and merged["b3_recall"] == 1.0
    # an article the stories do not cover is a story of its own
    partial = score({"a": "s", "b": "s", "c": "t", "d": "t"}, truth)
    assert partial["b3_f1"] == 1.0 and partial["stories"] == 3


def test_bootstrap_difference_sees_a_worse_clustering_and_not_an_equal_one():
    truth = {f"{t}-{i}": t for t in range(30) for i in range(3)}
    same = bootstrap_difference(truth, dict(truth), truth, rounds=200)
    assert same == {"difference": 0.0, "low": 0.0, "high": 0.0}
    # merge pairs of true stories: precision falls everywhere, so the whole interval is below 0
    merged = {a: t // 2 for a, t in truth.items()}
    worse = bootstrap_difference(truth, merged, truth, rounds=200)
    assert worse["high"] < 0 and worse["low"] <= worse["difference"] <= worse["high"]
    assert abs(worse["difference"] - (score(merged, truth)["b3_f1"] - 1.0)) < 1e-12


def test_pair_separation_counts_pairs_by_story_and_window():
    vectors = {"a": [1.0, 0.0], "b": [0.8, 0.6], "c": [0.0, 1.0], "d": [1.0, 0.0]}
    truth = {"a": 1, "b": 1, "c": 2, "d": 2}
    every = pair_separation(vectors, truth, threshold=0.7)
    # pairs: a-b 0.8 same, c-d 0.0 same, a-c 0, a-d 1.0, b-c 0.6, b-d 0.8 (others)
    assert every["pairs"] == 6
    assert every["same_above"] == 0.5 and every["other_above"] == 0.5
    # only pairs within one day: a-b (days 0, 1), c-d (5, 5), so no other pair is left
    near = pair_separation(vectors, truth, 0.7, days={"a": 0, "b": 1, "c": 5, "d": 5}, window=1)
    assert near["pairs"] == 2 and near["auc"] != near["auc"]  # NaN: one class only
    separable = pair_separation({"a": [1, 0], "b": [1, 0], "c": [0, 1], "d": [0, 1]}, truth, 0.5)
    assert separable["auc"] == 1.0 and separable["same_above"] == 1.0 and separable["other_above"] == 0.0
