"""How cost grows with the work: generated corpora of 1k, 10k (and 100k) articles through each engine.

For each size and engine: articles per second per core, peak memory (the run's process tree), the linking share
of the time, and accuracy against the generator's ground truth (events found, duplicate records left). Every run
is a fresh subprocess on a fresh store.

    .venv/bin/python benchmarks/bench_scale.py --sizes 1000 10000 --engines local processes dask
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, machine_info, versions, write_section  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from wiredesk.engine.runner import run
db, corpus, engine, workers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
t = time.perf_counter()
report = run([corpus], db, engine=engine, workers=workers if engine != "local" else None)
wall = time.perf_counter() - t
own = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers, once they have exited (pool and cluster are closed)
print(json.dumps({"wall": wall, "link": report.link_seconds, "articles": report.articles_new,
                  "events": report.events, "mentions": report.mentions,
                  "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
                  "peak_mib": own.ru_maxrss / 1024, "worker_peak_mib": kids.ru_maxrss / 1024}))
"""


def accuracy(db: str, corpus: Path) -> dict:
    sys.path.insert(0, str(REPO / "src"))
    from wiredesk.eval.expected import compare
    from wiredesk.store import Store
    from wiredesk.synth import iter_truth

    truth = list(iter_truth(corpus))
    with Store(db, read_only=True) as store:
        events = store.event_rows()
    result = compare(events, truth)
    # Duplicates left: output events that match an already-matched truth event (same key), i.e. one real event
    # recorded more than once.
    keys = {(t["event"], tuple(sorted(set(t["actor"]) | set(t["recipient"]))), t["date"]) for t in truth}
    dupes = 0
    seen: set = set()
    for e in events:
        parties = tuple(sorted({a["code"] for a in e["actor"]} | {a["code"] for a in e["recipient"]}))
        key = (e["event"], parties, e.get("date"))
        if key in keys:
            dupes += key in seen
            seen.add(key)
    result["duplicates_left"] = dupes
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--engines", nargs="+", default=["local", "processes", "dask"])
    parser.add_argument("--large-engines", nargs="+", default=None,
                        help="engines to run at the sizes after the smallest (default: all of --engines); a session "
                             "with little time runs every engine small and one engine large")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--words", type=int, default=600)
    args = parser.parse_args()
    from wiredesk.synth import generate

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            corpus = Path(tmp) / f"corpus-{size}"
            t = time.perf_counter()
            info = generate(size, corpus, seed=size, words=args.words)
            print(f"generated {info} in {time.perf_counter() - t:.0f}s", flush=True)
            engines = args.engines if size == min(args.sizes) else (args.large_engines or args.engines)
            for engine in engines:
                db = str(Path(tmp) / f"{engine}-{size}.duckdb")
                workers = 1 if engine == "local" else args.workers
                load_before = os.getloadavg()[0]
                t = time.perf_counter()
                proc = subprocess.run([sys.executable, "-c", CHILD, db, str(corpus), engine, str(workers)],
                                      capture_output=True, text=True, cwd=REPO)
                outer = time.perf_counter() - t
                if proc.returncode != 0:
                    print(proc.stderr[-3000:], flush=True)
                    continue
                stats = json.loads(proc.stdout.strip().splitlines()[-1])
                stats.update(size=size, engine=engine, workers=workers, process_wall=outer,
                             load=(load_before + os.getloadavg()[0]) / 2,
                             truth_events=info["events"], acc=accuracy(db, corpus))
                print(json.dumps({k: v for k, v in stats.items() if k != "acc"}), flush=True)
                rows.append(stats)
                Path(db).unlink(missing_ok=True)
            import shutil

            shutil.rmtree(corpus, ignore_errors=True)
    lines = [
        "## Scale: engines and corpus size (`benchmarks/bench_scale.py`)",
        "",
        f"Machine: {machine_info()}.  ",
        f"Versions: {versions('dask', 'distributed', 'spacy', 'duckdb')}.  ",
        f"Data: corpora generated by `wiredesk.synth.generate` (multi-outlet reports of many events, ~{args.words} "
        "words per article, near-copies, banners, Read-More lines, relative dates, misspelt names).",
        "",
        "The machine is shared: *load* is the 1-minute load average (mean of before and after the run) on its 2 "
        "cores, so wall-clock rates above a load of 2 understate what the code does on a quiet machine. "
        "*articles per CPU-second* (CPU time of the run's whole process tree, workers included) depends far less "
        "on the load and is the figure to compare between runs.",
        "",
        "| articles | engine | workers | load | wall s | articles/s | articles/s/core | articles per CPU-s "
        "| link share | peak MiB (main / workers) | truth events | recall | precision | duplicates left |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in rows:
        rate = s["articles"] / s["process_wall"]
        lines.append(
            f"| {s['size']} | {s['engine']} | {s['workers']} | {s['load']:.1f} | {s['process_wall']:.0f} | {rate:.1f} | "
            f"{rate / s['workers']:.1f} | {s['articles'] / s['cpu']:.1f} | {s['link'] / s['wall']:.1%} | "
            f"{s['peak_mib']:.0f} / "
            f"{s['worker_peak_mib']:.0f} | {s['truth_events']} | {s['acc']['recall']:.3f} | "
            f"{s['acc']['precision']:.3f} | {s['acc']['duplicates_left']} |"
        )
    by = {(s["engine"], s["size"]): s for s in rows}
    ratios = []
    for engine in args.engines:
        sizes = sorted(sz for (e, sz) in by if e == engine)
        for small, big in zip(sizes, sizes[1:]):
            a, b = by[(engine, small)], by[(engine, big)]
            # CPU seconds beside wall seconds: on a shared machine the load differs between the two runs
            ratios.append(f"{engine}: wall({big}) / wall({small}) = {b['process_wall'] / a['process_wall']:.2f} "
                          f"(load {a['load']:.1f} and {b['load']:.1f}), CPU({big}) / CPU({small}) = "
                          f"{b['cpu'] / a['cpu']:.2f}, for {big / small:.0f}x the articles; linking "
                          f"{a['link']:.1f} s -> {b['link']:.1f} s")
    lines += ["", "Growth: " + ("; ".join(ratios) or "one size only") + "."]
    write_section("scale", "\n".join(lines))


if __name__ == "__main__":
    main()
