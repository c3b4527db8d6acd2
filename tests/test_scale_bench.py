"""The scale benchmark's process-tree accounting: a run's CPU includes its workers (grandchildren included), so
articles per CPU-second is measured on the whole run, also for a segment that is killed before it reports."""

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
