"""What the Parquet results directory saves when workers are on other machines (`wiredesk run --results-dir`).

On one generated corpus, the same Dask run twice (a LocalCluster of 2 worker processes, as `--engine dask`
starts): results shipped back to the writer through Dask, then written by the workers to a results directory.
Measured: the bytes a batch's result takes on the way back (pickled, as Dask serialises it), the Parquet bytes
written, the writer's peak memory, wall and CPU time, and a digest of every store table (the two stores must be
equal). Writes docs/benchmarks/results_dir.md.

    .venv/bin/python benchmarks/bench_results_dir.py [--articles 256] [--batch-size 64]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SECTIONS, machine_info, versions  # noqa: E402

TABLES = ("articles", "mentions", "events", "event_mentions", "stories", "near_duplicates", "date_corrections")

# One run in a fresh process, so the writer's peak memory is its own: read as VmHWM, the peak of the process's
# own memory map, not getrusage's ru_maxrss, which Linux carries over from the forking parent across exec (a
# benchmark process with the models loaded gave its child writer ~900 MiB it never used).
CHILD = r"""
import json, sys, time
from wiredesk.engine.runner import run
corpus, db, results, batch = sys.argv[1], sys.argv[2], sys.argv[3] or None, int(sys.argv[4])
t0, c0 = time.perf_counter(), time.process_time()
report = run([corpus], db, engine="dask", workers=2, batch_size=batch, results_dir=results)
with open("/proc/self/status") as status:
    peak_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"wall": time.perf_counter() - t0, "writer_cpu": time.process_time() - c0,
                  "writer_peak_mib": peak_kib / 1024, "articles": report.articles_new, "events": report.events}))
"""


def store_digest(db: Path) -> str:
    """Every table's rows except the run id (which run wrote a row), in a stable order."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    digest = hashlib.sha1()
    try:
        for table in TABLES:
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall() if r[0] != "run_id"]
            for row in con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall():
                digest.update(json.dumps(row, default=str).encode())
    finally:
        con.close()
    return digest.hexdigest()[:12]


def shipped_bytes(corpus: Path, batch_size: int, directory: Path) -> dict:
    """Pickled size of each batch's result both ways (what Dask sends back), analysed once in this process."""
    from wiredesk import ingest
    from wiredesk.engine.results import write_parts
    from wiredesk.engine.runner import analyse_batch

    articles = list(a for a in ingest.iter_articles([str(corpus)], None) if not hasattr(a, "reason"))
    full = receipt = parquet = 0
    for i in range(0, len(articles), batch_size):
        done, extras = analyse_batch(articles[i:i + batch_size])
        full += len(pickle.dumps((done, extras), protocol=pickle.HIGHEST_PROTOCOL))
        rec = write_parts(directory, done, extras, "bench")
        receipt += len(pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL))
        parquet += sum(Path(p).stat().st_size for p in rec.parts.values())
    return {"articles": len(articles), "full": full, "receipt": receipt, "parquet": parquet}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from wiredesk.synth import generate

    with tempfile.TemporaryDirectory(prefix="wiredesk-results-") as tmp:
        root = Path(tmp)
        generate(args.articles, root / "corpus", seed=args.seed, words=600)
        runs = {}
        for name, results in (("through Dask to the writer", ""), ("results directory", str(root / "out"))):
            db = root / f"{len(runs)}.duckdb"
            out = subprocess.run([sys.executable, "-c", CHILD, str(root / "corpus"), str(db), results,
                                  str(args.batch_size)], cwd=REPO, capture_output=True, text=True, check=True)
            runs[name] = json.loads(out.stdout.strip().splitlines()[-1]) | {"digest": store_digest(db)}
            print(name, runs[name], flush=True)
        files = sorted((root / "out").rglob("*.parquet"))
        dataset = sum(f.stat().st_size for f in files)
        sizes = shipped_bytes(root / "corpus", args.batch_size, root / "measure")  # after: this loads the models

    n = sizes["articles"]
    lines = [
        "## Workers on other machines: the Parquet results directory (`benchmarks/bench_results_dir.py`)",
        "",
        f"Machine: {machine_info()}.  ",
        f"Versions: {versions('dask', 'distributed', 'duckdb', 'pyarrow')}.  ",
        f"Data: {n} generated articles (`wiredesk.synth.generate`, seed {args.seed}, ~600 words), batches of "
        f"{args.batch_size}, a Dask LocalCluster of 2 worker processes (`--engine dask --workers 2`). Both runs are "
        "on this one machine, so the bytes, not the wall time, are what a network between workers and writer "
        "would feel.",
        "",
        f"What a batch's result takes on the way back to the writer (pickled as Dask sends it), per article: "
        f"analysed articles with their features **{sizes['full'] / n / 1024:.1f} KiB**; a receipt "
        f"**{sizes['receipt'] / n:.0f} bytes**; the same rows as Parquet on the shared directory "
        f"{sizes['parquet'] / n / 1024:.1f} KiB (zstd).",
        "",
        "| run | wall s | writer CPU s | writer peak MiB | articles | events | store digest |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in runs.items():
        lines.append(f"| {name} | {r['wall']:.1f} | {r['writer_cpu']:.1f} | {r['writer_peak_mib']:.0f} | "
                     f"{r['articles']} | {r['events']} | {r['digest']} |")
    same = len({r["digest"] for r in runs.values()}) == 1
    lines += ["", f"Same store both ways: **{'yes' if same else 'NO'}** (digest of every table but the run ids). "
              f"The results directory holds {len(files)} Parquet files, {dataset / 2**20:.1f} MiB: the batch parts "
              "and the linked tables written after linking.", ""]
    out = SECTIONS / "results_dir.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print(out)


if __name__ == "__main__":
    main()
