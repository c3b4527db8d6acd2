"""The scale benchmark's process-tree accounting: a run's CPU includes its workers (grandchildren included), so
articles per CPU-second is measured on the whole run, also for a segment that is killed before it reports; and
the archive of completed runs' rows, which keeps a row in the table after its run directory is gone."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from bench_scale import sample_tree  # noqa: E402

GRANDCHILD = """
import sys, time
while time.process_time() < 0.4:  # CPU time, not wall: the same on a busy machine, only slower
    pass
open(sys.argv[1], "w").write("done")
time.sleep(600)
"""

CHILD = """
import subprocess, sys
subprocess.run([sys.executable, "-c", sys.argv[1], sys.argv[2]])
"""


def test_sample_tree_counts_cpu_of_live_grandchildren(tmp_path):
    flag = tmp_path / "flag"
    child = subprocess.Popen([sys.executable, "-c", CHILD, GRANDCHILD, str(flag)], start_new_session=True)
    try:
        deadline = time.monotonic() + 300  # a guard against a hang, not a timing assertion
        while not flag.exists():
            assert child.poll() is None and time.monotonic() < deadline, "grandchild never finished its work"
            time.sleep(0.2)
        cpu, main_peak, worker_peak = sample_tree(child.pid)
        later, _, _ = sample_tree(child.pid)
    finally:
        import os
        import signal

        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    # The child only waits (well under 0.4 CPU-s): the grandchild's spin is counted although it is neither the root
    # nor reaped yet.
    assert cpu >= 0.4
    assert main_peak > 0 and worker_peak > 0
    assert later >= cpu  # CPU only accumulates


def test_archived_rows_stay_in_the_table_when_their_run_directories_are_gone(tmp_path, monkeypatch):
    import bench_scale

    monkeypatch.setattr(bench_scale, "ARCHIVE", tmp_path / "archive")

    def row(size, engine, started, events):
        seg = {"n": 1, "commit": "abc1234", "started": started, "wall": 10.0, "cpu": 9.0, "loads": [1.0],
               "articles_at_start": 0, "status": "done", "peak_mib": 100.0, "worker_peak_mib": 0.0}
        return {"size": size, "engine": engine, "workers": 1, "segments": [seg], "acc": {"events": events}}

    old = row(1000, "local", "2026-12-02 10:00:00", 330)
    bench_scale.archive_rows([old])
    # a later table written from other runs only keeps the archived one
    new = row(10000, "processes", "2026-12-03 08:00:00", 3300)
    assert [r["size"] for r in bench_scale.with_archive([new])] == [10000, 1000]
    # the same run seen again (a recount, a relink) replaces its archived row instead of adding one
    bench_scale.archive_rows([row(1000, "local", "2026-12-02 10:00:00", 331)])
    rows = bench_scale.with_archive([])
    assert len(rows) == 1 and rows[0]["acc"]["events"] == 331
