"""How cost grows with the work: generated corpora of 1k, 10k and 100k articles through each engine.

For each size and engine: articles per second per core, peak memory (the run's process tree), the linking share
of the time, and accuracy against the generator's ground truth (events found, duplicate records left).

Each run has a run directory (corpus, store, ``run.json``). A run can be done in *segments*: the runner resumes a
killed run without loss or duplicates, so a 100k run that outlives a session is killed and continued later.
``run.json`` accumulates, per segment, the wall and CPU seconds of the whole process tree (sampled from /proc every
few seconds while it runs, so a segment that is killed keeps what it had used up to the last sample), the load,
the articles stored when it started and the peak memory; the table is written only from runs that completed.

    .venv/bin/python benchmarks/bench_scale.py --sizes 1000 10000 --engines local processes dask
    # a long run in a kept directory, continued after a kill, then the table from every completed run:
    .venv/bin/python benchmarks/bench_scale.py --sizes 100000 --engines processes --root /tmp/scale-runs
    .venv/bin/python benchmarks/bench_scale.py --resume /tmp/scale-runs
    # only the linker changed: re-link a completed run's stored mentions, then write the table
    .venv/bin/python benchmarks/bench_scale.py --relink /tmp/scale-runs/processes-100000
    .venv/bin/python benchmarks/bench_scale.py --report /tmp/scale-runs

Every completed run's row is also kept in ``benchmarks/results/scale/`` (commit those files): the table is written
from them and from the roots given, so rows measured on another machine, whose run directories are gone, stay.
Rows from before the archive existed (2026-12-02) are in ``docs/benchmarks/scale_history.md``, as last written.

Long runs are best made from a snapshot of a commit, so edits made meanwhile in the checkout stay out of them:
``git archive HEAD | tar -x -C SNAP && git rev-parse HEAD > SNAP/COMMIT`` and run SNAP/benchmarks/bench_scale.py
with this checkout's Python (the script puts SNAP/src first on the path of the run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, git_commit, machine_info, versions, write_section  # noqa: E402

# The run itself, in a fresh process: its stdout/stderr go to the segment's log, its figures to report.json.
CHILD = r"""
import inspect, json, resource, sys, time
from wiredesk.engine.runner import run
db, corpus, engine, workers, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
last = [0.0]
def progress(stage, done, total):
    now = time.time()
    if stage != "articles" or done == total or now - last[0] > 60:
        last[0] = now
        print(time.strftime("%H:%M:%S"), stage, done, "/", total, flush=True)
t = time.perf_counter()
report = run([corpus], db, engine=engine, workers=workers if engine != "local" else None, progress=progress)
wall = time.perf_counter() - t
shuffle = inspect.signature(run).parameters.get("link_shuffle")  # the default linking shuffle of this checkout
own = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers, once they have exited (pool and cluster are closed)
with open(out, "w") as fh:
    json.dump({"wall": wall, "link": report.link_seconds, "articles_new": report.articles_new,
               "events": report.events, "mentions": report.mentions,
               "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
               "peak_mib": own.ru_maxrss / 1024, "worker_peak_mib": kids.ru_maxrss / 1024,
               "link_shuffle": shuffle.default if shuffle else "type"}, fh)
"""

SAMPLE_SECONDS = int(os.environ.get("SCALE_SAMPLE_SECONDS", "10"))
_TICK = os.sysconf("SC_CLK_TCK")


def _proc_stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds of the process and its reaped children) from /proc/<pid>/stat."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()  # after "pid (comm) "; comm may hold spaces
    return int(fields[1]), sum(int(x) for x in fields[11:15]) / _TICK  # utime stime cutime cstime


def _hwm_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_probe(steps: int = 5_000_000) -> float:
    """CPU seconds (this thread's) of a fixed pure-Python loop: how fast the host runs Python right now. The load
    average does not show a slow host (a shared machine's cycles given to others). On this machine this function
    takes 0.19-0.21 s when the host is quiet; the eighth session's module-level form of the same loop (global
    variables, about twice as slow) took 0.41-0.47 s quiet and 0.52-0.75 s during runs whose articles per
    CPU-second fell by the same factor."""
    t = time.thread_time()
    x = 0
    for i in range(steps):
        x += i * i % 7
    return round(time.thread_time() - t, 3)


PROBE_EVERY = 6  # samples: one probe a minute at the default sampling period (~0.8% of one core)


def sample_tree(root: int) -> tuple[float, float, float]:
    """CPU seconds of ``root`` and every live descendant (reaped ones are in their parent's cutime/cstime), the
    root's peak RSS and the largest peak RSS among its descendants (the workers)."""
    parent: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _proc_stat(int(entry))
            if st:
                parent[int(entry)], cpu[int(entry)] = st
    tree, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parent.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier += kids
    return (sum(cpu.get(p, 0.0) for p in tree), _hwm_mib(root),
            max((_hwm_mib(p) for p in tree if p != root), default=0.0))


def _save(path: Path, state: dict) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1))
    tmp.replace(path)  # atomic: a kill never leaves half a run.json


def _stored_articles(db: Path) -> int:
    if not db.exists():
        return 0
    sys.path.insert(0, str(REPO / "src"))
    from wiredesk.store import Store

    with Store(str(db), read_only=True) as store:
        return store.counts()["articles"]


def run_segment(run_dir: Path) -> bool:
    """Run (or continue) the run in ``run_dir`` until it completes or this process is killed; True if complete."""
    state_path = run_dir / "run.json"
    state = json.loads(state_path.read_text())
    for seg in state["segments"]:
        if seg["status"] == "running":  # the measuring process was killed with it: keep its last sample
            seg["status"] = "killed"
    seg = {"n": len(state["segments"]) + 1, "commit": _commit(), "started": _now(),
           "articles_at_start": _stored_articles(run_dir / "store.duckdb"), "status": "running",
           "wall": 0.0, "cpu": 0.0, "loads": [], "probes": [], "peak_mib": 0.0, "worker_peak_mib": 0.0,
           # the interpreter build matters to a Python-bound run (an optimised build is ~10% faster), so it is
           # recorded: version and installation (the venv's base)
           "python": f"{platform.python_version()} {sys.base_prefix}"}
    state["segments"].append(seg)
    _save(state_path, state)
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))  # the code of this checkout, not an editable install's
    report = run_dir / f"report-{seg['n']}.json"
    with open(run_dir / f"segment-{seg['n']}.log", "w") as log:
        t0 = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(run_dir / "store.duckdb"), state["corpus"],
                                  state["engine"], str(state["workers"]), str(report)],
                                 stdout=log, stderr=subprocess.STDOUT, cwd=REPO, env=env, start_new_session=True)
        # On SIGTERM (a session ending) stop the run's whole process group, workers included (a worker left busy
        # with a batch would otherwise finish it as an orphan), so the store is released; the run resumes later.
        signal.signal(signal.SIGTERM, lambda *_: (os.killpg(child.pid, signal.SIGTERM), sys.exit(143)))
        done = threading.Event()

        def sampler() -> None:
            samples = 0
            while not done.wait(SAMPLE_SECONDS):
                samples += 1
                if samples % PROBE_EVERY == 1:
                    seg["probes"].append(cpu_probe())
                cpu, main_hwm, worker_hwm = sample_tree(child.pid)
                seg.update(wall=time.perf_counter() - t0, cpu=max(seg["cpu"], cpu),
                           peak_mib=max(seg["peak_mib"], main_hwm),
                           worker_peak_mib=max(seg["worker_peak_mib"], worker_hwm))
                seg["loads"].append(round(os.getloadavg()[0], 2))
                _save(state_path, state)

        thread = threading.Thread(target=sampler, daemon=True)
        thread.start()
        rc = child.wait()
        done.set()
        thread.join()
    seg["wall"] = time.perf_counter() - t0
    seg["loads"].append(round(os.getloadavg()[0], 2))
    seg["ended"] = _now()
    if rc == 0 and report.exists():
        result = json.loads(report.read_text())
        # The child's own rusage is exact for a segment that ran to its end (workers reaped by then).
        seg.update(cpu=result["cpu"], peak_mib=max(seg["peak_mib"], result["peak_mib"]),
                   worker_peak_mib=max(seg["worker_peak_mib"], result["worker_peak_mib"]), status="done")
        state["result"] = result
    else:
        seg["status"] = f"exit {rc}"
    _save(state_path, state)
    return "result" in state


def _commit() -> str:
    """The commit this code is: a `git archive` snapshot (not a checkout) carries it in a COMMIT file."""
    stamp = REPO / "COMMIT"
    return stamp.read_text().strip()[:7] if stamp.exists() else git_commit()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def new_run(root: Path, size: int, engine: str, workers: int, words: int) -> Path:
    from wiredesk.synth import generate

    corpus = root / f"corpus-{size}"
    if not (corpus / "ground_truth.jsonl").exists():  # deterministic from the seed: regenerated the same
        t = time.perf_counter()
        info = generate(size, corpus, seed=size, words=words)
        print(f"generated {info} in {time.perf_counter() - t:.0f}s", flush=True)
    run_dir = root / f"{engine}-{size}"
    if (run_dir / "run.json").exists():
        return run_dir  # continue it
    run_dir.mkdir(parents=True, exist_ok=True)
    _save(run_dir / "run.json", {"size": size, "engine": engine, "workers": 1 if engine == "local" else workers,
                                 "words": words, "seed": size, "corpus": str(corpus), "segments": []})
    return run_dir


def accuracy(db: str, corpus: Path) -> dict:
    sys.path.insert(0, str(REPO / "src"))
    from wiredesk.eval.expected import compare
    from wiredesk.store import Store
    from wiredesk.synth import iter_truth

    truth = list(iter_truth(corpus))
    with Store(db, read_only=True) as store:
        events = store.event_rows()
    result = compare(events, truth)
    return {"recall": result["recall"], "precision": result["precision"],
            "duplicates_left": duplicates_left(events, truth), "truth_events": len(truth), "events": len(events),
            "version": ACC_VERSION}


#: 2: duplicates are output events beyond the number of true events with their key (the first count took every
#: second output event with a true event's key for a duplicate, also when the generator had two true events with
#: that key: at 100k, 242 of its 248 "duplicates" were such distinct true events).
ACC_VERSION = 2


def duplicates_left(events: list[dict], truth: list[dict]) -> int:
    """Output events recording a real event more than once: per key (type, parties, date) of a true event, the
    output events with that key beyond the number of true events with it. Events that say they did not happen
    (negated, hypothetical, future) are left out, as the matching leaves them out."""
    from wiredesk.eval.expected import NOT_HAPPENED

    truth_keys = Counter((t["event"], tuple(sorted(set(t["actor"]) | set(t["recipient"]))), t["date"])
                         for t in truth)
    output_keys = Counter(
        (e["event"], tuple(sorted({a["code"] for a in e["actor"]} | {a["code"] for a in e["recipient"]})),
         e.get("date"))
        for e in events if not NOT_HAPPENED & set(e.get("flags") or []))
    return sum(max(0, n - truth_keys[key]) for key, n in output_keys.items() if key in truth_keys)


def recall_ceiling(corpus: Path) -> float:
    """The recall of a linker that keeps every true event apart that *can* be told apart by what it codes: true
    events that share type, parties and day with another true event are one record to any linker that does not
    read the text's topic, so each such event beyond the first of its key counts as lost. The generator places
    its events in a fixed span of days, so the denser the corpus, the more of them share a key."""
    sys.path.insert(0, str(REPO / "src"))

    from wiredesk.synth import iter_truth

    keys = Counter((t["event"], tuple(sorted(set(t["actor"]) | set(t["recipient"]))), t["date"])
                   for t in iter_truth(corpus))
    total = sum(keys.values())
    return round(1 - sum(n - 1 for n in keys.values()) / total, 4) if total else 1.0


def summarise(run_dir: Path) -> dict | None:
    """One table row from a completed run: totals over its segments; accuracy computed once and kept."""
    state = json.loads((run_dir / "run.json").read_text())
    if "result" not in state:
        return None
    if "acc" not in state or (state["acc"].get("version") != ACC_VERSION and (run_dir / "store.duckdb").exists()):
        state["acc"] = accuracy(str(run_dir / "store.duckdb"), Path(state["corpus"]))
        state["articles"] = _stored_articles(run_dir / "store.duckdb")
        _save(run_dir / "run.json", state)
    if "recall_ceiling" not in state:
        state["recall_ceiling"] = recall_ceiling(Path(state["corpus"]))
        _save(run_dir / "run.json", state)
    if "corpus_digest" not in state:  # read once: 100k files are ~400 MB
        state["corpus_digest"] = corpus_digest(Path(state["corpus"]))
        _save(run_dir / "run.json", state)
    segs = state["segments"]
    loads = [x for s in segs for x in s["loads"]] or [0.0]
    return {**state, "wall": sum(s["wall"] for s in segs), "cpu": sum(s["cpu"] for s in segs),
            "load": sum(loads) / len(loads), "peak_mib": max(s["peak_mib"] for s in segs),
            "worker_peak_mib": max(s["worker_peak_mib"] for s in segs),
            "commits": sorted({s["commit"] for s in segs}), "link": state["result"]["link"]}


def _shuffle(row: dict) -> str:
    """A run's linking shuffle, when it is not the per-type one every run before the ninth session used, and its
    interpreter where recorded (since the tenth session; earlier runs used the README's set-up, pyenv's 3.11.7)."""
    shuffle = row.get("result", {}).get("link_shuffle", "type")
    notes = [] if shuffle == "type" else [f"{shuffle} shuffle"]
    python = _python(row)
    if python:
        notes.append(f"Python {python}")
    return f" ({'; '.join(notes)})" if notes else ""


def _python(row: dict) -> str:
    """The interpreter of a run's first segment (version and installation), '' where not recorded."""
    segments = row.get("segments") or [{}]
    return segments[0].get("python", "")


def _window_tasks(relink: dict) -> str:
    """A time-window relink's tasks, and the longest chain of them each waiting for the one before."""
    if relink.get("shuffle") != "window":
        return ""
    rounds = f", {relink['window_rounds']} rounds" if relink.get("window_rounds") else ""
    return f" ({relink.get('window_tasks', 0)} tasks{rounds})"


def link_digest(db: str) -> str:
    """Everything linking wrote to the store at ``db`` (events, mention links, stories, near-copy groups, date
    corrections) as one digest: the same whenever two linkers, engines or commits write the same records."""
    from wiredesk.store import Store

    digest = hashlib.sha1()
    with Store(db, read_only=True) as store:
        for sql in ("SELECT id, record FROM events ORDER BY id", "SELECT * FROM event_mentions ORDER BY 1",
                    "SELECT id, record FROM stories ORDER BY id", "SELECT * FROM near_duplicates ORDER BY 1",
                    "SELECT * FROM date_corrections ORDER BY 1"):
            for row in store.con.execute(sql).fetchall():
                digest.update(json.dumps(row).encode())
    return digest.hexdigest()[:12]


# Linking alone, in a fresh process: its figures to a JSON file (rusage of the process and its reaped workers).
RELINK_CHILD = r"""
import contextlib, inspect, json, resource, sys, threading, time
import psutil
from wiredesk.engine.runner import link_store
from wiredesk.store import Store
from wiredesk.store.duck import WRITER_MEMORY_LIMIT
db, engine, out, shuffle = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
# Workers' peak by sampling their RSS: rusage of children would report the writer's size at the moment a worker
# was forked (Linux keeps the high-water mark across fork and exec), and a pool forks on its first task.
worker_peak, done = [0], threading.Event()
def sample():
    me = psutil.Process()
    while not done.wait(0.2):
        for child in me.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                worker_peak[0] = max(worker_peak[0], child.memory_info().rss)
threading.Thread(target=sample, daemon=True).start()
t = time.perf_counter()
with Store(db, memory_limit=WRITER_MEMORY_LIMIT) as store, contextlib.ExitStack() as stack:
    params = inspect.signature(link_store).parameters
    if "executor" in params:
        from wiredesk.engine.executors import Executor
        kw = {"shuffle": shuffle} if "shuffle" in params else {}
        if kw.get("shuffle", "type") != shuffle:
            sys.exit(f"this checkout links by PLOVER type only, not {shuffle}")
        report = link_store(store, stack.enter_context(Executor(engine, None if engine == "local" else 2)), **kw)
    elif engine == "local":  # a checkout from before linking ran in partitions: one process
        report = link_store(store)
    else:
        sys.exit(f"this checkout links in one process only; relink it with the local engine, not {engine}")
wall = time.perf_counter() - t
done.set()
own = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.path.insert(0, "benchmarks")
from bench_scale import link_digest
with open(out, "w") as fh:
    json.dump({"wall": wall, "cpu": own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime,
               "digest": link_digest(db), "memory_limit": WRITER_MEMORY_LIMIT,
               "peak_mib": own.ru_maxrss / 1024, "worker_peak_mib": worker_peak[0] / 2**20,
               "partitions": getattr(report, "partitions", 1),
               "largest_partition": getattr(report, "largest_partition", None),
               "shuffle": getattr(report, "shuffle", "type"), "window_tasks": getattr(report, "window_tasks", 0),
               "carried": getattr(report, "carried", 0), "window_rounds": getattr(report, "window_rounds", 0)}, fh)
"""


def relink(run_dir: Path, engine: str = "local", shuffle: str = "window") -> dict:
    """Re-run only the linking phase of a completed run with this checkout's linker, on a copy of its store.

    The per-article stages of a 100k run cost ~1.6 CPU-hours; the linker is a minute of it. When only linking
    changed, this measures the new linker on the very mentions the old run stored, and says so: the result goes in
    ``run.json`` under ``relinks`` (with the commit that relinked and the engine) and in its own table, never in
    the run's row. Linking runs in a fresh process, so its peak memory is its own."""
    state = json.loads((run_dir / "run.json").read_text())
    copy = Path(tempfile.mkdtemp(prefix="wiredesk-relink-")) / "store.duckdb"
    out = copy.parent / "relink.json"
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    try:
        shutil.copy(run_dir / "store.duckdb", copy)
        subprocess.run([sys.executable, "-c", RELINK_CHILD, str(copy), engine, str(out), shuffle], check=True,
                       cwd=REPO, env=env)
        figures = json.loads(out.read_text())
        acc = accuracy(str(copy), Path(state["corpus"]))
    finally:
        shutil.rmtree(copy.parent, ignore_errors=True)
    entry = {"commit": _commit(), "when": _now(), "engine": engine, "link_cpu": round(figures["cpu"], 1),
             "link_wall": round(figures["wall"], 1), "peak_mib": round(figures["peak_mib"]),
             "worker_peak_mib": round(figures["worker_peak_mib"]), "partitions": figures["partitions"],
             "largest_partition": figures["largest_partition"], "load": round(os.getloadavg()[0], 2),
             "digest": figures["digest"], "memory_limit": figures.get("memory_limit"), "acc": acc,
             "shuffle": figures.get("shuffle", "type"), "window_tasks": figures.get("window_tasks", 0),
             "carried": figures.get("carried", 0), "window_rounds": figures.get("window_rounds", 0)}
    same = ("commit", "engine", "memory_limit", "shuffle")
    relinks = [r for r in _relinks(state)
               if tuple(r.get(k, "type" if k == "shuffle" else None) for k in same) != tuple(entry[k] for k in same)]
    state.pop("relinked", None)
    state["relinks"] = relinks + [entry]
    _save(run_dir / "run.json", state)
    return entry


def _relinks(state: dict) -> list[dict]:
    """A run's relinks, oldest first (runs relinked before engines were recorded kept one, as ``relinked``)."""
    return ([state["relinked"]] if "relinked" in state else []) + state.get("relinks", [])


def progress_line(run_dir: Path) -> str:
    """An unfinished run: its segments so far and the last progress line its log printed."""
    state = json.loads((run_dir / "run.json").read_text())
    segs = state["segments"]
    last = ""
    if segs:
        log = run_dir / f"segment-{segs[-1]['n']}.log"
        lines = [ln for ln in log.read_text(errors="replace").splitlines() if " articles " in ln] if log.exists() else []
        last = lines[-1].split(" ", 1)[1] if lines else ""
    return (f"- {state['engine']} {state['size']}: not complete; {len(segs)} segment(s) at "
            f"{', '.join(sorted({g['commit'] for g in segs}))} so far, {sum(g['wall'] for g in segs):.0f} s wall, "
            f"{sum(g['cpu'] for g in segs):.0f} CPU-s, files read by the last segment's last progress line: "
            f"{last or 'none yet'}; continue with `bench_scale.py --resume {run_dir.parent}` (docs/scale.md)")


def corpus_digest(corpus: Path) -> str:
    """A short digest of a corpus (every file's name and bytes, truth included): two rows ran on the same corpus
    only if it is the same. The generator changes between commits, so the same size and seed is not enough, and
    its truth alone may not change when the texts do (publication dates of copies, word order of a template)."""
    if not corpus.is_dir():
        return "?"
    digest = hashlib.sha1()
    for path in sorted(corpus.iterdir()):
        if path.is_file():
            digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()[:7]


#: Completed runs' rows, kept in the repository: run directories live on one machine (under /tmp as a rule) and
#: are gone with it, and a table written from the roots at hand alone dropped every row measured before.
ARCHIVE = REPO / "benchmarks" / "results" / "scale"


def _archive_key(row: dict) -> str:
    first = row["segments"][0]
    return f"{row['size']}-{row['engine']}-{first['commit']}-{first['started'].replace(' ', 'T').replace(':', '')}"


def archive_rows(rows: list[dict]) -> None:
    """Keep each completed run's row (its run.json state with the totals) as ``ARCHIVE/<key>.json``; a run seen
    again (--report, --relink) replaces its file, so later relinks and accuracy recounts are kept too."""
    ARCHIVE.mkdir(parents=True, exist_ok=True)
    for row in rows:
        path = ARCHIVE / f"{_archive_key(row)}.json"
        path.write_text(json.dumps(row, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def with_archive(rows: list[dict]) -> list[dict]:
    """The rows given, plus every archived row of a run not among them."""
    keys = {_archive_key(r) for r in rows}
    kept = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(ARCHIVE.glob("*.json"))]
    return rows + [r for r in kept if _archive_key(r) not in keys]


def write_doc(rows: list[dict], words: int, unfinished: list[Path] = ()) -> None:
    rows = with_archive(rows)
    rows.sort(key=lambda s: (s["size"], ["local", "processes", "dask"].index(s["engine"])))
    lines = [
        "## Scale: engines and corpus size (`benchmarks/bench_scale.py`)",
        "",
        f"Machine: {machine_info()} (table written then; each row names the commit it ran and when).  ",
        f"Versions: {versions('dask', 'distributed', 'spacy', 'duckdb')}.  ",
        f"Data: corpora generated by `wiredesk.synth.generate` (multi-outlet reports of many events, ~{words} "
        "words per article, near-copies, banners, Read-More lines, relative dates, misspelt names; seed = size). "
        "Each size is its own draw, so recall, precision and duplicates compare engines within a size, not sizes; "
        "*corpus* is a digest of the draw's files (texts and truth), and rows with different digests ran on "
        "different corpora (the generator changed between their commits). *recall ceiling*: the share of true "
        "events not sharing type, parties and day with another true event (the generator places its events in a "
        "fixed span of days, so the denser the draw the more of them do): the recall of a linker that merges every "
        "two reports with the same type, parties and day (`recall_ceiling`). It is a reference, not a bound: "
        "wiredesk keeps some same-day events apart by their stories, and the matching pairs each output event "
        "with one true event. *duplicates left*: per key (type, parties, date) of a true event, the output events "
        "with that key beyond the number of true events with it (`duplicates_left`; until 2026-12-02 every second "
        "output event with a true event's key was counted, distinct true events sharing the key included).",
        "",
        "The machine is shared: *load* is the 1-minute load average (mean of samples every "
        f"{SAMPLE_SECONDS} s during the run) on its 2 cores, so wall-clock rates above a load of 2 understate what "
        "the code does on a quiet machine. *articles per CPU-second* (CPU time of the run's whole process tree, "
        "workers included) depends far less on the load and is the figure to compare between runs, on the same "
        "host speed: the host itself can run slower (others' work on the shared machine), which neither the load "
        "nor CPU time shows, so runs since the ninth session record a *CPU probe* once a minute (`cpu_probe`: a "
        "fixed Python loop run by the benchmark's own interpreter, 0.19-0.21 s on a quiet host with pyenv's 3.11.7, "
        "so probes compare runs of one interpreter only; listed with the segments below). A run done in "
        "*segments* was killed and resumed: its wall and CPU are the sums over segments (each pays start-up again), "
        "its peak memory the largest of any segment.",
        "",
        "| articles | engine | workers | segments | commit | load | wall s | articles/s | articles/s/core "
        "| articles per CPU-s | link s | link share | peak MiB (main / workers) | truth events | events | recall "
        "| recall ceiling | precision | duplicates left | corpus |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in rows:
        rate = s["articles"] / s["wall"]
        lines.append(
            f"| {s['size']} | {s['engine']}{_shuffle(s)} | {s['workers']} | {len(s['segments'])} | "
            f"{', '.join(s['commits'])} | "
            f"{s['load']:.1f} | {s['wall']:.0f} | {rate:.1f} | {rate / s['workers']:.1f} | "
            f"{s['articles'] / s['cpu']:.1f} | {s['link']:.1f} | {s['link'] / s['wall']:.1%} | "
            f"{s['peak_mib']:.0f} / {s['worker_peak_mib']:.0f} | {s['acc']['truth_events']} | {s['acc']['events']} | "
            f"{s['acc']['recall']:.3f} | {s['recall_ceiling']:.3f} | {s['acc']['precision']:.3f} | "
            f"{s['acc']['duplicates_left']} | {s['corpus_digest']} |")
    # growth compares sizes of one engine at one commit: rows of other commits ran other code
    by = {(s["engine"] + _shuffle(s), ", ".join(s["commits"]), s["size"]): s for s in rows}
    ratios = []
    for engine, commit in sorted({(e, c) for (e, c, _sz) in by}):
        sizes = sorted(sz for (e, c, sz) in by if (e, c) == (engine, commit))
        for small, big in zip(sizes, sizes[1:]):
            a, b = by[(engine, commit, small)], by[(engine, commit, big)]
            # CPU seconds beside wall seconds: on a shared machine the load differs between the two runs
            ratios.append(f"{engine} at {commit}: CPU({big}) / CPU({small}) = {b['cpu'] / a['cpu']:.2f}, "
                          f"wall({big}) / wall({small}) = {b['wall'] / a['wall']:.2f} (load {a['load']:.1f} and {b['load']:.1f}), "
                          f"for {big / small:.0f}x the articles; linking {a['link']:.1f} s -> {b['link']:.1f} s")
    lines += ["", "Growth: " + ("; ".join(ratios) or "one size only") + "."]
    lines += ["", "Segments (UTC start, wall s, CPU s, mean load, articles stored at start, status):", ""]
    for s in rows:
        for g in s["segments"]:
            loads = g["loads"] or [0.0]
            probes = sorted(g.get("probes") or [])
            probe = (f", CPU probe {probes[len(probes) // 2]:.2f} s median ({probes[0]:.2f}-{probes[-1]:.2f}, "
                     f"{len(probes)} samples)") if probes else ""
            lines.append(f"- {s['engine']} {s['size']} #{g['n']} at {g['commit']}: {g['started']}, {g['wall']:.0f} s, "
                         f"{g['cpu']:.0f} CPU-s, load {sum(loads) / len(loads):.1f}{probe}, {g['articles_at_start']} "
                         f"stored, {g['status']}")
    relinked = [(s, r) for s in rows for r in _relinks(s)]
    if relinked:
        lines += ["", "Linking re-run on the mentions a completed run stored (`--relink`: the run's per-article "
                  "output, a newer linker; the linking phase alone in a fresh process, including reading its "
                  "inputs and writing its tables; CPU includes the engine's workers; *DuckDB cap* is the store's "
                  "memory limit (`WIREDESK_WRITER_MEMORY`), part of the writer's peak; '-' where a relink predates "
                  "that figure):", "",
                  "| articles | run (engine at commit) | relinked at | engine, shuffle | link wall s | link CPU s | "
                  "DuckDB cap | peak MiB (writer / workers) | largest task (mentions; window: with its carry) | load "
                  "| digest of what linking wrote | events | "
                  "recall | precision | duplicates left "
                  "| (the run's own: events, recall, precision, duplicates) |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]

        def fig(r: dict, key: str, fmt: str = "{:.0f}") -> str:
            return fmt.format(r[key]) if r.get(key) is not None else "-"

        for s, r in relinked:
            a = s["acc"]
            lines.append(f"| {s['size']} | {s['engine']} at {', '.join(s['commits'])} | {r['commit']} | "
                         f"{r.get('engine', 'local')}, {r.get('shuffle', 'type')}{_window_tasks(r)} | "
                         f"{fig(r, 'link_wall', '{:.1f}')} | {r['link_cpu']:.1f} | {r.get('memory_limit') or '-'} | "
                         f"{fig(r, 'peak_mib')} / "
                         f"{fig(r, 'worker_peak_mib')} | {fig(r, 'largest_partition')} | {fig(r, 'load', '{:.1f}')} | "
                         f"{r.get('digest', '-')} | "
                         f"{r['acc']['events']} | {r['acc']['recall']:.3f} | "
                         f"{r['acc']['precision']:.3f} | {_dupes(r['acc'])} | {a['events']}, "
                         f"{a['recall']:.3f}, {a['precision']:.3f}, {_dupes(a)} |")
        if any(r["acc"].get("version") != ACC_VERSION for _s, r in relinked):
            lines += ["", "\\* duplicates counted the first way (every second output event with a true event's "
                      "key, distinct true events sharing the key included): the relinked store was a temporary copy, "
                      "so they could not be counted again; the run rows above use the second way."]
    if unfinished:
        lines += ["", "Runs not complete when this table was written:", ""] + [progress_line(d) for d in unfinished]
    write_section("scale", "\n".join(lines))


def _dupes(acc: dict) -> str:
    return str(acc["duplicates_left"]) + ("" if acc.get("version") == ACC_VERSION else "\\*")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--engines", nargs="+", default=["local", "processes", "dask"])
    parser.add_argument("--large-engines", nargs="+", default=None,
                        help="engines to run at the sizes after the smallest (default: all of --engines); a session "
                             "with little time runs every engine small and one engine large")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--root", type=Path, default=None,
                        help="keep run directories here (default: a temporary directory, removed at the end)")
    parser.add_argument("--resume", type=Path, nargs="+", default=None, metavar="ROOT",
                        help="continue every unfinished run under these roots (no new runs), then write the table "
                             "from every completed run under them")
    parser.add_argument("--report", type=Path, nargs="+", default=None, metavar="ROOT",
                        help="run nothing: write the table from the completed runs under these roots and list the "
                             "unfinished ones with their progress so far")
    parser.add_argument("--no-doc", action="store_true", help="run only; do not write docs/benchmarks/scale.md")
    parser.add_argument("--relink", type=Path, nargs="+", default=None, metavar="RUN_DIR",
                        help="re-run only the linking phase of these completed runs with this checkout's linker "
                             "(on a copy of each store) and keep the result in their run.json; then use --report")
    parser.add_argument("--relink-engines", nargs="+", default=["local"], choices=["local", "processes", "dask"],
                        help="engines to relink on (linking partitions as tasks on 2 workers; default: local)")
    parser.add_argument("--relink-shuffles", nargs="+", default=["window"], choices=["type", "window"],
                        help="linking shuffles to relink with (engine.linking.SHUFFLES; default: window)")
    args = parser.parse_args()

    if args.relink:
        for run_dir in args.relink:
            for engine in args.relink_engines:
                for shuffle in args.relink_shuffles:
                    print(run_dir, json.dumps(relink(run_dir, engine, shuffle)), flush=True)
        archive_rows([r for r in (summarise(d) for d in args.relink) if r])
        return
    if args.report:
        run_dirs = sorted(p.parent for root in args.report for p in root.glob("*/run.json"))
        rows = [r for r in (summarise(d) for d in run_dirs) if r]
        archive_rows(rows)
        write_doc(rows, args.words, [d for d in run_dirs
                                     if "result" not in json.loads((d / "run.json").read_text())])
        return
    if args.resume:
        run_dirs = sorted(p.parent for root in args.resume for p in root.glob("*/run.json"))
        for run_dir in run_dirs:
            if "result" not in json.loads((run_dir / "run.json").read_text()):
                print(f"resuming {run_dir}", flush=True)
                run_segment(run_dir)
    else:
        root = args.root or Path(tempfile.mkdtemp(prefix="wiredesk-scale-"))
        run_dirs = []
        for size in args.sizes:
            engines = args.engines if size == min(args.sizes) else (args.large_engines or args.engines)
            for engine in engines:
                run_dir = new_run(root, size, engine, args.workers, args.words)
                run_dirs.append(run_dir)
                if "result" not in json.loads((run_dir / "run.json").read_text()):
                    run_segment(run_dir)
    rows = [r for r in (summarise(d) for d in run_dirs) if r]
    archive_rows(rows)
    for r in rows:
        print(json.dumps({k: r[k] for k in ("size", "engine", "wall", "cpu", "load", "link", "peak_mib",
                                            "worker_peak_mib", "acc", "commits")}), flush=True)
    if len(rows) < len(run_dirs):
        print(f"{len(run_dirs) - len(rows)} run(s) not complete: continue with --resume", flush=True)
    elif rows and not args.no_doc:
        write_doc(rows, args.words)
    if not args.resume and args.root is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
