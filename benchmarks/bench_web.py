"""Latency and throughput of ``GET /api/events`` (filtered, paged) on a 100k-event store, over loopback.

    .venv/bin/python benchmarks/bench_web.py                 # full run, writes docs/benchmarks/web.md
    .venv/bin/python benchmarks/bench_web.py --seconds 5 --events 5000   # quick check

The store is synthetic (``wiredesk.web.sample.fill_store``: events, mentions, articles, conflicts, stories written
through ``Store.write_batch`` / ``Store.write_link_result``) and cached under the temp folder because writing 100k
events row by row takes ~10 minutes. The server runs as ``uvicorn --factory wiredesk.web.app:app_from_env`` in
its own processes; the load comes from a bounded asyncio client with keep-alive connections that cycles through a
fixed mix of filter and page requests (the kinds the desk sends) and stops by itself after ``--seconds``.
Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, machine_info, versions, write_section  # noqa: E402

from wiredesk.model import PLOVER_EVENTS  # noqa: E402
from wiredesk.web.sample import PLACES, fill_store  # noqa: E402


def build_store(n_events: int, rebuild: bool) -> tuple[str, float | None]:
    folder = Path(tempfile.gettempdir()) / "wiredesk-bench"
    folder.mkdir(exist_ok=True)
    path = folder / f"web-{n_events}-seed11.duckdb"
    done = path.with_suffix(".done")
    if done.exists() and path.exists() and not rebuild:
        return str(path), None
    for p in (path, done, Path(str(path) + ".wal")):
        p.unlink(missing_ok=True)
    t0 = time.perf_counter()
    fill_store(str(path), n_events=n_events, seed=11, max_articles=min(3000, n_events * 2))
    done.write_text("ok")
    return str(path), time.perf_counter() - t0


def query_mix(n_events: int, seed: int = 0) -> list[str]:
    """A fixed, repeatable list of desk-like requests: filters alone and combined, first and later pages."""
    rng = random.Random(seed)
    codes = [p[0] for p in PLACES]
    regions = ["-12,35,42,62", "25,10,60,45", "60,-10,150,55", "-130,15,-60,55", "-20,-35,55,15"]
    words = ["humanitarian", "troops", "sanctions", "talks", "Kyiv", "apologised", "Baltic Wire"]
    months = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)][:18]
    urls = []
    for _ in range(600):
        params: dict[str, str | int] = {"limit": 25}
        kind = rng.random()
        if kind < 0.12:
            pass
        elif kind < 0.27:
            params["event"] = rng.choice(PLOVER_EVENTS)
        elif kind < 0.42:
            params["country"] = rng.choice(codes)
        elif kind < 0.52:
            params["actor"] = rng.choice(codes)
        elif kind < 0.62:
            month = rng.choice(months)
            params["since"], params["until"] = month, month
        elif kind < 0.70:
            params["bbox"] = rng.choice(regions)
        elif kind < 0.77:
            params["q"] = rng.choice(words)
        elif kind < 0.83:
            params["min_sources"] = rng.choice((2, 3))
        else:  # combinations, as the desk's filter bar sends them
            params["country"] = rng.choice(codes)
            params["event"] = rng.choice(PLOVER_EVENTS)
            params["since"] = rng.choice(months)
        page = rng.random()
        if page < 0.6:
            params["offset"] = 0
        elif page < 0.9:
            params["offset"] = 25 * rng.randint(1, 10)
        else:
            params["offset"] = rng.randint(0, (n_events if len(params) == 1 else 1500) - 25)
        if rng.random() < 0.5:
            params["order"] = "desc"
        if rng.random() < 0.1:
            params["limit"] = 100
        urls.append("/api/events?" + urllib.parse.urlencode(params))
    return urls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, workers: int, cache_mb: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ, WIREDESK_DB=db, WIREDESK_RECORD_CACHE_MB=str(cache_mb))
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "wiredesk.web.app:app_from_env", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        env=env, cwd=REPO, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def rss_mib(pid: int) -> float:
    """Resident memory of the server and its worker processes."""
    total = 0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


async def _one(reader, writer, path: str) -> tuple[int, int]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length)
    return status, len(body)


async def load(port: int, urls: list[str], concurrency: int, seconds: float, max_requests: int) -> dict:
    """Closed-loop load: ``concurrency`` connections, each sends its next request when the last one is answered."""
    latencies: list[float] = []
    errors: dict[int, int] = {}
    counter = {"next": 0}
    t_end = time.monotonic() + seconds

    async def worker(offset: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < t_end and counter["next"] < max_requests:
                i = counter["next"]
                counter["next"] += 1
                t0 = time.perf_counter()
                status, _ = await _one(reader, writer, urls[(i + offset) % len(urls)])
                latencies.append(time.perf_counter() - t0)
                if status != 200:
                    errors[status] = errors.get(status, 0) + 1
        finally:
            writer.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(worker(k * 37) for k in range(concurrency)))
    wall = time.perf_counter() - t0
    latencies.sort()
    ms = [x * 1000 for x in latencies]

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p * len(ms)))] if ms else float("nan")

    return {"requests": len(ms), "seconds": wall, "rps": len(ms) / wall if wall else 0.0, "p50": pct(0.50),
            "p90": pct(0.90), "p99": pct(0.99), "max": ms[-1] if ms else float("nan"),
            "mean": statistics.fmean(ms) if ms else float("nan"), "errors": errors}


def cpu_seconds(pid: int) -> float:
    """User+system CPU time of the server and its workers."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid]
    try:
        pids += [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError, ValueError):
            pass
    return total


def _text_index_ready(port: int) -> bool:
    import json
    import urllib.request

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/summary", timeout=60) as r:
        return bool(json.loads(r.read()).get("text_index_ready"))


def wait_ready(pid: int, timeout: float = 900, port: int | None = None) -> float:
    """Each worker builds its indexes in the background at start-up; wait until the server's CPU goes quiet and
    (given ``port``) 10 answers in a row, from whichever worker, say the text index is ready: until then a text
    query is answered by a SQL scan of every record, seconds long, which would measure start-up, not load."""
    t0 = time.monotonic()
    if port is not None:
        streak = 0
        while streak < 10 and time.monotonic() - t0 < timeout:
            streak = streak + 1 if _text_index_ready(port) else 0
            if not streak:
                time.sleep(0.5)
    time.sleep(2.0)
    quiet = 0
    last = cpu_seconds(pid)
    while time.monotonic() - t0 < timeout:
        time.sleep(1.0)
        now = cpu_seconds(pid)
        quiet = quiet + 1 if now - last < 0.05 else 0
        last = now
        if quiet >= 2:
            return time.monotonic() - t0
    raise RuntimeError("server indexes not ready in time")


def run_scenario(db: str, urls: list[str], workers: int, cache_mb: int, plan: list[tuple[int, float]],
                 max_requests: int) -> tuple[list[dict], dict]:
    proc, port = start_server(db, workers, cache_mb)
    try:
        ready_s = wait_ready(proc.pid, port=port)
        asyncio.run(load(port, urls, 4, 3.0, 10_000))  # warm-up pass over the mix
        rss_start = rss_mib(proc.pid)
        rows = []
        for concurrency, seconds in plan:
            res = asyncio.run(load(port, urls, concurrency, seconds, max_requests))
            res.update(concurrency=concurrency, workers=workers, cache_mb=cache_mb)
            rows.append(res)
            print(f"workers={workers} cache={cache_mb}MB c={concurrency}: {res['rps']:.0f} req/s "
                  f"p50={res['p50']:.1f} p99={res['p99']:.1f} ms errors={res['errors']}", flush=True)
        return rows, {"ready_s": ready_s, "rss_start": rss_start, "rss_end": rss_mib(proc.pid)}
    finally:
        stop_server(proc)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--seconds", type=float, default=20.0, help="per measurement")
    ap.add_argument("--max-requests", type=int, default=200_000, help="hard bound per measurement")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached synthetic store")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write docs/benchmarks/web.md")
    args = ap.parse_args()

    load_before = os.getloadavg()
    db, build_s = build_store(args.events, args.rebuild)
    urls = query_mix(args.events)
    results, notes = [], []
    for workers, cache_mb, plan in (
        (1, 256, [(1, args.seconds), (8, args.seconds)]),
        (2, 256, [(8, args.seconds), (32, args.seconds)]),
        (2, 0, [(8, args.seconds)]),
    ):
        rows, info = run_scenario(db, urls, workers, cache_mb, plan, args.max_requests)
        results += rows
        notes.append((workers, cache_mb, info))
    load_after = os.getloadavg()

    lines = [
        "## Web API: `GET /api/events` on a 100k-event store",
        "",
        f"Machine: {machine_info()}. {versions('fastapi', 'uvicorn', 'duckdb', 'numpy')}.",
        f"Load average of the machine (shared with other jobs) before/after: {load_before[0]:.1f} / {load_after[0]:.1f}.",
        "",
        f"Store: {args.events:,} synthetic events (`wiredesk.web.sample.fill_store`, seed 11) written through "
        f"`Store.write_link_result`{'' if build_s is None else f' in {build_s:.0f} s'}; "
        f"{Path(db).stat().st_size / 2**20:.0f} MiB on disk. Requests: a fixed mix of {len(urls)} desk-like "
        "`GET /api/events` URLs (type, actor, country, month, bounding box, text, min sources and combinations; "
        "60% first pages, 30% pages 2-11, 10% deep offsets; half newest-first; limit 25, 10% limit 100), cycled by "
        "a closed-loop asyncio client over keep-alive loopback connections (the client shares the 2 cores).",
        "",
        "| server | record cache | connections | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        errors = sum(r["errors"].values())
        lines.append(f"| uvicorn, {r['workers']} worker{'s' if r['workers'] > 1 else ''} | "
                     f"{r['cache_mb']} MB | {r['concurrency']} | {r['requests']:,} | {r['rps']:.0f} | {r['p50']:.1f} | "
                     f"{r['p90']:.1f} | {r['p99']:.1f} | {r['max']:.0f} | {errors}"
                     f"{' ' + str(r['errors']) if errors else ''} |")
    lines.append("")
    for workers, cache_mb, info in notes:
        lines.append(f"- {workers} worker(s), cache {cache_mb} MB: indexes ready {info['ready_s']:.0f} s after start "
                     f"(event index plus text index and record cache, built in the background per worker); server "
                     f"RSS {info['rss_start']:.0f} MiB before the measurements, {info['rss_end']:.0f} MiB after.")
    lines += [
        "- Record cache 0 MB = every page reads its records from DuckDB (the cold path after a new run).",
        "- Read the load average first: this 2-core machine is shared, and the server, the client and other jobs "
        "compete for the same cores; with a load average well above 2 the latencies measure the queue for a CPU "
        "as much as the server. Issue 11's target (>= 500 req/s at p99 < 100 ms): "
        + ("reached by " + ", ".join(f"{r['workers']} worker(s), {r['concurrency']} connections ({r['rps']:.0f} "
                                     f"req/s, p99 {r['p99']:.0f} ms)" for r in results
                                     if r["rps"] >= 500 and r["p99"] < 100)
           if any(r["rps"] >= 500 and r["p99"] < 100 for r in results) else "not reached")
        + " in this run. Since the page cache (`wiredesk.web.access.PageCache`), the mix's repeats after its first "
        "pass are answered from memory; `campaigns/load_events.py` also measures pages that are never repeated.",
        "",
        f"Command: `.venv/bin/python benchmarks/bench_web.py --events {args.events} --seconds {args.seconds:g}`",
    ]
    markdown = "\n".join(lines)
    if args.no_write:
        print(markdown)
    else:
        write_section("web", markdown)


if __name__ == "__main__":
    main()
