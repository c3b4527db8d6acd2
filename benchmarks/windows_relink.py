"""Issue #9: relink a copy of a completed run's store with the per-type linker, the run's time-window shuffle,
or the in-process windowed schedules of ``wiredesk.link.windows``, and print its figures as one JSON line. Not a
``bench_*`` section (``bench_scale.py --relink-shuffles`` puts the run's two shuffles in the scale table).

    .venv/bin/python benchmarks/windows_relink.py STORE pertype|window|exact|wavefront [--isolate] [--days N]
        [--corpus SYNTH_CORPUS | --expected examples/news]

*pertype* and *window* are ``link_store(shuffle=...)`` as ``wiredesk run`` runs it (local engine); *exact* and
*wavefront* swap ``link.windows.link_mentions_windowed`` in for ``link.link_mentions`` under the per-type
``link_store``, so each type's windows run in one task (``--isolate`` pickles each window's payload as for a
worker). ``link_cpu_s`` is the process time of ``link_store`` (one process); ``digest`` hashes what linking
wrote, as ``bench_scale.py --relink`` does, so equal digests mean the same stored events, links and stories.
The store given is copied first; a store of an older schema must be opened for writing once before (migrated)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    import wiredesk.link as link_pkg
    from wiredesk.engine.runner import link_store
    from wiredesk.link import windows
    from wiredesk.store import Store

    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("mode", choices=("pertype", "window", "exact", "wavefront"))
    ap.add_argument("--isolate", action="store_true", help="pickle each window task's payload, as to a worker")
    ap.add_argument("--days", type=int, help="day-dated mentions in blocks of DAYS days, not calendar months")
    ap.add_argument("--corpus", help="synthetic corpus of the store: accuracy against the generator's truth")
    ap.add_argument("--expected", help="examples/news: accuracy against the analyst's expected events")
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wiredesk-windows-"))
    db = tmp / "store.duckdb"
    shutil.copy(a.store, db)
    stats = windows.WindowStats()
    per_type = {}
    if a.mode in ("exact", "wavefront"):
        def windowed(mentions, view, previous=None, settings=None):  # link_partition's call, one type
            st = windows.WindowStats()
            out = windows.link_mentions_windowed(mentions, view, previous, order=a.mode, days=a.days,
                                                  isolate=a.isolate, stats=st)
            per_type[mentions[0].event if mentions else "?"] = dataclasses.asdict(st)
            stats.add(st)
            return out
        link_pkg.link_mentions = windowed
    try:
        t = time.process_time()
        with Store(str(db)) as store:
            report = link_store(store, shuffle="window" if a.mode == "window" else "type", days=a.days)
        cpu = time.process_time() - t
        from bench_scale import link_digest

        digest = link_digest(str(db))
        with Store(str(db), read_only=True) as store:
            events = store.event_rows()
        out = {"mode": a.mode, "days": a.days, "isolate": a.isolate, "link_cpu_s": round(cpu, 1),
               "digest": digest,
               "events": len(events), "largest_partition": report.largest_partition,
               "window_tasks": report.window_tasks, "carried": report.carried,
               "window_stats": dataclasses.asdict(stats), "per_type": per_type}
        if a.corpus:
            from bench_scale import accuracy
            out["acc"] = accuracy(str(db), Path(a.corpus))
        if a.expected:
            from wiredesk.eval.expected import compare, load_jsonl
            ex = Path(a.expected)
            r = compare(events, load_jsonl(ex / "expected.jsonl"), load_jsonl(ex / "not_events.jsonl"))
            out["acc"] = {k: r[k] for k in ("precision", "recall", "matched", "expected", "output") if k in r}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
