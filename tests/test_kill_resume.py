"""Crash safety in CI: ``wiredesk run`` SIGKILLed three times and resumed ends equal to an uninterrupted run.

The full campaign (>= 2,000 articles, >= 50 kills, plus ``serve`` killed during an upload) is
``campaigns/kill_run.py``; this test uses the same functions on a small corpus with small batches, killing each run
at a random moment after its first batch reached the store's write-ahead log (so every kill lands mid-job, not
while Python imports).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "campaigns"))
import kill_run  # noqa: E402

pytestmark = pytest.mark.skipif(not Path(kill_run.WIREDESK).exists(), reason="the wiredesk script is not installed")


def test_killed_runs_resume_to_the_uninterrupted_store(tmp_path):
    # 48 articles in batches of 4 leave a dozen batches to kill into: with 16 a quiet machine finished the resumed
    # run before its second kill could land
    corpus = kill_run.make_corpus(48, tmp_path / "corpus", seed=5, words=150)
    # the reference runs meanwhile, with the default batch size: batching must not change the result
    reference = kill_run.Reference(corpus, tmp_path / "reference.duckdb")
    lines: list[str] = []
    result = kill_run.run_chain(1, corpus, tmp_path / "chain.duckdb", reference, random.Random(3), max_kills=3,
                                after_window=(0.0, 0.8), start_share=0.0, link_window=(0.0, 5.0), batch_size=4,
                                log=lines.append)
    ref = reference.get()
    assert len(ref["articles"]) >= 40 and ref["mentions"], "the reference run stored too little to compare"
    assert result.kills >= 2, "\n".join(lines)  # runs ended by themselves before they could be killed
    for trial in result.trials:
        assert trial.problems == [], "\n".join(lines)
    assert result.final_rc == 0, result.final_stderr
    assert result.differences == [], "\n".join(lines)
    # something was committed and then resumed (not just three kills during start-up)
    assert any(t.articles_after > 0 for t in result.trials), "\n".join(lines)

    # and the checks do fail on a damaged store: a lost mention, changed records, a lost event
    _damage(tmp_path / "chain.duckdb")
    damaged = kill_run.snapshot(tmp_path / "chain.duckdb")
    problems = " ".join(kill_run.integrity(damaged, ref))
    assert "without all their mentions" in problems and "differ from the reference" in problems
    diffs = " ".join(kill_run.differences(damaged, ref))
    assert "events: 1 missing" in diffs and "mentions: 1 missing" in diffs


def _damage(db: Path) -> None:
    import duckdb

    con = duckdb.connect(str(db))
    try:
        article_id = con.execute("SELECT article_id FROM mentions ORDER BY id LIMIT 1").fetchall()[0][0]
        con.execute("DELETE FROM mentions WHERE id = (SELECT min(id) FROM mentions)")
        con.execute("UPDATE articles SET record = replace(record, '\"text\"', '\"txet\"') WHERE id <> ?",
                    [article_id])
        con.execute("DELETE FROM events WHERE id = (SELECT min(id) FROM events)")
    finally:
        con.close()


def test_upload_folders_of_dead_servers_are_swept(tmp_path):
    """A server SIGKILLed mid-upload leaves its upload folder; the next server start removes it (and only it)."""
    import os
    import subprocess

    from wiredesk.web.app import sweep_uploads
    from wiredesk.web.routes import UPLOAD_PREFIX

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    left = tmp_path / f"{UPLOAD_PREFIX}{dead.pid}-abc"
    left.mkdir()
    (left / "0000-feed.txt").write_text("an upload")
    live = tmp_path / f"{UPLOAD_PREFIX}{os.getppid()}-def"  # a running process's folder
    live.mkdir()
    other = tmp_path / f"{UPLOAD_PREFIX}xyz"  # not a name we make
    other.mkdir()
    assert sweep_uploads(str(tmp_path)) == [left]
    assert not left.exists() and live.exists() and other.exists()
